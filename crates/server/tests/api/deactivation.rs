//! Deactivating and reactivating users: sign-in refused, sessions ended, roles kept, versions,
//! the last active Administrator, audit entries.

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::{AuditAction, AuditPage, ConflictBody, Me, User, UserPage, UserStatus};
use useradmin_rights::{Role, RoleSet};

use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp, error_code};

async fn user(app: &TestApp, client: &reqwest::Client, email: &str) -> User {
    let page: UserPage = app.get_json(client, &format!("/users?search={email}")).await;
    page.items.into_iter().find(|user| user.email == email).expect("the user is listed")
}

async fn deactivate(app: &TestApp, client: &reqwest::Client, id: i64, version: i64) -> reqwest::Response {
    client.post(app.url(&format!("/users/{id}/deactivate"))).json(&json!({"version": version})).send().await.unwrap()
}

async fn reactivate(app: &TestApp, client: &reqwest::Client, id: i64, version: i64) -> reqwest::Response {
    client.post(app.url(&format!("/users/{id}/reactivate"))).json(&json!({"version": version})).send().await.unwrap()
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_at_once_and_cannot_sign_in_until_reactivated() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let finance = RoleSet::single(Role::Finance);
    let (colleague, _) = app.registered_user(&admin, "leaver@example.com", finance).await;
    let other_browser = app.client();
    assert_eq!(app.sign_in(&other_browser, "leaver@example.com", PASSWORD).await.status(), StatusCode::OK);
    let before = user(&app, &admin, "leaver@example.com").await;

    let response = deactivate(&app, &admin, before.id, before.version).await;
    assert_eq!(response.status(), StatusCode::OK);
    let deactivated: User = response.json().await.unwrap();
    assert_eq!(deactivated.status, UserStatus::Deactivated);
    assert!(deactivated.deactivated_at.is_some());
    assert_eq!(deactivated.roles, finance, "the roles stay assigned");
    assert_eq!(deactivated.version, before.version + 1);

    for browser in [&colleague, &other_browser] {
        let me = browser.get(app.url("/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "every session ended at once");
    }
    let refused = app.sign_in(&app.client(), "leaver@example.com", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(refused).await, "account_deactivated");
    let wrong = app.sign_in(&app.client(), "leaver@example.com", "not the password at all").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "a wrong password learns nothing");
    assert_eq!(error_code(wrong).await, "invalid_credentials");

    let listed: UserPage = app.get_json(&admin, "/users?status=deactivated").await;
    assert_eq!(listed.items.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["leaver@example.com"]);
    let registered: UserPage = app.get_json(&admin, "/users?status=registered").await;
    assert!(registered.items.iter().all(|u| u.status == UserStatus::Registered), "active users only");
    assert!(!registered.items.iter().any(|u| u.email == "leaver@example.com"));

    let response = reactivate(&app, &admin, deactivated.id, deactivated.version).await;
    assert_eq!(response.status(), StatusCode::OK);
    let reactivated: User = response.json().await.unwrap();
    assert_eq!(reactivated.status, UserStatus::Registered);
    assert_eq!(reactivated.deactivated_at, None);
    let browser = app.client();
    assert_eq!(app.sign_in(&browser, "leaver@example.com", PASSWORD).await.status(), StatusCode::OK);
    let me: Me = app.get_json(&browser, "/me").await;
    assert_eq!(me.roles, finance, "back with the roles they had");

    let log: AuditPage = app.get_json(&admin, "/audit-log?limit=100").await;
    let actions: Vec<_> = log
        .items
        .iter()
        .filter(|e| e.target.as_deref() == Some("leaver@example.com") && e.actor.as_deref() == Some(ADMIN_EMAIL))
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&AuditAction::UserDeactivated));
    assert!(actions.contains(&AuditAction::UserReactivated));
}

#[tokio::test]
async fn deactivation_uses_versions_like_every_edit() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.registered_user(&admin, "v@example.com", RoleSet::EMPTY).await;
    let seen = user(&app, &admin, "v@example.com").await;
    let rename = admin
        .patch(app.url(&format!("/users/{}", seen.id)))
        .json(&json!({"name": "Vera", "version": seen.version}))
        .send()
        .await
        .unwrap();
    assert_eq!(rename.status(), StatusCode::OK);

    let stale = deactivate(&app, &admin, seen.id, seen.version).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let conflict: ConflictBody = stale.json().await.unwrap();
    assert_eq!(conflict.error.code, "version_conflict");
    assert_eq!(conflict.current.name.as_deref(), Some("Vera"));
    assert_eq!(conflict.current.status, UserStatus::Registered, "nothing changed");

    let done = deactivate(&app, &admin, seen.id, conflict.current.version).await;
    assert_eq!(done.status(), StatusCode::OK);
    let done: User = done.json().await.unwrap();
    let again = deactivate(&app, &admin, seen.id, done.version).await;
    assert_eq!(again.status(), StatusCode::OK, "asking again changes nothing");
    assert_eq!(again.json::<User>().await.unwrap().version, done.version);
}

#[tokio::test]
async fn nobody_deactivates_themselves_a_pending_user_or_a_missing_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me: Me = app.get_json(&admin, "/me").await;
    let myself = user(&app, &admin, ADMIN_EMAIL).await;
    let response = deactivate(&app, &admin, me.id, myself.version).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "cannot_deactivate_yourself");

    let pending = app.invited(&admin, "p@example.com", RoleSet::EMPTY).await;
    let response = deactivate(&app, &admin, pending.id, pending.version).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "not_registered");

    let response = deactivate(&app, &admin, 999_999, 1).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_an_administrator_of_user_accounts_deactivates() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (reader, _) = app.registered_user(&admin, "reader@example.com", RoleSet::single(Role::Reports)).await;
    app.registered_user(&admin, "target@example.com", RoleSet::EMPTY).await;
    let target = user(&app, &admin, "target@example.com").await;
    let response = deactivate(&app, &reader, target.id, target.version).await;
    assert!(matches!(response.status(), StatusCode::FORBIDDEN), "{}", response.status());
    assert_eq!(user(&app, &admin, "target@example.com").await.status, UserStatus::Registered);
}

#[tokio::test]
async fn a_deactivated_administrator_does_not_count_as_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me: Me = app.get_json(&admin, "/me").await;
    let (second_client, _) = app.registered_user(&admin, "second@example.com", RoleSet::single(Role::Admin)).await;
    let second = user(&app, &admin, "second@example.com").await;
    let response = deactivate(&app, &admin, second.id, second.version).await;
    assert_eq!(response.status(), StatusCode::OK, "two active Administrators: one may go");
    let second: User = response.json().await.unwrap();
    assert_eq!(second.roles, RoleSet::single(Role::Admin), "still an Administrator, but not an active one");
    let gone = second_client.get(app.url("/users")).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED, "a deactivated Administrator can do nothing");

    let first = user(&app, &admin, ADMIN_EMAIL).await;
    let demote_self = || {
        admin
            .patch(app.url(&format!("/users/{}", me.id)))
            .json(&json!({"roles": ["finance"], "version": first.version}))
            .send()
    };
    let refused = demote_self().await.unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT, "the first is the only active Administrator");
    assert_eq!(error_code(refused).await, "last_administrator");

    assert_eq!(reactivate(&app, &admin, second.id, second.version).await.status(), StatusCode::OK);
    let demoted = demote_self().await.unwrap();
    assert_eq!(demoted.status(), StatusCode::OK, "once reactivated, the second counts again");
}
