//! The user list: listing, editing with versions, removing, and the last Administrator.

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::{ConflictBody, User, UserPage, UserStatus};
use useradmin_rights::{Role, RoleSet};

use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp, error_code, token_of};

fn roles(list: &[Role]) -> RoleSet {
    RoleSet::new(list.iter().copied()).unwrap()
}

#[tokio::test]
async fn the_list_pages_by_email_and_filters_by_search_and_status() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for i in 0..7 {
        app.invite(&admin, &format!("user{i}@example.com"), RoleSet::EMPTY).await;
    }
    app.registered_user(&admin, "zoe@example.com", RoleSet::EMPTY).await;

    let emails = app.user_emails(&admin, "", 3).await;
    assert_eq!(emails.len(), 9);
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);

    let found: UserPage = app.get_json(&admin, "/users?search=USER3").await;
    assert_eq!(found.items.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["user3@example.com"]);
    let by_name: UserPage = app.get_json(&admin, "/users?search=ada%20adm").await;
    assert_eq!(by_name.items[0].email, ADMIN_EMAIL);
    let percent: UserPage = app.get_json(&admin, "/users?search=%25").await;
    assert!(percent.items.is_empty(), "% is searched for literally");

    let pending: UserPage = app.get_json(&admin, "/users?status=pending").await;
    assert_eq!(pending.items.len(), 7);
    assert!(pending.items.iter().all(|u| u.status == UserStatus::Pending && u.registered_at.is_none()));
    let registered: UserPage = app.get_json(&admin, "/users?status=registered").await;
    assert_eq!(registered.items.len(), 2);
    assert!(registered.items.iter().all(|u| u.invitation_expires_at.is_none()));

    let bad = admin.get(app.url("/users?status=maybe")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(bad).await, "invalid_query");
}

