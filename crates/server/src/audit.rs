//! Recording who did what to whom, in the same transaction as the change, and reading it back.

use anyhow::Context;
use sqlx::{Any, Executor, Row};
use useradmin_api::{AuditAction, AuditEvent, AuditState, Timestamp};

use crate::db::{Db, now};

/// One event to record.
#[derive(Debug, Default)]
pub struct Entry<'a> {
    pub actor: Option<&'a str>,
    pub target: Option<&'a str>,
    pub before: Option<AuditState>,
    pub after: Option<AuditState>,
}

pub async fn record<'e, E>(executor: E, action: AuditAction, entry: Entry<'_>) -> anyhow::Result<()>
where
    E: Executor<'e, Database = Any>,
{
    let json = |state: Option<AuditState>| state.map(|s| serde_json::to_string(&s)).transpose();
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, target, before_state, after_state) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now().millis())
    .bind(entry.actor)
    .bind(action.key())
    .bind(entry.target)
    .bind(json(entry.before)?)
    .bind(json(entry.after)?)
    .execute(executor)
    .await
    .context("recording an audit event")?;
    Ok(())
}

/// Up to `limit` events older than the event `before_id`, newest first.
pub async fn before(db: &Db, before_id: i64, limit: i64) -> anyhow::Result<Vec<AuditEvent>> {
    let rows = sqlx::query(
        "SELECT id, at, actor, action, target, before_state, after_state, attempts FROM audit_log \
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
    .context("loading audit events")?;
    rows.iter()
        .map(|row| {
            let state_of = |column: &str| -> anyhow::Result<Option<AuditState>> {
                let text: Option<String> = row.try_get(column)?;
                Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
            };
            let action: String = row.try_get("action")?;
            Ok(AuditEvent {
                id: row.try_get("id")?,
                at: Timestamp(row.try_get("at")?),
                actor: row.try_get("actor")?,
                action: AuditAction::from_key(&action)
                    .with_context(|| format!("unknown audit action `{action}` in the database"))?,
                target: row.try_get("target")?,
                before: state_of("before_state")?,
                after: state_of("after_state")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .collect()
}

/// Counts one more attempt in the entry of `action` for `target` since `since`, or starts one:
/// for events an anonymous caller can repeat at will (throttled sign-ins), so that they cannot
/// grow the log without bound. Outside the write lock: an entry counted twice at once may be
/// two entries, which is harmless.
pub async fn count<'e, E>(executor: E, action: AuditAction, target: &str, since: i64) -> anyhow::Result<()>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let counted = sqlx::query(
        "UPDATE audit_log SET attempts = attempts + 1 WHERE id = \
         (SELECT MAX(id) FROM audit_log WHERE target = $1 AND action = $2 AND at > $3)",
    )
    .bind(target)
    .bind(action.key())
    .bind(since)
    .execute(executor)
    .await
    .context("counting an audit event")?;
    if counted.rows_affected() == 0 {
        sqlx::query("INSERT INTO audit_log (at, action, target, attempts) VALUES ($1, $2, $3, 1)")
            .bind(now().millis())
            .bind(action.key())
            .bind(target)
            .execute(executor)
            .await
            .context("recording an audit event")?;
    }
    Ok(())
}
