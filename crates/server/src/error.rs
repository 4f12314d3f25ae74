//! The JSON error body every route answers with, and the JSON body extractor that turns
//! malformed or unexpected bodies into clear errors.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use useradmin_api::ErrorBody;

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

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "not_signed_in", "Please sign in.")
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "Your roles do not allow this.")
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
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

/// The conversions every route error enum shares. The enum must have the variants
/// `Auth(AuthError)` and `Unexpected(anyhow::Error)`, and implement
/// `From<Enum> for ApiError`; this adds the `?` conversions and, unless the enum answers in a
/// way of its own (`route_error!(Enum, own_response)`), `IntoResponse` through `ApiError`.
#[macro_export]
macro_rules! route_error {
    ($name:ident) => {
        impl axum::response::IntoResponse for $name {
            fn into_response(self) -> axum::response::Response {
                $crate::error::ApiError::from(self).into_response()
            }
        }
        $crate::route_error!($name, own_response);
    };
    ($name:ident, own_response) => {
        impl From<anyhow::Error> for $name {
            fn from(error: anyhow::Error) -> Self {
                $name::Unexpected(error)
            }
        }

        impl From<sqlx::Error> for $name {
            fn from(error: sqlx::Error) -> Self {
                $name::Unexpected(error.into())
            }
        }

        impl From<$crate::auth::AuthError> for $name {
            fn from(error: $crate::auth::AuthError) -> Self {
                $name::Auth(error)
            }
        }
    };
}

/// A request body that could not be read as the expected JSON.
#[derive(Debug)]
pub enum BodyError {
    /// Not JSON at all (400).
    Malformed(String),
    /// JSON of the wrong shape: unknown or missing fields, wrong types, invalid values (422).
    Invalid(String),
    /// Over the size limit (413).
    TooLarge,
    /// Not declared as JSON (415).
    NotJson,
}

impl From<BodyError> for ApiError {
    fn from(error: BodyError) -> ApiError {
        match error {
            BodyError::Malformed(detail) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("The request body is not valid JSON: {detail}."),
            ),
            BodyError::Invalid(detail) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("The request body is not what this endpoint expects: {detail}."),
            ),
            BodyError::TooLarge => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "The request body is too large.")
            }
            BodyError::NotJson => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_json",
                "Send the request body as JSON with Content-Type: application/json.",
            ),
        }
    }
}

impl IntoResponse for BodyError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// Like `axum::Json`, but every rejection is a [`BodyError`] with the error body of this API.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = BodyError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(BodyError::NotJson);
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                BodyError::TooLarge
            } else {
                BodyError::Malformed(rejection.body_text())
            }
        })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = deserialize_body(&mut deserializer)?;
        deserializer.end().map_err(|err| BodyError::Malformed(err.to_string()))?;
        Ok(ApiJson(value))
    }
}

fn deserialize_body<T: DeserializeOwned>(
    deserializer: &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
) -> Result<T, BodyError> {
    T::deserialize(deserializer).map_err(|err| match err.classify() {
        serde_json::error::Category::Data => BodyError::Invalid(err.to_string()),
        _ => BodyError::Malformed(err.to_string()),
    })
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
