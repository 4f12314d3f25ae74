use web_sys::{HtmlInputElement, KeyboardEvent, SubmitEvent};
use yew::prelude::*;

use crate::api;

#[derive(Properties, PartialEq)]
pub struct PasswordDialogProps {
    /// The password was right: the action that asked for it can be tried again.
    pub on_confirmed: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// Asks for the password again before a dangerous action (the server's "sudo mode"); the
/// field has the focus, Escape cancels, a wrong password is said inside the dialog.
#[component]
pub fn PasswordDialog(props: &PasswordDialogProps) -> Html {
    let input_ref = use_node_ref();
    let password = use_state(String::new);
    let error = use_state(|| None::<String>);
    let checking = use_state(|| false);
    {
        let input_ref = input_ref.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                on_cancel.emit(());
            }
        })
    };
    let oninput = {
        let password = password.clone();
        Callback::from(move |event: InputEvent| password.set(event.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (password, error, checking) = (password.clone(), error.clone(), checking.clone());
        let on_confirmed = props.on_confirmed.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (typed, error, checking, on_confirmed) =
                ((*password).clone(), error.clone(), checking.clone(), on_confirmed.clone());
            checking.set(true);
            yew::platform::spawn_local(async move {
                match api::confirm_password(&typed).await {
                    Ok(()) => on_confirmed.emit(()),
                    Err(failure) => {
                        checking.set(false);
                        error.set(Some(failure.message()));
                    }
                }
            });
        })
    };
    let on_cancel = props.on_cancel.clone();
    html! {
        <div class="dialog-backdrop">
            <form class="dialog" role="dialog" aria-modal="true" aria-labelledby="password-dialog-title"
                aria-describedby="password-dialog-message" {onkeydown} {onsubmit}>
                <h2 id="password-dialog-title">{ "Enter your password" }</h2>
                <p id="password-dialog-message">
                    { "For this change, confirm it is you. You will not be asked again for 10 minutes." }
                </p>
                <div class="field">
                    <label for="password-dialog-input">{ "Password" }</label>
                    <input id="password-dialog-input" type="password" autocomplete="current-password"
                        ref={input_ref} value={(*password).clone()} {oninput} />
                </div>
                if let Some(message) = &*error { <p class="error" role="alert">{ message }</p> }
                <div class="dialog-buttons">
                    <button type="button" class="secondary" onclick={move |_| on_cancel.emit(())}>{ "Cancel" }</button>
                    <button type="submit" disabled={*checking || password.is_empty()}>{ "Confirm" }</button>
                </div>
            </form>
        </div>
    }
}