#[tokio::test]
async fn an_edit_changes_name_and_roles_and_takes_effect_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (colleague, user) = app.registered_user(&admin, "c@example.com", RoleSet::EMPTY).await;
    let wanted = roles(&[Role::Finance, Role::Reports]);
    let response = admin
        .patch(app.url(&format!("/users/{}", user.id)))
        .json(&json!({"name": "Carla", "roles": wanted, "version": user.version + 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "registration bumped the version once");
    let updated: User = response.json().await.unwrap();
    assert_eq!(updated.name.as_deref(), Some("Carla"));
    assert_eq!(updated.roles, wanted);
    assert_eq!(updated.version, user.version + 2);
    let me: useradmin_api::Me = app.get_json(&colleague, "/me").await;
    assert_eq!(me.roles, wanted);
    assert_eq!(me.access.len(), wanted.visible_areas().count());
}

#[tokio::test]
async fn a_stale_version_is_409_with_the_current_user() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let invited: User = app.invited(&admin, "v@example.com", RoleSet::EMPTY).await;
    let first = admin
        .patch(app.url(&format!("/users/{}", invited.id)))
        .json(&json!({"roles": ["products"], "version": invited.version}))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let stale = admin
        .patch(app.url(&format!("/users/{}", invited.id)))
        .json(&json!({"roles": ["templates"], "version": invited.version}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let conflict: ConflictBody = stale.json().await.unwrap();
    assert_eq!(conflict.error.code, "version_conflict");
    assert_eq!(conflict.current.roles, roles(&[Role::Products]));
    assert_eq!(conflict.current.version, invited.version + 1);
}

#[tokio::test]
async fn an_invalid_role_set_or_name_is_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let invited: User = app.invited(&admin, "r@example.com", RoleSet::EMPTY).await;
    let url = app.url(&format!("/users/{}", invited.id));
    let combined = admin
        .patch(&url)
        .json(&json!({"roles": ["read_only_operations", "reports"], "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(combined.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = admin.patch(&url).json(&json!({"roles": ["root"], "version": 1})).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let long_name = admin.patch(&url).json(&json!({"name": "x".repeat(101), "version": 1})).send().await.unwrap();
    assert_eq!(error_code(long_name).await, "invalid_name");
    let missing = admin.patch(app.url("/users/999")).json(&json!({"version": 1})).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_last_administrator_cannot_be_demoted_or_removed_but_one_of_two_can() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me: useradmin_api::Me = app.get_json(&admin, "/me").await;
    let self_demote = admin
        .patch(app.url(&format!("/users/{}", me.id)))
        .json(&json!({"roles": ["finance"], "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(self_demote.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(self_demote).await, "last_administrator");

    let (second, second_user) = app.registered_user(&admin, "admin2@example.com", RoleSet::single(Role::Admin)).await;
    let demote_first = second
        .patch(app.url(&format!("/users/{}", me.id)))
        .json(&json!({"roles": ["finance"], "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(demote_first.status(), StatusCode::OK);
    // Now admin2 is the last one: the demoted first one cannot remove them, and they cannot leave.
    let remove = admin.delete(app.url(&format!("/users/{}", second_user.id))).send().await.unwrap();
    assert_eq!(remove.status(), StatusCode::FORBIDDEN);
    let demote_last = second
        .patch(app.url(&format!("/users/{}", second_user.id)))
        .json(&json!({"roles": [], "version": second_user.version + 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(demote_last).await, "last_administrator");
}

#[tokio::test]
async fn nobody_removes_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me: useradmin_api::Me = app.get_json(&admin, "/me").await;
    let response = admin.delete(app.url(&format!("/users/{}", me.id))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "cannot_remove_yourself");
}

#[tokio::test]
async fn removing_a_user_ends_their_session_and_they_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (colleague, user) = app.registered_user(&admin, "gone@example.com", RoleSet::single(Role::Reports)).await;
    assert_eq!(colleague.get(app.url("/me")).send().await.unwrap().status(), StatusCode::OK);
    let response = admin.delete(app.url(&format!("/users/{}", user.id))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(colleague.get(app.url("/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let sign_in = app.sign_in(&app.client(), "gone@example.com", PASSWORD).await;
    assert_eq!(sign_in.status(), StatusCode::UNAUTHORIZED);
    let again = admin.delete(app.url(&format!("/users/{}", user.id))).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn revoking_a_pending_invitation_makes_its_link_fail() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let invited: User = app.invited(&admin, "revoke@example.com", RoleSet::EMPTY).await;
    let link = app.latest_link_for("revoke@example.com").await;
    let response = admin.delete(app.url(&format!("/users/{}", invited.id))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.accept(&app.client(), &token_of(&link), "Too Late", PASSWORD).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_read_write_on_user_accounts_every_user_endpoint_is_403() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (finance, target) = app.registered_user(&admin, "f@example.com", RoleSet::single(Role::Finance)).await;
    let id = target.id;
    let calls = [
        finance.get(app.url("/users")).send().await.unwrap(),
        finance.post(app.url("/users")).json(&json!({"email": "x@example.com"})).send().await.unwrap(),
        finance.post(app.url(&format!("/users/{id}/invitation"))).send().await.unwrap(),
        finance
            .patch(app.url(&format!("/users/{id}")))
            .json(&json!({"roles": ["admin"], "version": 2}))
            .send()
            .await
            .unwrap(),
        finance.delete(app.url(&format!("/users/{id}"))).send().await.unwrap(),
    ];
    for response in calls {
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(error_code(response).await, "forbidden");
    }
    let me: useradmin_api::Me = app.get_json(&finance, "/me").await;
    assert_eq!(me.roles, RoleSet::single(Role::Finance), "the refused self-promotion changed nothing");
}

#[tokio::test]
async fn a_cursor_the_server_did_not_hand_out_is_400() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = admin.get(app.url("/users?cursor=zz")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_cursor");
    let response = admin.get(app.url("/audit-log?cursor=yesterday")).send().await.unwrap();
    assert_eq!(error_code(response).await, "invalid_cursor");
}
