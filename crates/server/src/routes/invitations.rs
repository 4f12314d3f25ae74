//! The invitee's side: look at an invitation, and accept it by choosing a name and password.

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use sqlx::Row;
use useradmin_api::{AcceptInvitation, AuditAction, AuditState, ErrorBody, InvitationInfo, Me, Timestamp};

use crate::db::now;
use crate::domain::{HashingBusy, InvalidName, InvalidPassword, Password, Token, UserName, password};
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::{self, parse_roles};
use crate::write::{Anonymous, begin_anonymous};
use crate::{audit, auth, device};

#[derive(Debug, thiserror::Error)]
pub enum InvitationError {
    #[error(
        "This invitation link is not valid or has already been used. Ask an administrator to resend the invitation."
    )]
    NotFound,
    #[error("This invitation link has expired. Ask an administrator to resend the invitation.")]
    Expired,
    #[error(transparent)]
    InvalidName(#[from] InvalidName),
    #[error(transparent)]
    InvalidPassword(#[from] InvalidPassword),
    #[error(transparent)]
    Busy(#[from] HashingBusy),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<InvitationError> for ApiError {
    fn from(error: InvitationError) -> ApiError {
        let message = error.to_string();
        match error {
            InvitationError::NotFound => ApiError::new(StatusCode::NOT_FOUND, "invitation_not_found", message),
            InvitationError::Expired => ApiError::new(StatusCode::GONE, "invitation_expired", message),
            InvitationError::InvalidName(error) => error.into(),
            InvitationError::InvalidPassword(error) => error.into(),
            InvitationError::Busy(error) => error.into(),
            InvitationError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for InvitationError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

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
    .await
    .context("looking up an invitation")?
    .ok_or(InvitationError::NotFound)?;
    let read = |error| anyhow::Error::new(error).context("reading an invitation");
    let pending = Pending {
        id: row.try_get("id").map_err(read)?,
        email: row.try_get("email").map_err(read)?,
        roles: row.try_get("roles").map_err(read)?,
        expires_at: row.try_get::<Option<i64>, _>("invitation_expires_at").map_err(read)?.unwrap_or(0),
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
    responses((status = 200, body = Me, description = "Registered and signed in; the session and device cookies are set"),
        (status = 404, body = ErrorBody), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> Result<Response, InvitationError> {
    let name = UserName::parse(&body.name)?;
    let password = Password::parse(&body.password)?;
    let invited = find_pending(&state.db.pool, &token).await?;
    password::check_strength(&body.password, &[invited.email.as_str(), name.as_str()])?;
    let slot = state.hash_slots.acquire().await?;
    let hash = password.hash().await?;
    drop(slot);
    let mut tx = begin_anonymous(&state.db, Anonymous::Registration).await?;
    // Checked again inside, and the registration is conditional on the token: the link works
    // exactly once.
    let pending = find_pending(&mut **tx, &token).await?;
    let token = Token::from_received(&token).ok_or(InvitationError::NotFound)?;
    if !store::register(&mut **tx, pending.id, &token, &name, &hash, now()).await? {
        return Err(InvitationError::NotFound);
    }
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
    let email_key = pending.email.to_lowercase();
    let me = Me::new(pending.id, pending.email, Some(name.into_inner()), roles);
    // The link proved the mailbox and the password was just chosen: this browser is known to
    // the account's sign-in throttling from now on.
    let device_cookie = device::set_cookie(&state.device_key, &email_key, state.secure_cookies);
    let device_cookie = HeaderValue::from_str(&device_cookie).context("a device cookie")?;
    Ok((AppendHeaders([(SET_COOKIE, cookie), (SET_COOKIE, device_cookie)]), Json(me)).into_response())
}
