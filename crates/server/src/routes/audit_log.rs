use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use sqlx::Row;
use useradmin_api::{AuditAction, AuditEvent, AuditPage, AuditState, ErrorBody, Timestamp};
use useradmin_rights::{Access, Area};

use crate::auth::{AuthError, CurrentUser};
use crate::error::{ApiError, ApiQuery};
use crate::routes::clamp_limit;
use crate::startup::AppState;

#[derive(Debug)]
pub enum AuditLogError {
    Auth(AuthError),
    InvalidCursor,
    Unexpected(anyhow::Error),
}

impl From<AuditLogError> for ApiError {
    fn from(error: AuditLogError) -> ApiError {
        match error {
            AuditLogError::Auth(error) => error.into(),
            AuditLogError::InvalidCursor => crate::routes::invalid_cursor(),
            AuditLogError::Unexpected(error) => ApiError::internal(&error),
        }
    }
}
crate::route_error!(AuditLogError);

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
        Some(cursor) => cursor.parse::<i64>().map_err(|_| AuditLogError::InvalidCursor)?,
        None => i64::MAX,
    };
    let rows = sqlx::query(
        "SELECT id, at, actor, action, target, before_state, after_state FROM audit_log \
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before)
    .bind(limit + 1)
    .fetch_all(&state.db.pool)
    .await?;
    let has_more = rows.len() as i64 > limit;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        let state_of = |column: &str| -> anyhow::Result<Option<AuditState>> {
            let text: Option<String> = row.try_get(column)?;
            Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
        };
        let action: String = row.try_get("action")?;
        items.push(AuditEvent {
            id: row.try_get("id")?,
            at: Timestamp(row.try_get("at")?),
            actor: row.try_get("actor")?,
            action: AuditAction::from_key(&action)
                .ok_or_else(|| anyhow::anyhow!("unknown audit action `{action}` in the database"))?,
            target: row.try_get("target")?,
            before: state_of("before_state")?,
            after: state_of("after_state")?,
        });
    }
    let next_cursor = if has_more { items.last().map(|event| event.id.to_string()) } else { None };
    Ok(Json(AuditPage { items, next_cursor }))
}
