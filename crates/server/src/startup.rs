//! Building the application on any address (tests use port 0) and running it.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};
use useradmin_api::AuditAction;
use useradmin_rights::{Role, RoleSet};

use crate::configuration::Settings;
use crate::db::{Db, millis, now};
use crate::domain::{Email, Token};
use crate::mail::Mailer;
use crate::{audit, housekeeping, invitation_mail, routes, security};

/// Request bodies larger than this are refused with 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub mailer: Mailer,
    /// The base of links in mails, without a trailing slash.
    pub public_url: Arc<str>,
    /// `scheme://host[:port]` of the public URL, for the same-origin check.
    pub public_origin: Arc<str>,
    pub secure_cookies: bool,
    pub csp: Arc<security::CspCache>,
}

/// A built application, bound to its address and ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub address: SocketAddr,
    pub state: AppState,
    /// The link of the first administrator's invitation, when this start created them.
    pub admin_invitation: Option<String>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        tokio::fs::create_dir_all(&settings.data_dir)
            .await
            .with_context(|| format!("creating the data folder {}", settings.data_dir.display()))?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        let address = listener.local_addr()?;
        let db = Db::connect(&settings.database_url()).await?;
        let mailer = Mailer::new(settings.smtp_url.as_deref(), settings.mail_dir(), &settings.mail_from).await?;
        let public_url =
            settings.public_url.clone().unwrap_or_else(|| format!("http://{address}")).trim_end_matches('/').to_owned();
        let public_origin = origin_of(&public_url);
        let state = AppState {
            db,
            secure_cookies: public_url.starts_with("https://"),
            public_url: public_url.into(),
            public_origin: public_origin.into(),
            csp: Arc::new(security::CspCache::new(&settings.static_dir)),
            mailer,
            settings: Arc::new(settings),
        };
        let admin_invitation = invite_first_admin(&state).await?;
        state.mailer.spawn_worker(state.db.clone());
        housekeeping::spawn(state.db.clone(), millis(state.settings.session_idle_timeout));
        state.mailer.wake();
        let router = router(state.clone());
        Ok(Application { listener, router, address, state, admin_invitation })
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")
    }
}

pub fn router(state: AppState) -> Router {
    let plain = state.settings.bench_plain_dir.as_deref().map(plain_reference).unwrap_or_default();
    let static_dir = &state.settings.static_dir;
    // Precompressed files (`.br`, `.gz`, written by `cargo xtask build`) are served when the
    // browser accepts them; hashed asset names are cached for a year, index.html never.
    let index = ServeFile::new(static_dir.join("index.html")).precompressed_br().precompressed_gzip();
    let app_files = ServeDir::new(static_dir).precompressed_br().precompressed_gzip().fallback(index);
    Router::new()
        .nest("/api/v1", routes::api())
        .route("/api", axum::routing::any(routes::no_such_api))
        .route("/api/{*rest}", axum::routing::any(routes::no_such_api))
        .route("/healthz", axum::routing::get(routes::health::health))
        .merge(plain)
        .fallback_service(app_files)
        .layer(middleware::from_fn(security::cache_control))
        .layer(middleware::from_fn_with_state(state.clone(), security::same_origin_writes))
        .layer(middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// The benchmark's reference: the bytes of each file in `dir`, from memory, no checks at all.
fn plain_reference(dir: &std::path::Path) -> Router<AppState> {
    let mut router = Router::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().filter_map(Result::ok) {
        let (Ok(name), Ok(bytes)) = (entry.file_name().into_string(), std::fs::read(entry.path())) else {
            continue;
        };
        let body = axum::body::Bytes::from(bytes);
        router = router.route(
            &format!("/__bench/plain/{name}"),
            axum::routing::get(move || {
                let body = body.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
            }),
        );
    }
    router
}

fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            format!("{scheme}://{}", rest.split('/').next().unwrap_or_default())
        }
        None => url.to_owned(),
    }
}

/// With no user at all, invites `--admin-email` as a pending Administrator.
async fn invite_first_admin(state: &AppState) -> anyhow::Result<Option<String>> {
    let email = Email::parse(&state.settings.admin_email).map_err(anyhow::Error::msg)?;
    let mut tx = state.db.begin_write().await?;
    let (users, registered): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(registered_at) FROM users").fetch_one(&mut **tx).await?;
    let token = Token::generate();
    let now = now();
    let expires = now.plus_millis(millis(state.settings.invitation_ttl));
    let roles = RoleSet::single(Role::Admin);
    if users == 0 {
        crate::store::insert_pending_user(&mut **tx, &email, roles, &token, now, expires)
            .await
            .context("creating the first administrator")?;
    } else if registered == 0 {
        // Nobody has registered yet and the first administrator's link has expired: a start
        // hands out a fresh one, so that the product can never be locked out for good. A link
        // that still works is left alone (another instance may have printed it).
        let renewed = sqlx::query(
            "UPDATE users SET invitation_token_hash = $1, invitation_sent_at = $2, invitation_expires_at = $3, \
             version = version + 1 WHERE email_lower = $4 AND roles = $5 AND registered_at IS NULL \
             AND invitation_expires_at <= $2",
        )
        .bind(token.hash())
        .bind(now.millis())
        .bind(expires.millis())
        .bind(email.key())
        .bind(crate::store::format_roles(roles))
        .execute(&mut **tx)
        .await
        .context("renewing the first administrator's invitation")?;
        if renewed.rows_affected() == 0 {
            return Ok(None);
        }
    } else {
        return Ok(None);
    }
    let link = invitation_mail::enqueue(state, &mut tx, email.as_str(), &token, expires, None).await?;
    audit::record(
        &mut **tx,
        AuditAction::UserInvited,
        audit::Entry {
            target: Some(email.as_str()),
            after: Some(useradmin_api::AuditState { name: None, roles: Some(roles) }),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(link))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
