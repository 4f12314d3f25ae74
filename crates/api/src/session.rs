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

/// The one answer to `POST /password-resets`, whether or not the account exists, is pending or
/// is deactivated, so that it tells nobody which addresses have accounts.
pub const RESET_REQUESTED: &str = "If an account exists for this address, we have sent a link to reset the password.";

/// How many reset mails one address can be sent within an hour, and how many reset requests one
/// client address may make within an hour; further ones are answered 429 with `Retry-After`.
pub const RESET_MAILS_PER_HOUR: u32 = 3;
pub const RESET_REQUESTS_PER_CLIENT_PER_HOUR: u32 = 20;

/// `POST /password-resets`: "Forgot password?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestPasswordReset {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::email))]
    pub email: String,
}

/// The answer to `POST /password-resets`: always [`RESET_REQUESTED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequested {
    pub message: String,
}

/// `GET /password-resets/{token}`: whose password the link resets and until when it works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetInfo {
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
}

/// `POST /password-resets/{token}`: the new password (the browser asks for it twice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::password))]
    pub new_password: String,
}
