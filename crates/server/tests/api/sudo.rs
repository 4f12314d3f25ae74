//! Dangerous actions (granting Administrator, removing a user) need the password entered in
//! the last 10 minutes, like GitHub's "sudo mode": an open or stolen session alone cannot.

use reqwest::{Client, StatusCode};
use serde_json::json;
use useradmin_api::{AuditAction, AuditPage, User};
use useradmin_rights::{Role, RoleSet};

use useradmin_test_support::{PASSWORD, TestApp, error_code};

async fn set_roles(app: &TestApp, admin: &Client, user: &User, roles: RoleSet) -> reqwest::Response {
    admin
        .patch(app.url(&format!("/users/{}", user.id)))
        .json(&json!({"roles": roles, "version": user.version}))
        .send()
        .await
        .unwrap()
}

async fn confirm(app: &TestApp, client: &Client, password: &str) -> reqwest::Response {
    client.post(app.url("/session/password")).json(&json!({"password": password})).send().await.unwrap()
}

#[tokio::test]
async fn granting_administrator_asks_for_the_password_again_after_ten_minutes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, bob) = app.registered_user(&admin, "bob@example.com", RoleSet::EMPTY).await;
    let bob = User { version: bob.version + 1, ..bob };
    app.let_eleven_minutes_pass_since_the_password().await;

    let refused = set_roles(&app, &admin, &bob, RoleSet::single(Role::Admin)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(refused).await, "password_required");
    let other_roles = set_roles(&app, &admin, &bob, RoleSet::single(Role::Finance)).await;
    assert_eq!(other_roles.status(), StatusCode::OK, "only Administrator needs it");
    let bob: User = other_roles.json().await.unwrap();

    let wrong = confirm(&app, &admin, "not my password").await;
    assert_eq!(error_code(wrong).await, "wrong_current_password");
    assert_eq!(set_roles(&app, &admin, &bob, RoleSet::single(Role::Admin)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(confirm(&app, &admin, PASSWORD).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(set_roles(&app, &admin, &bob, RoleSet::single(Role::Admin)).await.status(), StatusCode::OK);

    let log: AuditPage = app.get_json(&admin, "/audit-log").await;
    assert!(log.items.iter().any(|e| e.action == AuditAction::WrongPassword), "the wrong password is audited");
}

#[tokio::test]
async fn removing_a_user_asks_for_the_password_again_revoking_an_invitation_does_not() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, bob) = app.registered_user(&admin, "bob@example.com", RoleSet::EMPTY).await;
    let pending = app.invited(&admin, "pending@example.com", RoleSet::EMPTY).await;
    app.let_eleven_minutes_pass_since_the_password().await;

    let remove = |user: &User| admin.delete(app.url(&format!("/users/{}", user.id))).send();
    let refused = remove(&bob).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(refused).await, "password_required");
    assert_eq!(remove(&pending).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(confirm(&app, &admin, PASSWORD).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(remove(&bob).await.unwrap().status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn signing_in_counts_as_entering_the_password_and_confirming_is_limited() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, bob) = app.registered_user(&admin, "bob@example.com", RoleSet::EMPTY).await;
    app.let_eleven_minutes_pass_since_the_password().await;
    let fresh = app.admin_session().await;
    let response = fresh.delete(app.url(&format!("/users/{}", bob.id))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "a new sign-in is a fresh password");

    for _ in 0..5 {
        assert_eq!(error_code(confirm(&app, &admin, "a guess at it").await).await, "wrong_current_password");
    }
    let response = confirm(&app, &admin, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "guesses through a session are limited");
}
