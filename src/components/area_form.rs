use std::collections::BTreeMap;
use std::rc::Rc;

use useradmin_rights::{Access, Area};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::text_input;

#[derive(Properties, PartialEq)]
pub struct AreaFormProps {
    pub area: Area,
    pub access: Access,
    pub document: Rc<BTreeMap<String, String>>,
    pub on_save: Callback<BTreeMap<String, String>>,
    #[prop_or_default]
    pub saving: bool,
}

/// An area's settings: read-only fields with read access; editable fields, "Add field" and
/// "Save" with read-write access. What is typed stays until it is saved.
#[component]
pub fn AreaForm(props: &AreaFormProps) -> Html {
    let draft = use_state(|| (*props.document).clone());
    let new_key = use_state(String::new);
    let new_value = use_state(String::new);
    {
        let draft = draft.clone();
        use_effect_with(Rc::clone(&props.document), move |document| draft.set((**document).clone()));
    }
    let writable = props.access.can_write();
    let fields = draft.iter().enumerate().map(|(i, (key, value))| {
        let id = format!("field-{i}");
        let oninput = {
            let (draft, key) = (draft.clone(), key.clone());
            Callback::from(move |event: InputEvent| {
                let mut next = (*draft).clone();
                next.insert(key.clone(), event.target_unchecked_into::<HtmlInputElement>().value());
                draft.set(next);
            })
        };
        let remove = {
            let (draft, key) = (draft.clone(), key.clone());
            Callback::from(move |_| {
                let mut next = (*draft).clone();
                next.remove(&key);
                draft.set(next);
            })
        };
        html! {
            <div class="field field-inline" key={key.clone()}>
                <label for={id.clone()}>{ key }</label>
                <input id={id} type="text" value={value.clone()} readonly={!writable} {oninput} />
                if writable {
                    <button type="button" class="secondary" onclick={remove}>
                        { "Remove" }<span class="visually-hidden">{ format!(" {key}") }</span>
                    </button>
                }
            </div>
        }
    });
    let add = {
        let (draft, new_key, new_value) = (draft.clone(), new_key.clone(), new_value.clone());
        Callback::from(move |_| {
            let key = new_key.trim().to_owned();
            if !key.is_empty() {
                let mut next = (*draft).clone();
                next.insert(key, (*new_value).clone());
                draft.set(next);
                new_key.set(String::new());
                new_value.set(String::new());
            }
        })
    };
    let onsubmit = {
        let (draft, on_save) = (draft.clone(), props.on_save.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_save.emit((*draft).clone());
        })
    };
    html! {
        <form class="area-form" {onsubmit} aria-label={format!("{} settings", props.area.label())}>
            if draft.is_empty() {
                <p class="empty">{ "No settings have been stored for this area yet." }</p>
            }
            { for fields }
            if writable {
                <fieldset class="add-field">
                    <legend>{ "Add a field" }</legend>
                    <div class="field field-inline">
                        <label for="new-field-name">{ "Field name" }</label>
                        <input id="new-field-name" type="text" value={(*new_key).clone()} oninput={text_input(&new_key)} />
                        <label for="new-field-value">{ "Value" }</label>
                        <input id="new-field-value" type="text" value={(*new_value).clone()} oninput={text_input(&new_value)} />
                        <button type="button" class="secondary" onclick={add}>{ "Add field" }</button>
                    </div>
                </fieldset>
                <button type="submit" disabled={props.saving}>{ if props.saving { "Saving…" } else { "Save" } }</button>
            } else {
                <p class="hint">{ "You can read these settings but not change them." }</p>
            }
        </form>
    }
}
