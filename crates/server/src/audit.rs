//! Recording who did what to whom, in the same transaction as the change.

use anyhow::Context;
use sqlx::{Any, Executor};
use useradmin_api::{AuditAction, AuditState};

use crate::db::now;

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
