//! The user list: list, invite, resend, edit, remove. Every handler checks the caller's rights
//! over User Accounts first.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use useradmin_api::{
    AuditAction, AuditState, ConflictBody, ErrorBody, ErrorDetail, InviteUser, UpdateUser, User, UserPage, UserStatus,
};
use useradmin_rights::{Access, Area, Role, RoleSet};

use crate::auth::{AuthError, CurrentUser};
use crate::db::{millis, now};
use crate::domain::token::hex;
use crate::domain::{Email, SearchTerm, Token, UserName};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::routes::{clamp_limit, parse_id};
use crate::startup::AppState;
use crate::store::{
    USER_COLUMNS, fetch_user_page, find_user, format_roles, insert_pending_user, registered_admins, user_from_row,
};
use crate::user_search::Candidates;
use crate::{audit, invitation_mail, rate_limit, user_search};

/// Resends allowed per user per hour.
pub const RESENDS_PER_HOUR: i64 = 3;
/// The window [`RESENDS_PER_HOUR`] counts over.
pub const RESEND_WINDOW_MS: i64 = 3_600_000;

#[derive(Debug)]
pub enum UsersError {
    Auth(AuthError),
    InvalidCursor,
    NotFound,
    InvalidEmail(String),
    InvalidName(String),
    EmailTaken,
    AlreadyRegistered,
    TooManyResends { retry_after_s: u64 },
    StaleVersion(Box<User>),
    LastAdministrator,
    RemovingYourself,
    Unexpected(anyhow::Error),
}

impl From<UsersError> for ApiError {
    fn from(error: UsersError) -> ApiError {
        use StatusCode as S;
        match error {
            UsersError::Auth(error) => error.into(),
            UsersError::InvalidCursor => crate::routes::invalid_cursor(),
            UsersError::NotFound => ApiError::new(S::NOT_FOUND, "user_not_found", "There is no such user."),
            UsersError::InvalidEmail(message) => ApiError::new(S::UNPROCESSABLE_ENTITY, "invalid_email", message),
            UsersError::InvalidName(message) => ApiError::new(S::UNPROCESSABLE_ENTITY, "invalid_name", message),
            UsersError::EmailTaken => {
                ApiError::new(S::CONFLICT, "email_taken", "A user with this e-mail address already exists.")
            }
            UsersError::AlreadyRegistered => ApiError::new(
                S::CONFLICT,
                "already_registered",
                "This user has already completed registration; there is no invitation to resend.",
            ),
            UsersError::TooManyResends { retry_after_s } => ApiError::new(
                S::TOO_MANY_REQUESTS,
                "too_many_resends",
                format!("The invitation was resent {RESENDS_PER_HOUR} times in the last hour. Try again later."),
            )
            .with_retry_after(retry_after_s),
            UsersError::StaleVersion(_) => version_conflict(),
            UsersError::LastAdministrator => ApiError::new(
                S::CONFLICT,
                "last_administrator",
                "This would leave no registered Administrator. Make someone else an Administrator first.",
            ),
            UsersError::RemovingYourself => {
                ApiError::new(S::CONFLICT, "cannot_remove_yourself", "You cannot remove your own account.")
            }
            UsersError::Unexpected(error) => ApiError::internal(&error),
        }
    }
}

fn version_conflict() -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "version_conflict", "Someone else changed this user meanwhile.")
}

impl IntoResponse for UsersError {
    fn into_response(self) -> Response {
        match self {
            UsersError::StaleVersion(current) => {
                let body = ConflictBody {
                    error: ErrorDetail {
                        code: "version_conflict".to_owned(),
                        message: "Someone else changed this user meanwhile. Review their change and save again."
                            .to_owned(),
                    },
                    current: *current,
                };
                (StatusCode::CONFLICT, Json(body)).into_response()
            }
            other => ApiError::from(other).into_response(),
        }
    }
}

crate::route_error!(UsersError, own_response);

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Matches name or e-mail, case-insensitive.
    search: Option<String>,
    status: Option<UserStatus>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page (hexadecimal).
    #[param(pattern = "^([0-9a-f]{2})*$")]
    cursor: Option<String>,
}

