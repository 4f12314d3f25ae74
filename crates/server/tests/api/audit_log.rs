//! The audit log records who did what to whom, with roles before and after.

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::{AuditAction, AuditPage, User};
use useradmin_rights::{Role, RoleSet};

use useradmin_test_support::{ADMIN_EMAIL, TestApp};

#[tokio::test]
async fn invitations_role_changes_area_writes_and_failed_sign_ins_are_recorded_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let invited: User = app.invited(&admin, "a@example.com", RoleSet::EMPTY).await;
    admin.post(app.url(&format!("/users/{}/invitation", invited.id))).send().await.unwrap();
    admin
        .patch(app.url(&format!("/users/{}", invited.id)))
        .json(&json!({"roles": ["finance", "reports"], "version": invited.version + 1}))
        .send()
        .await
        .unwrap();
    admin.put(app.url("/areas/taxes")).json(&json!({"document": {"vat": "19"}})).send().await.unwrap();
    app.sign_in(&app.client(), "a@example.com", "guess guess guess").await;
    admin.delete(app.url(&format!("/users/{}", invited.id))).send().await.unwrap();

    let page: AuditPage = app.get_json(&admin, "/audit-log").await;
    let actions: Vec<AuditAction> = page.items.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::InvitationRevoked,
            AuditAction::SignInFailed,
            AuditAction::AreaUpdated,
            AuditAction::UserUpdated,
            AuditAction::InvitationResent,
            AuditAction::UserInvited,
            AuditAction::UserRegistered,
            AuditAction::UserInvited,
        ]
    );
    let change = &page.items[3];
    assert_eq!(change.actor.as_deref(), Some(ADMIN_EMAIL));
    assert_eq!(change.target.as_deref(), Some("a@example.com"));
    assert_eq!(change.before.as_ref().unwrap().roles, Some(RoleSet::EMPTY));
    assert_eq!(change.after.as_ref().unwrap().roles, Some(RoleSet::new([Role::Finance, Role::Reports]).unwrap()));
    assert_eq!(page.items[2].target.as_deref(), Some("taxes"));
    assert!(page.items.windows(2).all(|pair| pair[0].at >= pair[1].at));

    let first: AuditPage = app.get_json(&admin, "/audit-log?limit=3").await;
    let cursor = first.next_cursor.expect("more pages");
    let rest: AuditPage = app.get_json(&admin, &format!("/audit-log?limit=10&cursor={cursor}")).await;
    assert_eq!(first.items.len() + rest.items.len(), page.items.len());
    assert_eq!(rest.items[0].id, page.items[3].id);
}

#[tokio::test]
async fn only_roles_that_read_the_audit_log_see_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (ops, _) = app.registered_user(&admin, "o@example.com", RoleSet::single(Role::Operations)).await;
    assert_eq!(ops.get(app.url("/audit-log")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(app.url("/audit-log")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn throttled_sign_ins_are_one_entry_per_account_and_window_with_their_count() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let guesser = app.client();
    for _ in 0..5 {
        app.sign_in(&guesser, "target@example.com", "a guess at it").await;
    }
    for _ in 0..20 {
        let response = app.sign_in(&guesser, "target@example.com", "a guess at it").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    // The client address is throttled too: another account's refusals are its own entry.
    for _ in 0..3 {
        app.sign_in(&guesser, "other@example.com", "a guess at it").await;
    }

    let page: AuditPage = app.get_json(&admin, "/audit-log?limit=500").await;
    let entries = |action: AuditAction, target: &str| {
        page.items.iter().filter(|e| e.action == action && e.target.as_deref() == Some(target)).collect::<Vec<_>>()
    };
    assert_eq!(entries(AuditAction::SignInFailed, "target@example.com").len(), 5, "each wrong password");
    let throttled = entries(AuditAction::SignInThrottled, "target@example.com");
    assert_eq!(throttled.len(), 1, "{throttled:?}");
    assert_eq!(throttled[0].attempts, Some(20));
    assert_eq!(entries(AuditAction::SignInThrottled, "other@example.com")[0].attempts, Some(3));
    assert!(page.items.len() < 20, "the log grew by {} entries", page.items.len());
}
