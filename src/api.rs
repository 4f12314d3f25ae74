//! Talking to the server: one generic request function that maps HTTP statuses to a typed
//! error, and one typed function per endpoint.

mod endpoints;

pub use endpoints::*;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use useradmin_api::{ConflictBody, ErrorBody, User};

/// Why a request did not succeed, as the pages need to tell it apart.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401: not signed in (or the session expired).
    Unauthorized,
    /// 403: the roles do not allow it.
    Forbidden(String),
    /// 403 `password_required`: allowed, but the password has to be entered again first
    /// (`confirm_password`), then the same request succeeds.
    PasswordRequired(String),
    /// 404 and 410: gone or never there.
    NotFound { code: String, message: String },
    /// 409 on an edit at a stale version: the user as it is now.
    Conflict(Box<User>),
    /// Any other 4xx: a message for the person, and the code for the program.
    Rejected { status: u16, code: String, message: String, retry_after_s: Option<u64> },
    /// 5xx or an unreadable answer.
    Server(String),
    /// The request did not reach the server.
    Network(String),
}

impl ApiError {
    /// A sentence for the person.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthorized => "Your session has ended. Please sign in again.".to_owned(),
            ApiError::Forbidden(message) | ApiError::PasswordRequired(message) => message.clone(),
            ApiError::NotFound { message, .. } => message.clone(),
            ApiError::Conflict(_) => "Someone else changed this user meanwhile.".to_owned(),
            ApiError::Rejected { message, .. } => message.clone(),
            ApiError::Server(message) => message.clone(),
            ApiError::Network(_) => "The server cannot be reached. Check your connection and try again.".to_owned(),
        }
    }

    /// The error code the server gave, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::NotFound { code, .. } | ApiError::Rejected { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// The event fired on `window` when the server answers 401: the session has ended. The
/// `SessionProvider` listens for it and signs the browser out, whichever page asked.
pub const SESSION_ENDED: &str = "useradmin:session-ended";

/// What an endpoint sends: nothing, or a JSON body.
pub enum Body<'a, B: Serialize> {
    None,
    Json(&'a B),
}

/// Sends a request to `/api/v1{path}` and reads the JSON answer (or nothing for 202/204 when
/// `T` is `()`).
pub async fn request<T, B>(builder: fn(&str) -> RequestBuilder, path: &str, body: Body<'_, B>) -> Result<T, ApiError>
where
    T: DeserializeOwned,
    B: Serialize,
{
    let url = format!("/api/v1{path}");
    let builder = builder(&url).header("Accept", "application/json");
    let sent = match body {
        Body::None => builder.send().await,
        Body::Json(body) => match builder.json(body) {
            Ok(request) => request.send().await,
            Err(error) => return Err(ApiError::Network(error.to_string())),
        },
    };
    let response = sent.map_err(|error| ApiError::Network(error.to_string()))?;
    read(response).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(|error| ApiError::Network(error.to_string()))?;
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { text.as_str() };
        return serde_json::from_str(text).map_err(|error| ApiError::Server(format!("An unexpected answer: {error}")));
    }
    if status == 409
        && let Ok(conflict) = serde_json::from_str::<ConflictBody>(&text)
    {
        return Err(ApiError::Conflict(Box::new(conflict.current)));
    }
    let (code, message) = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => (body.error.code, body.error.message),
        Err(_) => ("unknown".to_owned(), format!("The server answered {status}.")),
    };
    Err(match status {
        401 => {
            if let (Some(window), Ok(event)) = (web_sys::window(), web_sys::Event::new(SESSION_ENDED)) {
                let _ = window.dispatch_event(&event);
            }
            ApiError::Unauthorized
        }
        403 if code == "password_required" => ApiError::PasswordRequired(message),
        403 => ApiError::Forbidden(message),
        404 | 410 => ApiError::NotFound { code, message },
        400..=499 => ApiError::Rejected {
            status,
            code,
            message,
            retry_after_s: response.headers().get("retry-after").and_then(|value| value.parse().ok()),
        },
        _ => ApiError::Server(if message.is_empty() {
            "Something went wrong on the server. Please try again.".to_owned()
        } else {
            message
        }),
    })
}

/// Builders for each method, to pass to [`request`].
pub fn get(url: &str) -> RequestBuilder {
    Request::get(url)
}
pub fn post(url: &str) -> RequestBuilder {
    Request::post(url)
}
pub fn put(url: &str) -> RequestBuilder {
    Request::put(url)
}
pub fn patch(url: &str) -> RequestBuilder {
    Request::patch(url)
}
pub fn delete(url: &str) -> RequestBuilder {
    Request::delete(url)
}
