//! Narrowing a search of the user list with the trigram index: the FTS5 trigram table
//! `users_search` on SQLite, the pg_trgm GIN indexes on PostgreSQL.
//!
//! A page is the first matches in e-mail order. For a common term, walking the e-mail index
//! and checking each user finds a page at once; for a rare one that walk reads most of the
//! table, and fetching the few matches through the index and sorting them is what is fast.
//! Neither planner can tell the two apart (SQLite cannot estimate an FTS5 match; PostgreSQL
//! assumes matches spread evenly over the e-mail order), so this module asks the index for
//! the candidates first, and the handler walks the e-mail index as before when there are too
//! many or the term is too short for trigrams. Either way the `LIKE` decides.

use anyhow::Context;
use sqlx::Row;

use crate::db::{Db, Engine};
use crate::domain::SearchTerm;

/// More candidates than this and walking the users in e-mail order is cheaper than fetching and
/// sorting them all: with 100,000 users such a term matches one user in 50, so a page of 100 is
/// found within about 5,000 rows of the e-mail index.
const MAX_CANDIDATES: i64 = 2_000;

/// The ids of the users that may match, as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates(String);

impl Candidates {
    pub fn into_json(self) -> String {
        self.0
    }

    /// The SQL condition that keeps the users whose id is in the array bound as `$param`.
    pub fn condition(engine: Engine, param: usize) -> String {
        match engine {
            Engine::Sqlite => format!("id IN (SELECT value FROM json_each(${param}))"),
            Engine::Postgres => format!("id IN (SELECT value::bigint FROM json_array_elements_text(${param}::json))"),
        }
    }
}

/// The candidates for `term`, or `None` when the handler should walk the e-mail index instead.
pub async fn candidates(db: &Db, term: &SearchTerm) -> anyhow::Result<Option<Candidates>> {
    if !term.fits_trigrams() {
        return Ok(None);
    }
    let (sql, key) = match db.engine {
        Engine::Sqlite => (
            "SELECT count(*) AS n, json_group_array(id) AS ids FROM \
             (SELECT rowid AS id FROM users_search WHERE users_search MATCH $1 LIMIT $2)",
            term.fts_phrase(),
        ),
        Engine::Postgres => (
            "SELECT count(*) AS n, coalesce(json_agg(id), '[]')::text AS ids FROM \
             (SELECT id FROM users WHERE email_lower LIKE $1 ESCAPE '\\' OR name_lower LIKE $1 ESCAPE '\\' \
             LIMIT $2) AS hits",
            term.like_pattern(),
        ),
    };
    // Not a cached prepared statement: PostgreSQL would soon reuse one plan for every term,
    // without the index for rare ones.
    let row = sqlx::query(sql)
        .persistent(false)
        .bind(key)
        .bind(MAX_CANDIDATES + 1)
        .fetch_one(&db.pool)
        .await
        .context("looking up search candidates")?;
    let found: i64 = row.try_get("n")?;
    Ok((found <= MAX_CANDIDATES).then(|| row.try_get("ids").map(Candidates)).transpose()?)
}
