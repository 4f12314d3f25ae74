//! The database: a pool over SQLite (default) or PostgreSQL through sqlx's `Any` driver, so
//! that handler SQL is written once. Placeholders are `$1, $2, …`, times are BIGINT
//! milliseconds, and every write transaction starts by taking the write lock row (see
//! [`crate::write`], the only place that begins one).

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
        Ok(Db { pool, engine, writers: Arc::new(tokio::sync::Mutex::new(())) })
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
