//! The JSON wire types of `/api/v1`, shared by the browser app and the server, so that both
//! sides agree on every field at compile time. Request bodies reject unknown fields.

mod areas;
mod audit;
mod error;
#[cfg(feature = "openapi")]
pub mod openapi;
mod rights;
mod session;
mod timestamp;
mod users;
mod validate;

pub use areas::{AreaDocument, PutAreaDocument};
pub use audit::{AuditAction, AuditEvent, AuditPage, AuditState};
pub use error::{ErrorBody, ErrorDetail};
pub use rights::{AreaRights, RightsMatrix, RoleInfo, SectionRights};
pub use session::{
    AcceptInvitation, ChangePassword, ConfirmPassword, InvitationInfo, Me, PasswordResetInfo, PasswordResetRequested,
    RESET_MAILS_PER_HOUR, RESET_REQUESTED, RESET_REQUESTS_PER_CLIENT_PER_HOUR, RequestPasswordReset, ResetPassword,
    SignIn, UpdateMe,
};
pub use timestamp::{ParseTimestampError, Timestamp};
pub use users::{
    ConflictBody, INACTIVE_DAYS_CHOICES, InviteUser, RESENDS_PER_HOUR, UpdateUser, User, UserPage, UserStatus,
    UserVersion,
};
pub use validate::{
    MAX_DOCUMENT_FIELDS, MAX_EMAIL_CHARS, MAX_FIELD_NAME_CHARS, MAX_FIELD_VALUE_CHARS, MAX_NAME_CHARS,
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, check_email, check_name, check_password,
};
