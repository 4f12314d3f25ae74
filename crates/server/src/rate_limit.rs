//! Sliding-window limits kept in the database (so that several instances share them).

use anyhow::Context;
use sqlx::{Any, Executor, Row};

use crate::db::now;

/// When `subject` has had `limit` events of `kind` within the last `window_ms`, the seconds
/// until another is allowed (rounded up); `None` while under the limit.
pub async fn exceeded<'e, E>(
    executor: E,
    kind: &str,
    subject: &str,
    limit: i64,
    window_ms: i64,
) -> anyhow::Result<Option<u64>>
where
    E: Executor<'e, Database = Any>,
{
    let since = now().millis() - window_ms;
    // The newest first: once `limit` are in the window, the limit-th newest has to leave it
    // before another event is allowed.
    let rows = sqlx::query(
        "SELECT at FROM rate_events WHERE kind = $1 AND subject = $2 AND at > $3 ORDER BY at DESC LIMIT $4",
    )
    .bind(kind)
    .bind(subject)
    .bind(since)
    .bind(limit)
    .fetch_all(executor)
    .await
    .context("reading a rate limit")?;
    if (rows.len() as i64) < limit {
        return Ok(None);
    }
    let leaving: i64 = rows.last().map(|row| row.try_get("at")).transpose()?.unwrap_or(since);
    let wait_ms = (leaving - since).max(1);
    Ok(Some(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1)))
}

/// Counts one event; returns its id.
pub async fn record<'e, E>(executor: E, kind: &str, subject: &str) -> anyhow::Result<i64>
where
    E: Executor<'e, Database = Any>,
{
    let id: i64 = sqlx::query_scalar("INSERT INTO rate_events (kind, subject, at) VALUES ($1, $2, $3) RETURNING id")
        .bind(kind)
        .bind(subject)
        .bind(now().millis())
        .fetch_one(executor)
        .await
        .context("counting a rate-limited event")?;
    Ok(id)
}
