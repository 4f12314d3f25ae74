use useradmin_api::{check_name, check_password};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::hooks::{SessionAction, use_session};

fn text_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| state.set(event.target_unchecked_into::<HtmlInputElement>().value()))
}

/// "My profile": one's own name and password, for every signed-in user.
#[component]
pub fn ProfilePage() -> Html {
    let session = use_session();
    let Some(me) = session.me() else {
        return Html::default();
    };
    html! {
        <section aria-labelledby="profile-title">
            <h1 id="profile-title">{ "My profile" }</h1>
            <p>{ "Signed in as " }<strong>{ &me.email }</strong>{ "." }</p>
            <NameForm current={AttrValue::from(me.name.clone().unwrap_or_default())} />
            <PasswordForm />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NameFormProps {
    current: AttrValue,
}

#[component]
fn NameForm(props: &NameFormProps) -> Html {
    let session = use_session();
    let name = use_state(|| props.current.to_string());
    let message = use_state(|| None::<(bool, String)>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (name, message, busy) = (name.clone(), message.clone(), busy.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let clean = match check_name(&name) {
                Ok(clean) => clean.to_owned(),
                Err(error) => return message.set(Some((false, error))),
            };
            busy.set(true);
            let (message, busy, session) = (message.clone(), busy.clone(), session.clone());
            yew::platform::spawn_local(async move {
                match api::update_my_name(&clean).await {
                    Ok(me) => {
                        session.dispatch(SessionAction::SignedIn(me));
                        message.set(Some((true, "Your name is saved.".to_owned())));
                    }
                    Err(error) => {
                        message.set(Some((false, error.message())));
                    }
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card" {onsubmit} aria-labelledby="name-title" novalidate=true>
            <h2 id="name-title">{ "Name" }</h2>
            <div class="field">
                <label for="profile-name">{ "Name" }</label>
                <input id="profile-name" type="text" autocomplete="name" value={(*name).clone()} oninput={text_input(&name)} />
            </div>
            { feedback(&message) }
            <button type="submit" disabled={*busy}>{ "Save name" }</button>
        </form>
    }
}

#[component]
fn PasswordForm() -> Html {
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let message = use_state(|| None::<(bool, String)>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (current, new, confirm, message, busy) =
            (current.clone(), new.clone(), confirm.clone(), message.clone(), busy.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Err(error) = check_password(&new) {
                return message.set(Some((false, error)));
            }
            if *new != *confirm {
                return message.set(Some((false, "The two new passwords differ.".to_owned())));
            }
            busy.set(true);
            let (current, new, confirm, message, busy) =
                (current.clone(), new.clone(), confirm.clone(), message.clone(), busy.clone());
            yew::platform::spawn_local(async move {
                match api::change_my_password(&current, &new).await {
                    Ok(()) => {
                        for field in [&current, &new, &confirm] {
                            field.set(String::new());
                        }
                        message.set(Some((
                            true,
                            "Your password is changed; your other sessions are signed out.".to_owned(),
                        )));
                    }
                    Err(error) => {
                        message.set(Some((false, error.message())));
                    }
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card" {onsubmit} aria-labelledby="password-title" novalidate=true>
            <h2 id="password-title">{ "Password" }</h2>
            <div class="field">
                <label for="current-password">{ "Current password" }</label>
                <input id="current-password" type="password" autocomplete="current-password" value={(*current).clone()} oninput={text_input(&current)} />
            </div>
            <div class="field">
                <label for="new-password">{ "New password" }</label>
                <input id="new-password" type="password" autocomplete="new-password" value={(*new).clone()} oninput={text_input(&new)} />
            </div>
            <div class="field">
                <label for="confirm-password">{ "Confirm new password" }</label>
                <input id="confirm-password" type="password" autocomplete="new-password" value={(*confirm).clone()} oninput={text_input(&confirm)} />
            </div>
            { feedback(&message) }
            <button type="submit" disabled={*busy}>{ "Change password" }</button>
        </form>
    }
}

fn feedback(message: &UseStateHandle<Option<(bool, String)>>) -> Html {
    match &**message {
        Some((true, text)) => html! { <p class="notice" role="status">{ text }</p> },
        Some((false, text)) => html! { <p class="field-error" role="alert">{ text }</p> },
        None => Html::default(),
    }
}
