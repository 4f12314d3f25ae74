//! Rows nothing reads any more are deleted: old rate-limit events, idle sessions, expired reset
//! links.

use useradmin_server::auth::SessionLimits;
use useradmin_server::db::Db;
use useradmin_server::housekeeping::{Cleared, clear_once};

use useradmin_test_support::TestApp;

#[tokio::test]
async fn housekeeping_deletes_old_rate_events_and_idle_sessions_and_keeps_the_rest() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let pool = app.pool().await;
    let now = useradmin_server::db::now().millis();
    let two_hours = 2 * 3_600_000;
    for (kind, at) in [("sign_in_address", now - two_hours), ("sign_in_address", now)] {
        sqlx::query("INSERT INTO rate_events (kind, subject, at) VALUES ($1, '127.0.0.1', $2)")
            .bind(kind)
            .bind(at)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ('stale', 1, 0, 0)")
        .execute(&pool)
        .await
        .unwrap();
    for (hash, expires_at) in [("expired", now - 1), ("working", now + 3_600_000)] {
        sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, 1, 0, $2)")
            .bind(hash)
            .bind(expires_at)
            .execute(&pool)
            .await
            .unwrap();
    }
    let sessions_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&pool).await.unwrap();

    let db = Db::connect(&app.database_url).await.unwrap();
    let cleared = clear_once(&db, SessionLimits { idle_ms: 3_600_000, lifetime_ms: 7 * 86_400_000 }).await.unwrap();

    assert_eq!(cleared, Cleared { rate_events: 1, sessions: 1, reset_links: 1 });
    let links: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM password_resets").fetch_all(&pool).await.unwrap();
    assert_eq!(links, ["working"], "a link that still works stays");
    let recent: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE at = $1").bind(now).fetch_one(&pool).await.unwrap();
    assert_eq!(recent, 1, "an event inside the window stays");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, sessions_before - 1, "only the idle session is gone");
    let me = admin.get(app.url("/me")).send().await.unwrap();
    assert!(me.status().is_success(), "the administrator's session still works");
}

#[tokio::test]
async fn housekeeping_deletes_sessions_past_their_lifetime_however_active() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let pool = app.pool().await;
    let now = useradmin_server::db::now().millis();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ('old', 1, $1, $2)")
        .bind(now - 8 * 86_400_000)
        .bind(now)
        .execute(&pool)
        .await
        .unwrap();

    let db = Db::connect(&app.database_url).await.unwrap();
    let cleared = clear_once(&db, SessionLimits { idle_ms: 3_600_000, lifetime_ms: 7 * 86_400_000 }).await.unwrap();

    assert_eq!(cleared.sessions, 1);
    let old: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = 'old'").fetch_one(&pool).await.unwrap();
    assert_eq!(old, 0);
    assert!(admin.get(app.url("/me")).send().await.unwrap().status().is_success());
}
