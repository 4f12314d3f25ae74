//! The state of the User Accounts page and how each event changes it.

use std::collections::HashMap;
use std::rc::Rc;

use useradmin_api::{User, UserPage, UserStatus};
use yew::prelude::*;

use crate::components::{EditDraft, Editing};

/// Rows fetched per page.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsersState {
    pub users: Rc<Vec<Rc<User>>>,
    pub next_cursor: Option<String>,
    pub search: String,
    pub status: Option<UserStatus>,
    /// Bumped by every change of the query; answers to older requests are dropped.
    pub request: u32,
    pub loading: bool,
    pub error: Option<String>,
    pub editing: Option<Editing>,
    pub busy: Option<i64>,
    pub resend_blocked: Rc<HashMap<i64, AttrValue>>,
    pub confirm: Option<Rc<User>>,
    pub notice: Option<String>,
    /// The server asked for the password again before this action; tried again once it is
    /// entered.
    pub password_for: Option<Retry>,
}

/// An action that waits for the password to be entered again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Saving the row in edit mode (it grants Administrator).
    Save,
    /// Removing this user.
    Remove(i64),
}

pub enum UsersAction {
    Search(String),
    Filter(Option<UserStatus>),
    Reload,
    LoadingMore,
    Loaded {
        request: u32,
        page: UserPage,
        append: bool,
    },
    LoadFailed {
        request: u32,
        message: String,
    },
    Invited(User),
    Edit(i64),
    Draft(EditDraft),
    Cancel,
    Saving,
    Saved(User),
    SaveFailed(String),
    /// Another administrator saved first: their version of the user.
    Conflict(User),
    Busy(i64),
    Resent(User),
    ResendBlocked(i64, String),
    RowFailed(String),
    AskRemove(i64),
    CancelRemove,
    Removed(i64),
    /// The server wants the password again before `Retry`.
    NeedPassword(Retry),
    /// The password dialog closed (entered, or cancelled).
    PasswordDone,
}

impl UsersState {
    pub fn user(&self, id: i64) -> Option<Rc<User>> {
        self.users.iter().find(|user| user.id == id).cloned()
    }

    fn replace(&mut self, user: User) {
        let user = Rc::new(user);
        self.users =
            Rc::new(self.users.iter().map(|u| if u.id == user.id { Rc::clone(&user) } else { Rc::clone(u) }).collect());
    }
}

/// What another administrator changed, in a sentence.
fn describe_change(before: &User, after: &User) -> String {
    let mut changes = Vec::new();
    if before.name != after.name {
        changes.push(format!("name is now “{}”", after.name.clone().unwrap_or_default()));
    }
    if before.roles != after.roles {
        changes.push(format!("roles are now {}", after.roles));
    }
    if changes.is_empty() {
        changes.push("the invitation or registration changed".to_owned());
    }
    format!(
        "Another administrator saved this user first: {}. Your edits are kept; Save again to apply them over theirs.",
        changes.join(", ")
    )
}

