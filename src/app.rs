use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::Shell;
use crate::hooks::SessionProvider;
use crate::pages::{
    AreaRoutePage, ForgotPasswordPage, HomePage, LoginPage, NotFoundPage, ProfilePage, RegistrationPage,
    ResetPasswordPage, RightsPage,
};
use useradmin_rights::Area;

/// The client routes. Every area has its own route, `/{section}/{area}`
/// (e.g. `/settings/user-accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    #[at("/invitation/:token")]
    Invitation { token: String },
    #[at("/forgot-password")]
    ForgotPassword,
    #[at("/reset-password/:token")]
    ResetPassword { token: String },
    #[at("/settings/profile")]
    Profile,
    #[at("/rights")]
    Rights,
    #[at("/:section/:area")]
    Area { section: String, area: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    /// The route of an area's page.
    pub fn of_area(area: Area) -> Route {
        Route::Area { section: area.section().slug(), area: area.slug() }
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Login => html! { <LoginPage /> },
        Route::Invitation { token } => {
            html! { <RegistrationPage token={AttrValue::from(token)} /> }
        }
        Route::ForgotPassword => html! { <ForgotPasswordPage /> },
        Route::ResetPassword { token } => html! { <ResetPasswordPage token={AttrValue::from(token)} /> },
        Route::Home => html! { <Shell><HomePage /></Shell> },
        Route::Profile => html! { <Shell><ProfilePage /></Shell> },
        Route::Rights => html! { <Shell><RightsPage /></Shell> },
        Route::Area { section, area } => html! {
            <Shell><AreaRoutePage section={AttrValue::from(section)} area={AttrValue::from(area)} /></Shell>
        },
        Route::NotFound => html! { <Shell><NotFoundPage /></Shell> },
    }
}

/// The whole app: router, session, and the page of the current route.
#[component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <SessionProvider>
                <Switch<Route> render={switch} />
            </SessionProvider>
        </BrowserRouter>
    }
}
