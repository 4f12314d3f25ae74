//! One settings document per area, standing in for the parts of the billing platform outside
//! this product, so that every cell of the matrix has a real read and a real write.

use std::collections::BTreeMap;

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sqlx::Row;
use useradmin_api::{AreaDocument, AuditAction, ErrorBody, PutAreaDocument, Timestamp};
use useradmin_rights::{Access, Area};

use crate::audit;
use crate::auth::{AuthError, CurrentUser};
use crate::db::now;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;

// Shared with the OpenAPI schema of the document.
use useradmin_api::{
    MAX_DOCUMENT_FIELDS as MAX_FIELDS, MAX_FIELD_NAME_CHARS as MAX_KEY_CHARS, MAX_FIELD_VALUE_CHARS as MAX_VALUE_CHARS,
};

#[derive(Debug, thiserror::Error)]
pub enum AreaError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("There is no such area.")]
    UnknownArea,
    #[error("{0}")]
    InvalidDocument(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<AreaError> for ApiError {
    fn from(error: AreaError) -> ApiError {
        let message = error.to_string();
        match error {
            AreaError::Auth(error) => error.into(),
            AreaError::UnknownArea => ApiError::new(StatusCode::NOT_FOUND, "unknown_area", message),
            AreaError::InvalidDocument(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_document", message)
            }
            AreaError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for AreaError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

async fn load(state: &AppState, area: Area, access: Access) -> Result<AreaDocument, AreaError> {
    let row = sqlx::query("SELECT document, updated_at, updated_by FROM area_documents WHERE area = $1")
        .bind(area.key())
        .fetch_optional(&state.db.pool)
        .await
        .context("loading an area document")?;
    let Some(row) = row else {
        return Ok(AreaDocument { area, access, document: BTreeMap::new(), updated_at: None, updated_by: None });
    };
    let read = |error| anyhow::Error::new(error).context("reading an area document");
    let document: String = row.try_get("document").map_err(read)?;
    Ok(AreaDocument {
        area,
        access,
        document: serde_json::from_str(&document).context("reading an area document")?,
        updated_at: Some(Timestamp(row.try_get("updated_at").map_err(read)?)),
        updated_by: row.try_get("updated_by").map_err(read)?,
    })
}

/// `GET /areas/{area}`: needs read access to the area.
#[utoipa::path(get, path = "/api/v1/areas/{area}", tag = "areas",
    params(("area" = String, Path, description = "An area key, e.g. `taxes`")),
    responses((status = 200, body = AreaDocument), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_area(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<AreaDocument>, AreaError> {
    let area = Area::from_key(&key).ok_or(AreaError::UnknownArea)?;
    user.require(area, Access::Read)?;
    Ok(Json(load(&state, area, user.roles.access(area)).await?))
}

/// `PUT /areas/{area}`: replaces the document; needs read-write access to the area.
#[utoipa::path(put, path = "/api/v1/areas/{area}", tag = "areas", request_body = PutAreaDocument,
    params(("area" = String, Path, description = "An area key, e.g. `taxes`")),
    responses((status = 200, body = AreaDocument), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_area(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<PutAreaDocument>,
) -> Result<Json<AreaDocument>, AreaError> {
    let area = Area::from_key(&key).ok_or(AreaError::UnknownArea)?;
    let mut tx = user.begin_write(&state.db, area, Access::ReadWrite).await?;
    validate(&body.document).map_err(AreaError::InvalidDocument)?;
    let document = serde_json::to_string(&body.document).context("writing an area document")?;
    sqlx::query(
        "INSERT INTO area_documents (area, document, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (area) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(area.key())
    .bind(&document)
    .bind(now().millis())
    .bind(&user.email)
    .execute(&mut **tx)
    .await
    .context("storing an area document")?;
    audit::record(
        &mut **tx,
        AuditAction::AreaUpdated,
        audit::Entry { actor: Some(&user.email), target: Some(area.key()), ..Default::default() },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load(&state, area, user.roles.access(area)).await?))
}

fn validate(document: &BTreeMap<String, String>) -> Result<(), String> {
    if document.len() > MAX_FIELDS {
        return Err(format!("A settings document can have at most {MAX_FIELDS} fields."));
    }
    for (key, value) in document {
        if key.trim().is_empty() || key.chars().count() > MAX_KEY_CHARS {
            return Err(format!("Field names must have 1 to {MAX_KEY_CHARS} characters."));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(format!("The field `{key}` is longer than {MAX_VALUE_CHARS} characters."));
        }
    }
    Ok(())
}
