//! "Forgot password?": ask for a reset link by e-mail, look at a link, set a new password with
//! it. Nobody is signed in: the writes go through `write::begin_anonymous`, and the link's token
//! is the credential. Asking answers the same sentence, status and about the same time whether
//! or not the address has an account, so that it reveals none.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use sqlx::Row;
use useradmin_api::{
    AuditAction, ErrorBody, Me, PasswordResetInfo, PasswordResetRequested, RESET_REQUESTED, RequestPasswordReset,
    ResetPassword, Timestamp,
};

use crate::client_address::client_address;
use crate::db::now;
use crate::domain::{Email, HashingBusy, InvalidEmail, InvalidPassword, Password, Token, password};
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::rate_limit::{self, Limit};
use crate::state::AppState;
use crate::store::{self, ACTIVE, parse_roles};
use crate::write::{Anonymous, begin_anonymous};
use crate::{audit, auth, device, reset_mail};

/// How long a reset link works.
pub const LINK_TTL_MS: i64 = 60 * 60 * 1000;

/// Every answer to a reset request takes at least this long, so that the time does not tell an
/// address with an account (a token and a mail written) from one without.
const ANSWER_FLOOR: Duration = Duration::from_millis(250);

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error(transparent)]
    InvalidEmail(#[from] InvalidEmail),
    #[error(transparent)]
    InvalidPassword(#[from] InvalidPassword),
    #[error(transparent)]
    Busy(#[from] HashingBusy),
    #[error("Too many reset requests from this address or for this e-mail. Try again later.")]
    TooManyRequests { retry_after_s: u64 },
    #[error("This reset link is not valid, has expired or has already been used. Ask for a new one.")]
    LinkNotValid,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<ResetError> for ApiError {
    fn from(error: ResetError) -> ApiError {
        let message = error.to_string();
        match error {
            ResetError::InvalidEmail(error) => error.into(),
            ResetError::InvalidPassword(error) => error.into(),
            ResetError::Busy(error) => error.into(),
            ResetError::TooManyRequests { retry_after_s } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_reset_requests", message)
                    .with_retry_after(retry_after_s)
            }
            ResetError::LinkNotValid => ApiError::new(StatusCode::GONE, "reset_link_not_valid", message),
            ResetError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for ResetError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// `POST /password-resets`: mail a reset link if the address belongs to an active account.
#[utoipa::path(post, path = "/api/v1/password-resets", tag = "password reset", request_body = RequestPasswordReset,
    responses((status = 202, body = PasswordResetRequested, description = "Always the same sentence, whether or not the account exists"),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "More than 3 requests for this e-mail or 20 from this client address within an hour; see Retry-After")))]
pub async fn request_reset(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RequestPasswordReset>,
) -> Result<(StatusCode, Json<PasswordResetRequested>), ResetError> {
    let started = tokio::time::Instant::now();
    let email = Email::parse(&body.email)?;
    // The same client address as sign-in counts (behind a trusted proxy, the one it names).
    let client = client_address(client.ip(), &headers, &state.settings.trusted_proxies).to_string();
    let answer = mail_a_link(&state, &email, &client).await;
    tokio::time::sleep_until(started + ANSWER_FLOOR).await;
    answer?;
    Ok((StatusCode::ACCEPTED, Json(PasswordResetRequested { message: RESET_REQUESTED.to_owned() })))
}

/// Counts the request against both limits and, when the address has an active account, stores
/// a new token (the user's earlier links stop working) and queues the mail.
async fn mail_a_link(state: &AppState, email: &Email, client: &str) -> Result<(), ResetError> {
    let key = email.key();
    let mut tx = begin_anonymous(&state.db, Anonymous::PasswordReset).await?;
    for (limit, subject) in [(Limit::ResetRequestsPerClient, client), (Limit::ResetMailsPerAddress, key.as_str())] {
        if let Some(retry_after_s) = rate_limit::exceeded(&mut **tx, limit, subject).await? {
            return Err(ResetError::TooManyRequests { retry_after_s });
        }
    }
    rate_limit::record(&mut **tx, Limit::ResetRequestsPerClient, client).await?;
    rate_limit::record(&mut **tx, Limit::ResetMailsPerAddress, &key).await?;
    let account: Option<(i64, String)> =
        sqlx::query_as(&format!("SELECT id, email FROM users WHERE email_lower = $1 AND {ACTIVE}"))
            .bind(&key)
            .fetch_optional(&mut **tx)
            .await
            .context("looking up the account to reset")?;
    if let Some((id, address)) = account {
        let token = Token::generate();
        let now = now();
        let expires = now.plus_millis(LINK_TTL_MS);
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await
            .context("retiring earlier reset links")?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token.hash())
        .bind(id)
        .bind(now.millis())
        .bind(expires.millis())
        .execute(&mut **tx)
        .await
        .context("storing a reset link")?;
        reset_mail::enqueue_link(state, &mut tx, &address, &token, expires).await?;
        audit::record(
            &mut **tx,
            AuditAction::PasswordResetRequested,
            audit::Entry { target: Some(&address), ..Default::default() },
        )
        .await?;
    }
    tx.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// The active user a reset link stands for, while it works.
struct Resetting {
    id: i64,
    email: String,
    name: Option<String>,
    roles: String,
    expires_at: i64,
}

async fn find_link<'e, E>(executor: E, token: &str) -> Result<Resetting, ResetError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let token = Token::from_received(token).ok_or(ResetError::LinkNotValid)?;
    let row = sqlx::query(&format!(
        "SELECT u.id, u.email, u.name, u.roles, r.expires_at FROM password_resets r \
         JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1 AND r.expires_at > $2 AND {ACTIVE}"
    ))
    .bind(token.hash())
    .bind(now().millis())
    .fetch_optional(executor)
    .await
    .context("looking up a reset link")?
    .ok_or(ResetError::LinkNotValid)?;
    let read = |error| anyhow::Error::new(error).context("reading a reset link");
    Ok(Resetting {
        id: row.try_get("id").map_err(read)?,
        email: row.try_get("email").map_err(read)?,
        name: row.try_get("name").map_err(read)?,
        roles: row.try_get("roles").map_err(read)?,
        expires_at: row.try_get("expires_at").map_err(read)?,
    })
}

/// `GET /password-resets/{token}`: whose password the link resets; opening it uses nothing up,
/// so mail scanners that follow links cannot burn it.
#[utoipa::path(get, path = "/api/v1/password-resets/{token}", tag = "password reset",
    params(("token" = String, Path, description = "The token from the reset link")),
    responses((status = 200, body = PasswordResetInfo), (status = 410, body = ErrorBody)))]
