use std::rc::Rc;

use useradmin_api::{AuditEvent, AuditPage, AuditState};
use yew::prelude::*;

use crate::api;
use crate::components::{ErrorMessage, Loading, format_time};

#[derive(Debug, Clone, PartialEq, Default)]
struct Log {
    events: Vec<AuditEvent>,
    next_cursor: Option<String>,
    loading: bool,
    error: Option<String>,
}

enum LogAction {
    Loading,
    /// A page of events: the first (replacing what is shown) or an older one (appended).
    Loaded(AuditPage, bool),
    Failed(String),
}

impl Reducible for Log {
    type Action = LogAction;

    fn reduce(self: Rc<Self>, action: LogAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LogAction::Loading => {
                next.loading = true;
                next.error = None;
            }
            LogAction::Loaded(page, append) => {
                if !append {
                    next.events.clear();
                }
                next.events.extend(page.items);
                next.next_cursor = page.next_cursor;
                next.loading = false;
            }
            LogAction::Failed(message) => {
                next.loading = false;
                next.error = Some(message);
            }
        }
        Rc::new(next)
    }
}

/// Logs › Audit log: who did what to whom, newest first, with roles before and after.
#[component]
pub fn AuditLogPage() -> Html {
    let log = use_reducer(|| Log { loading: true, ..Log::default() });
    let load = use_callback(log.dispatcher(), |cursor: Option<String>, log| {
        let log = log.clone();
        log.dispatch(LogAction::Loading);
        yew::platform::spawn_local(async move {
            match api::fetch_audit_log(cursor.as_deref()).await {
                Ok(page) => log.dispatch(LogAction::Loaded(page, cursor.is_some())),
                Err(error) => {
                    log.dispatch(LogAction::Failed(error.message()));
                }
            }
        });
    });
    {
        let load = load.clone();
        use_effect_with((), move |_| load.emit(None));
    }
    let more = {
        let (load, cursor) = (load.clone(), log.next_cursor.clone());
        Callback::from(move |_| load.emit(cursor.clone()))
    };
    let retry = {
        let (load, cursor) = (load.clone(), log.next_cursor.clone());
        let first_page = log.events.is_empty();
        Callback::from(move |()| load.emit(if first_page { None } else { cursor.clone() }))
    };
    html! {
        <section aria-labelledby="audit-title">
            <h1 id="audit-title">{ "Audit log" }</h1>
            <div class="table-scroll">
                <table class="audit-table">
                    <caption class="visually-hidden">{ "Events, newest first" }</caption>
                    <thead><tr>
                        <th scope="col">{ "When" }</th><th scope="col">{ "Who" }</th><th scope="col">{ "What" }</th>
                        <th scope="col">{ "Whom" }</th><th scope="col">{ "Before" }</th><th scope="col">{ "After" }</th>
                    </tr></thead>
                    <tbody>
                        { for log.events.iter().map(|event| html! {
                            <tr key={event.id}>
                                <td>{ format_time(event.at) }</td>
                                <td>{ event.actor.clone().unwrap_or_else(|| "system".to_owned()) }</td>
                                <td>
                                    { event.action.describe() }
                                    { event.attempts.map(|n| format!(" ({n} times)")).unwrap_or_default() }
                                </td>
                                <td>{ event.target.clone().unwrap_or_default() }</td>
                                <td>{ describe(event.before.as_ref()) }</td>
                                <td>{ describe(event.after.as_ref()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if log.loading {
                <Loading label="Loading events…" />
            } else if let Some(message) = &log.error {
                <ErrorMessage message={message.clone()} on_retry={retry} />
            } else if log.next_cursor.is_some() {
                <button type="button" class="secondary" onclick={more}>{ "Show older events" }</button>
            } else if log.events.is_empty() {
                <p class="empty">{ "No events yet." }</p>
            }
        </section>
    }
}

fn describe(state: Option<&AuditState>) -> String {
    let Some(state) = state else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(name) = &state.name {
        parts.push(format!("name {name}"));
    }
    if let Some(roles) = state.roles {
        parts.push(format!("roles: {roles}"));
    }
    parts.join("; ")
}
