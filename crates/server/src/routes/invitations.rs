//! The invitee's side: look at an invitation, and accept it by choosing a name and password.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use sqlx::Row;
use useradmin_api::{AcceptInvitation, AuditAction, AuditState, ErrorBody, InvitationInfo, Me, Timestamp};

use crate::audit;
use crate::auth::{self, AuthError};
use crate::db::now;
use crate::domain::{Password, Token, UserName};
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::startup::AppState;
use crate::store::parse_roles;

#[derive(Debug)]
pub enum InvitationError {
    Auth(AuthError),
    NotFound,
    Expired,
    InvalidName(String),
    InvalidPassword(String),
    Unexpected(anyhow::Error),
}

impl From<InvitationError> for ApiError {
    fn from(error: InvitationError) -> ApiError {
        use StatusCode as S;
        match error {
            InvitationError::Auth(error) => error.into(),
            InvitationError::NotFound => ApiError::new(
                S::NOT_FOUND,
                "invitation_not_found",
                "This invitation link is not valid or has already been used. Ask an administrator to resend the invitation.",
            ),
            InvitationError::Expired => ApiError::new(
                S::GONE,
                "invitation_expired",
                "This invitation link has expired. Ask an administrator to resend the invitation.",
            ),
            InvitationError::InvalidName(message) => ApiError::new(S::UNPROCESSABLE_ENTITY, "invalid_name", message),
            InvitationError::InvalidPassword(message) => {
                ApiError::new(S::UNPROCESSABLE_ENTITY, "invalid_password", message)
            }
            InvitationError::Unexpected(error) => ApiError::internal(&error),
        }
    }
}
crate::route_error!(InvitationError);

struct Pending {
    id: i64,
    email: String,
    roles: String,
    expires_at: i64,
}

async fn find_pending<'e, E>(executor: E, token: &str) -> Result<Pending, InvitationError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let token = Token::from_received(token).ok_or(InvitationError::NotFound)?;
    let row = sqlx::query(
        "SELECT id, email, roles, invitation_expires_at FROM users \
         WHERE invitation_token_hash = $1 AND registered_at IS NULL",
    )
    .bind(token.hash())
    .fetch_optional(executor)
    .await?
    .ok_or(InvitationError::NotFound)?;
    let pending = Pending {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        roles: row.try_get("roles")?,
        expires_at: row.try_get::<Option<i64>, _>("invitation_expires_at")?.unwrap_or(0),
    };
    if pending.expires_at <= now().millis() {
        return Err(InvitationError::Expired);
    }
    Ok(pending)
}

/// `GET /invitations/{token}`: whom the invitation is for and until when it works.
#[utoipa::path(get, path = "/api/v1/invitations/{token}", tag = "invitations",
    params(("token" = String, Path, description = "The token from the invitation link")),
    responses((status = 200, body = InvitationInfo), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn get_invitation(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<InvitationInfo>, InvitationError> {
    let pending = find_pending(&state.db.pool, &token).await?;
    Ok(Json(InvitationInfo { email: pending.email, expires_at: Timestamp(pending.expires_at) }))
}

/// `POST /invitations/{token}/accept`: complete registration and sign in; the link is used up.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "invitations", request_body = AcceptInvitation,
    params(("token" = String, Path, description = "The token from the invitation link")),
    responses((status = 200, body = Me, description = "Registered and signed in; the session cookie is set"),
        (status = 404, body = ErrorBody), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> Result<Response, InvitationError> {
    let name = UserName::parse(&body.name).map_err(InvitationError::InvalidName)?;
    let password = Password::parse(&body.password).map_err(InvitationError::InvalidPassword)?;
    find_pending(&state.db.pool, &token).await?;
    let hash = password.hash().await?;
    let mut tx = state.db.begin_write().await?;
    // Checked again under the write lock: the link works exactly once.
    let pending = find_pending(&mut **tx, &token).await?;
    sqlx::query(
        "UPDATE users SET name = $1, name_lower = $2, password_hash = $3, registered_at = $4, \
         invitation_token_hash = NULL, invitation_sent_at = NULL, invitation_expires_at = NULL, \
         version = version + 1 WHERE id = $5",
    )
    .bind(name.as_str())
    .bind(name.as_str().to_lowercase())
    .bind(&hash.0)
    .bind(now().millis())
    .bind(pending.id)
    .execute(&mut **tx)
    .await?;
    state.mailer.forget_unsent(&mut **tx, &pending.email).await?;
    let cookie = auth::start_session(&mut tx, pending.id, state.secure_cookies).await?;
    let roles = parse_roles(&pending.roles)?;
    audit::record(
        &mut **tx,
        AuditAction::UserRegistered,
        audit::Entry {
            actor: Some(&pending.email),
            target: Some(&pending.email),
            before: None,
            after: Some(AuditState { name: Some(name.as_str().to_owned()), roles: Some(roles) }),
        },
    )
    .await?;
    tx.commit().await?;
    let me = Me::new(pending.id, pending.email, Some(name.into_inner()), roles);
    Ok(([(SET_COOKIE, cookie)], Json(me)).into_response())
}
