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
use crate::components::{ConfirmDialog, FeedbackMessage, InviteForm, PasswordDialog, UserTable};
use crate::hooks::{FooterLabels, PageAction, dispatching};
pub use row_callbacks::{RowCallbacks, use_row_callbacks};
pub use state::{Ask, Retry, StatusFilter, UsersAction, UsersState};

#[derive(Properties, PartialEq)]
pub struct UserAccountsPageProps {
    pub access: Access,
}

/// The user list: invite, search and filter, edit a row, resend, deactivate, reactivate,
/// remove. Without read-write access no write control is rendered.
#[component]
pub fn UserAccountsPage(props: &UserAccountsPageProps) -> Html {
    let state = use_reducer(UsersState::default);
    let can_write = props.access.can_write();
    {
        let state = state.clone();
        use_effect_with(state.list.request, move |_| actions::load(state, false));
    }
    let dispatcher = state.dispatcher();
    let RowCallbacks { on_edit, on_remove, on_resend, on_deactivate, on_reactivate, on_draft, on_cancel } =
        use_row_callbacks(dispatcher.clone());
    let on_search = dispatching(&dispatcher, |e: InputEvent| {
        UsersAction::Search(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_filter = dispatching(&dispatcher, |e: Event| {
        UsersAction::Filter(StatusFilter::from_key(&e.target_unchecked_into::<HtmlSelectElement>().value()))
    });
    let on_inactive = dispatching(&dispatcher, |e: Event| {
        UsersAction::FilterInactive(e.target_unchecked_into::<HtmlSelectElement>().value().parse().ok())
    });
    let on_retry = dispatching(&dispatcher, |()| UsersAction::List(PageAction::Reload));
    let on_invited = dispatching(&dispatcher, UsersAction::Invited);
    let on_save = {
        let state = state.clone();
        Callback::from(move |()| actions::save(state.clone()))
    };
    let on_more = {
        let state = state.clone();
        Callback::from(move |()| {
            state.dispatch(UsersAction::List(PageAction::More));
            actions::load(state.clone(), true);
        })
    };
    let footer = FooterLabels {
        loading: "Loading users…",
        more: format!("Show more (showing {})", state.list.items.len()),
        empty: "No user matches.",
    };
    let confirm = state.confirm.clone().map(|(ask, user)| {
        let pending = user.status == UserStatus::Pending;
        let (s, id) = (dispatcher.clone(), user.id);
        let on_cancel = dispatching(&dispatcher, |()| UsersAction::CancelConfirm);
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
    let password_dialog = state.password_for.map(|retry| {
        let (s, d) = (state.clone(), dispatcher.clone());
        let on_confirmed = Callback::from(move |()| {
            s.dispatch(UsersAction::PasswordDone);
            match retry {
                Retry::Save => actions::save(s.clone()),
                Retry::Remove(id) => actions::remove(d.clone(), id),
            }
        });
        html! {
            <PasswordDialog {on_confirmed} on_cancel={dispatching(&dispatcher, |()| UsersAction::PasswordDone)} />
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
                        { for StatusFilter::ALL.into_iter().map(|filter| html! {
                            <option value={filter.key()} selected={state.status == filter}>{ filter.label() }</option>
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
            <FeedbackMessage feedback={state.notice.clone()} />
            <UserTable users={state.list.items.clone()} {can_write} editing={state.editing.clone()}
                resend_blocked={state.resend_blocked.clone()} busy={state.busy}
                {on_edit} {on_draft} {on_save} {on_cancel} {on_resend} {on_remove} {on_deactivate} {on_reactivate} />
            { state.list.footer(footer, on_more, on_retry) }
            { for confirm }
            { for password_dialog }
        </section>
    }
}
