use std::rc::Rc;

use useradmin_api::RightsMatrix;
use yew::prelude::*;

use crate::components::RightsTable;

/// "Roles and rights": the reference matrix of what each role may do.
#[component]
pub fn RightsPage() -> Html {
    let matrix = use_memo((), |_| RightsMatrix::current());
    html! {
        <section class="rights-page" aria-labelledby="rights-title">
            <h1 id="rights-title">{ "Roles and rights" }</h1>
            <p class="lead">
                { "Each role grants read and write (rw), read only (r) or no access (-) to an area. \
                   A user with several roles gets the strongest access any of them grants. \
                   Administrator and ReadOnlyOperations cannot be combined with other roles; \
                   a user without roles sees only their own profile." }
            </p>
            <RightsTable matrix={Rc::clone(&matrix)} />
        </section>
    }
}
