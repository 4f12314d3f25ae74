//! Deleting rows nothing reads any more: rate-limit events older than the longest window,
//! sessions idle past the timeout or past their lifetime and expired password reset links.
//! Requests only ignore them by their time; without this they would pile up for good (a failed
//! sign-in leaves two rows, every browser a session).

use std::time::Duration;

use anyhow::Context;

use crate::auth::SessionLimits;
use crate::db::{Db, now};
use crate::rate_limit;
use crate::write::{Anonymous, begin_anonymous};

/// How often the rows are cleared; any instance may do it, deleting twice is harmless.
const EVERY: Duration = Duration::from_secs(600);

/// What one round deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cleared {
    pub rate_events: u64,
    pub sessions: u64,
    pub reset_links: u64,
}

/// Deletes the rate-limit events no window reaches any more and the sessions idle or older
/// than `sessions` allows (which the next request with them would refuse anyway).
pub async fn clear_once(db: &Db, sessions: SessionLimits) -> anyhow::Result<Cleared> {
    let mut tx = begin_anonymous(db, Anonymous::Housekeeping).await?;
    let rate_events = rate_limit::clear_expired(&mut **tx).await?;
    let now = now().millis();
    let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - sessions.idle_ms)
        .bind(now - sessions.lifetime_ms)
        .execute(&mut **tx)
        .await
        .context("deleting ended sessions")?
        .rows_affected();
    let reset_links = sqlx::query("DELETE FROM password_resets WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut **tx)
        .await
        .context("deleting expired reset links")?
        .rows_affected();
    tx.commit().await?;
    Ok(Cleared { rate_events, sessions, reset_links })
}

/// Clears every [`EVERY`] until the process ends.
pub fn spawn(db: Db, sessions: SessionLimits) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            if let Err(error) = clear_once(&db, sessions).await {
                tracing::error!(error = format!("{error:#}"), "housekeeping failed; will retry");
            }
        }
    })
}
