use useradmin_api::{InvitationInfo, check_name, check_password};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::app::Route;
use crate::components::{ErrorMessage, Loading, format_time};
use crate::hooks::{SessionAction, use_session};

#[derive(Properties, PartialEq)]
pub struct RegistrationPageProps {
    pub token: AttrValue,
}

#[derive(Debug, Clone, PartialEq)]
enum Invitation {
    Loading,
    Ready(InvitationInfo),
    /// Expired, used or unknown: the message says what to do.
    Unusable(String),
    Failed(String),
}

/// Completing registration from the invitation link: name and password; signs the user in.
#[component]
pub fn RegistrationPage(props: &RegistrationPageProps) -> Html {
    let invitation = use_state(|| Invitation::Loading);
    let attempt = use_state(|| 0u32);
    {
        let (invitation, token) = (invitation.clone(), props.token.clone());
        use_effect_with((token.clone(), *attempt), move |_| {
            invitation.set(Invitation::Loading);
            yew::platform::spawn_local(async move {
                invitation.set(match api::fetch_invitation(&token).await {
                    Ok(info) => Invitation::Ready(info),
                    Err(ApiError::NotFound { message, .. }) => Invitation::Unusable(message),
                    Err(error) => Invitation::Failed(error.message()),
                });
            });
        });
    }
    let body = match &*invitation {
        Invitation::Loading => html! { <Loading label="Checking your invitation…" /> },
        Invitation::Failed(message) => {
            let attempt = attempt.clone();
            html! { <ErrorMessage message={message.clone()} on_retry={Callback::from(move |()| attempt.set(*attempt + 1))} /> }
        }
        Invitation::Unusable(message) => html! {
            <div class="card" role="alert">
                <h2>{ "This invitation link cannot be used" }</h2>
                <p>{ message }</p>
                <p>{ "Ask the administrator who invited you to resend the invitation; the new mail has a fresh link. \
                      If you have already registered, " }<Link<Route> to={Route::Login}>{ "sign in" }</Link<Route>>{ "." }</p>
            </div>
        },
        Invitation::Ready(info) => {
            html! { <RegistrationForm token={props.token.clone()} info={info.clone()} /> }
        }
    };
    html! {
        <main class="page narrow" id="main">
            <h1>{ "Complete your registration" }</h1>
            { body }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct RegistrationFormProps {
    token: AttrValue,
    info: InvitationInfo,
}

#[component]
fn RegistrationForm(props: &RegistrationFormProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let name = use_state(String::new);
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
        let (name, password, confirm, error, busy, token) =
            (name.clone(), password.clone(), confirm.clone(), error.clone(), busy.clone(), props.token.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let checked = check_name(&name).map(str::to_owned).and_then(|name| {
                check_password(&password)?;
                if *password != *confirm {
                    return Err("The two passwords differ.".to_owned());
                }
                Ok(name)
            });
            let clean_name = match checked {
                Ok(clean_name) => clean_name,
                Err(message) => return error.set(Some(message)),
            };
            busy.set(true);
            let (password, error, busy, token, session, navigator) =
                (password.clone(), error.clone(), busy.clone(), token.clone(), session.clone(), navigator.clone());
            yew::platform::spawn_local(async move {
                match api::accept_invitation(&token, &clean_name, &password).await {
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
            <p>{ "You were invited as " }<strong>{ &props.info.email }</strong>
                { format!(". This link works until {}.", format_time(props.info.expires_at)) }</p>
            <div class="field">
                <label for="reg-name">{ "Name" }</label>
                <input id="reg-name" type="text" autocomplete="name" value={(*name).clone()} oninput={input(&name)} />
            </div>
            <div class="field">
                <label for="reg-password">{ "Password" }</label>
                <input id="reg-password" type="password" autocomplete="new-password" value={(*password).clone()}
                    oninput={input(&password)} aria-describedby="reg-password-hint" />
                <small id="reg-password-hint">{ "At least 12 characters." }</small>
            </div>
            <div class="field">
                <label for="reg-confirm">{ "Confirm password" }</label>
                <input id="reg-confirm" type="password" autocomplete="new-password" value={(*confirm).clone()}
                    oninput={input(&confirm)} />
            </div>
            if let Some(message) = &*error {
                <p class="field-error" role="alert">{ message }</p>
            }
            <button type="submit" disabled={*busy}>{ if *busy { "Registering…" } else { "Complete registration" } }</button>
        </form>
    }
}
