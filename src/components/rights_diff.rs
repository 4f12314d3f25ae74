use useradmin_rights::{AreaChange, RoleSet};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RightsDiffSummaryProps {
    pub before: RoleSet,
    pub after: RoleSet,
}

/// What the new roles grant compared with now: areas gained, lost, raised and lowered.
#[component]
pub fn RightsDiffSummary(props: &RightsDiffSummaryProps) -> Html {
    let diff = props.before.changes_to(props.after);
    if diff.is_empty() {
        return html! { <p class="diff diff-none" aria-live="polite">{ "No change in access." }</p> };
    }
    let list = |title: &'static str, class: &'static str, changes: Vec<&AreaChange>| -> Html {
        if changes.is_empty() {
            return Html::default();
        }
        html! {
            <div class={classes!("diff-group", class)}>
                <span class="diff-title">{ title }</span>
                { changes.iter().map(|c| c.area.label()).collect::<Vec<_>>().join(", ") }
            </div>
        }
    };
    html! {
        <div class="diff" aria-live="polite">
            { list("Gains:", "diff-gained", diff.gained().collect()) }
            { list("Loses:", "diff-lost", diff.lost().collect()) }
            { list("Can now change:", "diff-raised", diff.raised().collect()) }
            { list("Read only from now:", "diff-lowered", diff.lowered().collect()) }
        </div>
    }
}
