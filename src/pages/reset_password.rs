use useradmin_api::{PasswordResetInfo, check_password};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::app::Route;
use crate::components::{ErrorMessage, Loading, format_time};
use crate::hooks::{SessionAction, use_session};

#[derive(Properties, PartialEq)]
pub struct ResetPasswordPageProps {
    pub token: AttrValue,
}

#[derive(Debug, Clone, PartialEq)]
enum ResetLink {
    Loading,
    Ready(PasswordResetInfo),
    /// Expired, used or unknown: the message says what to do.
    Unusable(String),
    Failed(String),
}

/// Setting a new password from the reset link. Opening the page uses nothing up; only "Set
/// password" does, and then signs the user in.
#[component]
pub fn ResetPasswordPage(props: &ResetPasswordPageProps) -> Html {
    let link = use_state(|| ResetLink::Loading);
    let attempt = use_state(|| 0u32);
    {
        let (link, token) = (link.clone(), props.token.clone());
        use_effect_with((token.clone(), *attempt), move |_| {
            link.set(ResetLink::Loading);
            yew::platform::spawn_local(async move {
                link.set(match api::fetch_password_reset(&token).await {
                    Ok(info) => ResetLink::Ready(info),
                    Err(ApiError::NotFound { message, .. }) => ResetLink::Unusable(message),
                    Err(error) => ResetLink::Failed(error.message()),
                });
            });
        });
    }
    let body = match &*link {
        ResetLink::Loading => html! { <Loading label="Checking your link…" /> },
        ResetLink::Failed(message) => {
            let attempt = attempt.clone();
            html! { <ErrorMessage message={message.clone()} on_retry={Callback::from(move |()| attempt.set(*attempt + 1))} /> }
        }
        ResetLink::Unusable(message) => html! {
            <div class="card" role="alert">
                <h2>{ "This reset link cannot be used" }</h2>
                <p>{ message }</p>
                <p><Link<Route> to={Route::ForgotPassword}>{ "Ask for a new link" }</Link<Route>>{ " or " }
                    <Link<Route> to={Route::Login}>{ "sign in" }</Link<Route>>{ "." }</p>
            </div>
        },
        ResetLink::Ready(info) => html! { <ResetForm token={props.token.clone()} info={info.clone()} /> },
    };
    html! {
        <main class="page narrow" id="main">
            <h1>{ "Set a new password" }</h1>
            { body }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct ResetFormProps {
    token: AttrValue,
    info: PasswordResetInfo,
}

#[component]
fn ResetForm(props: &ResetFormProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let password = use_state(String::new);
    let confirm = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let input = |state: &UseStateHandle<String>| {
        let (state, error) = (state.clone(), error.clone());
        Callback::from(move |event: InputEvent| {
            state.set(event.target_unchecked_into::<HtmlInputElement>().value());
            error.set(None);
        })
    };
    let onsubmit = {
        let (password, confirm, error, busy, token) =
            (password.clone(), confirm.clone(), error.clone(), busy.clone(), props.token.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let checked = check_password(&password).and_then(|()| {
                if *password == *confirm { Ok(()) } else { Err("The two passwords differ.".to_owned()) }
            });
            if let Err(message) = checked {
                return error.set(Some(message));
            }
            busy.set(true);
            let (password, error, busy, token, session, navigator) =
                (password.clone(), error.clone(), busy.clone(), token.clone(), session.clone(), navigator.clone());
            yew::platform::spawn_local(async move {
                match api::reset_password(&token, &password).await {
                    Ok(me) => {
                        session.dispatch(SessionAction::SignedIn(me));
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Home);
                        }
                    }
                    Err(failure) => error.set(Some(failure.message())),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card" {onsubmit} novalidate=true>
            <p>{ "For " }<strong>{ &props.info.email }</strong>
                { format!(". This link works once, until {}. Every session of the account will be signed out.",
                    format_time(props.info.expires_at)) }</p>
            <div class="field">
                <label for="reset-password">{ "New password" }</label>
                <input id="reset-password" type="password" autocomplete="new-password" value={(*password).clone()}
                    oninput={input(&password)} aria-describedby="reset-password-hint" />
                <small id="reset-password-hint">{ "At least 12 characters." }</small>
            </div>
            <div class="field">
                <label for="reset-confirm">{ "Confirm password" }</label>
                <input id="reset-confirm" type="password" autocomplete="new-password" value={(*confirm).clone()}
                    oninput={input(&confirm)} />
            </div>
            if let Some(message) = &*error {
                <p class="field-error" role="alert">{ message }</p>
            }
            <button type="submit" disabled={*busy}>{ if *busy { "Setting password…" } else { "Set password" } }</button>
        </form>
    }
}
