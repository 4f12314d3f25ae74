//! Concurrent edits and the last active Administrator (edit, remove, deactivate).

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::{AuditAction, AuditPage, Me, User, UserPage};
use useradmin_rights::{Role, RoleSet};

use useradmin_test_support::TestApp;

#[tokio::test]
async fn fifty_concurrent_role_changes_at_one_version_let_exactly_one_win() {
    let app = Arc::new(TestApp::spawn().await);
    let admin = app.admin().await;
    let target: User = app.invited(&admin, "contested@example.com", RoleSet::EMPTY).await;
    let choices = [Role::Products, Role::Operations, Role::Finance, Role::Reports, Role::Templates];
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (admin, app) = (admin.clone(), Arc::clone(&app));
            let roles = RoleSet::single(choices[i % choices.len()]);
            tokio::spawn(async move {
                let response = admin
                    .patch(app.url(&format!("/users/{}", target.id)))
                    .json(&json!({"roles": roles, "version": target.version}))
                    .send()
                    .await
                    .unwrap();
                (response.status(), roles)
            })
        })
        .collect();
    let mut winners = Vec::new();
    let mut conflicts = 0;
    for task in tasks {
        let (status, roles) = task.await.unwrap();
        match status {
            StatusCode::OK => winners.push(roles),
            StatusCode::CONFLICT => conflicts += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(winners.len(), 1);
    assert_eq!(conflicts, 49);
    let page: UserPage = app.get_json(&admin, "/users?search=contested").await;
    assert_eq!(page.items[0].roles, winners[0], "the stored state is the winner's");
    assert_eq!(page.items[0].version, target.version + 1);
    let log: AuditPage = app.get_json(&admin, "/audit-log?limit=500").await;
    let edits = log
        .items
        .iter()
        .filter(|e| e.action == AuditAction::UserUpdated && e.target.as_deref() == Some("contested@example.com"))
        .count();
    assert_eq!(edits, 1);
}

#[tokio::test]
async fn two_invitations_of_one_address_at_once_make_one_user_and_a_conflict() {
    let app = Arc::new(TestApp::spawn().await);
    let admin = app.admin().await;
    for round in 0..5 {
        let email = format!("twice{round}@example.com");
        let (a, b) =
            tokio::join!(app.invite(&admin, &email, RoleSet::EMPTY), app.invite(&admin, &email, RoleSet::EMPTY));
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
        let refused = if a.status() == StatusCode::CONFLICT { a } else { b };
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "email_taken");
        assert_eq!(app.user_emails(&admin, &format!("search={email}"), 50).await, [email]);
    }
}

async fn two_administrators(app: &TestApp) -> (reqwest::Client, Me, reqwest::Client, Me) {
    let first = app.admin().await;
    let (second, _) = app.registered_user(&first, "admin2@example.com", RoleSet::single(Role::Admin)).await;
    let me1: Me = app.get_json(&first, "/me").await;
    let me2: Me = app.get_json(&second, "/me").await;
    (first, me1, second, me2)
}

async fn registered_admins(app: &TestApp, client: &reqwest::Client) -> usize {
    let page: UserPage = app.get_json(client, "/users?status=registered").await;
    page.items.iter().filter(|u| u.roles == RoleSet::single(Role::Admin)).count()
}

async fn version_of(app: &TestApp, client: &reqwest::Client, id: i64) -> i64 {
    let page: UserPage = app.get_json(client, "/users").await;
    page.items.iter().find(|u| u.id == id).unwrap().version
}

