use std::collections::BTreeMap;
use std::rc::Rc;

use useradmin_rights::{Access, Area};
use yew::prelude::*;

use crate::api;
use crate::components::{AreaForm, Feedback, FeedbackMessage, format_time};
use crate::hooks::{use_load, use_session, use_submit};
use crate::pages::{AuditLogPage, NotFoundPage, UserAccountsPage};

#[derive(Properties, PartialEq)]
pub struct AreaRoutePageProps {
    pub section: AttrValue,
    pub area: AttrValue,
}

/// `/{section}/{area}`: the page of one area, or "not available" when the user's roles do not
/// show it (its content is never fetched then).
#[component]
pub fn AreaRoutePage(props: &AreaRoutePageProps) -> Html {
    let session = use_session();
    let Some(me) = session.me() else {
        return Html::default();
    };
    let area = Area::from_slug(&props.area).filter(|area| area.section().slug() == props.section.as_str());
    let Some(area) = area else {
        return html! { <NotFoundPage /> };
    };
    let access = me.roles.access(area);
    if access == Access::None {
        return html! {
            <section aria-labelledby="area-title">
                <h1 id="area-title">{ area.label() }</h1>
                <p class="notice" role="alert">{ "This area is not available to you. An administrator can grant you a role that includes it." }</p>
            </section>
        };
    }
    match area {
        Area::UserAccounts => html! { <UserAccountsPage {access} /> },
        Area::AuditLog => html! { <AuditLogPage /> },
        _ => html! { <AreaSettingsPage key={area.key()} {area} {access} /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct AreaSettingsPageProps {
    pub area: Area,
    pub access: Access,
}

/// An area's settings document from the server: read-only or editable as the roles allow.
#[component]
pub fn AreaSettingsPage(props: &AreaSettingsPageProps) -> Html {
    let document = use_load(props.area, api::fetch_area);
    let submit = use_submit();
    let on_save = {
        let (document, submit, area) = (document.clone(), submit.clone(), props.area);
        Callback::from(move |changed: BTreeMap<String, String>| {
            let document = document.clone();
            submit.run(api::save_area(area, changed), move |answer| {
                Some(match answer {
                    Ok(saved) => {
                        document.set(saved);
                        Feedback::done("Saved.")
                    }
                    Err(error) => {
                        Feedback::failed(format!("Not saved: {} Your changes are still here.", error.message()))
                    }
                })
            });
        })
    };
    let body = document.view("Loading settings…", |document| {
        html! {
            <>
                if let (Some(at), Some(by)) = (document.updated_at, document.updated_by.as_ref()) {
                    <p class="hint">{ format!("Last changed {} by {by}.", format_time(at)) }</p>
                }
                <AreaForm area={props.area} access={props.access} document={Rc::new(document.document.clone())}
                    on_save={on_save} saving={submit.busy()} />
            </>
        }
    });
    html! {
        <section aria-labelledby="area-title">
            <h1 id="area-title">{ props.area.label() }
                if props.access == Access::Read { <span class="badge read-only">{ "read only" }</span> }
            </h1>
            <p class="breadcrumb">{ format!("{} › {}", props.area.section().label(), props.area.label()) }</p>
            { body }
            <FeedbackMessage feedback={submit.feedback()} />
        </section>
    }
}
