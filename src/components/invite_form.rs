use useradmin_api::{User, check_email};
use useradmin_rights::RoleSet;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::RoleCheckboxes;

#[derive(Properties, PartialEq)]
pub struct InviteFormProps {
    pub on_invited: Callback<User>,
}

/// "E-mail" and "Invite user", with roles to grant at once. The address is checked here with
/// the server's own rule, and again by the server.
#[component]
pub fn InviteForm(props: &InviteFormProps) -> Html {
    let email = use_state(String::new);
    let roles = use_state(|| RoleSet::EMPTY);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let sending = use_state(|| false);
    let input_ref = use_node_ref();

    let oninput = {
        let (email, error) = (email.clone(), error.clone());
        Callback::from(move |event: InputEvent| {
            email.set(event.target_unchecked_into::<HtmlInputElement>().value());
            error.set(None);
        })
    };
    let onsubmit = {
        let (email, roles, error, notice, sending) =
            (email.clone(), roles.clone(), error.clone(), notice.clone(), sending.clone());
        let (on_invited, input_ref) = (props.on_invited.clone(), input_ref.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            notice.set(None);
            let address = match check_email(&email) {
                Ok(address) => address.to_owned(),
                Err(message) => {
                    error.set(Some(message));
                    return;
                }
            };
            sending.set(true);
            let (email, roles, error, notice, sending, on_invited, input_ref) = (
                email.clone(),
                roles.clone(),
                error.clone(),
                notice.clone(),
                sending.clone(),
                on_invited.clone(),
                input_ref.clone(),
            );
            yew::platform::spawn_local(async move {
                match api::invite_user(&address, *roles).await {
                    Ok(user) => {
                        notice.set(Some(format!("Invitation sent to {}.", user.email)));
                        email.set(String::new());
                        roles.set(RoleSet::EMPTY);
                        on_invited.emit(user);
                        if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                            let _ = input.focus();
                        }
                    }
                    Err(failure) => {
                        error.set(Some(failure.message()));
                    }
                }
                sending.set(false);
            });
        })
    };
    let on_roles = {
        let roles = roles.clone();
        Callback::from(move |set: RoleSet| roles.set(set))
    };
    html! {
        <form class="invite-form" {onsubmit} novalidate=true aria-labelledby="invite-title">
            <h2 id="invite-title">{ "Invite a colleague" }</h2>
            <div class="invite-row">
                <div class="field">
                    <label for="invite-email">{ "E-mail" }</label>
                    <input id="invite-email" type="email" ref={input_ref} value={(*email).clone()} {oninput}
                        autocomplete="off" aria-invalid={error.is_some().to_string()}
                        aria-describedby={error.as_ref().map(|_| "invite-error")} />
                </div>
                <button type="submit" disabled={*sending}>{ if *sending { "Inviting…" } else { "Invite user" } }</button>
            </div>
            <details class="invite-roles">
                <summary>{ "Grant roles now (optional)" }</summary>
                <RoleCheckboxes roles={*roles} on_change={on_roles} id_prefix="invite" legend="Roles to grant" />
            </details>
            if let Some(message) = &*error {
                <p class="field-error" id="invite-error" role="alert">{ message }</p>
            }
            if let Some(message) = &*notice {
                <p class="notice" role="status">{ message }</p>
            }
        </form>
    }
}
