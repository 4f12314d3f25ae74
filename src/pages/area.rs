use std::collections::BTreeMap;
use std::rc::Rc;

use useradmin_api::AreaDocument;
use useradmin_rights::{Access, Area};
use yew::prelude::*;

use crate::api;
use crate::components::{AreaForm, ErrorMessage, Loading, format_time};
use crate::hooks::use_session;
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

#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Loading,
    Ready(Rc<AreaDocument>),
    Failed(String),
}

/// An area's settings document from the server: read-only or editable as the roles allow.
#[component]
pub fn AreaSettingsPage(props: &AreaSettingsPageProps) -> Html {
    let loaded = use_state(|| Loaded::Loading);
    let attempt = use_state(|| 0u32);
    let saving = use_state(|| false);
    let message = use_state(|| None::<(bool, String)>);
    {
        let (loaded, area) = (loaded.clone(), props.area);
        use_effect_with((area, *attempt), move |_| {
            loaded.set(Loaded::Loading);
            yew::platform::spawn_local(async move {
                match api::fetch_area(area).await {
                    Ok(document) => loaded.set(Loaded::Ready(Rc::new(document))),
                    Err(error) => {
                        loaded.set(Loaded::Failed(error.message()));
                    }
                }
            });
        });
    }
    let on_save = {
        let (loaded, saving, message, area) = (loaded.clone(), saving.clone(), message.clone(), props.area);
        Callback::from(move |document: BTreeMap<String, String>| {
            let (loaded, saving, message) = (loaded.clone(), saving.clone(), message.clone());
            saving.set(true);
            message.set(None);
            yew::platform::spawn_local(async move {
                match api::save_area(area, document).await {
                    Ok(saved) => {
                        loaded.set(Loaded::Ready(Rc::new(saved)));
                        message.set(Some((true, "Saved.".to_owned())));
                    }
                    Err(error) => {
                        message
                            .set(Some((false, format!("Not saved: {} Your changes are still here.", error.message()))));
                    }
                }
                saving.set(false);
            });
        })
    };
    let body = match &*loaded {
        Loaded::Loading => html! { <Loading label="Loading settings…" /> },
        Loaded::Failed(text) => {
            let attempt = attempt.clone();
            html! { <ErrorMessage message={text.clone()} on_retry={Callback::from(move |()| attempt.set(*attempt + 1))} /> }
        }
        Loaded::Ready(document) => html! {
            <>
                if let (Some(at), Some(by)) = (document.updated_at, document.updated_by.as_ref()) {
                    <p class="hint">{ format!("Last changed {} by {by}.", format_time(at)) }</p>
                }
                <AreaForm area={props.area} access={props.access} document={Rc::new(document.document.clone())}
                    on_save={on_save} saving={*saving} />
            </>
        },
    };
    html! {
        <section aria-labelledby="area-title">
            <h1 id="area-title">{ props.area.label() }
                if props.access == Access::Read { <span class="badge read-only">{ "read only" }</span> }
            </h1>
            <p class="breadcrumb">{ format!("{} › {}", props.area.section().label(), props.area.label()) }</p>
            { body }
            if let Some((ok, text)) = &*message {
                <p class={if *ok { "notice" } else { "field-error" }} role={if *ok { "status" } else { "alert" }}>{ text }</p>
            }
        </section>
    }
}