pub async fn get_reset(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<PasswordResetInfo>, ResetError> {
    let link = find_link(&state.db.pool, &token).await?;
    Ok(Json(PasswordResetInfo { email: link.email, expires_at: Timestamp(link.expires_at) }))
}

/// `POST /password-resets/{token}`: set the new password; the link is used up, every session of
/// the user ends, a notice is mailed, and this browser is signed in.
#[utoipa::path(post, path = "/api/v1/password-resets/{token}", tag = "password reset", request_body = ResetPassword,
    params(("token" = String, Path, description = "The token from the reset link")),
    responses((status = 200, body = Me, description = "Password set and signed in; the session and device cookies are set"),
        (status = 410, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<ResetPassword>,
) -> Result<Response, ResetError> {
    let password = Password::parse(&body.new_password)?;
    let resetting = find_link(&state.db.pool, &token).await?;
    // The same rules as registering and changing it: not guessable from the user's own details.
    let inputs: Vec<&str> = std::iter::once(resetting.email.as_str()).chain(resetting.name.as_deref()).collect();
    password::check_strength(&body.new_password, &inputs)?;
    let slot = state.hash_slots.acquire().await?;
    let hash = password.hash().await?;
    drop(slot);
    let mut tx = begin_anonymous(&state.db, Anonymous::PasswordReset).await?;
    // Checked again inside, and used up before anything changes: on PostgreSQL, which has no
    // global write lock, a second request with the same link waits on this row and then finds
    // it gone, so the link works exactly once.
    let link = find_link(&mut **tx, &token).await?;
    let received = Token::from_received(&token).ok_or(ResetError::LinkNotValid)?;
    let used = sqlx::query("DELETE FROM password_resets WHERE token_hash = $1")
        .bind(received.hash())
        .execute(&mut **tx)
        .await
        .context("using up the reset link")?;
    if used.rows_affected() != 1 {
        return Err(ResetError::LinkNotValid);
    }
    // Conditional on the user being active still: a deactivation that committed meanwhile wins.
    let set =
        sqlx::query(&format!("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2 AND {ACTIVE}"))
            .bind(&hash.0)
            .bind(link.id)
            .execute(&mut **tx)
            .await
            .context("setting the new password")?;
    if set.rows_affected() != 1 {
        return Err(ResetError::LinkNotValid);
    }
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(link.id)
        .execute(&mut **tx)
        .await
        .context("using up the reset links")?;
    store::end_sessions(&mut **tx, link.id).await?;
    // A new session whose password was just entered (`sessions.password_at`), like a sign-in.
    let cookie = auth::start_session(&mut tx, link.id, state.secure_cookies).await?;
    store::record_sign_in(&mut **tx, link.id, now()).await?;
    reset_mail::enqueue_changed(&state, &mut tx, &link.email).await?;
    audit::record(
        &mut **tx,
        AuditAction::PasswordReset,
        audit::Entry { actor: Some(&link.email), target: Some(&link.email), ..Default::default() },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    // The link proved the mailbox and the password was just chosen: this browser is known to
    // the account's sign-in throttling from now on, as after registering.
    let device_cookie = device::set_cookie(&state.device_key, &link.email.to_lowercase(), state.secure_cookies);
    let device_cookie = HeaderValue::from_str(&device_cookie).context("a device cookie")?;
    let me = Me::new(link.id, link.email, link.name, parse_roles(&link.roles)?);
    Ok((AppendHeaders([(SET_COOKIE, cookie), (SET_COOKIE, device_cookie)]), Json(me)).into_response())
}
