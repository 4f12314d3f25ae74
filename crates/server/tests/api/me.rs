//! Every signed-in user, with or without roles, edits their own name and password.

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::Me;
use useradmin_rights::RoleSet;

use useradmin_test_support::{PASSWORD, TestApp, error_code};

#[tokio::test]
async fn a_user_without_roles_changes_their_name() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (client, _) = app.registered_user(&admin, "n@example.com", RoleSet::EMPTY).await;
    let response = client.patch(app.url("/me")).json(&json!({"name": "  Nora New "})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let me: Me = app.get_json(&client, "/me").await;
    assert_eq!(me.name.as_deref(), Some("Nora New"));
    let empty = client.patch(app.url("/me")).json(&json!({"name": ""})).send().await.unwrap();
    assert_eq!(error_code(empty).await, "invalid_name");
}

#[tokio::test]
async fn a_user_changes_their_password_and_signs_in_with_the_new_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (client, _) = app.registered_user(&admin, "pw@example.com", RoleSet::EMPTY).await;
    let (other_session, _) = (app.client(), ());
    app.sign_in(&other_session, "pw@example.com", PASSWORD).await;
    let wrong = client
        .put(app.url("/me/password"))
        .json(&json!({"current_password": "not it at all", "new_password": "a new long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(wrong).await, "wrong_current_password");
    let short = client
        .put(app.url("/me/password"))
        .json(&json!({"current_password": PASSWORD, "new_password": "short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(short).await, "invalid_password");
    let changed = client
        .put(app.url("/me/password"))
        .json(&json!({"current_password": PASSWORD, "new_password": "a new long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(client.get(app.url("/me")).send().await.unwrap().status(), StatusCode::OK, "this session stays");
    assert_eq!(other_session.get(app.url("/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let old = app.sign_in(&app.client(), "pw@example.com", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = app.sign_in(&app.client(), "pw@example.com", "a new long password").await;
    assert_eq!(new.status(), StatusCode::OK);
}
