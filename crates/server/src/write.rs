//! The one way to begin a write transaction. A [`WriteTx`] holds the write lock, and only this
//! module can make one:
//!
//! - [`CurrentUser::begin_write`]: a signed-in user's change over an area; the rights are
//!   checked before the transaction and again inside it, so that a user demoted or removed
//!   while the request was in flight changes nothing;
//! - [`CurrentUser::begin_own_write`]: a change to one's own account (open to everyone signed
//!   in); inside the transaction the account must still be registered;
//! - [`begin_anonymous`]: the writes made before anyone is signed in, each named by its
//!   [`Anonymous`] reason.

use anyhow::Context;
use sqlx::{Any, Transaction};
use useradmin_rights::{Access, Area, RoleSet};

use crate::auth::{AuthError, CurrentUser, grants};
use crate::db::Db;
use crate::store::{ACTIVE, parse_roles};

/// A write transaction that took the write lock with its first statement; on SQLite it also
/// holds this process's writer slot.
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
    /// Counting a sign-in attempt, and starting the session of a successful one.
    SignIn,
    /// Accepting an invitation: the token is the credential, checked again inside.
    Registration,
    /// Asking for a password reset link (counted against the limits) and setting a new
    /// password with one: the link's token is the credential, checked again inside.
    PasswordReset,
    /// A start inviting (or re-inviting) the first administrator.
    FirstAdministrator,
    /// Deleting rows nothing reads any more (`housekeeping`).
    Housekeeping,
}

/// Begins a write for `why`; the caller checks whatever credential `why` stands for inside it.
pub async fn begin_anonymous(db: &Db, why: Anonymous) -> anyhow::Result<WriteTx> {
    begin(db).await.with_context(|| format!("beginning a write ({why:?})"))
}

impl CurrentUser {
    /// Begins a write that needs `needed` over `area`: checked now, and again inside the
    /// transaction against the roles the database has then.
    pub async fn begin_write(&self, db: &Db, area: Area, needed: Access) -> Result<WriteTx, AuthError> {
        self.require(area, needed)?;
        let mut tx = begin(db).await.map_err(AuthError::Unexpected)?;
        grants(roles_now(&mut tx, self.id).await?, area, needed)?;
        Ok(tx)
    }

    /// Begins a change to the caller's own account, which must still be registered inside the
    /// transaction.
    pub async fn begin_own_write(&self, db: &Db) -> Result<WriteTx, AuthError> {
        let mut tx = begin(db).await.map_err(AuthError::Unexpected)?;
        roles_now(&mut tx, self.id).await?;
        Ok(tx)
    }
}

/// Begins a transaction holding the write lock from its first statement.
async fn begin(db: &Db) -> anyhow::Result<WriteTx> {
    let slot = db.writer_slot().await;
    let mut tx = db.pool.begin().await.context("beginning a transaction")?;
    sqlx::query("UPDATE write_lock SET counter = counter + 1 WHERE id = 1")
        .execute(&mut *tx)
        .await
        .context("taking the write lock")?;
    Ok(WriteTx { tx, _slot: slot })
}

/// The roles of an active user as the transaction sees them; [`AuthError::NotSignedIn`]
/// when the user has been removed or deactivated.
async fn roles_now(tx: &mut WriteTx, user_id: i64) -> Result<RoleSet, AuthError> {
    let roles: Option<String> = sqlx::query_scalar(&format!("SELECT roles FROM users WHERE id = $1 AND {ACTIVE}"))
        .bind(user_id)
        .fetch_optional(&mut *tx.tx)
        .await
        .map_err(|error| AuthError::Unexpected(error.into()))?;
    parse_roles(&roles.ok_or(AuthError::NotSignedIn)?).map_err(AuthError::Unexpected)
}
