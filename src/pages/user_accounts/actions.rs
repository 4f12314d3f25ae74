//! The requests of the User Accounts page; each reports back by dispatching to the page state.

use useradmin_api::RESENDS_PER_HOUR;

use super::state::{PAGE_SIZE, Retry, UsersAction, UsersState};
use crate::api::{self, ApiError, UserQuery};
use crate::hooks::PageAction;

pub type Handle = yew::UseReducerHandle<UsersState>;
/// Enough for a request that only reports back: unlike the handle, it stays the same from render
/// to render, so callbacks built on it can be memoised.
pub type Dispatcher = yew::UseReducerDispatcher<UsersState>;

/// Fetches the first page (after a short pause while the person is still typing) or the next.
pub fn load(state: Handle, append: bool) {
    let request = state.list.request;
    let query = UserQuery {
        search: state.search.clone(),
        status: state.status.status(),
        not_signed_in_for_days: state.inactive_days,
        limit: PAGE_SIZE,
        cursor: if append { state.list.next_cursor.clone() } else { None },
    };
    yew::platform::spawn_local(async move {
        if !append && !query.search.is_empty() {
            yew::platform::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        state.dispatch(UsersAction::List(match api::list_users(&query).await {
            Ok(page) => PageAction::Loaded { request, items: page.items, next_cursor: page.next_cursor, append },
            Err(error) => PageAction::Failed { request, message: error.message() },
        }));
    });
}

/// Saves the row in edit mode, sending the version it was read at.
pub fn save(state: Handle) {
    let Some(editing) = state.editing.clone() else {
        return;
    };
    let Some(user) = state.user(editing.id) else {
        return;
    };
    let typed = editing.draft.name.trim().to_owned();
    let name =
        (Some(typed.as_str()) != user.name.as_deref() && !(typed.is_empty() && user.name.is_none())).then_some(typed);
    if let Some(Err(message)) = name.as_deref().map(useradmin_api::check_name) {
        state.dispatch(UsersAction::SaveFailed(message));
        return;
    }
    let roles = (editing.draft.roles != user.roles).then_some(editing.draft.roles);
    if name.is_none() && roles.is_none() {
        state.dispatch(UsersAction::Cancel);
        return;
    }
    state.dispatch(UsersAction::Saving);
    yew::platform::spawn_local(async move {
        match api::update_user(user.id, name, roles, user.version).await {
            Ok(saved) => state.dispatch(UsersAction::Saved(saved)),
            Err(ApiError::Conflict(current)) => state.dispatch(UsersAction::Conflict(*current)),
            Err(ApiError::PasswordRequired(_)) => state.dispatch(UsersAction::NeedPassword(Retry::Save)),
            Err(error) => {
                state.dispatch(UsersAction::SaveFailed(format!("Not saved: {}", error.message())));
            }
        }
    });
}

pub fn resend(state: Dispatcher, id: i64) {
    state.dispatch(UsersAction::Busy(id));
    yew::platform::spawn_local(async move {
        match api::resend_invitation(id).await {
            Ok(user) => state.dispatch(UsersAction::Resent(user)),
            Err(ApiError::Rejected { status: 429, retry_after_s, .. }) => {
                let minutes = retry_after_s.map_or(60, |s| s.div_ceil(60));
                let reason =
                    format!("Resent {RESENDS_PER_HOUR} times in the last hour; possible again in {minutes} min.");
                state.dispatch(UsersAction::ResendBlocked(id, reason));
            }
            Err(error) => {
                state.dispatch(UsersAction::RowFailed(error.message()));
            }
        }
    });
}

pub fn remove(state: Dispatcher, id: i64) {
    state.dispatch(UsersAction::Busy(id));
    yew::platform::spawn_local(async move {
        match api::remove_user(id).await {
            Ok(()) => state.dispatch(UsersAction::Removed(id)),
            Err(ApiError::PasswordRequired(_)) => state.dispatch(UsersAction::NeedPassword(Retry::Remove(id))),
            Err(error) => {
                state.dispatch(UsersAction::CancelConfirm);
                state.dispatch(UsersAction::RowFailed(error.message()));
            }
        }
    });
}

/// Deactivates (`active` false, after the dialog) or reactivates the user `id` at the version
/// the list shows.
pub fn set_active(state: Dispatcher, id: i64, version: i64, active: bool) {
    state.dispatch(UsersAction::Busy(id));
    yew::platform::spawn_local(async move {
        match api::set_user_active(id, version, active).await {
            Ok(user) => state.dispatch(UsersAction::ActiveChanged(user)),
            Err(ApiError::Conflict(current)) => state.dispatch(UsersAction::ActiveConflict(*current)),
            Err(error) => {
                state.dispatch(UsersAction::CancelConfirm);
                state.dispatch(UsersAction::RowFailed(error.message()));
            }
        }
    });
}
