//! Signing in and out. Sign-in answers before anyone is signed in: its writes (counting the
//! attempt, starting the session) go through `write::begin_anonymous`.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use sqlx::Row;
use useradmin_api::{AuditAction, ErrorBody, Me, SignIn};

use crate::audit;
use crate::auth::{self, clear_cookie, session_token};
use crate::client_address::client_address;
use crate::device;
use crate::domain::{HashingBusy, password};
use crate::error::{ApiError, ApiJson};
use crate::rate_limit::{self, Limit};
use crate::state::AppState;
use crate::store::parse_roles;
use crate::write::{Anonymous, begin_anonymous};

const ACCOUNT: Limit = Limit::SignInFailuresPerAccount;
const CLIENT: Limit = Limit::SignInFailuresPerClient;
const DEVICE: Limit = Limit::SignInFailuresPerDevice;

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
    Busy(#[from] HashingBusy),
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
            SignInError::Busy(error) => error.into(),
            SignInError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// `POST /session`: sign in with e-mail and password. Throttled as [`Limit`] describes: a
/// browser whose device cookie names the account by its own failures, any other by the
/// account's and the client address's growing delays.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses((status = 200, body = Me, description = "Signed in; the session and device cookies are set"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "The password is right but the account is deactivated"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response, SignInError> {
    let email_key: String = body.email.trim().to_lowercase().chars().take(254).collect();
    let client_key = client_address(client.ip(), &headers, &state.settings.trusted_proxies).to_string();
    let device = device::received(&headers, state.secure_cookies)
        .and_then(|value| state.device_key.verify(value))
        .filter(|device| device.email_key == email_key);
    let subjects: Vec<(Limit, &str)> = match &device {
        Some(device) => vec![(DEVICE, device.nonce.as_str())],
        None => vec![(ACCOUNT, email_key.as_str()), (CLIENT, client_key.as_str())],
    };
    // Most attempts of a guesser are refused: see that without the write lock first. A refusal
    // is counted in one audit entry per account and window, not one each.
    let mut connection = state.db.pool.acquire().await.context("reading the sign-in limits")?;
    if let Some(retry_after_s) = wait(&mut connection, &subjects).await? {
        drop(connection);
        return Err(throttled(&state, &email_key, retry_after_s).await?);
    }
    drop(connection);
    // Count the attempt before checking the password, in one transaction with the check of
    // the limit, so that parallel guesses cannot slip past it.
    let mut tx = begin_anonymous(&state.db, Anonymous::SignIn).await?;
    if let Some(retry_after_s) = wait(&mut tx, &subjects).await? {
        drop(tx);
        return Err(throttled(&state, &email_key, retry_after_s).await?);
    }
    let mut attempts = Vec::with_capacity(subjects.len());
    for (limit, subject) in &subjects {
        attempts.push(rate_limit::record(&mut **tx, *limit, subject).await?);
    }
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
    let slot = state.hash_slots.acquire().await?;
    let matches = password::verify(body.password, stored.clone()).await?;
    drop(slot);
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
    // A success was no failure: forget this attempt, and end the session this browser had
    // before. A known device's earlier failures were its owner mistyping; the account's and
    // the address's stay counted, or a guesser could clear them with an account of their own.
    match &device {
        Some(device) => rate_limit::forget(&mut **tx, DEVICE, &device.nonce, attempts[0]).await?,
        None => {
            for attempt in attempts {
                rate_limit::forget_one(&mut **tx, attempt).await?;
            }
        }
    }
    if let Some(previous) = session_token(&headers, state.secure_cookies) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(previous.hash())
            .execute(&mut **tx)
            .await
            .context("ending the previous session")?;
    }
    let cookie = auth::start_session(&mut tx, id, state.secure_cookies).await?;
    tx.commit().await?;
    record_sign_in(&state, id).await;
    // Known from now on (a new cookie each time: a browser keeps the last account it used).
    let device_cookie = HeaderValue::from_str(&device::set_cookie(&state.device_key, &email_key, state.secure_cookies))
        .context("a device cookie")?;
    let me = Me::new(
        id,
        row.try_get("email").context("reading the account")?,
        row.try_get("name").context("reading the account")?,
        roles,
    );
    Ok((AppendHeaders([(SET_COOKIE, cookie), (SET_COOKIE, device_cookie)]), Json(me)).into_response())
}

/// Records the sign-in time of the user `id` (the user list's "Last sign-in"), apart from the
/// sign-in's transaction: on PostgreSQL a write the user has open holds their row `FOR SHARE`
/// (their rights, `write.rs`), and signing in must not wait for it. Usually written before the
/// answer; while such a write is open, the answer goes after [`RECORD_WAIT`] and the time is
/// written once the write ends.
async fn record_sign_in(state: &AppState, id: i64) {
    let pool = state.db.pool.clone();
    let at = crate::db::now();
    let recording = tokio::spawn(async move {
        if let Err(error) = crate::store::record_sign_in(&pool, id, at).await {
            tracing::error!(id, error = format!("{error:#}"), "recording a sign-in failed");
        }
    });
    let _ = tokio::time::timeout(RECORD_WAIT, recording).await;
}

/// How long a sign-in waits for its time to be recorded before answering anyway.
const RECORD_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// The seconds this attempt must wait, if any: a known device by its own failures, any other
/// browser by the account's and the client address's growing delays.
async fn wait(connection: &mut sqlx::AnyConnection, subjects: &[(Limit, &str)]) -> anyhow::Result<Option<u64>> {
    let mut wait_s = None;
    for (limit, subject) in subjects {
        let wait = if *limit == DEVICE {
            rate_limit::exceeded(&mut *connection, *limit, subject).await?
        } else {
            rate_limit::backoff(&mut *connection, *limit, subject).await?
        };
        wait_s = wait_s.max(wait);
    }
    Ok(wait_s)
}

/// Counts a refused attempt in the account's audit entry of the window; the error to answer.
async fn throttled(state: &AppState, email_key: &str, retry_after_s: u64) -> anyhow::Result<SignInError> {
    let since = crate::db::now().millis() - ACCOUNT.window_ms();
    audit::count(&state.db.pool, AuditAction::SignInThrottled, email_key, since).await?;
    Ok(SignInError::Throttled { retry_after_s })
}

/// `DELETE /session`: sign out; the session is revoked on the server.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204, description = "Signed out; the cookie is cleared")))]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session_token(&headers, state.secure_cookies) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token.hash())
            .execute(&state.db.pool)
            .await
            .context("ending a session")?;
    }
    Ok((StatusCode::NO_CONTENT, [clear_cookie(state.secure_cookies)]).into_response())
}
