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
        "SELECT id, at, actor, action, target, before_state, after_state FROM audit_log \
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
            })
        })
        .collect()
}
