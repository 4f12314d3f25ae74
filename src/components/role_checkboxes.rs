use useradmin_rights::{Role, RoleSet};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RoleCheckboxesProps {
    pub roles: RoleSet,
    pub on_change: Callback<RoleSet>,
    /// Makes the element ids unique on the page.
    pub id_prefix: AttrValue,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or(AttrValue::Static("Roles"))]
    pub legend: AttrValue,
}

/// One checkbox per role. Ticking Administrator or ReadOnlyOperations clears and disables the
/// others, and says why.
#[component]
pub fn RoleCheckboxes(props: &RoleCheckboxesProps) -> Html {
    let exclusive = props.roles.exclusive_role();
    let reason_id = format!("{}-roles-reason", props.id_prefix);
    html! {
        <fieldset class="role-checkboxes" disabled={props.disabled}>
            <legend>{ &props.legend }</legend>
            <div class="role-options">
                { for Role::ALL.into_iter().map(|role| {
                    let id = format!("{}-role-{}", props.id_prefix, role.key());
                    let locked = exclusive.is_some_and(|held| held != role);
                    let roles = props.roles;
                    let on_change = props.on_change.clone();
                    let onchange = Callback::from(move |event: Event| {
                        let ticked = event.target_unchecked_into::<HtmlInputElement>().checked();
                        on_change.emit(if ticked { roles.ticked(role) } else { roles.without(role) });
                    });
                    html! {
                        <label key={role.key()} for={id.clone()} class={classes!("role-option", locked.then_some("locked"))}>
                            <input
                                type="checkbox"
                                id={id}
                                checked={props.roles.contains(role)}
                                disabled={locked}
                                aria-describedby={locked.then(|| reason_id.clone())}
                                {onchange}
                            />
                            { role.name() }
                        </label>
                    }
                }) }
            </div>
            if let Some(held) = exclusive {
                <p class="hint" id={reason_id.clone()}>
                    { format!("{} cannot be combined with other roles; untick it to choose others.", held.name()) }
                </p>
            }
        </fieldset>
    }
}
