use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use useradmin_rights::{Access, Area};

use crate::Timestamp;

/// `GET /areas/{area_key}`: the area's settings document and what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaDocument {
    pub area: Area,
    pub access: Access,
    pub document: BTreeMap<String, String>,
    pub updated_at: Option<Timestamp>,
    pub updated_by: Option<String>,
}

/// `PUT /areas/{area_key}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutAreaDocument {
    pub document: BTreeMap<String, String>,
}
