//! Reading and writing the rows that several routes share.

use anyhow::Context;
use serde::Deserialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Executor, Row};
use useradmin_api::{Timestamp, User, UserStatus};
use useradmin_rights::{Role, RoleSet};

use crate::db::{Db, Engine};
use crate::domain::{Email, PasswordHash, Token, UserName};

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
                                invitation_sent_at, invitation_expires_at, deactivated_at, last_sign_in_at";

/// A user as stored, column by column in [`USER_COLUMNS`] order (also as a JSON array).
#[derive(Debug, Deserialize)]
struct UserRecord {
    id: i64,
    email: String,
    name: Option<String>,
    roles: String,
    version: i64,
    invited_at: i64,
    registered_at: Option<i64>,
    invitation_sent_at: Option<i64>,
    invitation_expires_at: Option<i64>,
    deactivated_at: Option<i64>,
    last_sign_in_at: Option<i64>,
}

impl UserRecord {
    fn from_row(row: &AnyRow) -> anyhow::Result<UserRecord> {
        Ok(UserRecord {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            roles: row.try_get("roles")?,
            version: row.try_get("version")?,
            invited_at: row.try_get("invited_at")?,
            registered_at: row.try_get("registered_at")?,
            invitation_sent_at: row.try_get("invitation_sent_at")?,
            invitation_expires_at: row.try_get("invitation_expires_at")?,
            deactivated_at: row.try_get("deactivated_at")?,
            last_sign_in_at: row.try_get("last_sign_in_at")?,
        })
    }

    fn into_user(self) -> anyhow::Result<User> {
        let pending = self.registered_at.is_none();
        let status = match (pending, self.deactivated_at) {
            (true, _) => UserStatus::Pending,
            (false, None) => UserStatus::Registered,
            (false, Some(_)) => UserStatus::Deactivated,
        };
        Ok(User {
            id: self.id,
            email: self.email,
            name: self.name,
            status,
            roles: parse_roles(&self.roles)?,
            version: self.version,
            invited_at: Timestamp(self.invited_at),
            invitation_sent_at: self.invitation_sent_at.filter(|_| pending).map(Timestamp),
            invitation_expires_at: self.invitation_expires_at.filter(|_| pending).map(Timestamp),
            registered_at: self.registered_at.map(Timestamp),
            deactivated_at: self.deactivated_at.map(Timestamp),
            last_sign_in_at: self.last_sign_in_at.map(Timestamp),
        })
    }
}

pub fn user_from_row(row: &AnyRow) -> anyhow::Result<User> {
    UserRecord::from_row(row)?.into_user()
}

/// A page of users in e-mail order, with the `email_lower` of each (for the next cursor).
pub type UserPageRows = Vec<(User, String)>;

/// Reads the users that `select` returns as one value: `select` is a `SELECT {USER_COLUMNS},
/// email_lower FROM users … ORDER BY email_lower LIMIT …` with `$n` parameters, bound by `bind`.
/// The database packs the rows into one JSON array, so a page of hundreds of users costs one
/// value to transfer and convert instead of ten per user.
pub async fn fetch_user_page(
    db: &Db,
    select: &str,
    bind: impl for<'q> FnOnce(Query<'q, Any, AnyArguments<'q>>) -> Query<'q, Any, AnyArguments<'q>>,
) -> anyhow::Result<UserPageRows> {
    let sql = match db.engine {
        Engine::Sqlite => format!(
            "SELECT json_group_array(json_array(json_array({USER_COLUMNS}), email_lower) ORDER BY email_lower) \
             AS page FROM ({select})"
        ),
        Engine::Postgres => format!(
            "SELECT coalesce(json_agg(json_build_array(json_build_array({USER_COLUMNS}), email_lower) \
             ORDER BY email_lower), '[]')::text AS page FROM ({select}) AS listed"
        ),
    };
    let row = bind(sqlx::query(&sql)).fetch_one(&db.pool).await.context("loading a page of users")?;
    let json: String = row.try_get("page")?;
    let rows: Vec<(UserRecord, String)> = serde_json::from_str(&json).context("reading a page of users")?;
    rows.into_iter().map(|(record, key)| Ok((record.into_user()?, key))).collect()
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
/// returns the user as stored, `None` when the e-mail address is taken (by a user the caller
/// could not see yet: the unique index decides between two invitations of one address at once).
pub async fn insert_pending_user<'e, E>(
    executor: E,
    email: &Email,
    roles: RoleSet,
    token: &Token,
    now: Timestamp,
    expires: Timestamp,
) -> anyhow::Result<Option<User>>
where
    E: Executor<'e, Database = Any>,
{
    let inserted = sqlx::query(&format!(
        "INSERT INTO users (email, email_lower, roles, version, invited_at, invitation_token_hash, \
         invitation_sent_at, invitation_expires_at) VALUES ($1, $2, $3, 1, $4, $5, $4, $6) RETURNING {USER_COLUMNS}"
    ))
    .bind(email.as_str())
    .bind(email.key())
    .bind(format_roles(roles))
    .bind(now.millis())
    .bind(token.hash())
    .bind(expires.millis())
    .fetch_one(executor)
    .await;
    match inserted {
        Ok(row) => user_from_row(&row).map(Some),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(anyhow::Error::new(error).context("creating a pending user")),
    }
}

