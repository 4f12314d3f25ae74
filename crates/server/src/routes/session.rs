//! Signing in and out. Sign-in answers before anyone is signed in: its writes (counting the
//! attempt, starting the session) go through `write::begin_anonymous`.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sqlx::Row;
use useradmin_api::{AuditAction, ErrorBody, Me, SignIn};

use crate::audit;
use crate::auth::{self, clear_cookie, session_token};
use crate::domain::password;
use crate::error::{ApiError, ApiJson};
use crate::rate_limit::{self, Limit};
use crate::state::AppState;
use crate::store::parse_roles;
use crate::write::{Anonymous, begin_anonymous};

const ACCOUNT: Limit = Limit::SignInFailuresPerAccount;
const CLIENT: Limit = Limit::SignInFailuresPerClient;

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("The e-mail or the password is wrong.")]
    WrongCredentials,
    /// Told only after a correct password, so that it reveals nothing to a guesser.
    #[error("This account is deactivated. Ask an administrator to reactivate it.")]
    Deactivated,
    #[error("Too many failed sign-ins. Wait a few minutes and try again.")]
    Throttled { retry_after_s: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<SignInError> for ApiError {
    fn from(error: SignInError) -> ApiError {
        let message = error.to_string();
        match error {
            SignInError::WrongCredentials => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", message),
            SignInError::Deactivated => ApiError::new(StatusCode::FORBIDDEN, "account_deactivated", message),
            SignInError::Throttled { retry_after_s } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", message)
                    .with_retry_after(retry_after_s)
            }
            SignInError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// `POST /session`: sign in with e-mail and password.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses((status = 200, body = Me, description = "Signed in; the session cookie is set"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "The password is right but the account is deactivated"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response, SignInError> {
    let email_key: String = body.email.trim().to_lowercase().chars().take(254).collect();
    let client_key = client.ip().to_string();
    // Count the attempt before checking the password, in one transaction with the check of
    // the limit, so that parallel guesses cannot slip past it.
    let mut tx = begin_anonymous(&state.db, Anonymous::SignIn).await?;
    let subjects = [(ACCOUNT, email_key.as_str()), (CLIENT, client_key.as_str())];
    for (limit, subject) in subjects {
        if let Some(retry_after_s) = rate_limit::exceeded(&mut **tx, limit, subject).await? {
            audit::record(
                &mut **tx,
                AuditAction::SignInFailed,
                audit::Entry { target: Some(&email_key), ..Default::default() },
            )
            .await?;
            tx.commit().await?;
            return Err(SignInError::Throttled { retry_after_s });
        }
    }
    let client_attempt = rate_limit::record(&mut **tx, CLIENT, &client_key).await?;
    rate_limit::record(&mut **tx, ACCOUNT, &email_key).await?;
    tx.commit().await?;

    let row = sqlx::query(
        "SELECT id, email, name, roles, password_hash, deactivated_at FROM users \
         WHERE email_lower = $1 AND registered_at IS NOT NULL",
    )
    .bind(&email_key)
    .fetch_optional(&state.db.pool)
    .await
    .context("looking up the account")?;
    let stored: Option<String> =
        row.as_ref().map(|r| r.try_get("password_hash")).transpose().context("reading the password hash")?;
    let matches = password::verify(body.password, stored.clone()).await?;
    let Some(row) = row.filter(|_| matches && stored.is_some()) else {
        audit::record(
            &state.db.pool,
            AuditAction::SignInFailed,
            audit::Entry { target: Some(&email_key), ..Default::default() },
        )
        .await?;
        return Err(SignInError::WrongCredentials);
    };
    let deactivated: Option<i64> = row.try_get("deactivated_at").context("reading the account")?;
    if deactivated.is_some() {
        audit::record(
            &state.db.pool,
            AuditAction::SignInFailed,
            audit::Entry { target: Some(&email_key), ..Default::default() },
        )
        .await?;
        return Err(SignInError::Deactivated);
    }
    let id: i64 = row.try_get("id").context("reading the account")?;
    let roles = parse_roles(&row.try_get::<String, _>("roles").context("reading the account")?)?;
    let mut tx = begin_anonymous(&state.db, Anonymous::SignIn).await?;
    // A success was no failure: forget this attempt and the account's earlier failures, and
    // end the session this browser had before.
    rate_limit::forget(&mut **tx, ACCOUNT, &email_key, client_attempt).await?;
    if let Some(previous) = session_token(&headers) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(previous.hash())
            .execute(&mut **tx)
            .await
            .context("ending the previous session")?;
    }
    let cookie = auth::start_session(&mut tx, id, state.secure_cookies).await?;
    crate::store::record_sign_in(&mut **tx, id, crate::db::now()).await?;
    tx.commit().await?;
    let me = Me::new(
        id,
        row.try_get("email").context("reading the account")?,
        row.try_get("name").context("reading the account")?,
        roles,
    );
    Ok(([(SET_COOKIE, cookie)], Json(me)).into_response())
}

/// `DELETE /session`: sign out; the session is revoked on the server.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204, description = "Signed out; the cookie is cleared")))]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session_token(&headers) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token.hash())
            .execute(&state.db.pool)
            .await
            .context("ending a session")?;
    }
    Ok((StatusCode::NO_CONTENT, [clear_cookie(state.secure_cookies)]).into_response())
}
