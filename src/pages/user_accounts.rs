//! Settings › Account › User Accounts.

mod actions;
mod row_callbacks;
mod state;

use useradmin_api::UserStatus;
use useradmin_rights::Access;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::{ConfirmDialog, ErrorMessage, InviteForm, Loading, PasswordDialog, UserTable};
pub use row_callbacks::{RowCallbacks, use_row_callbacks};
pub use state::{Retry, UsersAction, UsersState};

#[derive(Properties, PartialEq)]
pub struct UserAccountsPageProps {
    pub access: Access,
}

/// The user list: invite, search and filter, edit a row, resend, remove. Without read-write
/// access no write control is rendered.
#[component]
pub fn UserAccountsPage(props: &UserAccountsPageProps) -> Html {
    let state = use_reducer(|| UsersState { loading: true, ..UsersState::default() });
    let can_write = props.access.can_write();
    {
        let state = state.clone();
        use_effect_with(state.request, move |_| actions::load(state, false));
    }
    let dispatcher = state.dispatcher();
    let RowCallbacks { on_edit, on_remove, on_resend, on_draft, on_cancel } = use_row_callbacks(dispatcher.clone());
    let on_search = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.dispatch(UsersAction::Search(e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };
    let on_filter = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            state.dispatch(UsersAction::Filter(actions::status_from_key(&key)));
        })
    };
    let s = state.clone();
    let on_save = Callback::from(move |()| actions::save(s.clone()));
    let s = state.clone();
    let on_more = Callback::from(move |_| {
        s.dispatch(UsersAction::LoadingMore);
        actions::load(s.clone(), true);
    });
    let s = state.clone();
    let on_retry = Callback::from(move |()| s.dispatch(UsersAction::Reload));
    let s = state.clone();
    let on_invited = Callback::from(move |user| s.dispatch(UsersAction::Invited(user)));
    let confirm = state.confirm.clone().map(|user| {
        let pending = user.status == UserStatus::Pending;
        let (s, id) = (dispatcher.clone(), user.id);
        let s2 = state.clone();
        html! {
            <ConfirmDialog
                title={if pending { "Revoke invitation?" } else { "Remove user?" }}
                message={if pending {
                    format!("The invitation link sent to {} will stop working.", user.email)
                } else {
                    format!("{} will be signed out and can no longer sign in.", user.email)
                }}
                confirm_label={if pending { "Revoke invitation" } else { "Remove" }}
                on_confirm={Callback::from(move |()| actions::remove(s.clone(), id))}
                on_cancel={Callback::from(move |()| s2.dispatch(UsersAction::CancelRemove))} />
        }
    });
    let password_dialog = state.password_for.map(|retry| {
        let (s, d) = (state.clone(), dispatcher.clone());
        let on_confirmed = Callback::from(move |()| {
            s.dispatch(UsersAction::PasswordDone);
            match retry {
                Retry::Save => actions::save(s.clone()),
                Retry::Remove(id) => actions::remove(d.clone(), id),
            }
        });
        let s = state.clone();
        html! {
            <PasswordDialog {on_confirmed} on_cancel={Callback::from(move |()| s.dispatch(UsersAction::PasswordDone))} />
        }
    });
    html! {
        <section aria-labelledby="users-title" class="user-accounts">
            <h1 id="users-title">{ "User Accounts" }
                if !can_write { <span class="badge read-only">{ "read only" }</span> }</h1>
            <p class="breadcrumb">{ "Settings › Account › User Accounts · " }
                <Link<Route> to={Route::Rights}>{ "What each role may do" }</Link<Route>></p>
            if can_write { <InviteForm {on_invited} /> }
            <div class="toolbar" role="search">
                <div class="field">
                    <label for="user-search">{ "Search" }</label>
                    <input id="user-search" type="search" placeholder="Name or e-mail" value={state.search.clone()} oninput={on_search} />
                </div>
                <div class="field">
                    <label for="user-status">{ "Status" }</label>
                    <select id="user-status" onchange={on_filter}>
                        { for [("all", "All"), ("pending", "Invitation pending"), ("registered", "Registered")].into_iter().map(|(key, label)| html! {
                            <option value={key} selected={actions::status_key(state.status) == key}>{ label }</option>
                        }) }
                    </select>
                </div>
            </div>
            if let Some(notice) = &state.notice { <p class="notice" role="status">{ notice }</p> }
            <UserTable users={state.users.clone()} {can_write} editing={state.editing.clone()}
                resend_blocked={state.resend_blocked.clone()} busy={state.busy}
                {on_edit} {on_draft} {on_save} {on_cancel} {on_resend} {on_remove} />
            if state.loading {
                <Loading label="Loading users…" />
            } else if let Some(message) = &state.error {
                <ErrorMessage message={message.clone()} on_retry={on_retry} />
            } else if state.next_cursor.is_some() {
                <button type="button" class="secondary" onclick={on_more}>
                    { format!("Show more (showing {})", state.users.len()) }</button>
            } else if state.users.is_empty() {
                <p class="empty">{ "No user matches." }</p>
            }
            { for confirm }
            { for password_dialog }
        </section>
    }
}