impl Reducible for UsersState {
    type Action = UsersAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UsersAction::Search(search) => {
                next.search = search;
                next.request += 1;
                next.loading = true;
            }
            UsersAction::Filter(status) => {
                next.status = status;
                next.request += 1;
                next.loading = true;
            }
            UsersAction::Reload => {
                next.request += 1;
                next.loading = true;
                next.error = None;
            }
            UsersAction::LoadingMore => {
                next.loading = true;
                next.error = None;
            }
            UsersAction::Loaded { request, page, append } => {
                if request != next.request {
                    return self;
                }
                let fresh = page.items.into_iter().map(Rc::new);
                next.users =
                    Rc::new(if append { next.users.iter().cloned().chain(fresh).collect() } else { fresh.collect() });
                next.next_cursor = page.next_cursor;
                next.loading = false;
                next.error = None;
            }
            UsersAction::LoadFailed { request, message } => {
                if request != next.request {
                    return self;
                }
                next.loading = false;
                next.error = Some(message);
            }
            UsersAction::Invited(user) => {
                next.users = Rc::new(std::iter::once(Rc::new(user)).chain(next.users.iter().cloned()).collect());
            }
            UsersAction::Edit(id) => {
                if let Some(user) = next.user(id) {
                    next.editing = Some(Editing { id, draft: EditDraft::of(&user), saving: false, message: None });
                }
            }
            UsersAction::Draft(draft) => {
                if let Some(editing) = next.editing.as_mut() {
                    editing.draft = draft;
                }
            }
            UsersAction::Cancel => next.editing = None,
            UsersAction::Saving => {
                if let Some(editing) = next.editing.as_mut() {
                    editing.saving = true;
                    editing.message = None;
                }
            }
            UsersAction::Saved(user) => {
                next.notice = Some(format!("Saved {}.", user.email));
                next.replace(user);
                next.editing = None;
            }
            UsersAction::SaveFailed(message) => {
                if let Some(editing) = next.editing.as_mut() {
                    editing.saving = false;
                    editing.message = Some(message.into());
                }
            }
            UsersAction::Conflict(current) => {
                if let Some(before) = next.user(current.id) {
                    let message = describe_change(&before, &current);
                    if let Some(editing) = next.editing.as_mut() {
                        editing.saving = false;
                        editing.message = Some(message.into());
                    }
                }
                next.replace(current);
            }
            UsersAction::Busy(id) => next.busy = Some(id),
            UsersAction::Resent(user) => {
                next.busy = None;
                next.notice = Some(format!("Invitation resent to {}.", user.email));
                next.replace(user);
            }
            UsersAction::ResendBlocked(id, reason) => {
                next.busy = None;
                let mut blocked = (*next.resend_blocked).clone();
                blocked.insert(id, reason.into());
                next.resend_blocked = Rc::new(blocked);
            }
            UsersAction::RowFailed(message) => {
                next.busy = None;
                next.notice = Some(message);
            }
            UsersAction::NeedPassword(retry) => {
                next.busy = None;
                next.confirm = None;
                if let Some(editing) = next.editing.as_mut() {
                    editing.saving = false;
                }
                next.password_for = Some(retry);
            }
            UsersAction::PasswordDone => next.password_for = None,
            UsersAction::AskRemove(id) => next.confirm = next.user(id),
            UsersAction::CancelRemove => next.confirm = None,
            UsersAction::Removed(id) => {
                next.busy = None;
                next.confirm = None;
                if let Some(user) = next.user(id) {
                    next.notice = Some(match user.status {
                        UserStatus::Pending => {
                            format!("The invitation of {} is revoked.", user.email)
                        }
                        UserStatus::Registered => format!("{} is removed.", user.email),
                    });
                }
                next.users = Rc::new(next.users.iter().filter(|u| u.id != id).cloned().collect());
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removal_that_needs_the_password_waits_for_it_and_closes_the_question() {
        let state = Rc::new(UsersState { confirm: None, busy: Some(7), ..UsersState::default() });
        let state = state.reduce(UsersAction::NeedPassword(Retry::Remove(7)));
        assert_eq!(state.password_for, Some(Retry::Remove(7)));
        assert_eq!(state.busy, None, "the row is usable again");
        let state = state.reduce(UsersAction::PasswordDone);
        assert_eq!(state.password_for, None);
    }

    #[test]
    fn a_save_that_needs_the_password_keeps_the_row_in_edit_mode() {
        let draft = EditDraft { name: "Bob".into(), roles: useradmin_rights::RoleSet::EMPTY };
        let editing = Editing { id: 3, draft, saving: true, message: None };
        let state = Rc::new(UsersState { editing: Some(editing), ..UsersState::default() });
        let state = state.reduce(UsersAction::NeedPassword(Retry::Save));
        assert_eq!(state.password_for, Some(Retry::Save));
        let editing = state.editing.as_ref().expect("still editing");
        assert!(!editing.saving && editing.id == 3);
    }
}
