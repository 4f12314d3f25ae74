//! The one way to begin a write transaction. A [`WriteTx`] holds the locks its rules need,
//! and only this module can make one:
//!
//! - [`CurrentUser::begin_write`]: a signed-in user's change over an area; the rights are
//!   checked before the transaction and again inside it, so that a user demoted or removed
//!   while the request was in flight changes nothing;
//! - [`CurrentUser::begin_user_write`]: the same for a change to one user (edit, resend, remove,
//!   and any later change of a user's state): that user's row is locked too, and the set of
//!   Administrators when the user is one;
//! - [`CurrentUser::begin_own_write`]: a change to one's own account (open to everyone signed
//!   in); inside the transaction the account must still be registered;
//! - [`begin_anonymous`]: the writes made before anyone is signed in, each named by its
//!   [`Anonymous`] reason.
//!
//! What is locked depends on the engine. SQLite has one writer at a time anyway: every write
//! transaction takes the `write_lock` row first (and queues in-process, [`Db::writer_slot`]).
//! PostgreSQL locks only what a rule reads and must not change under it, so that writes to
//! different users do not wait for each other:
//!
//! - the signed-in user's row `FOR SHARE` (their rights, re-checked: a demotion or removal of
//!   them waits for the write, or the write sees it);
//! - the row of the user changed `FOR NO KEY UPDATE` (its version and state; reads, and
//!   sign-in, which writes only sessions and rate-limit events, never wait for it);
//! - the set of Administrators (an advisory lock, [`LockClass::Administrators`]) whenever the
//!   user changed is a registered Administrator, or the first Administrator is invited: the only
//!   writes that can lower their number, so counting them under it is exact.
//!
//! Locks are taken in one order, the Administrators first and then user rows by id, so two
//! writes cannot wait for each other in a cycle (two Administrators demoting each other at once
//! queue on the Administrators lock).

use std::cmp::Ordering;

use anyhow::Context;
use sqlx::{Any, Transaction};
use useradmin_api::{User, UserStatus};
use useradmin_rights::{Access, Area, RoleSet};

use crate::auth::{AuthError, CurrentUser, grants};
use crate::db::{Db, Engine, LockClass};
use crate::store::{ACTIVE, USER_COLUMNS, counts_as_administrator, find_user, parse_roles, user_from_row};

/// A write transaction holding the locks its rules need (see the module documentation); on
/// SQLite it also holds this process's writer slot.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _slot: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTx {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> anyhow::Result<()> {
        self.tx.commit().await.context("committing a write transaction")
    }
}

/// Why a write happens without a signed-in user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anonymous {
    /// Counting a sign-in attempt, and starting the session of a successful one. The limits'
    /// subjects are locked by `rate_limit::exceeded`, nothing else.
    SignIn,
    /// Accepting an invitation: the token is the credential, checked again inside (the
    /// registration's update is conditional on it, so the link works once).
    Registration,
    /// Asking for a password reset link (counted against the limits) and setting a new
    /// password with one: the link's token is the credential, checked again inside.
    PasswordReset,
    /// A start inviting (or re-inviting) the first administrator: under the Administrators
    /// lock, so that instances starting together invite once.
    FirstAdministrator,
    /// Deleting rows nothing reads any more (`housekeeping`).
    Housekeeping,
}

/// Begins a write for `why`; the caller checks whatever credential `why` stands for inside it.
pub async fn begin_anonymous(db: &Db, why: Anonymous) -> anyhow::Result<WriteTx> {
    let administrators = why == Anonymous::FirstAdministrator;
    begin(db, administrators).await.with_context(|| format!("beginning a write ({why:?})"))
}

impl CurrentUser {
    /// Begins a write that needs `needed` over `area`: checked now, and again inside the
    /// transaction against the roles the database has then.
    pub async fn begin_write(&self, db: &Db, area: Area, needed: Access) -> Result<WriteTx, AuthError> {
        self.require(area, needed)?;
        let mut tx = begin(db, false).await.map_err(AuthError::Unexpected)?;
        grants(roles_now(&mut tx, db.engine, self.id, RowLock::Share).await?, area, needed)?;
        Ok(tx)
    }

