use std::rc::Rc;

use useradmin_api::{InvitationInfo, check_name, check_password};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::app::Route;
use crate::components::{Feedback, FeedbackMessage, format_time};
use crate::hooks::{Load, SessionAction, text_input, use_load, use_session, use_submit};

#[derive(Properties, PartialEq)]
pub struct RegistrationPageProps {
    pub token: AttrValue,
}

/// Completing registration from the invitation link: name and password; signs the user in.
#[component]
pub fn RegistrationPage(props: &RegistrationPageProps) -> Html {
    let invitation =
        use_load(props.token.clone(), |token: AttrValue| async move { api::fetch_invitation(&token).await });
    let body = match invitation.state() {
        // Expired, used or unknown: the message says what to do.
        Load::Failed(ApiError::NotFound { message, .. }) => html! {
            <div class="card" role="alert">
                <h2>{ "This invitation link cannot be used" }</h2>
                <p>{ message }</p>
                <p>{ "Ask the administrator who invited you to resend the invitation; the new mail has a fresh link. \
                      If you have already registered, " }<Link<Route> to={Route::Login}>{ "sign in" }</Link<Route>>{ "." }</p>
            </div>
        },
        _ => invitation.view("Checking your invitation…", |info| {
            html! { <RegistrationForm token={props.token.clone()} info={Rc::clone(info)} /> }
        }),
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
    info: Rc<InvitationInfo>,
}

#[component]
fn RegistrationForm(props: &RegistrationFormProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let name = use_state(String::new);
    let password = use_state(String::new);
    let confirm = use_state(String::new);
    let submit = use_submit();
    // Typing again hides the last complaint.
    let input = |state: &UseStateHandle<String>| {
        let (set, submit) = (text_input(state), submit.clone());
        Callback::from(move |event: InputEvent| {
            set.emit(event);
            submit.clear_failure();
        })
    };
    let onsubmit = {
        let (name, password, confirm, submit, token) =
            (name.clone(), password.clone(), confirm.clone(), submit.clone(), props.token.clone());
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
                Err(message) => return submit.refuse(message),
            };
            let request = {
                let (token, password) = (token.clone(), (*password).clone());
                async move { api::accept_invitation(&token, &clean_name, &password).await }
            };
            let (session, navigator) = (session.clone(), navigator.clone());
            submit.run(request, move |answer| match answer {
                Ok(me) => {
                    session.dispatch(SessionAction::SignedIn(me));
                    if let Some(navigator) = navigator {
                        navigator.push(&Route::Home);
                    }
                    None
                }
                Err(failure) => Some(Feedback::failed(failure.message())),
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
            <FeedbackMessage feedback={submit.feedback()} />
            <button type="submit" disabled={submit.busy()}>
                { if submit.busy() { "Registering…" } else { "Complete registration" } }</button>
        </form>
    }
}
