//! "Forgot password?": the same answer for every address, single-use links that a GET does not
//! use up, expiry, the limits, and what a reset ends and tells.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::{AuditAction, AuditPage, Me, PasswordResetInfo, PasswordResetRequested, RESET_REQUESTED};
use useradmin_rights::RoleSet;

use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp, error_code, mails_to, token_of};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn ask(app: &TestApp, email: &str) -> reqwest::Response {
    app.client().post(app.url("/password-resets")).json(&json!({"email": email})).send().await.unwrap()
}

async fn reset(app: &TestApp, client: &reqwest::Client, token: &str, password: &str) -> reqwest::Response {
    client
        .post(app.url(&format!("/password-resets/{token}")))
        .json(&json!({"new_password": password}))
        .send()
        .await
        .unwrap()
}

fn reset_mails(app: &TestApp, email: &str) -> usize {
    mails_to(&app.mail_dir, email).iter().filter(|mail| mail.contains("/reset-password/")).count()
}

#[tokio::test]
async fn every_address_gets_the_same_answer_and_only_an_active_account_gets_a_mail() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.invited(&admin, "pending@example.com", RoleSet::EMPTY).await;
    app.registered_user(&admin, "gone@example.com", RoleSet::EMPTY).await;
    let page: useradmin_api::UserPage = app.get_json(&admin, "/users?search=gone@").await;
    let gone = &page.items[0];
    let deactivate = admin
        .post(app.url(&format!("/users/{}/deactivate", gone.id)))
        .json(&json!({"version": gone.version}))
        .send()
        .await
        .unwrap();
    assert_eq!(deactivate.status(), StatusCode::OK);

    let mut times = Vec::new();
    for email in [ADMIN_EMAIL, "nobody@example.com", "pending@example.com", "gone@example.com"] {
        let started = Instant::now();
        let response = ask(&app, email).await;
        times.push(started.elapsed());
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{email}");
        let body: PasswordResetRequested = response.json().await.unwrap();
        assert_eq!(body.message, RESET_REQUESTED, "{email}");
    }
    // Every answer waits for the same floor, so the time does not tell accounts apart.
    assert!(times.iter().all(|time| *time >= Duration::from_millis(250)), "{times:?}");
    let spread = times.iter().max().unwrap().saturating_sub(*times.iter().min().unwrap());
    assert!(spread < Duration::from_millis(200), "{times:?}");

    app.reset_links_for(ADMIN_EMAIL, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    for email in ["nobody@example.com", "pending@example.com", "gone@example.com"] {
        assert_eq!(reset_mails(&app, email), 0, "{email} gets no reset link");
    }
}

