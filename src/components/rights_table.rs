use std::rc::Rc;

use useradmin_api::{AreaRights, RightsMatrix, SectionRights};
use useradmin_rights::Access;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RightsTableProps {
    pub matrix: Rc<RightsMatrix>,
}

/// The matrix as a table: sections as row groups, areas as rows, roles as columns.
#[component]
pub fn RightsTable(props: &RightsTableProps) -> Html {
    let matrix = &props.matrix;
    let columns = matrix.roles.len() + 1;
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Rights matrix">
            <table class="rights-table">
                <caption>{ "Access per role and area" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Area" }</th>
                        { for matrix.roles.iter().map(|role| html! {
                            <th scope="col" key={role.key.key()}>{ &role.name }</th>
                        }) }
                    </tr>
                </thead>
                { for matrix.sections.iter().map(|section| section_rows(section, columns)) }
            </table>
        </div>
    }
}

fn section_rows(section: &SectionRights, columns: usize) -> Html {
    html! {
        <tbody key={section.key.key()}>
            <tr class="section-row">
                <th scope="rowgroup" colspan={columns.to_string()}>{ &section.label }</th>
            </tr>
            { for section.areas.iter().map(area_row) }
        </tbody>
    }
}

fn area_row(area: &AreaRights) -> Html {
    html! {
        <tr key={area.key.key()}>
            <th scope="row">{ &area.label }</th>
            { for area.cells.iter().map(|access| access_cell(*access)) }
        </tr>
    }
}

fn access_cell(access: Access) -> Html {
    let class = match access {
        Access::None => "access access-none",
        Access::Read => "access access-read",
        Access::ReadWrite => "access access-write",
    };
    html! {
        <td class={class}><abbr title={access.describe()}>{ access.symbol() }</abbr></td>
    }
}
