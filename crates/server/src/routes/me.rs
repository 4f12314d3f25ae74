//! The signed-in user's own account. Open to everyone signed in, whatever their roles; a write
//! changes only the caller's account (`CurrentUser::begin_own_write`).

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use useradmin_api::{AuditAction, AuditState, ChangePassword, ConfirmPassword, ErrorBody, Me, UpdateMe};

use crate::audit;
use crate::auth::{self, AuthError, CurrentUser};
use crate::db::now;
use crate::domain::{HashingBusy, InvalidName, InvalidPassword, Password, UserName, password};
use crate::error::{ApiError, ApiJson};
use crate::rate_limit::{self, Limit};
use crate::state::AppState;
use crate::store::{self, UserChange};

#[derive(Debug, thiserror::Error)]
pub enum MeError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    InvalidName(#[from] InvalidName),
    #[error(transparent)]
    InvalidPassword(#[from] InvalidPassword),
    #[error("The password is wrong.")]
    WrongCurrentPassword,
    #[error("The password was wrong too often. Wait a few minutes and try again.")]
    TooManyWrongPasswords { retry_after_s: u64 },
    #[error(transparent)]
    Busy(#[from] HashingBusy),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<MeError> for ApiError {
    fn from(error: MeError) -> ApiError {
        let message = error.to_string();
        match error {
            MeError::Auth(error) => error.into(),
            MeError::InvalidName(error) => error.into(),
            MeError::InvalidPassword(error) => error.into(),
            MeError::WrongCurrentPassword => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_current_password", message)
            }
            MeError::TooManyWrongPasswords { retry_after_s } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", message)
                    .with_retry_after(retry_after_s)
            }
            MeError::Busy(error) => error.into(),
            MeError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for MeError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// `GET /me`: who is signed in and which areas they can see.
#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn get_me(user: CurrentUser) -> Json<Me> {
    Json(user.me())
}

/// `PATCH /me`: change one's own name; open to every signed-in user.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", request_body = UpdateMe,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<UpdateMe>,
) -> Result<Json<Me>, MeError> {
    let name = UserName::parse(&body.name)?;
    let mut tx = user.begin_own_write(&state.db).await?;
    store::change_user(&mut **tx, user.id, UserChange { name: Some(&name), ..Default::default() }).await?;
    audit::record(
        &mut **tx,
        AuditAction::UserUpdated,
        audit::Entry {
            actor: Some(&user.email),
            target: Some(&user.email),
            before: Some(AuditState { name: user.name.clone(), roles: None }),
            after: Some(AuditState { name: Some(name.as_str().to_owned()), roles: None }),
        },
    )
    .await?;
    tx.commit().await?;
    let mut me = user.me();
    me.name = Some(name.into_inner());
    Ok(Json(me))
}

/// Checks `candidate` against the signed-in user's password, within [`Limit::WrongPasswords`];
/// a wrong one is audited. A right one hands back the counted attempt, to forget once the
/// change is made, and the hashing slot it was checked in.
async fn check_password(
    state: &AppState,
    user: &CurrentUser,
    candidate: String,
) -> Result<(i64, tokio::sync::OwnedSemaphorePermit), MeError> {
    let account = user.id.to_string();
    // Counted before the check, in one transaction with the limit, like sign-in attempts.
    let mut tx = user.begin_own_write(&state.db).await?;
    if let Some(retry_after_s) = rate_limit::exceeded(&mut **tx, Limit::WrongPasswords, &account).await? {
        return Err(MeError::TooManyWrongPasswords { retry_after_s });
    }
    let attempt = rate_limit::record(&mut **tx, Limit::WrongPasswords, &account).await?;
    tx.commit().await?;
    let stored: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.id)
        .fetch_one(&state.db.pool)
        .await
        .context("reading the password hash")?;
    let slot = state.hash_slots.acquire().await?;
    if !password::verify(candidate, stored).await? {
        audit::record(
            &state.db.pool,
            AuditAction::WrongPassword,
            audit::Entry { actor: Some(&user.email), target: Some(&user.email), ..Default::default() },
        )
        .await?;
        return Err(MeError::WrongCurrentPassword);
    }
    Ok((attempt, slot))
}

/// `PUT /me/password`: change one's own password. Every session of the user ends, this one
/// included: the browser gets a new session cookie (a token someone may have copied dies).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "me", request_body = ChangePassword,
    responses((status = 204, description = "Changed; a new session cookie is set"), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Response, MeError> {
    let inputs: Vec<&str> = std::iter::once(user.email.as_str()).chain(user.name.as_deref()).collect();
    let new_password = Password::parse_for(&body.new_password, &inputs)?;
    let (attempt, slot) = check_password(&state, &user, body.current_password).await?;
    let hash = new_password.hash().await?;
    drop(slot);
    let mut tx = user.begin_own_write(&state.db).await?;
    rate_limit::forget_one(&mut **tx, attempt).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash.0)
        .bind(user.id)
        .execute(&mut **tx)
        .await
        .context("storing the new password")?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.id)
        .execute(&mut **tx)
        .await
        .context("ending the sessions")?;
    let cookie = auth::start_session(&mut tx, user.id, state.secure_cookies).await?;
    audit::record(
        &mut **tx,
        AuditAction::PasswordChanged,
        audit::Entry { actor: Some(&user.email), target: Some(&user.email), ..Default::default() },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

/// `POST /session/password`: enter the password again; for the next 10 minutes this session
/// may grant Administrator and remove users (answered `403 password_required` otherwise).
#[utoipa::path(post, path = "/api/v1/session/password", tag = "session", request_body = ConfirmPassword,
    responses((status = 204, description = "Confirmed"), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn confirm_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ConfirmPassword>,
) -> Result<StatusCode, MeError> {
    let (attempt, slot) = check_password(&state, &user, body.password).await?;
    drop(slot);
    let mut tx = user.begin_own_write(&state.db).await?;
    rate_limit::forget_one(&mut **tx, attempt).await?;
    sqlx::query("UPDATE sessions SET password_at = $1 WHERE token_hash = $2")
        .bind(now().millis())
        .bind(&user.session_hash)
        .execute(&mut **tx)
        .await
        .context("noting the confirmed password")?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
