//! The state of the User Accounts page and how each event changes it.

use std::collections::HashMap;
use std::rc::Rc;

use useradmin_api::{User, UserStatus};
use yew::prelude::*;

use crate::components::{EditDraft, Editing, Feedback};
use crate::hooks::{PageAction, Paged};

/// Rows fetched per page.
pub const PAGE_SIZE: u32 = 50;

/// The choices of the status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    Pending,
    Registered,
    Deactivated,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 4] =
        [StatusFilter::All, StatusFilter::Pending, StatusFilter::Registered, StatusFilter::Deactivated];

    /// The users it keeps, by status (`None`: every user).
    pub fn status(self) -> Option<UserStatus> {
        match self {
            StatusFilter::All => None,
            StatusFilter::Pending => Some(UserStatus::Pending),
            StatusFilter::Registered => Some(UserStatus::Registered),
            StatusFilter::Deactivated => Some(UserStatus::Deactivated),
        }
    }

    /// The value of its option in the select.
    pub fn key(self) -> &'static str {
        self.status().map_or("all", UserStatus::key)
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::Pending => "Invitation pending",
            StatusFilter::Registered => "Registered",
            StatusFilter::Deactivated => "Deactivated",
        }
    }

    /// The choice whose option has the value `key` (an unknown one keeps every user).
    pub fn from_key(key: &str) -> StatusFilter {
        StatusFilter::ALL.into_iter().find(|filter| filter.key() == key).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UsersState {
    /// The users read so far for the search and filter below.
    pub list: Paged<User>,
    pub search: String,
    pub status: StatusFilter,
    /// "Not signed in for N days", when chosen.
    pub inactive_days: Option<u32>,
    pub editing: Option<Editing>,
    pub busy: Option<i64>,
    pub resend_blocked: Rc<HashMap<i64, AttrValue>>,
    /// The destructive step waiting for the administrator's confirmation, and its user.
    pub confirm: Option<(Ask, Rc<User>)>,
    pub notice: Option<Feedback>,
    /// The server asked for the password again before this action; tried again once it is
    /// entered.
    pub password_for: Option<Retry>,
}

impl Default for UsersState {
    /// Reading the first page of every user.
    fn default() -> Self {
        UsersState {
            list: Paged::first_page(),
            search: String::new(),
            status: StatusFilter::All,
            inactive_days: None,
            editing: None,
            busy: None,
            resend_blocked: Rc::default(),
            confirm: None,
            notice: None,
            password_for: None,
        }
    }
}

/// An action that waits for the password to be entered again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Saving the row in edit mode (it grants Administrator).
    Save,
    /// Removing this user.
    Remove(i64),
}

/// What a confirmation dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Remove,
    Deactivate,
}

pub enum UsersAction {
    Search(String),
    Filter(StatusFilter),
    FilterInactive(Option<u32>),
    /// Reading the list (first page, next page, answers).
    List(PageAction<User>),
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
    /// The server wants the password again before `Retry`.
    NeedPassword(Retry),
    /// The password dialog closed (entered, or cancelled).
    PasswordDone,
}

impl UsersState {
    pub fn user(&self, id: i64) -> Option<Rc<User>> {
        self.list.items.iter().find(|user| user.id == id).cloned()
    }

