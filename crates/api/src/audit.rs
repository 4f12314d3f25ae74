use serde::{Deserialize, Serialize};
use useradmin_rights::RoleSet;

use crate::Timestamp;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    UserInvited,
    InvitationResent,
    UserRegistered,
    UserUpdated,
    UserRemoved,
    InvitationRevoked,
    AreaUpdated,
    SignInFailed,
    PasswordChanged,
    WrongPassword,
    SignInThrottled,
    UserDeactivated,
    UserReactivated,
    PasswordResetRequested,
    PasswordReset,
}

impl AuditAction {
    pub const ALL: [AuditAction; 15] = [
        AuditAction::UserInvited,
        AuditAction::InvitationResent,
        AuditAction::UserRegistered,
        AuditAction::UserUpdated,
        AuditAction::UserRemoved,
        AuditAction::InvitationRevoked,
        AuditAction::AreaUpdated,
        AuditAction::SignInFailed,
        AuditAction::PasswordChanged,
        AuditAction::WrongPassword,
        AuditAction::SignInThrottled,
        AuditAction::UserDeactivated,
        AuditAction::UserReactivated,
        AuditAction::PasswordResetRequested,
        AuditAction::PasswordReset,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            AuditAction::UserInvited => "user_invited",
            AuditAction::InvitationResent => "invitation_resent",
            AuditAction::UserRegistered => "user_registered",
            AuditAction::UserUpdated => "user_updated",
            AuditAction::UserRemoved => "user_removed",
            AuditAction::InvitationRevoked => "invitation_revoked",
            AuditAction::AreaUpdated => "area_updated",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::WrongPassword => "wrong_password",
            AuditAction::SignInThrottled => "sign_in_throttled",
            AuditAction::UserDeactivated => "user_deactivated",
            AuditAction::UserReactivated => "user_reactivated",
            AuditAction::PasswordResetRequested => "password_reset_requested",
            AuditAction::PasswordReset => "password_reset",
        }
    }

    pub fn from_key(key: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|action| action.key() == key)
    }

    /// A phrase for people: "invited", "changed".
    pub const fn describe(self) -> &'static str {
        match self {
            AuditAction::UserInvited => "invited",
            AuditAction::InvitationResent => "resent the invitation to",
            AuditAction::UserRegistered => "completed registration",
            AuditAction::UserUpdated => "changed",
            AuditAction::UserRemoved => "removed",
            AuditAction::InvitationRevoked => "revoked the invitation of",
            AuditAction::AreaUpdated => "changed the settings of",
            AuditAction::SignInFailed => "failed to sign in as",
            AuditAction::PasswordChanged => "changed the password of",
            AuditAction::WrongPassword => "gave a wrong password for",
            AuditAction::SignInThrottled => "was made to wait signing in as",
            AuditAction::UserDeactivated => "deactivated",
            AuditAction::UserReactivated => "reactivated",
            AuditAction::PasswordResetRequested => "asked for a password reset link for",
            AuditAction::PasswordReset => "reset the password of",
        }
    }
}

/// The name and roles of a user before or after an event, where they matter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_role_set))]
    pub roles: Option<RoleSet>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    /// The e-mail of who did it; `None` for the system or an anonymous caller.
    pub actor: Option<String>,
    pub action: AuditAction,
    /// The e-mail of the user or the key of the area it was done to.
    pub target: Option<String>,
    pub before: Option<AuditState>,
    pub after: Option<AuditState>,
    /// How many attempts one entry stands for, where they are counted in one
    /// (`sign_in_throttled`: per account and 15 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
}

/// `GET /audit-log`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    pub next_cursor: Option<String>,
}
