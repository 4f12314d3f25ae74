use std::collections::HashMap;
use std::rc::Rc;

use useradmin_api::User;
use yew::prelude::*;

use crate::components::{EditDraft, UserEditRow, UserRow};

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
}

/// The user list as a table: Name, E-mail, Status, Roles and, with write access, Actions.
#[component]
pub fn UserTable(props: &UserTableProps) -> Html {
    html! {
        <div class="table-scroll">
            <table class="user-table">
                <caption class="visually-hidden">{ "User accounts" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "E-mail" }</th>
                        <th scope="col">{ "Status" }</th>
                        <th scope="col">{ "Roles" }</th>
                        if props.can_write {
                            <th scope="col">{ "Actions" }</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    { for props.users.iter().map(|user| match &props.editing {
                        Some(editing) if editing.id == user.id && props.can_write => html! {
                            <UserEditRow key={user.id} user={Rc::clone(user)} draft={editing.draft.clone()}
                                on_draft={props.on_draft.clone()} on_save={props.on_save.clone()}
                                on_cancel={props.on_cancel.clone()} saving={editing.saving}
                                message={editing.message.clone()} />
                        },
                        _ => html! {
                            <UserRow key={user.id} user={Rc::clone(user)} can_write={props.can_write}
                                on_edit={props.on_edit.clone()} on_resend={props.on_resend.clone()}
                                on_remove={props.on_remove.clone()}
                                resend_blocked={props.resend_blocked.get(&user.id).cloned()}
                                busy={props.busy == Some(user.id)} />
                        },
                    }) }
                </tbody>
            </table>
        </div>
    }
}
