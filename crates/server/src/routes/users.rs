//! The user list: list, invite, resend, edit, deactivate, reactivate, remove. Every handler
//! checks the caller's rights over User Accounts first; the writes through
//! `CurrentUser::begin_write` (inviting) or `begin_user_write` (a change to one user, locked),
//! which check them again inside the transaction.

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use useradmin_api::{
    AuditAction, AuditState, ConflictBody, ErrorBody, ErrorDetail, InviteUser, RESENDS_PER_HOUR, UpdateUser, User,
    UserPage, UserStatus, UserVersion,
};
use useradmin_rights::{Access, Area, Role, RoleSet};

use crate::auth::{AuthError, CurrentUser};
use crate::db::{millis, now};
use crate::domain::{
    Email, EmailCursor, InvalidCursor, InvalidEmail, InvalidName, InvalidSearchTerm, SearchTerm, Token, UserId,
    UserName, UserNotFound,
};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::rate_limit::Limit;
use crate::routes::clamp_limit;
use crate::state::AppState;
use crate::store::{
    ACTIVE, USER_COLUMNS, UserChange, active_admins, change_user, fetch_user_page, insert_pending_user,
    rotate_invitation, set_deactivated,
};
use crate::user_search::Candidates;
use crate::write::WriteTx;
use crate::{audit, invitation_mail, rate_limit, store, user_search};

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    InvalidCursor(#[from] InvalidCursor),
    #[error("not_signed_in_for_days must be between 1 and 3650.")]
    InvalidDays,
    #[error(transparent)]
    InvalidSearch(#[from] InvalidSearchTerm),
    #[error(transparent)]
    NotFound(#[from] UserNotFound),
    #[error(transparent)]
    InvalidEmail(#[from] InvalidEmail),
    #[error(transparent)]
    InvalidName(#[from] InvalidName),
    #[error("A user with this e-mail address already exists.")]
    EmailTaken,
    #[error("This user has already completed registration; there is no invitation to resend.")]
    AlreadyRegistered,
    #[error("The invitation was resent {RESENDS_PER_HOUR} times in the last hour. Try again later.")]
    TooManyResends { retry_after_s: u64 },
    /// Answered with a [`ConflictBody`] holding the user as they are now.
    #[error("Someone else changed this user meanwhile. Review their change and save again.")]
    StaleVersion(Box<User>),
    #[error("This would leave no active Administrator. Make someone else an Administrator first.")]
    LastAdministrator,
    #[error("You cannot remove your own account.")]
    RemovingYourself,
    #[error("You cannot deactivate your own account.")]
    DeactivatingYourself,
    #[error("Only a registered user can be deactivated; revoke a pending invitation instead.")]
    NotRegistered,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The code of [`UsersError::StaleVersion`], in its error body and in its [`ConflictBody`].
const VERSION_CONFLICT: &str = "version_conflict";

impl From<UsersError> for ApiError {
    fn from(error: UsersError) -> ApiError {
        use StatusCode as S;
        let message = error.to_string();
        match error {
            UsersError::Auth(error) => error.into(),
            UsersError::InvalidCursor(error) => error.into(),
            UsersError::InvalidSearch(error) => error.into(),
            UsersError::NotFound(error) => error.into(),
            UsersError::InvalidEmail(error) => error.into(),
            UsersError::InvalidName(error) => error.into(),
            UsersError::Unexpected(error) => error.into(),
            UsersError::InvalidDays => ApiError::new(S::BAD_REQUEST, "invalid_query", message),
            UsersError::EmailTaken => ApiError::new(S::CONFLICT, "email_taken", message),
            UsersError::AlreadyRegistered => ApiError::new(S::CONFLICT, "already_registered", message),
            UsersError::TooManyResends { retry_after_s } => {
                ApiError::new(S::TOO_MANY_REQUESTS, "too_many_resends", message).with_retry_after(retry_after_s)
            }
            UsersError::StaleVersion(_) => ApiError::new(S::CONFLICT, VERSION_CONFLICT, message),
            UsersError::LastAdministrator => ApiError::new(S::CONFLICT, "last_administrator", message),
            UsersError::RemovingYourself => ApiError::new(S::CONFLICT, "cannot_remove_yourself", message),
            UsersError::DeactivatingYourself => ApiError::new(S::CONFLICT, "cannot_deactivate_yourself", message),
            UsersError::NotRegistered => ApiError::new(S::CONFLICT, "not_registered", message),
        }
    }
}

impl IntoResponse for UsersError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        match self {
            UsersError::StaleVersion(current) => {
                let body = ConflictBody {
                    error: ErrorDetail { code: VERSION_CONFLICT.to_owned(), message },
                    current: *current,
                };
                (StatusCode::CONFLICT, Json(body)).into_response()
            }
            other => ApiError::from(other).into_response(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Matches name or e-mail, case-insensitive.
    search: Option<String>,
    status: Option<UserStatus>,
    /// Only registered users who have not signed in for this many days (1 to 3650; the app
    /// offers 30, 90, 180 and 365); one who never signed in counts from their registration.
    #[param(minimum = 1, maximum = 3650)]
    not_signed_in_for_days: Option<u32>,
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
        Some(cursor) => EmailCursor::parse(cursor)?.into_key(),
        None => String::new(),
    };
    let term = params.search.as_deref().map(SearchTerm::parse).transpose()?.flatten();
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
        Some(UserStatus::Registered) => sql.push_str(&format!(" AND {ACTIVE}")),
        Some(UserStatus::Deactivated) => sql.push_str(" AND deactivated_at IS NOT NULL"),
        None => {}
    }
    let inactive_since = match params.not_signed_in_for_days {
        Some(days @ 1..=3650) => Some(now().millis() - i64::from(days) * DAY_MS),
        Some(_) => return Err(UsersError::InvalidDays),
        None => None,
    };
    if inactive_since.is_some() {
        // Tested row by row along the e-mail index, like the status filter; a user who never
        // signed in again counts from their registration.
        sql.push_str(&format!(
            " AND registered_at IS NOT NULL AND COALESCE(last_sign_in_at, registered_at) < ${next_param}"
        ));
        next_param += 1;
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
        if let Some(since) = inactive_since {
            query = query.bind(since);
        }
        query.bind(limit + 1)
    })
    .await?;
    let has_more = rows.len() as i64 > limit;
    let next_cursor = if has_more { Some(EmailCursor::after(&rows[limit as usize - 1].1)) } else { None };
    let items = rows.into_iter().take(limit as usize).map(|(user, _)| user).collect();
    Ok(Json(UserPage { items, next_cursor }))
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
    let mut tx = user.begin_write(&state.db, Area::UserAccounts, Access::ReadWrite).await?;
    let email = Email::parse(&body.email)?;
    let token = Token::generate();
    let now = now();
    let expires = now.plus_millis(millis(state.settings.invitation_ttl));
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email_lower = $1")
        .bind(email.key())
        .fetch_optional(&mut **tx)
        .await
        .context("looking for the e-mail address")?;
    if taken.is_some() {
        return Err(UsersError::EmailTaken);
    }
    // Another invitation of this address may have been inserted since the look-up: the unique
    // index refuses the second (it waits until the first is committed or rolled back).
    let invited = insert_pending_user(&mut **tx, &email, body.roles, &token, now, expires)
        .await?
        .ok_or(UsersError::EmailTaken)?;
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
    let id = UserId::parse(&id)?.get();
    let (mut tx, target) = user.begin_user_write(&state.db, Area::UserAccounts, Access::ReadWrite, id).await?;
    let target = target.ok_or(UserNotFound)?;
    if target.status.is_registered() {
        return Err(UsersError::AlreadyRegistered);
    }
    let subject = id.to_string();
    if let Some(retry_after_s) = rate_limit::exceeded(&mut **tx, Limit::InvitationResends, &subject).await? {
        return Err(UsersError::TooManyResends { retry_after_s });
    }
    let token = Token::generate();
    let now = now();
    let expires = now.plus_millis(millis(state.settings.invitation_ttl));
    let updated = rotate_invitation(&mut **tx, id, &token, now, expires).await?.ok_or(UserNotFound)?;
    rate_limit::record(&mut **tx, Limit::InvitationResends, &subject).await?;
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
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The version is stale (the body is a ConflictBody: the error and `current`, the user as it is now), or the change would leave no active Administrator"),
        (status = 422, body = ErrorBody)),
    description = "Granting Administrator needs the password entered in the last 10 minutes (`403 password_required`, see `POST /session/password`).")]
pub async fn update_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateUser>,
) -> Result<Json<User>, UsersError> {
    user.require(Area::UserAccounts, Access::ReadWrite)?;
    let id = UserId::parse(&id)?.get();
    let name = body.name.as_deref().map(UserName::parse).transpose()?;
    let (mut tx, current) = user.begin_user_write(&state.db, Area::UserAccounts, Access::ReadWrite, id).await?;
    let current = current.ok_or(UserNotFound)?;
    if current.version != body.version {
        return Err(UsersError::StaleVersion(Box::new(current)));
    }
    let roles = body.roles.unwrap_or(current.roles);
    let admin = RoleSet::single(Role::Admin);
    if roles == admin && current.roles != admin {
        user.require_recent_password()?;
    }
    if roles != current.roles {
        keep_an_administrator(&mut tx, &current).await?;
    }
    let change = UserChange { name: name.as_ref(), roles: Some(roles), at_version: Some(body.version) };
    let Some(updated) = change_user(&mut **tx, id, change).await? else {
        return Err(UsersError::StaleVersion(Box::new(current)));
    };
    audit::record(
        &mut **tx,
        AuditAction::UserUpdated,
        audit::Entry {
            actor: Some(&user.email),
            target: Some(&current.email),
            before: Some(AuditState { name: current.name.clone(), roles: Some(current.roles) }),
            after: Some(AuditState { name: updated.name.clone(), roles: Some(roles) }),
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
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    description = "Removing a registered user needs the password entered in the last 10 minutes (`403 password_required`, see `POST /session/password`).")]
pub async fn remove_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, UsersError> {
    user.require(Area::UserAccounts, Access::ReadWrite)?;
    let id = UserId::parse(&id)?.get();
    let (mut tx, target) = user.begin_user_write(&state.db, Area::UserAccounts, Access::ReadWrite, id).await?;
    if id == user.id {
        return Err(UsersError::RemovingYourself);
    }
    let target = target.ok_or(UserNotFound)?;
    // Revoking an invitation nobody has used yet is not dangerous; removing a user (active or
    // deactivated) is.
    if target.status.is_registered() {
        user.require_recent_password()?;
    }
    keep_an_administrator(&mut tx, &target).await?;
    store::remove_user(&mut tx, id).await?;
    state.mailer.forget_unsent(&mut **tx, &target.email).await?;
    let action = match target.status {
        UserStatus::Pending => AuditAction::InvitationRevoked,
        UserStatus::Registered | UserStatus::Deactivated => AuditAction::UserRemoved,
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

/// The last-administrator rule, on every path that can take an active Administrator away
/// (edit, remove, deactivate): refused when `target` is an active Administrator and the only
/// one. Pending and deactivated Administrators do not count. Called inside the write
/// transaction, so two administrators acting on each other at once cannot both pass it.
async fn keep_an_administrator(tx: &mut WriteTx, target: &User) -> Result<(), UsersError> {
    let active_admin = target.status == UserStatus::Registered && target.roles == RoleSet::single(Role::Admin);
    if active_admin && active_admins(&mut ***tx).await? <= 1 {
        return Err(UsersError::LastAdministrator);
    }
    Ok(())
}

/// `POST /users/{id}/deactivate`: the user can no longer sign in and their sessions end at
/// once; roles and history are kept.
#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", tag = "users", request_body = UserVersion,
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 200, body = User, description = "Deactivated (or already so)"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The version is stale (the body is a ConflictBody), the user is pending, is the caller, or is the last active Administrator"),
        (status = 422, body = ErrorBody)))]
