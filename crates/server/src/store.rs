//! Reading and writing the rows that several routes share.

use anyhow::Context;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use useradmin_api::{Timestamp, User, UserStatus};
use useradmin_rights::{Role, RoleSet};

use crate::domain::{Email, Token};

/// Roles are stored as their keys, comma-separated, in [`Role::ALL`] order (`finance,reports`).
pub fn format_roles(roles: RoleSet) -> String {
    roles.iter().map(Role::key).collect::<Vec<_>>().join(",")
}

pub fn parse_roles(text: &str) -> anyhow::Result<RoleSet> {
    let roles = text
        .split(',')
        .filter(|key| !key.is_empty())
        .map(|key| Role::from_key(key).with_context(|| format!("unknown role `{key}` in the database")))
        .collect::<anyhow::Result<Vec<Role>>>()?;
    RoleSet::try_from(roles).context("an invalid role set in the database")
}

pub const USER_COLUMNS: &str = "id, email, name, roles, version, invited_at, registered_at, \
                                invitation_sent_at, invitation_expires_at";

pub fn user_from_row(row: &AnyRow) -> anyhow::Result<User> {
    let registered_at: Option<i64> = row.try_get("registered_at")?;
    let pending = registered_at.is_none();
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        status: if pending { UserStatus::Pending } else { UserStatus::Registered },
        roles: parse_roles(&row.try_get::<String, _>("roles")?)?,
        version: row.try_get("version")?,
        invited_at: Timestamp(row.try_get("invited_at")?),
        invitation_sent_at: if pending {
            row.try_get::<Option<i64>, _>("invitation_sent_at")?.map(Timestamp)
        } else {
            None
        },
        invitation_expires_at: if pending {
            row.try_get::<Option<i64>, _>("invitation_expires_at")?.map(Timestamp)
        } else {
            None
        },
        registered_at: registered_at.map(Timestamp),
    })
}

/// The user with this id, if there is one.
pub async fn find_user<'e, E>(executor: E, id: i64) -> anyhow::Result<Option<User>>
where
    E: Executor<'e, Database = Any>,
{
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(executor).await.context("loading a user")?;
    row.as_ref().map(user_from_row).transpose()
}

/// Creates a pending user with an invitation `token` sent `now` and valid until `expires`;
/// returns the new id.
pub async fn insert_pending_user<'e, E>(
    executor: E,
    email: &Email,
    roles: RoleSet,
    token: &Token,
    now: Timestamp,
    expires: Timestamp,
) -> anyhow::Result<i64>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_scalar(
        "INSERT INTO users (email, email_lower, roles, version, invited_at, invitation_token_hash, \
         invitation_sent_at, invitation_expires_at) VALUES ($1, $2, $3, 1, $4, $5, $4, $6) RETURNING id",
    )
    .bind(email.as_str())
    .bind(email.key())
    .bind(format_roles(roles))
    .bind(now.millis())
    .bind(token.hash())
    .bind(expires.millis())
    .fetch_one(executor)
    .await
    .context("creating a pending user")
}

/// How many registered Administrators there are.
pub async fn registered_admins<'e, E>(executor: E) -> anyhow::Result<i64>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE roles = $1 AND registered_at IS NOT NULL")
        .bind(Role::Admin.key())
        .fetch_one(executor)
        .await
        .context("counting administrators")?;
    Ok(row.try_get("n")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_valid_role_set_round_trips_through_its_stored_form() {
        for set in RoleSet::all_valid() {
            assert_eq!(parse_roles(&format_roles(set)).unwrap(), set);
        }
        assert!(parse_roles("admin,finance").is_err());
        assert!(parse_roles("root").is_err());
    }
}
