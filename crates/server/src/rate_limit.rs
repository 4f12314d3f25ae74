//! Sliding-window limits kept in the database (so that several instances share them): what is
//! limited, how many events each allows and over which window, in one place.

use std::ops::DerefMut;

use anyhow::Context;
use sqlx::{Any, AnyConnection, Executor, Row};

use crate::db::{LockClass, now};

/// [`AnyConnection::backend_name`] of a PostgreSQL connection.
const POSTGRES: &str = "PostgreSQL";

const MINUTE_MS: i64 = 60 * 1000;

/// A limited kind of event, counted per subject.
///
/// Sign-in throttling follows OWASP's device cookies: a browser that signed in to the account
/// before (its device cookie names the account) is limited by its own failures only; every
/// other browser shares two budgets, one per account and one per client address, with growing
/// delays instead of a lock ([`backoff`]). So strangers hammering an account slow each other
/// down but never lock out the account's own browsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Failed sign-ins of unknown browsers per account (the lower-cased e-mail as typed).
    SignInFailuresPerAccount,
    /// Failed sign-ins of unknown browsers per client address, whatever the account.
    SignInFailuresPerClient,
    /// Failed sign-ins of one known browser (its device cookie's id) to its account.
    SignInFailuresPerDevice,
    /// Wrong passwords of a signed-in user (their id), changing or confirming it: a stolen
    /// session must not be a way to guess the password at leisure.
    WrongPasswords,
    /// Invitation resends per user (their id).
    InvitationResends,
    /// Password reset requests per address asked for (lower-cased), whether or not it has an
    /// account, so that the limit reveals nothing: at most this many reset mails per address.
    ResetMailsPerAddress,
    /// Password reset requests per client address, whatever the e-mail.
    ResetRequestsPerClient,
}

impl Limit {
    pub const ALL: [Limit; 7] = [
        Limit::SignInFailuresPerAccount,
        Limit::SignInFailuresPerClient,
        Limit::SignInFailuresPerDevice,
        Limit::WrongPasswords,
        Limit::InvitationResends,
        Limit::ResetMailsPerAddress,
        Limit::ResetRequestsPerClient,
    ];

    /// How the events are stored (`rate_events.kind`).
    fn kind(self) -> &'static str {
        match self {
            Limit::SignInFailuresPerAccount => "sign_in_failed",
            Limit::SignInFailuresPerClient => "sign_in_failed_client",
            Limit::SignInFailuresPerDevice => "sign_in_failed_device",
            Limit::WrongPasswords => "wrong_password",
            Limit::InvitationResends => "invitation_resend",
            Limit::ResetMailsPerAddress => "password_reset",
            Limit::ResetRequestsPerClient => "password_reset_client",
        }
    }

    /// How many events the window allows ([`exceeded`]), or lets pass before the delays begin
    /// ([`backoff`]).
    pub const fn max(self) -> i64 {
        match self {
            Limit::SignInFailuresPerAccount | Limit::SignInFailuresPerClient => 5,
            Limit::SignInFailuresPerDevice => 10,
            Limit::WrongPasswords => 5,
            // The browser shows this number too.
            Limit::InvitationResends => useradmin_api::RESENDS_PER_HOUR as i64,
            Limit::ResetMailsPerAddress => useradmin_api::RESET_MAILS_PER_HOUR as i64,
            Limit::ResetRequestsPerClient => useradmin_api::RESET_REQUESTS_PER_CLIENT_PER_HOUR as i64,
        }
    }

    /// How far back the events count.
    pub const fn window_ms(self) -> i64 {
        match self {
            Limit::SignInFailuresPerAccount
            | Limit::SignInFailuresPerClient
            | Limit::SignInFailuresPerDevice
            | Limit::WrongPasswords => 15 * MINUTE_MS,
            Limit::InvitationResends | Limit::ResetMailsPerAddress | Limit::ResetRequestsPerClient => 60 * MINUTE_MS,
        }
    }
}

/// The longest delay [`backoff`] asks for.
pub const MAX_DELAY_MS: i64 = 5 * MINUTE_MS;

/// The longest time any limit looks back: older events count for nothing.
pub const LONGEST_WINDOW_MS: i64 = {
    let mut longest = 0;
    let mut i = 0;
    while i < Limit::ALL.len() {
        if Limit::ALL[i].window_ms() > longest {
            longest = Limit::ALL[i].window_ms();
        }
        i += 1;
    }
    longest
};

