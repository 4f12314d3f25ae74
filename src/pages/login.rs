use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::app::Route;
use crate::components::{Feedback, FeedbackMessage};
use crate::hooks::{SessionAction, text_input, use_session, use_submit};

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
    let submit = use_submit();
    let onsubmit = {
        let (email, password, submit) = (email.clone(), password.clone(), submit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = {
                let (email, password) = ((*email).clone(), (*password).clone());
                async move { api::sign_in(&email, &password).await }
            };
            let (password, session, navigator, next) =
                (password.clone(), session.clone(), navigator.clone(), next.clone());
            submit.run(request, move |answer| match answer {
                Ok(me) => {
                    session.dispatch(SessionAction::SignedIn(me));
                    if let Some(navigator) = navigator {
                        let path = next.split('?').next().unwrap_or("/");
                        navigator.push(&Route::recognize(path).unwrap_or(Route::Home));
                    }
                    None
                }
                Err(failure) => {
                    password.set(String::new());
                    Some(Feedback::failed(match failure {
                        ApiError::Unauthorized => "The e-mail or the password is wrong.".to_owned(),
                        other => other.message(),
                    }))
                }
            });
        })
    };
    let error_id = submit.feedback().map(|_| "login-error");
    html! {
        <main class="page narrow" id="main">
            <h1>{ "Sign in to useradmin" }</h1>
            <form class="card" {onsubmit}>
                <div class="field">
                    <label for="login-email">{ "E-mail" }</label>
                    <input id="login-email" type="email" autocomplete="username" value={(*email).clone()}
                        oninput={text_input(&email)} required=true />
                </div>
                <div class="field">
                    <label for="login-password">{ "Password" }</label>
                    <input id="login-password" type="password" autocomplete="current-password"
                        value={(*password).clone()} oninput={text_input(&password)} required=true
                        aria-describedby={error_id} />
                </div>
                <FeedbackMessage feedback={submit.feedback()} id={error_id} />
                <button type="submit" disabled={submit.busy()}>{ if submit.busy() { "Signing in…" } else { "Sign in" } }</button>
                <p><Link<Route> to={Route::ForgotPassword}>{ "Forgot password?" }</Link<Route>></p>
            </form>
        </main>
    }
}
