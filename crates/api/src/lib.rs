//! The JSON wire types of `/api/v1`, shared by the browser app and the server, so that both
//! sides agree on every field at compile time.

mod error;
mod rights;

pub use error::{ErrorBody, ErrorDetail};
pub use rights::{AreaRights, RightsMatrix, RoleInfo, SectionRights};
