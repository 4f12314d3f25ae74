//! The signed-in user's own account. Open to everyone signed in, whatever their roles; a write
//! changes only the caller's account (`CurrentUser::begin_own_write`).

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use useradmin_api::{AuditAction, AuditState, ChangePassword, ErrorBody, Me, UpdateMe};

use crate::audit;
use crate::auth::{AuthError, CurrentUser};
use crate::domain::{InvalidName, InvalidPassword, Password, UserName, password};
use crate::error::{ApiError, ApiJson};
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
    #[error("The current password is wrong.")]
    WrongCurrentPassword,
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

/// `PUT /me/password`: change one's own password; the other sessions of the user end.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "me", request_body = ChangePassword,
    responses((status = 204, description = "Changed"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<StatusCode, MeError> {
    let new_password = Password::parse(&body.new_password)?;
    let stored: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.id)
        .fetch_one(&state.db.pool)
        .await
        .context("reading the password hash")?;
    if !password::verify(body.current_password, stored).await? {
        return Err(MeError::WrongCurrentPassword);
    }
    let hash = new_password.hash().await?;
    let mut tx = user.begin_own_write(&state.db).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash.0)
        .bind(user.id)
        .execute(&mut **tx)
        .await
        .context("storing the new password")?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.id)
        .bind(&user.session_hash)
        .execute(&mut **tx)
        .await
        .context("ending the other sessions")?;
    audit::record(
        &mut **tx,
        AuditAction::PasswordChanged,
        audit::Entry { actor: Some(&user.email), target: Some(&user.email), ..Default::default() },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
