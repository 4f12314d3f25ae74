use useradmin_rights::{Access, RoleSet, visible_menu};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct MainMenuProps {
    pub roles: RoleSet,
}

/// The main menu: exactly the areas the roles can read, grouped by section; read-only areas
/// carry a visible mark. Computed in the browser; the server enforces the same matrix.
#[component]
pub fn MainMenu(props: &MainMenuProps) -> Html {
    let menu = use_memo(props.roles, |roles| visible_menu(*roles));
    let current = use_route::<Route>();
    html! {
        <nav aria-label="Main menu" class="main-menu">
            if menu.is_empty() {
                <p class="menu-empty">{ "No areas yet: an administrator has to assign you roles." }</p>
            }
            { for menu.iter().map(|section| {
                let heading_id = format!("menu-{}", section.section.key());
                html! {
                    <section key={section.section.key()} class="menu-section">
                        <h2 id={heading_id.clone()}>{ section.section.label() }</h2>
                        <ul aria-labelledby={heading_id}>
                            { for section.items.iter().map(|item| html! {
                                <li key={item.area.key()}>
                                    <Link<Route> to={Route::of_area(item.area)}
                                        classes={classes!("menu-link", (current.as_ref() == Some(&Route::of_area(item.area))).then_some("active"))}>
                                        <span class="menu-label">{ item.area.label() }</span>
                                        if item.access == Access::Read {
                                            <span class="badge read-only">{ "read only" }</span>
                                        }
                                    </Link<Route>>
                                </li>
                            }) }
                        </ul>
                    </section>
                }
            }) }
        </nav>
    }
}