    /// Begins a change to the user `target` that needs `needed` over `area`, checked as in
    /// [`CurrentUser::begin_write`]; returns the user as the transaction sees it (`None` when
    /// there is none), locked until the end of the transaction. When the user is a registered
    /// Administrator, the set of Administrators is locked too, so a rule counting them (the
    /// last Administrator) counts what no other write can change meanwhile.
    pub async fn begin_user_write(
        &self,
        db: &Db,
        area: Area,
        needed: Access,
        target: i64,
    ) -> Result<(WriteTx, Option<User>), AuthError> {
        self.require(area, needed)?;
        if db.engine == Engine::Sqlite {
            let mut tx = begin(db, false).await.map_err(AuthError::Unexpected)?;
            grants(roles_now(&mut tx, db.engine, self.id, RowLock::Share).await?, area, needed)?;
            let user = find_user(&mut **tx, target).await?;
            return Ok((tx, user));
        }
        // Most users changed are no Administrators: try without the Administrators lock, and
        // only when the user turns out to be one begin again with it, which comes first.
        let mut administrators = false;
        loop {
            let mut tx = begin(db, administrators).await.map_err(AuthError::Unexpected)?;
            // Rows in the order of their ids, the signed-in user's shared, the target's not.
            let user = match self.id.cmp(&target) {
                Ordering::Less => {
                    grants(roles_now(&mut tx, db.engine, self.id, RowLock::Share).await?, area, needed)?;
                    lock_user(&mut tx, target).await?
                }
                Ordering::Greater => {
                    let user = lock_user(&mut tx, target).await?;
                    grants(roles_now(&mut tx, db.engine, self.id, RowLock::Share).await?, area, needed)?;
                    user
                }
                Ordering::Equal => {
                    let user = lock_user(&mut tx, target).await?;
                    // Active: registered and not deactivated, as `roles_now` asks.
                    let me =
                        user.as_ref().filter(|me| me.status == UserStatus::Registered).ok_or(AuthError::NotSignedIn)?;
                    grants(me.roles, area, needed)?;
                    user
                }
            };
            if !administrators && user.as_ref().is_some_and(counts_as_administrator) {
                administrators = true;
                continue;
            }
            return Ok((tx, user));
        }
    }

    /// Begins a change to the caller's own account, which must still be registered inside the
    /// transaction (and stays locked until its end).
    pub async fn begin_own_write(&self, db: &Db) -> Result<WriteTx, AuthError> {
        let mut tx = begin(db, false).await.map_err(AuthError::Unexpected)?;
        roles_now(&mut tx, db.engine, self.id, RowLock::Update).await?;
        Ok(tx)
    }
}

/// Begins a transaction: on SQLite holding the write lock from its first statement; on
/// PostgreSQL holding the Administrators lock first when `administrators`, and nothing else yet.
/// (Row locks are then still taken on PostgreSQL, which costs nothing under the write lock.)
async fn begin(db: &Db, administrators: bool) -> anyhow::Result<WriteTx> {
    let slot = db.writer_slot().await;
    let mut tx = db.pool.begin().await.context("beginning a transaction")?;
    if db.one_writer_at_a_time() {
        sqlx::query("UPDATE write_lock SET counter = counter + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await
            .context("taking the write lock")?;
    } else if administrators {
        LockClass::Administrators.lock(&mut tx, "").await.context("locking the set of administrators")?;
    }
    Ok(WriteTx { tx, _slot: slot })
}

/// How a row read under a rule is locked on PostgreSQL.
#[derive(Clone, Copy)]
enum RowLock {
    /// Others may read and share it, not change it: the signed-in user's rights.
    Share,
    /// Only this transaction changes it (its key stays, so inserts referring to it never wait).
    Update,
}

impl RowLock {
    fn clause(self, engine: Engine) -> &'static str {
        match (engine, self) {
            (Engine::Sqlite, _) => "",
            (Engine::Postgres, RowLock::Share) => " FOR SHARE",
            (Engine::Postgres, RowLock::Update) => " FOR NO KEY UPDATE",
        }
    }
}

/// The user `id`, locked for this transaction's change; `None` when there is none.
async fn lock_user(tx: &mut WriteTx, id: i64) -> anyhow::Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 FOR NO KEY UPDATE");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *tx.tx).await.context("locking a user")?;
    row.as_ref().map(user_from_row).transpose()
}

/// The roles of an active user as the transaction sees them, locked as `lock` says;
/// [`AuthError::NotSignedIn`] when the user has been removed or deactivated.
async fn roles_now(tx: &mut WriteTx, engine: Engine, user_id: i64, lock: RowLock) -> Result<RoleSet, AuthError> {
    let sql = format!("SELECT roles FROM users WHERE id = $1 AND {ACTIVE}{}", lock.clause(engine));
    let roles: Option<String> = sqlx::query_scalar(&sql)
        .bind(user_id)
        .fetch_optional(&mut *tx.tx)
        .await
        .map_err(|error| AuthError::Unexpected(error.into()))?;
    parse_roles(&roles.ok_or(AuthError::NotSignedIn)?).map_err(AuthError::Unexpected)
}
