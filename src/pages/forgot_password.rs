use useradmin_api::check_email;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::app::Route;

/// "Forgot password?": one e-mail field. The answer is the server's one sentence, whether or
/// not the address has an account.
#[component]
pub fn ForgotPasswordPage() -> Html {
    let email = use_state(String::new);
    let error = use_state(|| None::<String>);
    let sent = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let oninput = {
        let (email, error) = (email.clone(), error.clone());
        Callback::from(move |event: InputEvent| {
            email.set(event.target_unchecked_into::<HtmlInputElement>().value());
            error.set(None);
        })
    };
    let onsubmit = {
        let (email, error, sent, busy) = (email.clone(), error.clone(), sent.clone(), busy.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Err(message) = check_email(&email) {
                return error.set(Some(message));
            }
            busy.set(true);
            let (email, error, sent, busy) = (email.clone(), error.clone(), sent.clone(), busy.clone());
            yew::platform::spawn_local(async move {
                match api::request_password_reset(&email).await {
                    Ok(answer) => sent.set(Some(answer.message)),
                    Err(ApiError::Rejected { status: 429, retry_after_s, .. }) => {
                        let minutes = retry_after_s.map_or(60, |s| s.div_ceil(60));
                        error.set(Some(format!(
                            "Too many reset requests in the last hour. Please try again in {minutes} {}.",
                            if minutes == 1 { "minute" } else { "minutes" }
                        )));
                    }
                    Err(failure) => error.set(Some(failure.message())),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <main class="page narrow" id="main">
            <h1>{ "Reset your password" }</h1>
            if let Some(message) = &*sent {
                <div class="card" role="status">
                    <p>{ message }</p>
                    <p>{ "The link works once, for one hour. " }
                        <Link<Route> to={Route::Login}>{ "Back to sign-in" }</Link<Route>></p>
                </div>
            } else {
                <form class="card" {onsubmit} novalidate=true>
                    <p>{ "Enter the e-mail address of your account; we will send you a link to set a new password." }</p>
                    <div class="field">
                        <label for="forgot-email">{ "E-mail" }</label>
                        <input id="forgot-email" type="email" autocomplete="username" value={(*email).clone()}
                            {oninput} required=true aria-describedby={error.as_ref().map(|_| "forgot-error")} />
                    </div>
                    if let Some(message) = &*error {
                        <p class="field-error" id="forgot-error" role="alert">{ message }</p>
                    }
                    <button type="submit" disabled={*busy}>{ if *busy { "Sending…" } else { "Send reset link" } }</button>
                    <p><Link<Route> to={Route::Login}>{ "Back to sign-in" }</Link<Route>></p>
                </form>
            }
        </main>
    }
}