/// Gives the pending user `id` a new invitation `token`, sent `now` and valid until `expires`;
/// the previous link stops working. Returns the user as stored, `None` when `id` is no pending
/// user.
pub async fn rotate_invitation<'e, E>(
    executor: E,
    id: i64,
    token: &Token,
    now: Timestamp,
    expires: Timestamp,
) -> anyhow::Result<Option<User>>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!(
        "UPDATE users SET invitation_token_hash = $1, invitation_sent_at = $2, invitation_expires_at = $3, \
         version = version + 1 WHERE id = $4 AND registered_at IS NULL RETURNING {USER_COLUMNS}"
    ))
    .bind(token.hash())
    .bind(now.millis())
    .bind(expires.millis())
    .bind(id)
    .fetch_optional(executor)
    .await
    .context("renewing an invitation")?;
    row.as_ref().map(user_from_row).transpose()
}

/// What a change to a user sets; `None` leaves a column as it is.
#[derive(Debug, Default)]
pub struct UserChange<'a> {
    pub name: Option<&'a UserName>,
    pub roles: Option<RoleSet>,
    /// Change only the user at this version (the one the editor saw).
    pub at_version: Option<i64>,
}

/// Changes the user `id` and counts a new version. A name is always written with its search
/// key (`name_lower`). Returns the user as stored, `None` when no user `id` is at the version.
pub async fn change_user<'e, E>(executor: E, id: i64, change: UserChange<'_>) -> anyhow::Result<Option<User>>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!(
        "UPDATE users SET name = COALESCE($1, name), name_lower = COALESCE($2, name_lower), \
         roles = COALESCE($3, roles), version = version + 1 \
         WHERE id = $4 AND version = COALESCE($5, version) RETURNING {USER_COLUMNS}"
    ))
    .bind(change.name.map(UserName::as_str))
    .bind(change.name.map(UserName::key))
    .bind(change.roles.map(format_roles))
    .bind(id)
    .bind(change.at_version)
    .fetch_optional(executor)
    .await
    .context("changing a user")?;
    row.as_ref().map(user_from_row).transpose()
}

/// Completes the registration of the pending user `id` invited with `token`: name (with its
/// search key), password, registration time; the invitation is used up. Returns `false`, and
/// changes nothing, when the user is no longer pending with that token (registered or sent a new
/// link meanwhile): the update itself decides, so the link works once without a lock taken first.
pub async fn register<'e, E>(
    executor: E,
    id: i64,
    token: &Token,
    name: &UserName,
    password: &PasswordHash,
    now: Timestamp,
) -> anyhow::Result<bool>
where
    E: Executor<'e, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE users SET name = $1, name_lower = $2, password_hash = $3, registered_at = $4, \
         invitation_token_hash = NULL, invitation_sent_at = NULL, invitation_expires_at = NULL, \
         version = version + 1 WHERE id = $5 AND registered_at IS NULL AND invitation_token_hash = $6",
    )
    .bind(name.as_str())
    .bind(name.key())
    .bind(&password.0)
    .bind(now.millis())
    .bind(id)
    .bind(token.hash())
    .execute(executor)
    .await
    .context("completing a registration")?;
    Ok(done.rows_affected() == 1)
}

/// Records that the user `id` signed in `now` with their password (registering does not count:
/// the list says "Never" until they sign in again).
pub async fn record_sign_in<'e, E>(executor: E, id: i64, now: Timestamp) -> anyhow::Result<()>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now.millis())
        .bind(id)
        .execute(executor)
        .await
        .context("recording a sign-in")?;
    Ok(())
}

/// Removes the user `id` and ends their sessions.
pub async fn remove_user(conn: &mut sqlx::AnyConnection, id: i64) -> anyhow::Result<()> {
    end_sessions(&mut *conn, id).await?;
    sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *conn).await.context("removing a user")?;
    Ok(())
}

/// The condition of a user who can sign in: registered and not deactivated. Sessions, the
/// rights re-check of a write and the count of Administrators all use it.
pub const ACTIVE: &str = "registered_at IS NOT NULL AND deactivated_at IS NULL";

/// Deactivates (`at` = the time) or reactivates (`at` = `None`) the registered user `id` at
/// `version`, counting a new version; deactivation ends every session of the user at once.
/// Returns the user as stored, `None` when no registered user `id` is at the version.
pub async fn set_deactivated(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    version: i64,
    at: Option<Timestamp>,
) -> anyhow::Result<Option<User>> {
    let row = sqlx::query(&format!(
        "UPDATE users SET deactivated_at = $1, version = version + 1 \
         WHERE id = $2 AND version = $3 AND registered_at IS NOT NULL RETURNING {USER_COLUMNS}"
    ))
    .bind(at.map(Timestamp::millis))
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await
    .context("changing whether a user is deactivated")?;
    if at.is_some() && row.is_some() {
        end_sessions(&mut *conn, id).await?;
    }
    row.as_ref().map(user_from_row).transpose()
}

/// Ends every session of the user `id`: their next request is answered 401.
pub async fn end_sessions<'e, E>(executor: E, id: i64) -> anyhow::Result<()>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(executor)
        .await
        .context("ending sessions")?;
    Ok(())
}

/// Whether `user` is one of the active registered Administrators [`active_admins`] counts: a
/// change to such a user is made under the Administrators lock (`write`). A deactivated
/// Administrator is not counted, so reactivating one can only add to the count.
pub fn counts_as_administrator(user: &User) -> bool {
    user.status == UserStatus::Registered && user.roles == RoleSet::single(Role::Admin)
}

/// How many active (registered and not deactivated) Administrators there are: the ones the
/// last-administrator rule keeps at least one of.
pub async fn active_admins<'e, E>(executor: E) -> anyhow::Result<i64>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM users WHERE roles = $1 AND {ACTIVE}"))
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
