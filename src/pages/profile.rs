use useradmin_api::{check_name, check_password};
use yew::prelude::*;

use crate::api;
use crate::components::{Feedback, FeedbackMessage};
use crate::hooks::{SessionAction, text_input, use_session, use_submit};

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
    let submit = use_submit();
    let onsubmit = {
        let (name, submit) = (name.clone(), submit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let clean = match check_name(&name) {
                Ok(clean) => clean.to_owned(),
                Err(error) => return submit.refuse(error),
            };
            let session = session.clone();
            submit.run(async move { api::update_my_name(&clean).await }, move |answer| {
                Some(match answer {
                    Ok(me) => {
                        session.dispatch(SessionAction::SignedIn(me));
                        Feedback::done("Your name is saved.")
                    }
                    Err(error) => Feedback::failed(error.message()),
                })
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
            <FeedbackMessage feedback={submit.feedback()} />
            <button type="submit" disabled={submit.busy()}>{ "Save name" }</button>
        </form>
    }
}

#[component]
fn PasswordForm() -> Html {
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let submit = use_submit();
    let onsubmit = {
        let (current, new, confirm, submit) = (current.clone(), new.clone(), confirm.clone(), submit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Err(error) = check_password(&new) {
                return submit.refuse(error);
            }
            if *new != *confirm {
                return submit.refuse("The two new passwords differ.");
            }
            let request = {
                let (current, new) = ((*current).clone(), (*new).clone());
                async move { api::change_my_password(&current, &new).await }
            };
            let fields = [current.clone(), new.clone(), confirm.clone()];
            submit.run(request, move |answer| {
                Some(match answer {
                    Ok(()) => {
                        for field in fields {
                            field.set(String::new());
                        }
                        Feedback::done("Your password is changed; your other sessions are signed out.")
                    }
                    Err(error) => Feedback::failed(error.message()),
                })
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
            <FeedbackMessage feedback={submit.feedback()} />
            <button type="submit" disabled={submit.busy()}>{ "Change password" }</button>
        </form>
    }
}
