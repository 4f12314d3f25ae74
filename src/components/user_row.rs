use std::rc::Rc;

use useradmin_api::{User, UserStatus};
use yew::prelude::*;

use crate::components::{email_text, format_time, now_millis, time_ago};

#[derive(Properties, PartialEq)]
pub struct UserRowProps {
    pub user: Rc<User>,
    /// Whether write controls are rendered at all.
    pub can_write: bool,
    pub on_edit: Callback<i64>,
    pub on_resend: Callback<i64>,
    pub on_remove: Callback<i64>,
    #[prop_or_default]
    pub on_deactivate: Callback<i64>,
    #[prop_or_default]
    /// `(id, version)` of the user to reactivate.
    pub on_reactivate: Callback<(i64, i64)>,
    /// Why "Resend invitation" is disabled, when the server said too many.
    #[prop_or_default]
    pub resend_blocked: Option<AttrValue>,
    /// A request for this row is running.
    #[prop_or_default]
    pub busy: bool,
    /// The row's position (`aria-rowindex`) when the table renders only part of its rows.
    #[prop_or_default]
    pub row_index: Option<String>,
}

/// A user in read mode.
#[component]
pub fn UserRow(props: &UserRowProps) -> Html {
    let user = &props.user;
    let id = user.id;
    let pending = user.status == UserStatus::Pending;
    let roles = if user.roles.is_empty() { "No roles".to_owned() } else { user.roles.to_string() };
    let on_edit = props.on_edit.reform(move |_| id);
    let on_resend = props.on_resend.reform(move |_| id);
    let on_remove = props.on_remove.reform(move |_| id);
    let on_deactivate = props.on_deactivate.reform(move |_| id);
    let version = user.version;
    let on_reactivate = props.on_reactivate.reform(move |_| (id, version));
    let deactivated = user.status == UserStatus::Deactivated;
    let blocked_id = format!("resend-blocked-{id}");
    html! {
        <tr aria-busy={props.busy.to_string()} aria-rowindex={props.row_index.clone()}>
            <td>{ user.name.clone().unwrap_or_else(|| "—".to_owned()) }</td>
            <td>{ email_text(&user.email) }</td>
            <td>{ status(user) }</td>
            <td>{ last_sign_in(user) }</td>
            // Roles stay assigned while deactivated but grant nothing: shown, dimmed.
            <td class={classes!(deactivated.then_some("dimmed"))}>{ roles }
                if deactivated && !user.roles.is_empty() {
                    <span class="visually-hidden">{ " (not in effect while deactivated)" }</span>
                }</td>
            if props.can_write {
                <td>
                    <div class="actions">
                        <button type="button" class="secondary" onclick={on_edit} disabled={props.busy}>
                            { "Edit" }<span class="visually-hidden">{ format!(" {}", user.email) }</span>
                        </button>
                        if pending {
                            <button type="button" class="secondary" onclick={on_resend}
                                disabled={props.busy || props.resend_blocked.is_some()}
                                aria-describedby={props.resend_blocked.as_ref().map(|_| blocked_id.clone())}>
                                { "Resend invitation" }<span class="visually-hidden">{ format!(" to {}", user.email) }</span>
                            </button>
                        }
                        if user.status == UserStatus::Registered {
                            <button type="button" class="secondary" onclick={on_deactivate} disabled={props.busy}>
                                { "Deactivate" }<span class="visually-hidden">{ format!(" {}", user.email) }</span>
                            </button>
                        }
                        if deactivated {
                            <button type="button" class="secondary" onclick={on_reactivate} disabled={props.busy}>
                                { "Reactivate" }<span class="visually-hidden">{ format!(" {}", user.email) }</span>
                            </button>
                        }
                        <button type="button" class="danger" onclick={on_remove} disabled={props.busy}>
                            { if pending { "Revoke invitation" } else { "Remove" } }
                            <span class="visually-hidden">{ format!(" {}", user.email) }</span>
                        </button>
                        if let Some(reason) = &props.resend_blocked {
                            <p class="hint" id={blocked_id}>{ reason }</p>
                        }
                    </div>
                </td>
            }
        </tr>
    }
}

/// When the user last signed in, relative ("3 days ago") with the exact time in the title;
/// "Never" for a registered user who has not signed in since registering; "—" while pending.
pub fn last_sign_in(user: &User) -> Html {
    match (user.status, user.last_sign_in_at) {
        (UserStatus::Pending, _) => html! { "—" },
        (_, None) => html! { <span class="never">{ "Never" }</span> },
        (_, Some(at)) => html! { <time title={format_time(at)}>{ time_ago(at.millis(), now_millis()) }</time> },
    }
}

/// "Registered", "Deactivated" with since when, or "Invitation pending" with when it was sent
/// and when it expires, or "Invitation expired".
pub fn status(user: &User) -> Html {
    match user.status {
        UserStatus::Deactivated => {
            let since = user.deactivated_at.map(format_time).unwrap_or_default();
            html! {
                <span class="status status-deactivated">{ "Deactivated" }
                    <small>{ format!("since {since}") }</small></span>
            }
        }
        UserStatus::Registered => {
            html! { <span class="status status-registered">{ "Registered" }</span> }
        }
        UserStatus::Pending => {
            let expired = user.invitation_expires_at.is_some_and(|at| at.millis() <= now_millis());
            let sent = user.invitation_sent_at.map(format_time).unwrap_or_default();
            let expires = user.invitation_expires_at.map(format_time).unwrap_or_default();
            if expired {
                html! {
                    <span class="status status-expired">{ "Invitation expired" }
                        <small>{ format!("sent {sent}, expired {expires}") }</small></span>
                }
            } else {
                html! {
                    <span class="status status-pending">{ "Invitation pending" }
                        <small>{ format!("sent {sent}, expires {expires}") }</small></span>
                }
            }
        }
    }
}
