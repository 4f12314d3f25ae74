use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use useradmin_api::{AuditPage, ErrorBody};
use useradmin_rights::{Access, Area};

use crate::audit;
use crate::auth::{AuthError, CurrentUser};
use crate::domain::{IdCursor, InvalidCursor};
use crate::error::{ApiError, ApiQuery};
use crate::routes::clamp_limit;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum AuditLogError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    InvalidCursor(#[from] InvalidCursor),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<AuditLogError> for ApiError {
    fn from(error: AuditLogError) -> ApiError {
        match error {
            AuditLogError::Auth(error) => error.into(),
            AuditLogError::InvalidCursor(error) => error.into(),
            AuditLogError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for AuditLogError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Page size, 1 to 500 (default 100).
    limit: Option<i64>,
    /// `next_cursor` of the previous page (an event id).
    #[param(pattern = "^-?[0-9]{1,18}$")]
    cursor: Option<String>,
}

/// `GET /audit-log`: events, newest first; needs read access to the audit log.
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<AuditPage>, AuditLogError> {
    user.require(Area::AuditLog, Access::Read)?;
    let limit = clamp_limit(params.limit, 100, 500);
    let before = match params.cursor.as_deref() {
        Some(cursor) => IdCursor::parse(cursor)?.id(),
        None => i64::MAX,
    };
    let mut items = audit::before(&state.db, before, limit + 1).await?;
    let has_more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if has_more { items.last().map(|event| event.id.to_string()) } else { None };
    Ok(Json(AuditPage { items, next_cursor }))
}
