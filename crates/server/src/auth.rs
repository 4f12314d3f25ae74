//! Sessions: a random token in an HttpOnly cookie, its hash in the database. The signed-in
//! user's roles are read from the database on every request, so a role change takes effect
//! at once.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sqlx::Row;
use useradmin_api::Me;
use useradmin_rights::{Access, Area, RoleSet};

use crate::db::{Db, millis, now};
use crate::domain::Token;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::parse_roles;

pub const SESSION_COOKIE: &str = "useradmin_session";
/// The name behind https: browsers accept a `__Host-` cookie only when it is `Secure`, for `/`
/// and without a domain, so a neighbouring subdomain or a plain-http page cannot plant one.
pub const SECURE_SESSION_COOKIE: &str = "__Host-useradmin_session";

/// The session cookie's name for a server whose cookies are (or are not) `Secure`.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
}

/// Don't write `last_seen_at` more often than this.
const TOUCH_EVERY_MS: i64 = 30_000;

/// Why a request is not allowed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No session, or an expired or revoked one (401).
    #[error("Please sign in.")]
    NotSignedIn,
    /// Signed in, but the roles do not grant this (403).
    #[error("Your roles do not allow this.")]
    Forbidden,
    /// Allowed, but dangerous: the password was not entered in the last 10 minutes (403
    /// `password_required`; `POST /session/password` and try again).
    #[error("For this, enter your password again.")]
    PasswordRequired,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> ApiError {
        match error {
            AuthError::NotSignedIn => ApiError::new(StatusCode::UNAUTHORIZED, "not_signed_in", error.to_string()),
            AuthError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", error.to_string()),
            AuthError::PasswordRequired => ApiError::new(StatusCode::FORBIDDEN, "password_required", error.to_string()),
            AuthError::Unexpected(error) => error.into(),
        }
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// The signed-in user, as the database has them now.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    pub roles: RoleSet,
    pub session_hash: String,
    /// When this session's user last entered their password.
    pub password_at: Option<i64>,
}

/// How long an entered password lets dangerous actions through (GitHub's "sudo mode").
pub const PASSWORD_FRESH_MS: i64 = 10 * 60 * 1000;

impl CurrentUser {
    /// Ok when the roles grant at least `needed` over `area`.
    pub fn require(&self, area: Area, needed: Access) -> Result<(), AuthError> {
        grants(self.roles, area, needed)
    }

    /// Ok when the password was entered in the last [`PASSWORD_FRESH_MS`]: a session left open
    /// or stolen cannot make someone Administrator or remove a user on its own.
    pub fn require_recent_password(&self) -> Result<(), AuthError> {
        match self.password_at {
            Some(at) if now().millis() - at <= PASSWORD_FRESH_MS => Ok(()),
            _ => Err(AuthError::PasswordRequired),
        }
    }

    pub fn me(&self) -> Me {
        Me::new(self.id, self.email.clone(), self.name.clone(), self.roles)
    }
}

/// The one comparison of rights: Ok when `roles` grant at least `needed` over `area`. Used by
/// [`CurrentUser::require`] and by the re-check inside a write transaction.
pub fn grants(roles: RoleSet, area: Area, needed: Access) -> Result<(), AuthError> {
    if roles.access(area) >= needed { Ok(()) } else { Err(AuthError::Forbidden) }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers, state.secure_cookies).ok_or(AuthError::NotSignedIn)?;
        let limits = SessionLimits {
            idle_ms: millis(state.settings.session_idle_timeout),
            lifetime_ms: millis(state.settings.session_lifetime),
        };
        load_session(&state.db, &token, limits).await.map_err(AuthError::Unexpected)?.ok_or(AuthError::NotSignedIn)
    }
}

/// How long a session may be idle, and how long it lasts at most.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub idle_ms: i64,
    pub lifetime_ms: i64,
}

/// The session token of a request's cookie, if it has a well-formed one.
pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<Token> {
    cookie_value(headers, cookie_name(secure)).and_then(Token::from_received)
}

/// The value of the first cookie called `name` among the request's `Cookie` headers.
pub fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value)
}

async fn load_session(db: &Db, token: &Token, limits: SessionLimits) -> anyhow::Result<Option<CurrentUser>> {
    let hash = token.hash();
    let now = now().millis();
    let row = sqlx::query(
        "SELECT u.id, u.email, u.name, u.roles, s.created_at, s.last_seen_at, s.password_at FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.registered_at IS NOT NULL \
         AND u.deactivated_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let last_seen: i64 = row.try_get("last_seen_at")?;
    let created: i64 = row.try_get("created_at")?;
    // A stolen session token works until it idles out or, used steadily, until its lifetime ends.
    if now - last_seen > limits.idle_ms || now - created > limits.lifetime_ms {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash).execute(&db.pool).await?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(CurrentUser {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        roles: parse_roles(&row.try_get::<String, _>("roles")?)?,
        session_hash: hash,
        password_at: row.try_get("password_at")?,
    }))
}

/// Starts a session for `user_id` inside a write transaction; returns the cookie to set.
pub async fn start_session(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    secure: bool,
) -> anyhow::Result<HeaderValue> {
    let token = Token::generate();
    let now = now().millis();
    // Every way to start a session checks the password.
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, password_at) VALUES ($1, $2, $3, $3, $3)",
    )
    .bind(token.hash())
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    Ok(HeaderValue::from_str(&format!("{name}={}; HttpOnly; SameSite=Strict; Path=/{secure}", token.expose()))?)
}

/// The cookie that removes the session cookie from the browser.
pub fn clear_cookie(secure: bool) -> (axum::http::HeaderName, HeaderValue) {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    let value = format!("{name}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}");
    (SET_COOKIE, HeaderValue::from_str(&value).expect("a valid cookie header"))
}
