use useradmin_api::{User, check_email};
use useradmin_rights::RoleSet;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::{Feedback, FeedbackMessage, RoleCheckboxes};
use crate::hooks::use_submit;

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
    let submit = use_submit();
    let input_ref = use_node_ref();

    let oninput = {
        let (email, submit) = (email.clone(), submit.clone());
        Callback::from(move |event: InputEvent| {
            email.set(event.target_unchecked_into::<HtmlInputElement>().value());
            submit.clear_failure();
        })
    };
    let onsubmit = {
        let (email, roles, submit) = (email.clone(), roles.clone(), submit.clone());
        let (on_invited, input_ref) = (props.on_invited.clone(), input_ref.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let address = match check_email(&email) {
                Ok(address) => address.to_owned(),
                Err(message) => return submit.refuse(message),
            };
            let request = {
                let roles = *roles;
                async move { api::invite_user(&address, roles).await }
            };
            let (email, roles, on_invited, input_ref) =
                (email.clone(), roles.clone(), on_invited.clone(), input_ref.clone());
            submit.run(request, move |answer| {
                Some(match answer {
                    Ok(user) => {
                        let sent = Feedback::done(format!("Invitation sent to {}.", user.email));
                        email.set(String::new());
                        roles.set(RoleSet::EMPTY);
                        on_invited.emit(user);
                        if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                            let _ = input.focus();
                        }
                        sent
                    }
                    Err(failure) => Feedback::failed(failure.message()),
                })
            });
        })
    };
    let on_roles = {
        let roles = roles.clone();
        Callback::from(move |set: RoleSet| roles.set(set))
    };
    let failed = submit.feedback().is_some_and(|feedback| feedback.is_failure());
    html! {
        <form class="invite-form" {onsubmit} novalidate=true aria-labelledby="invite-title">
            <h2 id="invite-title">{ "Invite a colleague" }</h2>
            <div class="invite-row">
                <div class="field">
                    <label for="invite-email">{ "E-mail" }</label>
                    <input id="invite-email" type="email" ref={input_ref} value={(*email).clone()} {oninput}
                        autocomplete="off" aria-invalid={failed.to_string()}
                        aria-describedby={failed.then_some("invite-feedback")} />
                </div>
                <button type="submit" disabled={submit.busy()}>{ if submit.busy() { "Inviting…" } else { "Invite user" } }</button>
            </div>
            <details class="invite-roles">
                <summary>{ "Grant roles now (optional)" }</summary>
                <RoleCheckboxes roles={*roles} on_change={on_roles} id_prefix="invite" legend="Roles to grant" />
            </details>
            <FeedbackMessage feedback={submit.feedback()} id="invite-feedback" />
        </form>
    }
}
