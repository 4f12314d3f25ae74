//! Inviting, the invitation mail and link, registering, resending.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::{InvitationInfo, Me, User, UserStatus};
use useradmin_rights::{Role, RoleSet};

use useradmin_test_support::{PASSWORD, TestApp, error_code, token_of};

#[tokio::test]
async fn an_invited_colleague_registers_from_the_mailed_link_and_has_no_roles() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app.invite(&admin, "Colleague@Example.com", RoleSet::EMPTY).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let invited: User = response.json().await.unwrap();
    assert_eq!(invited.status, UserStatus::Pending);
    assert_eq!(invited.email, "Colleague@Example.com");
    assert!(invited.invitation_expires_at.unwrap() > invited.invitation_sent_at.unwrap());

    let link = app.latest_link_for("Colleague@Example.com").await;
    assert!(link.starts_with(&format!("{}/invitation/", app.address)), "{link}");
    let info: InvitationInfo = app.get_json(&app.client(), &format!("/invitations/{}", token_of(&link))).await;
    assert_eq!(info.email, "Colleague@Example.com");

    let colleague = app.client();
    let response = app.accept(&colleague, &token_of(&link), "Colin League", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Me = response.json().await.unwrap();
    assert_eq!(me.name.as_deref(), Some("Colin League"));
    assert!(me.roles.is_empty());
    assert!(me.access.is_empty(), "a new user sees no area");
    let me: Me = app.get_json(&colleague, "/me").await;
    assert!(me.access.is_empty());
}

#[tokio::test]
async fn an_invitation_link_works_only_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.invite(&admin, "once@example.com", RoleSet::EMPTY).await;
    let token = token_of(&app.latest_link_for("once@example.com").await);
    assert_eq!(app.accept(&app.client(), &token, "First", PASSWORD).await.status(), StatusCode::OK);
    let again = app.accept(&app.client(), &token, "Second", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(again).await, "invitation_not_found");
    let info = app.client().get(app.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(info.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_and_malformed_tokens_are_404() {
    let app = TestApp::spawn().await;
    for token in ["nope", &"0".repeat(64)] {
        let response = app.client().get(app.url(&format!("/invitations/{token}"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn an_expired_invitation_is_410_and_cannot_be_accepted() {
    let app = TestApp::spawn_with(|settings| settings.invitation_ttl = Duration::from_millis(400)).await;
    let token = token_of(&app.admin_link);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let info = app.client().get(app.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(info.status(), StatusCode::GONE);
    assert_eq!(error_code(info).await, "invitation_expired");
    let accept = app.accept(&app.client(), &token, "Late", PASSWORD).await;
    assert_eq!(accept.status(), StatusCode::GONE);
}

#[tokio::test]
async fn registration_needs_a_name_and_a_password_of_twelve_characters() {
    let app = TestApp::spawn().await;
    let token = token_of(&app.admin_link);
    let short = app.accept(&app.client(), &token, "Ada", "short").await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(short).await, "invalid_password");
    let nameless = app.accept(&app.client(), &token, "   ", PASSWORD).await;
    assert_eq!(error_code(nameless).await, "invalid_name");
    // Nothing was used up by the failed attempts.
    assert_eq!(app.accept(&app.client(), &token, "Ada", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn inviting_an_existing_address_in_any_case_is_409() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    assert_eq!(app.invite(&admin, "dup@example.com", RoleSet::EMPTY).await.status(), StatusCode::CREATED);
    let again = app.invite(&admin, "DUP@example.COM", RoleSet::EMPTY).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(again).await, "email_taken");
}

#[tokio::test]
async fn an_invalid_address_or_role_set_is_422_and_nothing_is_created() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let bad_email = admin.post(app.url("/users")).json(&json!({"email": "not-an-address"})).send().await.unwrap();
    assert_eq!(bad_email.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(bad_email).await, "invalid_email");
    let bad_roles = admin
        .post(app.url("/users"))
        .json(&json!({"email": "x@example.com", "roles": ["admin", "finance"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_roles.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page: useradmin_api::UserPage = app.get_json(&admin, "/users").await;
    assert_eq!(page.items.len(), 1, "only the administrator exists");
}

#[tokio::test]
async fn invited_roles_are_granted_on_registration() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let roles = RoleSet::new([Role::Finance, Role::Reports]).unwrap();
    let (client, _) = app.registered_user(&admin, "fr@example.com", roles).await;
    let me: Me = app.get_json(&client, "/me").await;
    assert_eq!(me.roles, roles);
    assert_eq!(me.access, Me::access_of(roles));
}

#[tokio::test]
async fn a_resend_mails_a_new_link_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let invited: User = app.invited(&admin, "resend@example.com", RoleSet::EMPTY).await;
    let first = app.latest_link_for("resend@example.com").await;
    let response = admin.post(app.url(&format!("/users/{}/invitation", invited.id))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let resent: User = response.json().await.unwrap();
    assert!(resent.invitation_sent_at >= invited.invitation_sent_at);
    let links = app.links_for("resend@example.com", 2).await;
    // Mail files written in the same clock tick share a time stamp: find the new one by content.
    let second = links.iter().find(|link| **link != first).unwrap().clone();
    assert_ne!(first, second);
    let old = app.client().get(app.url(&format!("/invitations/{}", token_of(&first)))).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.accept(&app.client(), &token_of(&first), "Old", PASSWORD).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.accept(&app.client(), &token_of(&second), "New", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn resending_to_a_registered_user_is_409() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, user) = app.registered_user(&admin, "done@example.com", RoleSet::EMPTY).await;
    let response = admin.post(app.url(&format!("/users/{}/invitation", user.id))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "already_registered");
}

#[tokio::test]
async fn the_fourth_resend_within_an_hour_is_429_with_retry_after() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let invited: User = app.invited(&admin, "spam@example.com", RoleSet::EMPTY).await;
    let resend = || admin.post(app.url(&format!("/users/{}/invitation", invited.id))).send();
    for _ in 0..3 {
        assert_eq!(resend().await.unwrap().status(), StatusCode::ACCEPTED);
    }
    let fourth = resend().await.unwrap();
    assert_eq!(fourth.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = fourth.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3000..=3600).contains(&retry_after), "{retry_after}");
    assert_eq!(error_code(fourth).await, "too_many_resends");
    // Superseded mails still queued are dropped; of the links mailed, exactly the newest works.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let mut working = 0;
        for link in app.links_for("spam@example.com", 1).await {
            let info = app.client().get(app.url(&format!("/invitations/{}", token_of(&link)))).send().await.unwrap();
            working += usize::from(info.status() == StatusCode::OK);
        }
        assert!(working <= 1);
        if working == 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the newest invitation was never mailed");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
