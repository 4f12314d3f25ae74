//! The REST API under `/api/v1`, one module per resource.

pub mod areas;
pub mod audit_log;
pub mod health;
pub mod invitations;
pub mod me;
pub mod openapi;
pub mod rights;
pub mod session;
pub mod users;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post, put};

use crate::error::ApiError;
use crate::startup::AppState;

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/session", post(session::sign_in).delete(session::sign_out))
        .route("/me", get(me::get_me).patch(me::update_me))
        .route("/me/password", put(me::change_password))
        .route("/rights", get(rights::get_rights))
        .route("/users", get(users::list_users).post(users::invite_user))
        .route("/users/{id}", axum::routing::patch(users::update_user).delete(users::remove_user))
        .route("/users/{id}/invitation", post(users::resend_invitation))
        .route("/invitations/{token}", get(invitations::get_invitation))
        .route("/invitations/{token}/accept", post(invitations::accept_invitation))
        .route("/areas/{area}", get(areas::get_area).put(areas::put_area))
        .route("/audit-log", get(audit_log::list_events))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// Any path under `/api` that is not an endpoint of `/api/v1`.
pub async fn no_such_api() -> ApiError {
    not_found().await
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "There is no such API endpoint.")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This endpoint does not accept that method.")
}

/// Parses a `{id}` path segment; anything but a number names no user.
pub fn parse_id(text: &str) -> Option<i64> {
    text.parse().ok().filter(|id| *id > 0)
}

/// The 400 for a cursor this server did not hand out.
pub fn invalid_cursor() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
        "The cursor is not one this server handed out; start again from the first page.",
    )
}

/// A `limit` query value, clamped to 1..=max, `default` when absent.
pub fn clamp_limit(limit: Option<i64>, default: i64, max: i64) -> i64 {
    limit.unwrap_or(default).clamp(1, max)
}
