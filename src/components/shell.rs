use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::{ErrorMessage, Loading, MainMenu};
use crate::hooks::{SessionAction, SessionState, use_session};

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    #[prop_or_default]
    pub children: Html,
}

/// The frame of every signed-in page: top bar, main menu, content. Sends a signed-out visitor
/// to the sign-in page and back here afterwards.
#[component]
pub fn Shell(props: &ShellProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let here = use_location().map(|location| format!("{}{}", location.path(), location.query_str()));
    let signed_out = session.state == SessionState::SignedOut;
    let redirect = navigator.clone();
    use_effect_with(signed_out, move |signed_out| {
        if *signed_out && let Some(navigator) = redirect {
            let next = here.unwrap_or_else(|| "/".to_owned());
            let _ = navigator.replace_with_query(&Route::Login, &[("next", next)]);
        }
    });
    let me = match &session.state {
        SessionState::SignedIn(me) => me.clone(),
        SessionState::Loading | SessionState::SignedOut => {
            return html! { <main class="page"><Loading label="Loading your account…" /></main> };
        }
        SessionState::Failed(message) => {
            let session = session.clone();
            let retry = Callback::from(move |()| session.dispatch(SessionAction::Reload));
            return html! { <main class="page"><ErrorMessage message={message.clone()} on_retry={retry} /></main> };
        }
    };
    let on_sign_out = {
        let session = session.clone();
        Callback::from(move |_| {
            let session = session.clone();
            let navigator = navigator.clone();
            yew::platform::spawn_local(async move {
                // Signed out locally even when the server cannot be reached.
                let _ = api::sign_out().await;
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Login);
                }
                session.dispatch(SessionAction::SignedOut);
            });
        })
    };
    let display_name = me.name.clone().unwrap_or_else(|| me.email.clone());
    html! {
        <>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <header class="topbar">
                <Link<Route> to={Route::Home} classes="brand">{ "useradmin" }</Link<Route>>
                <div class="topbar-user">
                    <span class="who" title={me.email.clone()}>{ display_name }</span>
                    <Link<Route> to={Route::Profile} classes="topbar-link">{ "My profile" }</Link<Route>>
                    <button type="button" class="secondary" onclick={on_sign_out}>{ "Sign out" }</button>
                </div>
            </header>
            <div class="layout">
                <MainMenu roles={me.roles} />
                <main id="main" class="page" tabindex="-1">{ props.children.clone() }</main>
            </div>
        </>
    }
}
