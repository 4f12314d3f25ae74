use serde::{Deserialize, Serialize};
use useradmin_rights::RoleSet;

use crate::{ErrorDetail, Timestamp};

/// Where an account stands: invited, registered and active, or registered and deactivated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Pending,
    Registered,
    /// Registered, but cannot sign in until reactivated; roles and history are kept.
    Deactivated,
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [UserStatus::Pending, UserStatus::Registered, UserStatus::Deactivated];

    pub const fn key(self) -> &'static str {
        match self {
            UserStatus::Pending => "pending",
            UserStatus::Registered => "registered",
            UserStatus::Deactivated => "deactivated",
        }
    }

    pub fn from_key(key: &str) -> Option<UserStatus> {
        UserStatus::ALL.into_iter().find(|status| status.key() == key)
    }

    /// Whether the user completed registration (active or not).
    pub const fn is_registered(self) -> bool {
        matches!(self, UserStatus::Registered | UserStatus::Deactivated)
    }
}

/// A row of the user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub email: String,
    /// `None` until the invitee registers or an administrator names them.
    pub name: Option<String>,
    pub status: UserStatus,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::role_set))]
    pub roles: RoleSet,
    /// Increases with every change; sent back with an edit to detect a concurrent one.
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub invited_at: Timestamp,
    /// When the last invitation mail was sent (pending users only).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub invitation_sent_at: Option<Timestamp>,
    /// When the current invitation link stops working (pending users only).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub invitation_expires_at: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub registered_at: Option<Timestamp>,
    /// When the user was deactivated (deactivated users only).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub deactivated_at: Option<Timestamp>,
    /// When the user last signed in with their password; `None` if never since registering.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_sign_in_at: Option<Timestamp>,
}

/// The choices of the user list's filter "Not signed in for N days".
pub const INACTIVE_DAYS_CHOICES: [u32; 4] = [30, 90, 180, 365];

/// `GET /users`: one page of users, and the cursor of the next page if there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    pub items: Vec<User>,
    pub next_cursor: Option<String>,
}

/// How many times one user's invitation may be resent within an hour; the server answers a
/// further resend with 429 and `Retry-After`, and the browser says so.
pub const RESENDS_PER_HOUR: u32 = 3;

/// `POST /users`: invite a colleague.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteUser {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::email))]
    pub email: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::role_set))]
    pub roles: RoleSet,
}

/// `PATCH /users/{id}`: change the name and/or the roles of the user at `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_name))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_role_set))]
    pub roles: Option<RoleSet>,
    /// The `version` of the user as the editor saw it; versions start at 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
}

/// `POST /users/{id}/deactivate` and `POST /users/{id}/reactivate`: the version the
/// administrator saw, so that a change made meanwhile is not overridden unseen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserVersion {
    pub version: i64,
}

/// The 409 body of a stale edit: the error and the user as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictBody {
    pub error: ErrorDetail,
    pub current: User,
}
