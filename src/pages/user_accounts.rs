//! Settings › Account › User Accounts.

mod actions;
mod row_callbacks;
mod state;

use useradmin_api::{INACTIVE_DAYS_CHOICES, UserStatus};
use useradmin_rights::Access;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::{ConfirmDialog, ErrorMessage, InviteForm, Loading, UserTable};
pub use row_callbacks::{RowCallbacks, use_row_callbacks};
pub use state::{Ask, UsersAction, UsersState};

#[derive(Properties, PartialEq)]
pub struct UserAccountsPageProps {
    pub access: Access,
}

/// The user list: invite, search and filter, edit a row, resend, deactivate, reactivate,
/// remove. Without read-write access no write control is rendered.
#[component]
pub fn UserAccountsPage(props: &UserAccountsPageProps) -> Html {
    let state = use_reducer(|| UsersState { loading: true, ..UsersState::default() });
    let can_write = props.access.can_write();
    {
        let state = state.clone();
        use_effect_with(state.request, move |_| actions::load(state, false));
    }
    let dispatcher = state.dispatcher();
    let RowCallbacks { on_edit, on_remove, on_resend, on_deactivate, on_reactivate, on_draft, on_cancel } =
        use_row_callbacks(dispatcher.clone());
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
    let on_inactive = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let days = e.target_unchecked_into::<HtmlSelectElement>().value().parse().ok();
            state.dispatch(UsersAction::FilterInactive(days));
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
    let confirm = state.confirm.clone().map(|(ask, user)| {
        let pending = user.status == UserStatus::Pending;
        let (s, id) = (dispatcher.clone(), user.id);
        let s2 = state.clone();
        let on_cancel = Callback::from(move |()| s2.dispatch(UsersAction::CancelConfirm));
        if ask == Ask::Deactivate {
            let version = user.version;
            let who = user.name.clone().map_or_else(|| user.email.clone(), |name| format!("{name} ({})", user.email));
            return html! {
                <ConfirmDialog
                    title={format!("Deactivate {who}?")}
                    message={format!("{who} will be signed out at once and cannot sign in until reactivated. \
                        Their roles and history are kept.")}
                    confirm_label="Deactivate"
                    on_confirm={Callback::from(move |()| actions::set_active(s.clone(), id, version, false))}
                    {on_cancel} />
            };
        }
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
                {on_cancel} />
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
                        { for [("all", "All"), ("pending", "Invitation pending"), ("registered", "Registered"), ("deactivated", "Deactivated")].into_iter().map(|(key, label)| html! {
                            <option value={key} selected={actions::status_key(state.status) == key}>{ label }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="user-inactive">{ "Last sign-in" }</label>
                    <select id="user-inactive" onchange={on_inactive}>
                        <option value="" selected={state.inactive_days.is_none()}>{ "Any time" }</option>
                        { for INACTIVE_DAYS_CHOICES.into_iter().map(|days| html! {
                            <option value={days.to_string()} selected={state.inactive_days == Some(days)}>
                                { format!("Not signed in for {days} days") }</option>
                        }) }
                    </select>
                </div>
            </div>
            if let Some(notice) = &state.notice { <p class="notice" role="status">{ notice }</p> }
            <UserTable users={state.users.clone()} {can_write} editing={state.editing.clone()}
                resend_blocked={state.resend_blocked.clone()} busy={state.busy}
                {on_edit} {on_draft} {on_save} {on_cancel} {on_resend} {on_remove} {on_deactivate} {on_reactivate} />
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
        </section>
    }
}
