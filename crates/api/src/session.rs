use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use useradmin_rights::{Access, Area, RoleSet};

use crate::Timestamp;

/// `POST /session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// `GET /me`: the signed-in user and what they may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::role_set))]
    pub roles: RoleSet,
    /// Every area the user can see, with `r` or `rw`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::access_map))]
    pub access: BTreeMap<Area, Access>,
}

impl Me {
    /// A user as `/me` shows them: the access map follows from the roles.
    pub fn new(id: i64, email: String, name: Option<String>, roles: RoleSet) -> Me {
        Me { id, email, name, roles, access: Me::access_of(roles) }
    }

    /// The access map of a role set: the visible areas only.
    pub fn access_of(roles: RoleSet) -> BTreeMap<Area, Access> {
        roles.visible_areas().collect()
    }
}

/// `PATCH /me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::name))]
    pub name: String,
}

/// `PUT /me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::password))]
    pub new_password: String,
}

/// `POST /session/password`: the password again, before a dangerous action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmPassword {
    pub password: String,
}

/// `GET /invitations/{token}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationInfo {
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
}

/// `POST /invitations/{token}/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::name))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::password))]
    pub password: String,
}