/// `GET /users`: a page of users ordered by e-mail.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListParams),
    responses((status = 200, body = UserPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<UserPage>, UsersError> {
    user.require(Area::UserAccounts, Access::Read)?;
    let limit = clamp_limit(params.limit, 50, 500);
    let after = match params.cursor.as_deref() {
        Some(cursor) => decode_cursor(cursor).ok_or(UsersError::InvalidCursor)?,
        None => String::new(),
    };
    let term = params.search.as_deref().and_then(SearchTerm::parse);
    let candidates = match &term {
        Some(term) => user_search::candidates(&state.db, term).await?,
        None => None,
    };
    let mut sql = format!("SELECT {USER_COLUMNS}, email_lower FROM users WHERE email_lower > $1");
    let mut next_param = 2;
    if candidates.is_some() {
        sql.push_str(&format!(" AND {}", Candidates::condition(state.db.engine, next_param)));
        next_param += 1;
    }
    if term.is_some() {
        sql.push_str(&format!(
            " AND (email_lower LIKE ${next_param} ESCAPE '\\' OR name_lower LIKE ${next_param} ESCAPE '\\')"
        ));
        next_param += 1;
    }
    match params.status {
        Some(UserStatus::Pending) => sql.push_str(" AND registered_at IS NULL"),
        Some(UserStatus::Registered) => sql.push_str(" AND registered_at IS NOT NULL"),
        None => {}
    }
    sql.push_str(&format!(" ORDER BY email_lower LIMIT ${next_param}"));
    let rows = fetch_user_page(&state.db, &sql, move |query| {
        let mut query = query.bind(after);
        if let Some(candidates) = candidates {
            query = query.bind(candidates.into_json());
        }
        if let Some(term) = term {
            query = query.bind(term.like_pattern());
        }
        query.bind(limit + 1)
    })
    .await?;
    let has_more = rows.len() as i64 > limit;
    let next_cursor = if has_more { Some(hex(rows[limit as usize - 1].1.as_bytes())) } else { None };
    let items = rows.into_iter().take(limit as usize).map(|(user, _)| user).collect();
    Ok(Json(UserPage { items, next_cursor }))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| cursor.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect();
    // A cursor is an address this server handed out, which has no control characters; a NUL
    // would reach PostgreSQL, which refuses it in text (500).
    bytes.and_then(|bytes| String::from_utf8(bytes).ok()).filter(|text| !text.chars().any(char::is_control))
}

/// `POST /users`: invite a colleague by e-mail, optionally with roles.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = InviteUser,
    responses((status = 201, body = User), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<InviteUser>,
) -> Result<(StatusCode, Json<User>), UsersError> {
    user.require(Area::UserAccounts, Access::ReadWrite)?;
    let email = Email::parse(&body.email).map_err(UsersError::InvalidEmail)?;
    let token = Token::generate();
    let now = now();
    let expires = now.plus_millis(millis(state.settings.invitation_ttl));
    let mut tx = state.db.begin_write().await?;
    crate::auth::recheck(&mut tx, user.id, Area::UserAccounts, Access::ReadWrite).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email_lower = $1")
        .bind(email.key())
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(UsersError::EmailTaken);
    }
    let invited = insert_pending_user(&mut **tx, &email, body.roles, &token, now, expires).await?;
    invitation_mail::enqueue(&state, &mut tx, email.as_str(), &token, expires, Some(&user.email)).await?;
    audit::record(
        &mut **tx,
        AuditAction::UserInvited,
        audit::Entry {
            actor: Some(&user.email),
            target: Some(email.as_str()),
            after: Some(AuditState { name: None, roles: Some(body.roles) }),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok((StatusCode::CREATED, Json(invited)))
}

/// `POST /users/{id}/invitation`: send a new invitation link; the old one stops working.
#[utoipa::path(post, path = "/api/v1/users/{id}/invitation", tag = "users",
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 202, body = User), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json<User>), UsersError> {
    user.require(Area::UserAccounts, Access::ReadWrite)?;
    let id = parse_id(&id).ok_or(UsersError::NotFound)?;
    let mut tx = state.db.begin_write().await?;
    crate::auth::recheck(&mut tx, user.id, Area::UserAccounts, Access::ReadWrite).await?;
    let target = find_user(&mut **tx, id).await?.ok_or(UsersError::NotFound)?;
    if target.status == UserStatus::Registered {
        return Err(UsersError::AlreadyRegistered);
    }
    let subject = id.to_string();
    if let Some(retry_after_s) =
        rate_limit::exceeded(&mut **tx, "invitation_resend", &subject, RESENDS_PER_HOUR, RESEND_WINDOW_MS).await?
    {
        return Err(UsersError::TooManyResends { retry_after_s });
    }
    let token = Token::generate();
    let now = now();
    let expires = now.plus_millis(millis(state.settings.invitation_ttl));
    let updated = sqlx::query(&format!(
        "UPDATE users SET invitation_token_hash = $1, invitation_sent_at = $2, invitation_expires_at = $3, \
         version = version + 1 WHERE id = $4 RETURNING {USER_COLUMNS}"
    ))
    .bind(token.hash())
    .bind(now.millis())
    .bind(expires.millis())
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let updated = user_from_row(&updated)?;
    rate_limit::record(&mut **tx, "invitation_resend", &subject).await?;
    state.mailer.forget_unsent(&mut **tx, &target.email).await?;
    invitation_mail::enqueue(&state, &mut tx, &target.email, &token, expires, Some(&user.email)).await?;
    audit::record(
        &mut **tx,
        AuditAction::InvitationResent,
        audit::Entry { actor: Some(&user.email), target: Some(&target.email), ..Default::default() },
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok((StatusCode::ACCEPTED, Json(updated)))
}

/// `PATCH /users/{id}`: change name and/or roles, at the version the editor saw.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UpdateUser,
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The version is stale (the body is a ConflictBody: the error and `current`, the user as it is now), or the change would leave no registered Administrator"),
        (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateUser>,
) -> Result<Json<User>, UsersError> {
    user.require(Area::UserAccounts, Access::ReadWrite)?;
    let id = parse_id(&id).ok_or(UsersError::NotFound)?;
    let name = body.name.as_deref().map(UserName::parse).transpose().map_err(UsersError::InvalidName)?;
    let mut tx = state.db.begin_write().await?;
    crate::auth::recheck(&mut tx, user.id, Area::UserAccounts, Access::ReadWrite).await?;
    let current = find_user(&mut **tx, id).await?.ok_or(UsersError::NotFound)?;
    if current.version != body.version {
        return Err(UsersError::StaleVersion(Box::new(current)));
    }
    let roles = body.roles.unwrap_or(current.roles);
    let admin = RoleSet::single(Role::Admin);
    if current.status == UserStatus::Registered
        && current.roles == admin
        && roles != admin
        && registered_admins(&mut **tx).await? <= 1
    {
        return Err(UsersError::LastAdministrator);
    }
    let new_name = name.map(UserName::into_inner).or_else(|| current.name.clone());
    let updated = sqlx::query(&format!(
        "UPDATE users SET name = $1, name_lower = $2, roles = $3, version = version + 1 \
         WHERE id = $4 AND version = $5 RETURNING {USER_COLUMNS}"
    ))
    .bind(new_name.as_deref())
    .bind(new_name.as_deref().map(str::to_lowercase))
    .bind(format_roles(roles))
    .bind(id)
    .bind(body.version)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(updated) = updated else {
        return Err(UsersError::StaleVersion(Box::new(current)));
    };
    let updated = user_from_row(&updated)?;
    audit::record(
        &mut **tx,
        AuditAction::UserUpdated,
        audit::Entry {
            actor: Some(&user.email),
            target: Some(&current.email),
            before: Some(AuditState { name: current.name.clone(), roles: Some(current.roles) }),
            after: Some(AuditState { name: new_name, roles: Some(roles) }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(updated))
}

/// `DELETE /users/{id}`: remove a user, or revoke a pending invitation.
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 204, description = "Removed"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, UsersError> {
    user.require(Area::UserAccounts, Access::ReadWrite)?;
    let id = parse_id(&id).ok_or(UsersError::NotFound)?;
    if id == user.id {
        return Err(UsersError::RemovingYourself);
    }
    let mut tx = state.db.begin_write().await?;
    crate::auth::recheck(&mut tx, user.id, Area::UserAccounts, Access::ReadWrite).await?;
    let target = find_user(&mut **tx, id).await?.ok_or(UsersError::NotFound)?;
    let is_admin = target.roles == RoleSet::single(Role::Admin);
    if target.status == UserStatus::Registered && is_admin && registered_admins(&mut **tx).await? <= 1 {
        return Err(UsersError::LastAdministrator);
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut **tx).await?;
    state.mailer.forget_unsent(&mut **tx, &target.email).await?;
    let action = match target.status {
        UserStatus::Pending => AuditAction::InvitationRevoked,
        UserStatus::Registered => AuditAction::UserRemoved,
    };
    audit::record(
        &mut **tx,
        action,
        audit::Entry {
            actor: Some(&user.email),
            target: Some(&target.email),
            before: Some(AuditState { name: target.name.clone(), roles: Some(target.roles) }),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