#[tokio::test]
async fn a_link_works_once_opening_it_uses_nothing_and_a_reset_ends_every_session() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let other_browser = app.admin_session().await;
    assert_eq!(ask(&app, ADMIN_EMAIL).await.status(), StatusCode::ACCEPTED);
    let link = app.reset_links_for(ADMIN_EMAIL, 1).await.pop().unwrap();
    let token = token_of(&link);

    for _ in 0..2 {
        let info: PasswordResetInfo = app.get_json(&app.client(), &format!("/password-resets/{token}")).await;
        assert_eq!(info.email, ADMIN_EMAIL, "opening the link (as a mail scanner would) uses nothing up");
    }
    let weak = reset(&app, &app.client(), &token, "short").await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY, "the rules of registration");
    assert_eq!(error_code(weak).await, "invalid_password");

    let browser = app.client();
    let response = reset(&app, &browser, &token, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Me = response.json().await.unwrap();
    assert_eq!(me.email, ADMIN_EMAIL);
    let _: Me = app.get_json(&browser, "/me").await;
    for old in [&admin, &other_browser] {
        assert_eq!(old.get(app.url("/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }

    let again = reset(&app, &app.client(), &token, "yet another passphrase").await;
    assert_eq!(again.status(), StatusCode::GONE, "single use");
    assert_eq!(error_code(again).await, "reset_link_not_valid");
    let open = app.client().get(app.url(&format!("/password-resets/{token}"))).send().await.unwrap();
    assert_eq!(open.status(), StatusCode::GONE);

    assert_eq!(app.sign_in(&app.client(), ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.sign_in(&app.client(), ADMIN_EMAIL, NEW_PASSWORD).await.status(), StatusCode::OK);

    let deadline = Instant::now() + Duration::from_secs(10);
    while !mails_to(&app.mail_dir, ADMIN_EMAIL)
        .iter()
        .any(|mail| mail.contains("Subject: Your useradmin password was changed"))
    {
        assert!(Instant::now() < deadline, "the notice that the password was changed is mailed");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let log: AuditPage = app.get_json(&browser, "/audit-log?limit=50").await;
    let actions: Vec<_> =
        log.items.iter().filter(|e| e.target.as_deref() == Some(ADMIN_EMAIL)).map(|e| e.action).collect();
    assert!(actions.contains(&AuditAction::PasswordResetRequested));
    assert!(actions.contains(&AuditAction::PasswordReset));
}

#[tokio::test]
async fn a_link_expires_after_an_hour_and_a_newer_one_replaces_it() {
    let app = TestApp::spawn().await;
    app.admin().await;
    ask(&app, ADMIN_EMAIL).await;
    let first = token_of(&app.reset_links_for(ADMIN_EMAIL, 1).await[0]);
    ask(&app, ADMIN_EMAIL).await;
    let second = token_of(&app.reset_links_for(ADMIN_EMAIL, 2).await[1]);
    assert_eq!(reset(&app, &app.client(), &first, NEW_PASSWORD).await.status(), StatusCode::GONE, "replaced");

    let pool = app.pool().await;
    let (expires, created): (i64, i64) =
        sqlx::query_as("SELECT expires_at, created_at FROM password_resets").fetch_one(&pool).await.unwrap();
    assert_eq!(expires - created, 60 * 60 * 1000, "valid one hour");
    sqlx::query("UPDATE password_resets SET expires_at = created_at").execute(&pool).await.unwrap();
    pool.close().await;
    let open = app.client().get(app.url(&format!("/password-resets/{second}"))).send().await.unwrap();
    assert_eq!(open.status(), StatusCode::GONE);
    assert_eq!(reset(&app, &app.client(), &second, NEW_PASSWORD).await.status(), StatusCode::GONE);
}

#[tokio::test]
async fn only_the_hash_of_a_link_is_stored() {
    let app = TestApp::spawn().await;
    app.admin().await;
    ask(&app, ADMIN_EMAIL).await;
    let token = token_of(&app.reset_links_for(ADMIN_EMAIL, 1).await[0]);
    let pool = app.pool().await;
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM password_resets").fetch_one(&pool).await.unwrap();
    pool.close().await;
    assert_ne!(stored, token);
    assert!(!stored.contains(&token));
}

#[tokio::test]
async fn three_requests_per_address_and_twenty_per_client_address_an_hour_then_429_with_retry_after() {
    let app = TestApp::spawn().await;
    app.admin().await;
    for _ in 0..3 {
        assert_eq!(ask(&app, "someone@example.com").await.status(), StatusCode::ACCEPTED);
    }
    let refused = ask(&app, "someone@example.com").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "the same for an address without an account");
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 0 && retry_after <= 3600);
    assert_eq!(error_code(refused).await, "too_many_reset_requests");

    for i in 3..20 {
        assert_eq!(ask(&app, &format!("other{i}@example.com")).await.status(), StatusCode::ACCEPTED, "request {i}");
    }
    let refused = ask(&app, "fresh@example.com").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "the 21st from this client address");
    assert!(refused.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_link_stops_working_when_its_user_is_deactivated() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, invited) = app.registered_user(&admin, "leaver@example.com", RoleSet::EMPTY).await;
    ask(&app, "leaver@example.com").await;
    let token = token_of(&app.reset_links_for("leaver@example.com", 1).await[0]);
    let deactivate = admin
        .post(app.url(&format!("/users/{}/deactivate", invited.id)))
        .json(&json!({"version": invited.version + 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(deactivate.status(), StatusCode::OK);
    assert_eq!(reset(&app, &app.client(), &token, NEW_PASSWORD).await.status(), StatusCode::GONE);
}
