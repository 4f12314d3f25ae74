//! The REST API under `/api/v1`, one module per resource.

pub mod areas;
pub mod audit_log;
pub mod health;
pub mod invitations;
pub mod me;
pub mod openapi;
pub mod password_reset;
pub mod rights;
pub mod session;
pub mod users;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post, put};
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::security;
use crate::state::AppState;

/// Request bodies larger than this are refused with 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The whole application: the API, the built app at `/`, and the middleware around both.
pub fn router(state: AppState) -> Router {
    let static_dir = &state.settings.static_dir;
    // Precompressed files (`.br`, `.gz`, written by `cargo xtask build`) are served when the
    // browser accepts them; hashed asset names are cached for a year, index.html never.
    let index = ServeFile::new(static_dir.join("index.html")).precompressed_br().precompressed_gzip();
    let app_files = ServeDir::new(static_dir).precompressed_br().precompressed_gzip().fallback(index);
    let routes = Router::new()
        .nest("/api/v1", api())
        .route("/api", axum::routing::any(no_such_api))
        .route("/api/{*rest}", axum::routing::any(no_such_api))
        .route("/healthz", axum::routing::get(health::health));
    #[cfg(feature = "bench-plain")]
    let routes = routes.merge(crate::bench_plain::routes(state.settings.bench_plain_dir.as_deref()));
    routes
        .fallback_service(app_files)
        .layer(middleware::from_fn(security::cache_control))
        .layer(middleware::from_fn_with_state(state.clone(), security::same_origin_writes))
        .layer(middleware::from_fn_with_state(state.clone(), security::known_host))
        .layer(middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/session", post(session::sign_in).delete(session::sign_out))
        .route("/session/password", post(me::confirm_password))
        .route("/me", get(me::get_me).patch(me::update_me))
        .route("/me/password", put(me::change_password))
        .route("/password-resets", post(password_reset::request_reset))
        .route("/password-resets/{token}", get(password_reset::get_reset).post(password_reset::reset_password))
        .route("/rights", get(rights::get_rights))
        .route("/users", get(users::list_users).post(users::invite_user))
        .route("/users/{id}", axum::routing::patch(users::update_user).delete(users::remove_user))
        .route("/users/{id}/invitation", post(users::resend_invitation))
        .route("/users/{id}/deactivate", post(users::deactivate_user))
        .route("/users/{id}/reactivate", post(users::reactivate_user))
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

/// A `limit` query value, clamped to 1..=max, `default` when absent.
pub fn clamp_limit(limit: Option<i64>, default: i64, max: i64) -> i64 {
    limit.unwrap_or(default).clamp(1, max)
}