/// When `subject` has had [`Limit::max`] events within the window, the seconds until another is
/// allowed (rounded up); `None` while under the limit. In a transaction, the subject stays
/// locked until its end (on SQLite every write transaction is alone anyway), so that a check
/// and the event recorded after it are one step for parallel requests, and requests counting
/// other subjects do not wait.
pub async fn exceeded<C>(mut conn: C, limit: Limit, subject: &str) -> anyhow::Result<Option<u64>>
where
    C: DerefMut<Target = AnyConnection>,
{
    lock_subject(&mut conn, limit, subject).await?;
    let since = now().millis() - limit.window_ms();
    // The newest first: once `max` are in the window, the max-th newest has to leave it before
    // another event is allowed.
    let rows = sqlx::query(
        "SELECT at FROM rate_events WHERE kind = $1 AND subject = $2 AND at > $3 ORDER BY at DESC LIMIT $4",
    )
    .bind(limit.kind())
    .bind(subject)
    .bind(since)
    .bind(limit.max())
    .fetch_all(&mut *conn)
    .await
    .context("reading a rate limit")?;
    if (rows.len() as i64) < limit.max() {
        return Ok(None);
    }
    let leaving: i64 = rows.last().map(|row| row.try_get("at")).transpose()?.unwrap_or(since);
    let wait_ms = (leaving - since).max(1);
    Ok(Some(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1)))
}

/// Growing delays instead of a lock: once `subject` has had [`Limit::max`] events within the
/// window, each further one must come later after the newest than the one before (2 s, 4 s,
/// 8 s …, at most [`MAX_DELAY_MS`]). The seconds still to wait (rounded up); `None` when it may
/// happen now.
pub async fn backoff<C>(mut conn: C, limit: Limit, subject: &str) -> anyhow::Result<Option<u64>>
where
    C: DerefMut<Target = AnyConnection>,
{
    lock_subject(&mut conn, limit, subject).await?;
    let now = now().millis();
    let row = sqlx::query(
        "SELECT COUNT(*) AS events, MAX(at) AS newest FROM rate_events WHERE kind = $1 AND subject = $2 AND at > $3",
    )
    .bind(limit.kind())
    .bind(subject)
    .bind(now - limit.window_ms())
    .fetch_one(&mut *conn)
    .await
    .context("reading a rate limit")?;
    let events: i64 = row.try_get("events")?;
    let newest: Option<i64> = row.try_get("newest")?;
    let Some(newest) = newest.filter(|_| events >= limit.max()) else {
        return Ok(None);
    };
    let doublings = u32::try_from((events - limit.max()).clamp(0, 30)).unwrap_or(30);
    let delay = 2_000_i64.saturating_mul(1 << doublings).min(MAX_DELAY_MS);
    let wait_ms = newest + delay - now;
    Ok((wait_ms > 0).then(|| u64::try_from((wait_ms + 999) / 1000).unwrap_or(1)))
}

/// On PostgreSQL, locks `subject`'s count until the transaction ends, so that parallel
/// requests check and count it one after another (SQLite's writers are alone anyway).
async fn lock_subject(conn: &mut AnyConnection, limit: Limit, subject: &str) -> anyhow::Result<()> {
    if conn.backend_name() == POSTGRES {
        LockClass::RateLimitSubject.lock(conn, &format!("{}:{subject}", limit.kind())).await?;
    }
    Ok(())
}

/// Counts one event; returns its id.
pub async fn record<'e, E>(executor: E, limit: Limit, subject: &str) -> anyhow::Result<i64>
where
    E: Executor<'e, Database = Any>,
{
    let id: i64 = sqlx::query_scalar("INSERT INTO rate_events (kind, subject, at) VALUES ($1, $2, $3) RETURNING id")
        .bind(limit.kind())
        .bind(subject)
        .bind(now().millis())
        .fetch_one(executor)
        .await
        .context("counting a rate-limited event")?;
    Ok(id)
}

/// Forgets one event (an attempt that turned out right).
pub async fn forget_one<'e, E>(executor: E, id: i64) -> anyhow::Result<()>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("DELETE FROM rate_events WHERE id = $1")
        .bind(id)
        .execute(executor)
        .await
        .context("forgetting a rate-limited event")?;
    Ok(())
}

/// Forgets every event of `limit` for `subject`, and the one event `also` (of any limit).
pub async fn forget<'e, E>(executor: E, limit: Limit, subject: &str, also: i64) -> anyhow::Result<()>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("DELETE FROM rate_events WHERE (kind = $1 AND subject = $2) OR id = $3")
        .bind(limit.kind())
        .bind(subject)
        .bind(also)
        .execute(executor)
        .await
        .context("forgetting rate-limited events")?;
    Ok(())
}

/// Deletes the events no window reaches any more (requests only ignore them by their time).
pub async fn clear_expired<'e, E>(executor: E) -> anyhow::Result<u64>
where
    E: Executor<'e, Database = Any>,
{
    let deleted = sqlx::query("DELETE FROM rate_events WHERE at <= $1")
        .bind(now().millis() - LONGEST_WINDOW_MS)
        .execute(executor)
        .await
        .context("deleting old rate-limit events")?;
    Ok(deleted.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_window_is_the_hour_of_resends() {
        assert_eq!(LONGEST_WINDOW_MS, Limit::InvitationResends.window_ms());
        assert!(Limit::ALL.iter().all(|limit| limit.window_ms() <= LONGEST_WINDOW_MS));
    }
}
