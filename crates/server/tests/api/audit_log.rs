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
