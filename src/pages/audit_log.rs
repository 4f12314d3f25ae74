use useradmin_api::AuditState;
use yew::prelude::*;

use crate::api;
use crate::components::format_time;
use crate::hooks::{FooterLabels, PagedHandle, use_paged};

/// Logs › Audit log: who did what to whom, newest first, with roles before and after.
#[component]
pub fn AuditLogPage() -> Html {
    let PagedHandle { list, on_more, on_retry } = use_paged(|cursor: Option<String>| async move {
        api::fetch_audit_log(cursor.as_deref()).await.map(|page| (page.items, page.next_cursor))
    });
    let labels =
        FooterLabels { loading: "Loading events…", more: "Show older events".to_owned(), empty: "No events yet." };
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
                        { for list.items.iter().map(|event| html! {
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
            { list.footer(labels, on_more, on_retry) }
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