#[tokio::test]
async fn two_administrators_demoting_each_other_at_once_leave_one_administrator() {
    for _ in 0..5 {
        let app = TestApp::spawn().await;
        let (first, me1, second, me2) = two_administrators(&app).await;
        let (v1, v2) = (version_of(&app, &first, me1.id).await, version_of(&app, &first, me2.id).await);
        let demote = |client: reqwest::Client, id: i64, version: i64| {
            let url = app.url(&format!("/users/{id}"));
            async move {
                client
                    .patch(url)
                    .json(&json!({"roles": ["finance"], "version": version}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        let (a, b) = tokio::join!(demote(first.clone(), me2.id, v2), demote(second.clone(), me1.id, v1));
        let successes = [a, b].iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(successes, 1, "{a} {b}");
        let survivor = if a == StatusCode::OK { &first } else { &second };
        assert_eq!(registered_admins(&app, survivor).await, 1);
        assert_eq!(registered_admins_in_the_database(&app).await, 1);
    }
}

#[tokio::test]
async fn two_administrators_removing_each_other_at_once_leave_one_administrator() {
    for _ in 0..5 {
        let app = TestApp::spawn().await;
        let (first, me1, second, me2) = two_administrators(&app).await;
        let remove = |client: reqwest::Client, id: i64| {
            let url = app.url(&format!("/users/{id}"));
            async move { client.delete(url).send().await.unwrap().status() }
        };
        let (a, b) = tokio::join!(remove(first.clone(), me2.id), remove(second.clone(), me1.id));
        let removed = [a, b].iter().filter(|s| **s == StatusCode::NO_CONTENT).count();
        assert_eq!(removed, 1, "{a} {b}");
        let survivor = if a == StatusCode::NO_CONTENT { &first } else { &second };
        assert_eq!(registered_admins(&app, survivor).await, 1);
        assert_eq!(registered_admins_in_the_database(&app).await, 1);
    }
}

async fn registered_admins_in_the_database(app: &TestApp) -> i64 {
    let pool = app.pool().await;
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE roles = 'admin' AND registered_at IS NOT NULL AND deactivated_at IS NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    count
}

#[tokio::test]
async fn demoting_oneself_while_removing_the_other_administrator_keeps_exactly_one() {
    for _ in 0..5 {
        let app = TestApp::spawn().await;
        let (first, me1, _second, me2) = two_administrators(&app).await;
        let v1 = version_of(&app, &first, me1.id).await;
        let remove_other = first.delete(app.url(&format!("/users/{}", me2.id))).send();
        let demote_self =
            first.patch(app.url(&format!("/users/{}", me1.id))).json(&json!({"roles": [], "version": v1})).send();
        let (a, b) = tokio::join!(remove_other, demote_self);
        let (a, b) = (a.unwrap().status(), b.unwrap().status());
        assert!(
            (a == StatusCode::NO_CONTENT) != (b == StatusCode::OK),
            "exactly one of removing the other ({a}) and demoting oneself ({b}) succeeds"
        );
        assert_eq!(registered_admins_in_the_database(&app).await, 1);
    }
}

#[tokio::test]
async fn two_administrators_deactivating_each_other_at_once_leave_one_active_administrator() {
    for _ in 0..5 {
        let app = TestApp::spawn().await;
        let (first, me1, second, me2) = two_administrators(&app).await;
        let (v1, v2) = (version_of(&app, &first, me1.id).await, version_of(&app, &first, me2.id).await);
        let deactivate = |client: reqwest::Client, id: i64, version: i64| {
            let url = app.url(&format!("/users/{id}/deactivate"));
            async move { client.post(url).json(&json!({"version": version})).send().await.unwrap().status() }
        };
        let (a, b) = tokio::join!(deactivate(first.clone(), me2.id, v2), deactivate(second.clone(), me1.id, v1));
        let deactivated = [a, b].iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(deactivated, 1, "{a} {b}");
        let loser = if a == StatusCode::OK { b } else { a };
        assert_eq!(loser, StatusCode::UNAUTHORIZED, "the loser was deactivated first");
        assert_eq!(registered_admins_in_the_database(&app).await, 1);
    }
}

#[tokio::test]
async fn demoting_oneself_while_deactivating_the_other_administrator_keeps_exactly_one_active() {
    for _ in 0..5 {
        let app = TestApp::spawn().await;
        let (first, me1, _second, me2) = two_administrators(&app).await;
        let (v1, v2) = (version_of(&app, &first, me1.id).await, version_of(&app, &first, me2.id).await);
        let deactivate_other =
            first.post(app.url(&format!("/users/{}/deactivate", me2.id))).json(&json!({"version": v2})).send();
        let demote_self =
            first.patch(app.url(&format!("/users/{}", me1.id))).json(&json!({"roles": [], "version": v1})).send();
        let (a, b) = tokio::join!(deactivate_other, demote_self);
        let (a, b) = (a.unwrap().status(), b.unwrap().status());
        assert!(
            (a == StatusCode::OK) != (b == StatusCode::OK),
            "exactly one of deactivating the other ({a}) and demoting oneself ({b}) succeeds"
        );
        assert_eq!(registered_admins_in_the_database(&app).await, 1);
    }
}

#[tokio::test]
async fn deactivating_and_removing_the_two_administrators_at_once_keeps_one_active() {
    for _ in 0..5 {
        let app = TestApp::spawn().await;
        let (first, me1, second, me2) = two_administrators(&app).await;
        let v2 = version_of(&app, &first, me2.id).await;
        let deactivate_second =
            first.post(app.url(&format!("/users/{}/deactivate", me2.id))).json(&json!({"version": v2})).send();
        let remove_first = second.delete(app.url(&format!("/users/{}", me1.id))).send();
        let (a, b) = tokio::join!(deactivate_second, remove_first);
        let (a, b) = (a.unwrap().status(), b.unwrap().status());
        assert!(
            (a == StatusCode::OK) != (b == StatusCode::NO_CONTENT),
            "exactly one of deactivating ({a}) and removing ({b}) succeeds"
        );
        assert_eq!(registered_admins_in_the_database(&app).await, 1);
    }
}
