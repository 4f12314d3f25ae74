use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{NotFoundPage, RightsPage};

/// The client routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/rights")]
    Rights,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Redirect<Route> to={Route::Rights} /> },
        Route::Rights => html! { <RightsPage /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

/// The whole app: router, top bar and the page of the current route.
#[component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <header class="topbar">
                <Link<Route> to={Route::Home} classes="brand">{ "useradmin" }</Link<Route>>
            </header>
            <main id="main" class="page">
                <Switch<Route> render={switch} />
            </main>
        </BrowserRouter>
    }
}
