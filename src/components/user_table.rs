use std::collections::HashMap;
use std::rc::Rc;

use useradmin_api::User;
use yew::prelude::*;

use crate::components::{EditDraft, RowSpacer, UserEditRow, UserRow};
use crate::hooks::{RowWindowHandle, use_row_window};

/// The row in edit mode, with what was typed so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    pub id: i64,
    pub draft: EditDraft,
    pub saving: bool,
    pub message: Option<AttrValue>,
}

#[derive(Properties, PartialEq)]
pub struct UserTableProps {
    pub users: Rc<Vec<Rc<User>>>,
    pub can_write: bool,
    #[prop_or_default]
    pub editing: Option<Editing>,
    #[prop_or_default]
    pub resend_blocked: Rc<HashMap<i64, AttrValue>>,
    /// The row a request is running for.
    #[prop_or_default]
    pub busy: Option<i64>,
    pub on_edit: Callback<i64>,
    pub on_draft: Callback<EditDraft>,
    pub on_save: Callback<()>,
    pub on_cancel: Callback<()>,
    pub on_resend: Callback<i64>,
    pub on_remove: Callback<i64>,
    /// Asks to deactivate a registered user (the page confirms first).
    #[prop_or_default]
    pub on_deactivate: Callback<i64>,
    #[prop_or_default]
    /// `(id, version)` of the user to reactivate.
    pub on_reactivate: Callback<(i64, i64)>,
}

/// The user list as a table: Name, E-mail, Status, Last sign-in, Roles and, with write access, Actions, in a
/// box that scrolls on its own. A long list renders only the rows on screen; the rest stay in the
/// page's state (a row in edit mode keeps its draft while scrolled away).
#[component]
pub fn UserTable(props: &UserTableProps) -> Html {
    let ids = use_memo(props.users.clone(), |users| users.iter().map(|user| user.id).collect::<Vec<_>>());
    let RowWindowHandle { window, onscroll, body } = use_row_window(ids);
    let columns = if props.can_write { 6 } else { 5 };
    // Row 1 is the header row.
    let row_index = |index: usize| window.windowed.then(|| (index + 2).to_string());
    let row = |(index, user): (usize, &Rc<User>)| match &props.editing {
        Some(editing) if editing.id == user.id && props.can_write => html! {
            <UserEditRow key={user.id} user={Rc::clone(user)} draft={editing.draft.clone()}
                on_draft={props.on_draft.clone()} on_save={props.on_save.clone()}
                on_cancel={props.on_cancel.clone()} saving={editing.saving}
                message={editing.message.clone()} row_index={row_index(index)} />
        },
        _ => html! {
            <UserRow key={user.id} user={Rc::clone(user)} can_write={props.can_write}
                on_edit={props.on_edit.clone()} on_resend={props.on_resend.clone()}
                on_remove={props.on_remove.clone()} on_deactivate={props.on_deactivate.clone()}
                on_reactivate={props.on_reactivate.clone()}
                resend_blocked={props.resend_blocked.get(&user.id).cloned()}
                busy={props.busy == Some(user.id)} row_index={row_index(index)} />
        },
    };
    let spacer = |key: &'static str, px: f64| (px > 0.0).then(|| html! { <RowSpacer {key} {px} {columns} /> });
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="User list" {onscroll}>
            <table class="user-table"
                aria-rowcount={window.windowed.then(|| (props.users.len() + 1).to_string())}>
                <caption class="visually-hidden">{ "User accounts" }</caption>
                <thead>
                    <tr aria-rowindex={window.windowed.then_some("1")}>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "E-mail" }</th>
                        <th scope="col">{ "Status" }</th>
                        <th scope="col">{ "Last sign-in" }</th>
                        <th scope="col">{ "Roles" }</th>
                        if props.can_write {
                            <th scope="col">{ "Actions" }</th>
                        }
                    </tr>
                </thead>
                <tbody ref={body}>
                    { for spacer("spacer-above", window.above_px) }
                    { for props.users[window.rows.clone()].iter().enumerate()
                        .map(|(offset, user)| row((window.rows.start + offset, user))) }
                    { for spacer("spacer-below", window.below_px) }
                </tbody>
            </table>
        </div>
    }
}
