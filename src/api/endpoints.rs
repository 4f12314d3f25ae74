//! One typed function per endpoint of `/api/v1`.

use std::collections::BTreeMap;

use useradmin_api::{
    AcceptInvitation, AreaDocument, AuditPage, ChangePassword, ConfirmPassword, InvitationInfo, InviteUser, Me,
    PasswordResetInfo, PasswordResetRequested, PutAreaDocument, RequestPasswordReset, ResetPassword, SignIn, UpdateMe,
    UpdateUser, User, UserPage, UserStatus, UserVersion,
};
use useradmin_rights::{Area, RoleSet};

use super::{ApiError, Body, delete, get, patch, post, put, request};

const NO_BODY: Body<'static, ()> = Body::None;

pub async fn fetch_me() -> Result<Me, ApiError> {
    request(get, "/me", NO_BODY).await
}

pub async fn sign_in(email: &str, password: &str) -> Result<Me, ApiError> {
    let body = SignIn { email: email.to_owned(), password: password.to_owned() };
    request(post, "/session", Body::Json(&body)).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    request(delete, "/session", NO_BODY).await
}

pub async fn update_my_name(name: &str) -> Result<Me, ApiError> {
    request(patch, "/me", Body::Json(&UpdateMe { name: name.to_owned() })).await
}

pub async fn change_my_password(current_password: &str, new_password: &str) -> Result<(), ApiError> {
    let body = ChangePassword { current_password: current_password.to_owned(), new_password: new_password.to_owned() };
    request(put, "/me/password", Body::Json(&body)).await
}

/// Enters the password again, so that this session may grant Administrator and remove users
/// for the next 10 minutes.
pub async fn confirm_password(password: &str) -> Result<(), ApiError> {
    request(post, "/session/password", Body::Json(&ConfirmPassword { password: password.to_owned() })).await
}

/// Query of the user list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserQuery {
    pub search: String,
    pub status: Option<UserStatus>,
    /// Only users not signed in for this many days.
    pub not_signed_in_for_days: Option<u32>,
    pub limit: u32,
    pub cursor: Option<String>,
}

pub async fn list_users(query: &UserQuery) -> Result<UserPage, ApiError> {
    let mut params = vec![format!("limit={}", query.limit.max(1))];
    if !query.search.trim().is_empty() {
        params.push(format!("search={}", js_sys::encode_uri_component(query.search.trim())));
    }
    if let Some(status) = query.status {
        params.push(format!("status={}", status.key()));
    }
    if let Some(days) = query.not_signed_in_for_days {
        params.push(format!("not_signed_in_for_days={days}"));
    }
    if let Some(cursor) = &query.cursor {
        params.push(format!("cursor={}", js_sys::encode_uri_component(cursor)));
    }
    request(get, &format!("/users?{}", params.join("&")), NO_BODY).await
}

pub async fn invite_user(email: &str, roles: RoleSet) -> Result<User, ApiError> {
    request(post, "/users", Body::Json(&InviteUser { email: email.to_owned(), roles })).await
}

pub async fn resend_invitation(id: i64) -> Result<User, ApiError> {
    request(post, &format!("/users/{id}/invitation"), NO_BODY).await
}

pub async fn update_user(
    id: i64,
    name: Option<String>,
    roles: Option<RoleSet>,
    version: i64,
) -> Result<User, ApiError> {
    request(patch, &format!("/users/{id}"), Body::Json(&UpdateUser { name, roles, version })).await
}

/// Deactivates (`active` false) or reactivates the user `id` at `version`.
pub async fn set_user_active(id: i64, version: i64, active: bool) -> Result<User, ApiError> {
    let verb = if active { "reactivate" } else { "deactivate" };
    request(post, &format!("/users/{id}/{verb}"), Body::Json(&UserVersion { version })).await
}

pub async fn remove_user(id: i64) -> Result<(), ApiError> {
    request(delete, &format!("/users/{id}"), NO_BODY).await
}

/// "Forgot password?": asks for a reset link; the answer is the same for every address.
pub async fn request_password_reset(email: &str) -> Result<PasswordResetRequested, ApiError> {
    request(post, "/password-resets", Body::Json(&RequestPasswordReset { email: email.to_owned() })).await
}

pub async fn fetch_password_reset(token: &str) -> Result<PasswordResetInfo, ApiError> {
    request(get, &format!("/password-resets/{}", js_sys::encode_uri_component(token)), NO_BODY).await
}

/// Sets the new password with a reset link; signs this browser in.
pub async fn reset_password(token: &str, new_password: &str) -> Result<Me, ApiError> {
    let body = ResetPassword { new_password: new_password.to_owned() };
    request(post, &format!("/password-resets/{}", js_sys::encode_uri_component(token)), Body::Json(&body)).await
}

pub async fn fetch_invitation(token: &str) -> Result<InvitationInfo, ApiError> {
    request(get, &format!("/invitations/{}", js_sys::encode_uri_component(token)), NO_BODY).await
}

pub async fn accept_invitation(token: &str, name: &str, password: &str) -> Result<Me, ApiError> {
    let body = AcceptInvitation { name: name.to_owned(), password: password.to_owned() };
    request(post, &format!("/invitations/{}/accept", js_sys::encode_uri_component(token)), Body::Json(&body)).await
}

pub async fn fetch_area(area: Area) -> Result<AreaDocument, ApiError> {
    request(get, &format!("/areas/{}", area.key()), NO_BODY).await
}

pub async fn save_area(area: Area, document: BTreeMap<String, String>) -> Result<AreaDocument, ApiError> {
    request(put, &format!("/areas/{}", area.key()), Body::Json(&PutAreaDocument { document })).await
}

pub async fn fetch_audit_log(cursor: Option<&str>) -> Result<AuditPage, ApiError> {
    let path = match cursor {
        Some(cursor) => format!("/audit-log?limit=100&cursor={}", js_sys::encode_uri_component(cursor)),
        None => "/audit-log?limit=100".to_owned(),
    };
    request(get, &path, NO_BODY).await
}
