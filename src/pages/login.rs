use serde::Deserialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::app::Route;
use crate::hooks::{SessionAction, use_session};

#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// Where to go after signing in: the page the session ended on, if it is one of ours.
fn next_path(location: Option<Location>) -> String {
    location
        .and_then(|location| location.query::<LoginQuery>().ok())
        .and_then(|query| query.next)
        .filter(|next| next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/login"))
        .unwrap_or_else(|| "/".to_owned())
}

/// "Sign in": e-mail and password; a wrong password is shown inline and the e-mail stays.
#[component]
pub fn LoginPage() -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let next = next_path(use_location());
    let email = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |event: InputEvent| state.set(event.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (email, password, error, busy) = (email.clone(), password.clone(), error.clone(), busy.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (email, password, error, busy, session, navigator, next) = (
                email.clone(),
                password.clone(),
                error.clone(),
                busy.clone(),
                session.clone(),
                navigator.clone(),
                next.clone(),
            );
            busy.set(true);
            error.set(None);
            yew::platform::spawn_local(async move {
                match api::sign_in(&email, &password).await {
                    Ok(me) => {
                        session.dispatch(SessionAction::SignedIn(me));
                        if let Some(navigator) = navigator {
                            let path = next.split('?').next().unwrap_or("/");
                            navigator.push(&Route::recognize(path).unwrap_or(Route::Home));
                        }
                    }
                    Err(failure) => {
                        password.set(String::new());
                        error.set(Some(match failure {
                            ApiError::Unauthorized => "The e-mail or the password is wrong.".to_owned(),
                            other => other.message(),
                        }));
                    }
                }
                busy.set(false);
            });
        })
    };
    html! {
        <main class="page narrow" id="main">
            <h1>{ "Sign in to useradmin" }</h1>
            <form class="card" {onsubmit}>
                <div class="field">
                    <label for="login-email">{ "E-mail" }</label>
                    <input id="login-email" type="email" autocomplete="username" value={(*email).clone()}
                        oninput={input(&email)} required=true />
                </div>
                <div class="field">
                    <label for="login-password">{ "Password" }</label>
                    <input id="login-password" type="password" autocomplete="current-password"
                        value={(*password).clone()} oninput={input(&password)} required=true
                        aria-describedby={error.as_ref().map(|_| "login-error")} />
                </div>
                if let Some(message) = &*error {
                    <p class="field-error" id="login-error" role="alert">{ message }</p>
                }
                <button type="submit" disabled={*busy}>{ if *busy { "Signing in…" } else { "Sign in" } }</button>
                <p><Link<Route> to={Route::ForgotPassword}>{ "Forgot password?" }</Link<Route>></p>
            </form>
        </main>
    }
}
