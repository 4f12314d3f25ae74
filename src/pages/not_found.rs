use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

/// Shown for any path the app does not know.
#[component]
pub fn NotFoundPage() -> Html {
    html! {
        <section aria-labelledby="not-found-title">
            <h1 id="not-found-title">{ "Page not found" }</h1>
            <p>{ "There is nothing at this address. " }
                <Link<Route> to={Route::Home}>{ "Go to the start page" }</Link<Route>>
            </p>
        </section>
    }
}