    fn replace(&mut self, user: User) {
        let user = Rc::new(user);
        self.list.items = Rc::new(
            self.list.items.iter().map(|u| if u.id == user.id { Rc::clone(&user) } else { Rc::clone(u) }).collect(),
        );
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
                next.list.apply(PageAction::Reload);
            }
            UsersAction::Filter(status) => {
                next.status = status;
                next.list.apply(PageAction::Reload);
            }
            UsersAction::FilterInactive(days) => {
                next.inactive_days = days;
                next.list.apply(PageAction::Reload);
            }
            UsersAction::List(action) => {
                if !next.list.apply(action) {
                    return self;
                }
            }
            UsersAction::Invited(user) => {
                next.list.items =
                    Rc::new(std::iter::once(Rc::new(user)).chain(next.list.items.iter().cloned()).collect());
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
                next.notice = Some(Feedback::done(format!("Saved {}.", user.email)));
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
                next.notice = Some(Feedback::done(format!("Invitation resent to {}.", user.email)));
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
                next.notice = Some(Feedback::failed(message));
            }
            UsersAction::AskRemove(id) => next.confirm = next.user(id).map(|user| (Ask::Remove, user)),
            UsersAction::AskDeactivate(id) => next.confirm = next.user(id).map(|user| (Ask::Deactivate, user)),
            UsersAction::CancelConfirm => next.confirm = None,
            UsersAction::ActiveChanged(user) => {
                next.busy = None;
                next.confirm = None;
                next.notice = Some(Feedback::done(match user.status {
                    UserStatus::Deactivated => format!("{} is deactivated and signed out everywhere.", user.email),
                    _ => format!("{} is reactivated and can sign in again.", user.email),
                }));
                next.replace(user);
            }
            UsersAction::ActiveConflict(current) => {
                next.busy = None;
                next.confirm = None;
                next.notice = Some(Feedback::failed(format!(
                    "Another administrator changed {} meanwhile; the row shows it as it is now. Try again if still needed.",
                    current.email
                )));
                next.replace(current);
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
            UsersAction::Removed(id) => {
                next.busy = None;
                next.confirm = None;
                if let Some(user) = next.user(id) {
                    next.notice = Some(Feedback::done(match user.status {
                        UserStatus::Pending => {
                            format!("The invitation of {} is revoked.", user.email)
                        }
                        UserStatus::Registered | UserStatus::Deactivated => format!("{} is removed.", user.email),
                    }));
                }
                next.list.items = Rc::new(next.list.items.iter().filter(|u| u.id != id).cloned().collect());
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use useradmin_api::Timestamp;
    use useradmin_rights::{Role, RoleSet};

    use super::*;

    fn user(id: i64, status: UserStatus, name: &str, roles: RoleSet) -> User {
        User {
            id,
            email: format!("user{id}@example.com"),
            name: (!name.is_empty()).then(|| name.to_owned()),
            status,
            roles,
            version: 3,
            invited_at: Timestamp(0),
            invitation_sent_at: None,
            invitation_expires_at: None,
            registered_at: None,
            deactivated_at: None,
            last_sign_in_at: None,
        }
    }

    fn first_page(users: Vec<User>) -> UsersAction {
        UsersAction::List(PageAction::Loaded { request: 0, items: users, next_cursor: None, append: false })
    }

    /// The page after `actions`, from the state it starts in.
    fn after(actions: impl IntoIterator<Item = UsersAction>) -> Rc<UsersState> {
        actions.into_iter().fold(Rc::new(UsersState::default()), Reducible::reduce)
    }

    fn ada() -> User {
        user(1, UserStatus::Registered, "Ada", RoleSet::single(Role::Finance))
    }

    fn emails(state: &UsersState) -> Vec<&str> {
        state.list.items.iter().map(|user| user.email.as_str()).collect()
    }

    #[test]
    fn the_answer_to_a_search_typed_over_is_dropped() {
        let state = after([UsersAction::Search("a".to_owned()), UsersAction::Search("ad".to_owned())]);
        assert_eq!((state.list.request, state.list.loading, state.search.as_str()), (2, true, "ad"));

        let stale =
            UsersAction::List(PageAction::Loaded { request: 1, items: vec![ada()], next_cursor: None, append: false });
        let unchanged = Rc::clone(&state).reduce(stale);
        assert!(Rc::ptr_eq(&state, &unchanged), "an older answer changes nothing");
        let failed = UsersAction::List(PageAction::Failed { request: 1, message: "down".to_owned() });
        assert!(Rc::ptr_eq(&state, &Rc::clone(&state).reduce(failed)));

        let fresh = UsersAction::List(PageAction::Loaded {
            request: 2,
            items: vec![ada()],
            next_cursor: Some("c".to_owned()),
            append: false,
        });
        let state = state.reduce(fresh);
        assert_eq!((emails(&state), state.list.loading), (vec!["user1@example.com"], false));
    }

    #[test]
    fn a_new_filter_reads_the_list_again() {
        let state = after([first_page(vec![ada()]), UsersAction::Filter(StatusFilter::Pending)]);
        assert_eq!((state.status, state.list.request, state.list.loading), (StatusFilter::Pending, 1, true));
    }

    #[test]
    fn on_a_conflict_the_draft_stays_and_the_message_says_what_the_other_administrator_changed() {
        let draft =
            EditDraft { name: "Ada L".to_owned(), roles: RoleSet::new([Role::Finance, Role::Reports]).unwrap() };
        let theirs =
            User { name: Some("Ada Lovelace".to_owned()), roles: RoleSet::single(Role::Products), version: 4, ..ada() };
        let state = after([
            first_page(vec![ada()]),
            UsersAction::Edit(1),
            UsersAction::Draft(draft.clone()),
            UsersAction::Saving,
        ]);
        assert!(state.editing.as_ref().unwrap().saving);

        let state = state.reduce(UsersAction::Conflict(theirs));
        let editing = state.editing.clone().expect("still in edit mode");
        assert_eq!((editing.id, editing.draft, editing.saving), (1, draft, false));
        let message = editing.message.unwrap();
        assert!(message.contains("name is now “Ada Lovelace”"), "{message}");
        assert!(message.contains("roles are now Products"), "{message}");
        assert!(message.contains("Your edits are kept"), "{message}");
        assert_eq!(state.user(1).unwrap().version, 4, "Save again sends the version it now shows");
    }

    #[test]
    fn a_saved_edit_leaves_edit_mode_replaces_the_row_and_says_so() {
        let saved = User { name: Some("Ada King".to_owned()), version: 4, ..ada() };
        let state = after([first_page(vec![ada()]), UsersAction::Edit(1), UsersAction::Saved(saved)]);
        assert_eq!(state.editing, None);
        assert_eq!(state.user(1).unwrap().name.as_deref(), Some("Ada King"));
        assert_eq!(state.notice, Some(Feedback::done("Saved user1@example.com.")));
    }

    #[test]
    fn a_failed_save_stays_in_edit_mode_with_the_reason() {
        let state = after([
            first_page(vec![ada()]),
            UsersAction::Edit(1),
            UsersAction::Saving,
            UsersAction::SaveFailed("Not saved: the server cannot be reached.".to_owned()),
        ]);
        let editing = state.editing.clone().unwrap();
        assert!(!editing.saving);
        assert_eq!(editing.message.as_deref(), Some("Not saved: the server cannot be reached."));
        assert_eq!(editing.draft, EditDraft::of(&ada()));
    }

    #[test]
    fn removing_says_whether_an_invitation_was_revoked_or_a_user_removed() {
        let pending = user(2, UserStatus::Pending, "", RoleSet::EMPTY);
        let state = after([
            first_page(vec![ada(), pending]),
            UsersAction::AskRemove(2),
            UsersAction::Busy(2),
            UsersAction::Removed(2),
        ]);
        assert_eq!((state.busy, state.confirm.clone()), (None, None));
        assert_eq!(emails(&state), ["user1@example.com"]);
        assert_eq!(state.notice, Some(Feedback::done("The invitation of user2@example.com is revoked.")));

        let state = state.reduce(UsersAction::Removed(1));
        assert!(emails(&state).is_empty());
        assert_eq!(state.notice, Some(Feedback::done("user1@example.com is removed.")));
    }

    #[test]
    fn a_blocked_resend_disables_that_row_only_and_a_failed_one_is_shown_as_a_failure() {
        let state = after([
            first_page(vec![user(2, UserStatus::Pending, "", RoleSet::EMPTY)]),
            UsersAction::Busy(2),
            UsersAction::ResendBlocked(2, "Resent 3 times in the last hour".to_owned()),
        ]);
        assert_eq!(state.busy, None);
        assert_eq!(state.resend_blocked.get(&2).map(AttrValue::as_str), Some("Resent 3 times in the last hour"));
        assert_eq!(state.resend_blocked.len(), 1);

        let state = state.reduce(UsersAction::RowFailed("The server cannot be reached.".to_owned()));
        assert_eq!(state.notice, Some(Feedback::failed("The server cannot be reached.")));
    }

    #[test]
    fn an_invited_user_comes_first() {
        let state =
            after([first_page(vec![ada()]), UsersAction::Invited(user(9, UserStatus::Pending, "", RoleSet::EMPTY))]);
        assert_eq!(emails(&state), ["user9@example.com", "user1@example.com"]);
    }

    #[test]
    fn each_status_filter_is_found_again_by_its_key() {
        for filter in StatusFilter::ALL {
            assert_eq!(StatusFilter::from_key(filter.key()), filter);
        }
        assert_eq!(StatusFilter::Pending.status(), Some(UserStatus::Pending));
        assert_eq!(StatusFilter::from_key("anything else"), StatusFilter::All);
    }

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

    fn member(id: i64, status: UserStatus, version: i64) -> User {
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
        after([first_page(users)])
    }

    #[test]
    fn asking_to_deactivate_opens_the_dialog_for_that_user_and_cancelling_closes_it() {
        let state = listing(vec![member(1, UserStatus::Registered, 3), member(2, UserStatus::Registered, 3)]);
        let asked = state.reduce(UsersAction::AskDeactivate(2));
        let (ask, asked_user) = asked.confirm.clone().expect("a dialog");
        assert_eq!((ask, asked_user.id), (Ask::Deactivate, 2));
        assert_eq!(asked.reduce(UsersAction::CancelConfirm).confirm, None);
    }

    #[test]
    fn a_deactivation_replaces_the_row_closes_the_dialog_and_says_so() {
        let state = listing(vec![member(1, UserStatus::Registered, 3)]).reduce(UsersAction::AskDeactivate(1));
        let state = state.reduce(UsersAction::Busy(1));
        let done = state.reduce(UsersAction::ActiveChanged(member(1, UserStatus::Deactivated, 4)));
        assert_eq!(done.list.items[0].status, UserStatus::Deactivated);
        assert_eq!(done.list.items[0].version, 4);
        assert_eq!((done.confirm.clone(), done.busy), (None, None));
        assert_eq!(done.notice, Some(Feedback::done("user1@example.com is deactivated and signed out everywhere.")));
        let back = done.reduce(UsersAction::ActiveChanged(member(1, UserStatus::Registered, 5)));
        assert_eq!(back.notice, Some(Feedback::done("user1@example.com is reactivated and can sign in again.")));
    }

    #[test]
    fn a_conflict_shows_the_user_as_they_are_now() {
        let state = listing(vec![member(1, UserStatus::Registered, 3)]).reduce(UsersAction::AskDeactivate(1));
        let mut renamed = member(1, UserStatus::Registered, 4);
        renamed.name = Some("Renamed".to_owned());
        let conflict = state.reduce(UsersAction::ActiveConflict(renamed));
        assert_eq!(conflict.list.items[0].name.as_deref(), Some("Renamed"));
        assert_eq!(conflict.confirm, None);
        let Some(Feedback::Failed(message)) = conflict.notice.clone() else { panic!("a failure notice") };
        assert!(message.starts_with("Another administrator changed user1@example.com"), "{message}");
    }

    #[test]
    fn choosing_a_last_sign_in_filter_reads_the_list_again() {
        let state = listing(vec![]);
        let filtered = Rc::clone(&state).reduce(UsersAction::FilterInactive(Some(90)));
        assert_eq!(filtered.inactive_days, Some(90));
        assert_eq!(filtered.list.request, state.list.request + 1);
        assert!(filtered.list.loading);
        assert_eq!(filtered.reduce(UsersAction::FilterInactive(None)).inactive_days, None);
    }

    #[test]
    fn the_deactivated_filter_keeps_deactivated_users() {
        assert_eq!(StatusFilter::from_key("deactivated"), StatusFilter::Deactivated);
        assert_eq!(StatusFilter::Deactivated.status(), Some(UserStatus::Deactivated));
    }
}