pub async fn deactivate_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UserVersion>,
) -> Result<Json<User>, UsersError> {
    set_active(&state, &user, &id, body.version, false).await
}

/// `POST /users/{id}/reactivate`: a deactivated user can sign in again, with the roles they had.
#[utoipa::path(post, path = "/api/v1/users/{id}/reactivate", tag = "users", request_body = UserVersion,
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 200, body = User, description = "Reactivated (or active already)"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The version is stale (the body is a ConflictBody), or the user is pending"),
        (status = 422, body = ErrorBody)))]
pub async fn reactivate_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UserVersion>,
) -> Result<Json<User>, UsersError> {
    set_active(&state, &user, &id, body.version, true).await
}

/// Deactivates or reactivates the user `id` at `version`. Asking for the state the user is
/// already in changes nothing and answers the user, like repeating a PUT.
async fn set_active(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    version: i64,
    active: bool,
) -> Result<Json<User>, UsersError> {
    user.require(Area::UserAccounts, Access::ReadWrite)?;
    let id = UserId::parse(id)?.get();
    if id == user.id && !active {
        return Err(UsersError::DeactivatingYourself);
    }
    // The user's row is locked, and the Administrators too when deactivating an active one, so
    // the last-administrator rule counts what no other write can change meanwhile.
    let (mut tx, current) = user.begin_user_write(&state.db, Area::UserAccounts, Access::ReadWrite, id).await?;
    let current = current.ok_or(UserNotFound)?;
    if current.version != version {
        return Err(UsersError::StaleVersion(Box::new(current)));
    }
    let already = match current.status {
        UserStatus::Pending => return Err(UsersError::NotRegistered),
        UserStatus::Registered => active,
        UserStatus::Deactivated => !active,
    };
    if already {
        return Ok(Json(current));
    }
    if !active {
        keep_an_administrator(&mut tx, &current).await?;
    }
    let at = (!active).then(now);
    let Some(updated) = set_deactivated(&mut tx, id, version, at).await? else {
        return Err(UsersError::StaleVersion(Box::new(current)));
    };
    let action = if active { AuditAction::UserReactivated } else { AuditAction::UserDeactivated };
    audit::record(
        &mut **tx,
        action,
        audit::Entry {
            actor: Some(&user.email),
            target: Some(&current.email),
            before: Some(AuditState { name: current.name.clone(), roles: Some(current.roles) }),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(updated))
}
