//! Narrowing a search of the user list with the trigram index. On PostgreSQL the planner does
//! it on its own (pg_trgm GIN indexes on the lower-cased columns, chosen by the statistics).
//! SQLite's planner cannot see how many rows an FTS5 match yields, so here the FTS5 trigram
//! table (`users_search`) is asked for the candidates first, and the handler walks the e-mail
//! index as before when the term is shorter than a trigram or so common that walking finds a
//! page sooner. Either way every candidate is checked with the exact `LIKE` pattern.

use anyhow::Context;
use sqlx::Row;

use crate::db::{Db, Engine};
use crate::domain::SearchTerm;

/// More candidates than this and walking the users in e-mail order is cheaper than fetching and
/// sorting them all: with 100,000 users such a term matches one user in 50, so a page of 100 is
/// found within about 5,000 rows of the e-mail index.
const MAX_CANDIDATES: i64 = 2_000;

/// The ids of the users that may match, as a JSON array for `json_each`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates(String);

impl Candidates {
    pub fn as_json(&self) -> &str {
        &self.0
    }
}

/// The candidates for `term`, or `None` when the handler should walk the e-mail index instead.
pub async fn candidates(db: &Db, term: &SearchTerm) -> anyhow::Result<Option<Candidates>> {
    let Some(phrase) = term.trigram_phrase().filter(|_| db.engine == Engine::Sqlite) else { return Ok(None) };
    let row = sqlx::query(
        "SELECT count(*) AS n, json_group_array(rowid) AS ids FROM \
         (SELECT rowid FROM users_search WHERE users_search MATCH $1 LIMIT $2)",
    )
    .bind(phrase)
    .bind(MAX_CANDIDATES + 1)
    .fetch_one(&db.pool)
    .await
    .context("looking up search candidates")?;
    let found: i64 = row.try_get("n")?;
    Ok((found <= MAX_CANDIDATES).then(|| row.try_get("ids").map(Candidates)).transpose()?)
}
