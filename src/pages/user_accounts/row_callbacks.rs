//! What the rows of the user list call back, built once per page rather than per render.

use yew::prelude::*;

use super::actions::{self, Dispatcher};
use super::state::UsersAction;
use crate::components::EditDraft;

/// The rows' callbacks. They stay the same from render to render, so typing in the row in edit
/// mode or ticking a role re-renders that row only, not every row of the list.
pub struct RowCallbacks {
    pub on_edit: Callback<i64>,
    pub on_remove: Callback<i64>,
    pub on_resend: Callback<i64>,
    pub on_deactivate: Callback<i64>,
    /// `(id, version)`: reactivating needs no confirmation, so the row sends its version.
    pub on_reactivate: Callback<(i64, i64)>,
    pub on_draft: Callback<EditDraft>,
    pub on_cancel: Callback<()>,
}

/// The rows' callbacks for the page state behind `state` (the rendering benchmark wires its
/// table with the same).
#[hook]
pub fn use_row_callbacks(state: Dispatcher) -> RowCallbacks {
    RowCallbacks {
        on_edit: use_callback(state.clone(), |id, state| state.dispatch(UsersAction::Edit(id))),
        on_remove: use_callback(state.clone(), |id, state| state.dispatch(UsersAction::AskRemove(id))),
        on_resend: use_callback(state.clone(), |id, state| actions::resend(state.clone(), id)),
        on_deactivate: use_callback(state.clone(), |id, state| state.dispatch(UsersAction::AskDeactivate(id))),
        on_reactivate: use_callback(state.clone(), |(id, version), state| {
            actions::set_active(state.clone(), id, version, true)
        }),
        on_draft: use_callback(state.clone(), |draft, state| state.dispatch(UsersAction::Draft(draft))),
        on_cancel: use_callback(state, |(), state| state.dispatch(UsersAction::Cancel)),
    }
}
