//! Sliding-window limits kept in the database (so that several instances share them).

use anyhow::Context;
use sqlx::{Any, Executor, Row};

use crate::db::{Db, now};

/// When `subject` has had `limit` events of `kind` within the last `window_ms`, the seconds
/// until the oldest of them leaves the window; `None` while under the limit.
pub async fn exceeded(
    db: &Db,
    kind: &str,
    subject: &str,
    limit: i64,
    window_ms: i64,
) -> anyhow::Result<Option<u64>> {
    let since = now().millis() - window_ms;
    let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM rate_events WHERE kind = $1 AND subject = $2 AND at > $3")
        .bind(kind)
        .bind(subject)
        .bind(since)
        .fetch_one(&db.pool)
        .await
        .context("reading a rate limit")?;
    let count: i64 = row.try_get("n")?;
    if count < limit {
        return Ok(None);
    }
    let oldest: Option<i64> = row.try_get("oldest")?;
    let wait_ms = oldest.map_or(window_ms, |oldest| oldest - since);
    Ok(Some(u64::try_from(wait_ms.max(1000) / 1000).unwrap_or(1)))
}

/// Counts one event.
pub async fn record<'e, E>(executor: E, kind: &str, subject: &str) -> anyhow::Result<()>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("INSERT INTO rate_events (kind, subject, at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(subject)
        .bind(now().millis())
        .execute(executor)
        .await
        .context("counting a rate-limited event")?;
    Ok(())
}
