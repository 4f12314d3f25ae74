use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::use_session;

/// The start page: a greeting, and for a user without roles what happens next.
#[component]
pub fn HomePage() -> Html {
    let session = use_session();
    let Some(me) = session.me() else {
        return Html::default();
    };
    let name = me.name.clone().unwrap_or_else(|| me.email.clone());
    html! {
        <section aria-labelledby="home-title">
            <h1 id="home-title">{ format!("Welcome, {name}") }</h1>
            if me.roles.is_empty() {
                <p class="notice">
                    { "You have no roles yet, so there is nothing in the menu. An administrator has to \
                       assign you roles; until then you can edit " }
                    <Link<Route> to={Route::Profile}>{ "your profile" }</Link<Route>>{ "." }
                </p>
            } else {
                <p>{ format!("Your roles: {}. Choose an area in the menu.", me.roles) }</p>
                <p><Link<Route> to={Route::Rights}>{ "What each role may do" }</Link<Route>></p>
            }
        </section>
    }
}
