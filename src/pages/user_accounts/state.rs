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
    /// "Not signed in for N days", when chosen.
    pub inactive_days: Option<u32>,
    /// Bumped by every change of the query; answers to older requests are dropped.
    pub request: u32,
    pub loading: bool,
    pub error: Option<String>,
    pub editing: Option<Editing>,
    pub busy: Option<i64>,
    pub resend_blocked: Rc<HashMap<i64, AttrValue>>,
    /// The destructive step waiting for the administrator's confirmation, and its user.
    pub confirm: Option<(Ask, Rc<User>)>,
    pub notice: Option<String>,
}

/// What a confirmation dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Remove,
    Deactivate,
}

pub enum UsersAction {
    Search(String),
    Filter(Option<UserStatus>),
    FilterInactive(Option<u32>),
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
    AskDeactivate(i64),
    /// The dialog was dismissed, or its request failed.
    CancelConfirm,
    Removed(i64),
    /// Deactivated or reactivated: the user as stored now.
    ActiveChanged(User),
    /// Deactivating or reactivating met a newer version: the user as it is now.
    ActiveConflict(User),
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
            UsersAction::FilterInactive(days) => {
                next.inactive_days = days;
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
            UsersAction::AskRemove(id) => next.confirm = next.user(id).map(|user| (Ask::Remove, user)),
            UsersAction::AskDeactivate(id) => next.confirm = next.user(id).map(|user| (Ask::Deactivate, user)),
            UsersAction::CancelConfirm => next.confirm = None,
            UsersAction::ActiveChanged(user) => {
                next.busy = None;
                next.confirm = None;
                next.notice = Some(match user.status {
                    UserStatus::Deactivated => format!("{} is deactivated and signed out everywhere.", user.email),
                    _ => format!("{} is reactivated and can sign in again.", user.email),
                });
                next.replace(user);
            }
            UsersAction::ActiveConflict(current) => {
                next.busy = None;
                next.confirm = None;
                next.notice = Some(format!(
                    "Another administrator changed {} meanwhile; the row shows it as it is now. Try again if still needed.",
                    current.email
                ));
                next.replace(current);
            }
            UsersAction::Removed(id) => {
                next.busy = None;
                next.confirm = None;
                if let Some(user) = next.user(id) {
                    next.notice = Some(match user.status {
                        UserStatus::Pending => {
                            format!("The invitation of {} is revoked.", user.email)
                        }
                        UserStatus::Registered | UserStatus::Deactivated => format!("{} is removed.", user.email),
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
    use useradmin_api::Timestamp;
    use useradmin_rights::RoleSet;

    use super::*;

    fn user(id: i64, status: UserStatus, version: i64) -> User {
        User {
            id,
            email: format!("user{id}@example.com"),
            name: Some(format!("User {id}")),
            status,
            roles: RoleSet::EMPTY,
            version,
            invited_at: Timestamp(0),
            invitation_sent_at: None,
            invitation_expires_at: None,
            registered_at: Some(Timestamp(1)),
            deactivated_at: (status == UserStatus::Deactivated).then_some(Timestamp(2)),
            last_sign_in_at: None,
        }
    }

    fn listing(users: Vec<User>) -> Rc<UsersState> {
        Rc::new(UsersState { users: Rc::new(users.into_iter().map(Rc::new).collect()), ..UsersState::default() })
    }

    #[test]
    fn asking_to_deactivate_opens_the_dialog_for_that_user_and_cancelling_closes_it() {
        let state = listing(vec![user(1, UserStatus::Registered, 3), user(2, UserStatus::Registered, 3)]);
        let asked = state.reduce(UsersAction::AskDeactivate(2));
        let (ask, asked_user) = asked.confirm.clone().expect("a dialog");
        assert_eq!((ask, asked_user.id), (Ask::Deactivate, 2));
        assert_eq!(asked.reduce(UsersAction::CancelConfirm).confirm, None);
    }

    #[test]
    fn a_deactivation_replaces_the_row_closes_the_dialog_and_says_so() {
        let state = listing(vec![user(1, UserStatus::Registered, 3)]).reduce(UsersAction::AskDeactivate(1));
        let state = state.reduce(UsersAction::Busy(1));
        let done = state.reduce(UsersAction::ActiveChanged(user(1, UserStatus::Deactivated, 4)));
        assert_eq!(done.users[0].status, UserStatus::Deactivated);
        assert_eq!(done.users[0].version, 4);
        assert_eq!((done.confirm.clone(), done.busy), (None, None));
        assert_eq!(done.notice.as_deref(), Some("user1@example.com is deactivated and signed out everywhere."));
        let back = done.reduce(UsersAction::ActiveChanged(user(1, UserStatus::Registered, 5)));
        assert_eq!(back.notice.as_deref(), Some("user1@example.com is reactivated and can sign in again."));
    }

    #[test]
    fn a_conflict_shows_the_user_as_they_are_now() {
        let state = listing(vec![user(1, UserStatus::Registered, 3)]).reduce(UsersAction::AskDeactivate(1));
        let mut renamed = user(1, UserStatus::Registered, 4);
        renamed.name = Some("Renamed".to_owned());
        let conflict = state.reduce(UsersAction::ActiveConflict(renamed));
        assert_eq!(conflict.users[0].name.as_deref(), Some("Renamed"));
        assert_eq!(conflict.confirm, None);
        assert!(conflict.notice.as_deref().unwrap().starts_with("Another administrator changed user1@example.com"));
    }

    #[test]
    fn choosing_a_last_sign_in_filter_starts_a_new_request() {
        let state = listing(vec![]);
        let filtered = state.clone().reduce(UsersAction::FilterInactive(Some(90)));
        assert_eq!(filtered.inactive_days, Some(90));
        assert_eq!(filtered.request, state.request + 1);
        assert!(filtered.loading);
        assert_eq!(filtered.reduce(UsersAction::FilterInactive(None)).inactive_days, None);
    }
}
