//! Building the application on any address (tests use port 0) and running it.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use useradmin_api::AuditAction;
use useradmin_rights::{Role, RoleSet};

use crate::configuration::Settings;
use crate::db::{Db, millis, now};
use crate::device::DeviceKey;
use crate::domain::{Email, HashSlots, Token};
use crate::mail::Mailer;
use crate::state::AppState;
use crate::write::{Anonymous, begin_anonymous};
use crate::{audit, housekeeping, invitation_mail, routes, security, serve};

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
        // The database and the mails are the server's alone: a folder it creates is private, and
        // so is the SQLite file (its journal files take the file's permissions).
        let mut data_dir = tokio::fs::DirBuilder::new();
        data_dir.recursive(true).mode(0o700);
        data_dir
            .create(&settings.data_dir)
            .await
            .with_context(|| format!("creating the data folder {}", settings.data_dir.display()))?;
        if settings.database_url.is_none() {
            let path = settings.default_database_path();
            tokio::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(&path)
                .await
                .with_context(|| format!("creating the database file {}", path.display()))?;
        }
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        let address = listener.local_addr()?;
        let db = Db::connect(&settings.database_url()).await?;
        let mailer = Mailer::new(settings.smtp_url.as_deref(), settings.mail_dir(), &settings.mail_from).await?;
        let public_url =
            settings.public_url.clone().unwrap_or_else(|| format!("http://{address}")).trim_end_matches('/').to_owned();
        let public_origin = origin_of(&public_url);
        let device_key = DeviceKey::load(&db).await?;
        let state = AppState {
            device_key,
            hash_slots: HashSlots::new(settings.password_hash_slots.unwrap_or_else(HashSlots::for_this_machine)),
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
        let sessions = crate::auth::SessionLimits {
            idle_ms: millis(state.settings.session_idle_timeout),
            lifetime_ms: millis(state.settings.session_lifetime),
        };
        housekeeping::spawn(state.db.clone(), sessions);
        state.mailer.wake();
        let router = routes::router(state.clone());
        Ok(Application { listener, router, address, state, admin_invitation })
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let settings = &self.state.settings;
        let limits = serve::Limits {
            header_read_timeout: settings.header_read_timeout,
            idle_timeout: settings.idle_timeout,
            max_connections: settings.max_connections,
        };
        serve::serve(self.listener, self.router, limits, shutdown_signal()).await.context("serving")
    }
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
    let email =
        Email::parse(&state.settings.admin_email).context("the first administrator's e-mail (--admin-email)")?;
    let mut tx = begin_anonymous(&state.db, Anonymous::FirstAdministrator).await?;
    let (users, registered): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(registered_at) FROM users").fetch_one(&mut **tx).await?;
    let token = Token::generate();
    let now = now();
    let expires = now.plus_millis(millis(state.settings.invitation_ttl));
    let roles = RoleSet::single(Role::Admin);
    if users == 0 {
        crate::store::insert_pending_user(&mut **tx, &email, roles, &token, now, expires)
            .await
            .context("creating the first administrator")?
            .context("the first administrator's e-mail is taken")?;
    } else if registered == 0 {
        // Nobody has registered yet and the first administrator's link has expired: a start
        // hands out a fresh one, so that the product can never be locked out for good. A link
        // that still works is left alone (another instance may have printed it).
        let expired: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE email_lower = $1 AND roles = $2 AND registered_at IS NULL \
             AND invitation_expires_at <= $3",
        )
        .bind(email.key())
        .bind(crate::store::format_roles(roles))
        .bind(now.millis())
        .fetch_optional(&mut **tx)
        .await
        .context("looking for the first administrator's expired invitation")?;
        let Some(id) = expired else {
            return Ok(None);
        };
        crate::store::rotate_invitation(&mut **tx, id, &token, now, expires).await?;
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
