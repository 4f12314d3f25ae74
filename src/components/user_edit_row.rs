use std::rc::Rc;

use useradmin_api::User;
use useradmin_rights::RoleSet;
use web_sys::{FocusOptions, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::components::email_text;
use crate::components::user_row::{last_sign_in, status};
use crate::components::{RightsDiffSummary, RoleCheckboxes};

/// What the administrator has typed and ticked so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditDraft {
    pub name: String,
    pub roles: RoleSet,
}

impl EditDraft {
    pub fn of(user: &User) -> EditDraft {
        EditDraft { name: user.name.clone().unwrap_or_default(), roles: user.roles }
    }
}

#[derive(Properties, PartialEq)]
pub struct UserEditRowProps {
    pub user: Rc<User>,
    pub draft: EditDraft,
    pub on_draft: Callback<EditDraft>,
    pub on_save: Callback<()>,
    pub on_cancel: Callback<()>,
    #[prop_or_default]
    pub saving: bool,
    /// A failed save, or what another administrator changed meanwhile.
    #[prop_or_default]
    pub message: Option<AttrValue>,
    /// The row's position (`aria-rowindex`) when the table renders only part of its rows.
    #[prop_or_default]
    pub row_index: Option<String>,
}

/// A user in edit mode: name field, role checkboxes, what the change grants; Enter saves,
/// Escape cancels.
#[component]
pub fn UserEditRow(props: &UserEditRowProps) -> Html {
    let name_ref = use_node_ref();
    {
        let name_ref = name_ref.clone();
        use_effect_with((), move |_| {
            if let Some(input) = name_ref.cast::<HtmlInputElement>() {
                // Without scrolling: a windowed list mounts the row again when it scrolls back.
                let options = FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = input.focus_with_options(&options);
            }
        });
    }
    let user = &props.user;
    let prefix = format!("edit-{}", user.id);
    let draft = props.draft.clone();
    let on_name = {
        let (on_draft, draft) = (props.on_draft.clone(), draft.clone());
        Callback::from(move |event: InputEvent| {
            let name = event.target_unchecked_into::<HtmlInputElement>().value();
            on_draft.emit(EditDraft { name, ..draft.clone() });
        })
    };
    let on_roles = {
        let (on_draft, draft) = (props.on_draft.clone(), draft.clone());
        Callback::from(move |roles: RoleSet| on_draft.emit(EditDraft { roles, ..draft.clone() }))
    };
    let onkeydown = {
        let (on_save, on_cancel) = (props.on_save.clone(), props.on_cancel.clone());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                event.prevent_default();
                on_save.emit(());
            }
            "Escape" => {
                event.prevent_default();
                on_cancel.emit(());
            }
            _ => {}
        })
    };
    let (on_save, on_cancel) = (props.on_save.clone(), props.on_cancel.clone());
    html! {
        <tr class="editing" {onkeydown} aria-busy={props.saving.to_string()} aria-rowindex={props.row_index.clone()}>
            <td>
                <label for={format!("{prefix}-name")} class="field-label">{ "Name" }</label>
                <input id={format!("{prefix}-name")} type="text" ref={name_ref} value={draft.name.clone()}
                    oninput={on_name} autocomplete="off" />
            </td>
            <td>{ email_text(&user.email) }</td>
            <td>{ status(user) }</td>
            <td>{ last_sign_in(user) }</td>
            <td>
                <RoleCheckboxes roles={draft.roles} on_change={on_roles} id_prefix={prefix.clone()} />
                <RightsDiffSummary before={user.roles} after={draft.roles} />
            </td>
            <td>
                <div class="actions">
                    <button type="button" onclick={move |_| on_save.emit(())} disabled={props.saving}>
                        { if props.saving { "Saving…" } else { "Save" } }
                    </button>
                    <button type="button" class="secondary" onclick={move |_| on_cancel.emit(())}>{ "Cancel" }</button>
                    if let Some(message) = &props.message {
                        <p class="row-message" role="alert">{ message }</p>
                    }
                </div>
            </td>
        </tr>
    }
}
