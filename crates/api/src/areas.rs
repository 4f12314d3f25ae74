use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use useradmin_rights::{Access, Area};

use crate::Timestamp;

/// `GET /areas/{area_key}`: the area's settings document and what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaDocument {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::area))]
    pub area: Area,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::access))]
    pub access: Access,
    pub document: BTreeMap<String, String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub updated_at: Option<Timestamp>,
    pub updated_by: Option<String>,
}

/// `PUT /areas/{area_key}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PutAreaDocument {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::area_document))]
    pub document: BTreeMap<String, String>,
}
