//! The JSON error body every route answers with, the answers to the domain parsers' errors
//! (each with its own code), and the JSON body and query extractors that turn malformed or
//! unexpected requests into clear errors.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use useradmin_api::ErrorBody;

use crate::domain::{
    HashingBusy, InvalidCursor, InvalidEmail, InvalidName, InvalidPassword, InvalidSearchTerm, UserNotFound,
};

/// An error response: status, a snake_case code and a sentence for a person.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub headers: HeaderMap,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), headers: HeaderMap::new() }
    }

    /// Logs the full cause chain and answers 500 without revealing anything internal.
    pub fn internal(error: &anyhow::Error) -> ApiError {
        tracing::error!(error = format!("{error:#}"), "request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on our side. Please try again.",
        )
    }

    pub fn with_retry_after(mut self, seconds: u64) -> ApiError {
        self.headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(ErrorBody::new(self.code, self.message))).into_response();
        response.headers_mut().extend(self.headers);
        response
    }
}

/// An unexpected failure: logged, answered 500.
impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> ApiError {
        ApiError::internal(&error)
    }
}

impl From<InvalidEmail> for ApiError {
    fn from(error: InvalidEmail) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_email", error.0)
    }
}

impl From<InvalidName> for ApiError {
    fn from(error: InvalidName) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_name", error.0)
    }
}

impl From<InvalidPassword> for ApiError {
    fn from(error: InvalidPassword) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_password", error.0)
    }
}

impl From<InvalidSearchTerm> for ApiError {
    fn from(error: InvalidSearchTerm) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_search", error.to_string())
    }
}

/// Every password hashing slot stayed taken: 503, try again in a moment.
impl From<HashingBusy> for ApiError {
    fn from(error: HashingBusy) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server_busy", error.to_string()).with_retry_after(1)
    }
}

impl From<InvalidCursor> for ApiError {
    fn from(error: InvalidCursor) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_cursor", error.to_string())
    }
}

impl From<UserNotFound> for ApiError {
    fn from(error: UserNotFound) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "user_not_found", error.to_string())
    }
}

/// axum's own reasons for refusing a JSON body, answered with this API's error body.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection {
            JsonRejection::JsonSyntaxError(error) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("The request body is not valid JSON: {}.", innermost(&error)),
            ),
            JsonRejection::JsonDataError(error) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("The request body is not what this endpoint expects: {}.", innermost(&error)),
            ),
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_json",
                "Send the request body as JSON with Content-Type: application/json.",
            ),
            rejection if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "The request body is too large.")
            }
            // The body could not be read at all (the connection broke off).
            rejection => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("The request body could not be read: {}.", rejection.body_text()),
            ),
        }
    }
}

/// The words of the deepest cause (serde's, e.g. "unknown field `admin`, … at line 1 column
/// 30"), without the layers axum wraps around it.
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut error = error;
    while let Some(source) = error.source() {
        error = source;
    }
    error.to_string()
}

/// Like `axum::Json`, but every rejection answers with the error body of this API.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}
/// Like `axum::extract::Query`, but a malformed query answers 400 with this API's error body.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("The query string is not valid: {}.", rejection.body_text()),
                )
            })
    }
}

/// Like `axum::extract::Path`, but a path segment that does not decode (invalid UTF-8 in its
/// percent-encoding) answers 400 with this API's error body instead of axum's plain text.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|rejection| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_path",
                    format!("The URL is not valid: {}.", rejection.body_text()),
                )
            })
    }
}
