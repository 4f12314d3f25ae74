//! The database: a pool over SQLite (default) or PostgreSQL through sqlx's `Any` driver, so
//! that handler SQL is written once. Placeholders are `$1, $2, …`, times are BIGINT
//! milliseconds. Write transactions begin only in [`crate::write`], which takes the locks their
//! rules need: on SQLite the one `write_lock` row, on PostgreSQL rows and [`LockClass`] locks.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};
use useradmin_api::Timestamp;

/// Which engine the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The pool, and (for SQLite) an in-process queue of writers.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    writers: Arc<tokio::sync::Mutex<()>>,
    /// Every write takes the `write_lock` row, PostgreSQL's too (see [`Db::one_writer_at_a_time`]).
    one_writer: bool,
}

/// A pooled connection idle this long is checked before it is handed out.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(5);

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects, applies SQLite's pragmas to every connection, and runs the migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            anyhow::bail!("unsupported database URL `{}`: use sqlite:// or postgres://", redacted(url));
        };
        let options: AnyConnectOptions =
            url.parse().with_context(|| format!("invalid database URL `{}`", redacted(url)))?;
        let pool = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            // sqlx pings every connection it hands out: a round trip to PostgreSQL, a hop to the
            // worker thread on SQLite, as costly as the query itself. Ping only connections that
            // sat idle long enough to have gone stale; every connection is also pinged when it
            // is given back.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_WHEN_IDLE_FOR {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database `{}`", redacted(url)))?;
        if engine == Engine::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await.context("switching SQLite to WAL")?;
        }
        let migrator = match engine {
            Engine::Sqlite => &SQLITE_MIGRATOR,
            Engine::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator.run(&pool).await.context("running the database migrations")?;
        // Only benchmark builds (`bench-plain`) read this: `cargo xtask bench` measures
        // PostgreSQL's writes both ways in one run, queued on one row as they all were before
        // and locking what their rules need as they do now.
        let one_writer = engine == Engine::Sqlite
            || (cfg!(feature = "bench-plain") && std::env::var_os("USERADMIN_BENCH_ONE_WRITER").is_some());
        Ok(Db { pool, engine, writers: Arc::new(tokio::sync::Mutex::new(())), one_writer })
    }

    /// Whether every write transaction takes the `write_lock` row first: always on SQLite,
    /// which has one writer at a time anyway; on PostgreSQL only in a benchmark of how writes
    /// went before they locked only what their rules need.
    pub(crate) fn one_writer_at_a_time(&self) -> bool {
        self.one_writer
    }

    /// This process's writer slot: SQLite writers queue here rather than in SQLite's busy
    /// loop; PostgreSQL needs none. Only [`crate::write`] takes it, with the write lock.
    pub(crate) async fn writer_slot(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.engine {
            Engine::Sqlite => Some(Arc::clone(&self.writers).lock_owned().await),
            Engine::Postgres => None,
        }
    }
}

/// PostgreSQL advisory locks held until the end of the transaction, each class a key space of
/// its own (names are hashed into it; a collision only makes two writes queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LockClass {
    /// The set of registered Administrators: taken by the writes that could lower their
    /// number, always before any row lock.
    Administrators = 1,
    /// One rate limit's subject: its check and the event counted after it are one step.
    RateLimitSubject = 2,
}

impl LockClass {
    /// Waits for and takes the lock `name` of this class (PostgreSQL only).
    pub(crate) async fn lock(self, conn: &mut sqlx::AnyConnection, name: &str) -> anyhow::Result<()> {
        // A function returning `void` is called in FROM, so the row holds nothing to convert.
        sqlx::query("SELECT 1 AS locked FROM pg_advisory_xact_lock($1, hashtext($2))")
            .bind(self as i32)
            .bind(name)
            .execute(conn)
            .await
            .with_context(|| format!("taking the lock {self:?} `{name}`"))?;
        Ok(())
    }
}

/// The URL with its password replaced, for messages: start-up errors end up in logs that
/// more people read than should know the database password.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("REDACTED"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        // Unparseable: whatever sits between `://` and `@` may be a password.
        Err(_) => match (url.split_once("://"), url.rfind('@')) {
            (Some((scheme, _)), Some(at)) => format!("{scheme}://REDACTED{}", &url[at..]),
            _ => url.to_owned(),
        },
    }
}

/// Now, in milliseconds since the Unix epoch.
pub fn now() -> Timestamp {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    Timestamp(i64::try_from(millis).unwrap_or(i64::MAX))
}

/// A duration in milliseconds, for adding to a [`Timestamp`].
pub fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(redacted("postgres://app:s3cret@db:5432/useradmin"), "postgres://app:REDACTED@db:5432/useradmin");
        assert_eq!(redacted("postgres://db/useradmin"), "postgres://db/useradmin");
        assert_eq!(redacted("sqlite://data/useradmin.db?mode=rwc"), "sqlite://data/useradmin.db?mode=rwc");
        assert!(!redacted("postgres://app:s3:cr%et@[db/x").contains("s3"));
    }
}
