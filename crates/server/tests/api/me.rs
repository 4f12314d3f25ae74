//! Every signed-in user, with or without roles, edits their own name and password.

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::Me;
use useradmin_rights::RoleSet;

use useradmin_test_support::{PASSWORD, TestApp, error_code};

const NEW_PASSWORD: &str = "vivid-quartz-meadow-42";

/// `PUT /me/password` in `client`'s session.
async fn change_password(app: &TestApp, client: &reqwest::Client, current: &str, new: &str) -> reqwest::Response {
    client
        .put(app.url("/me/password"))
        .json(&json!({"current_password": current, "new_password": new}))
        .send()
        .await
        .unwrap()
}

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
    let wrong = change_password(&app, &client, "not it at all", NEW_PASSWORD).await;
    assert_eq!(error_code(wrong).await, "wrong_current_password");
    let short = change_password(&app, &client, PASSWORD, "short").await;
    assert_eq!(error_code(short).await, "invalid_password");
    let changed = change_password(&app, &client, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(client.get(app.url("/me")).send().await.unwrap().status(), StatusCode::OK, "this browser stays in");
    assert_eq!(other_session.get(app.url("/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let old = app.sign_in(&app.client(), "pw@example.com", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = app.sign_in(&app.client(), "pw@example.com", NEW_PASSWORD).await;
    assert_eq!(new.status(), StatusCode::OK);
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|cookie| cookie.starts_with("useradmin_session="))
        .expect("a session cookie")
}

#[tokio::test]
async fn changing_the_password_replaces_the_session_token_of_this_browser_too() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.registered_user(&admin, "pw@example.com", RoleSet::EMPTY).await;
    let client = app.client();
    let old_cookie = session_cookie(&app.sign_in(&client, "pw@example.com", PASSWORD).await);
    let changed = change_password(&app, &client, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let new_cookie = session_cookie(&changed);
    assert_ne!(new_cookie, old_cookie);
    let with = |cookie: &str| reqwest::Client::new().get(app.url("/me")).header("cookie", cookie.to_owned()).send();
    assert_eq!(with(&old_cookie).await.unwrap().status(), StatusCode::UNAUTHORIZED, "a copied token dies");
    assert_eq!(with(&new_cookie).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_guessable_new_password_is_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (client, _) = app.registered_user(&admin, "olivia.tanaka@example.com", RoleSet::EMPTY).await;
    for weak in ["password1234", "oliviatanaka", "olivia.tanaka@example.com", "qwertyuiopasdf"] {
        let response = change_password(&app, &client, PASSWORD, weak).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_password", "{weak}");
        assert!(
            body["error"]["message"].as_str().unwrap().starts_with("This password is too easy to guess."),
            "{body}"
        );
    }
    // Registration applies the same rule, with the invitee's e-mail and chosen name: rare words
    // for a stranger, but not when they are the user's own name.
    app.invited(&admin, "xq@example.com", RoleSet::EMPTY).await;
    let token = useradmin_test_support::token_of(&app.latest_link_for("xq@example.com").await);
    let own_name = app.accept(&app.client(), &token, "Xandra Quillfeather", "xandraquillfeather").await;
    assert_eq!(error_code(own_name).await, "invalid_password");
    let other_name = app.accept(&app.client(), &token, "Kim Weber", "xandraquillfeather").await;
    assert_eq!(other_name.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_current_passwords_are_limited_per_account_and_audited() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (client, _) = app.registered_user(&admin, "pw@example.com", RoleSet::EMPTY).await;
    let change = |current: &'static str| {
        client
            .put(app.url("/me/password"))
            .json(&json!({"current_password": current, "new_password": NEW_PASSWORD}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(error_code(change("a guess at it").await.unwrap()).await, "wrong_current_password");
    }
    let refused = change(PASSWORD).await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "even the right one waits now");
    assert!(refused.headers().contains_key("retry-after"));
    // Another session of the same account shares the limit.
    let other = app.client();
    assert_eq!(app.sign_in(&other, "pw@example.com", PASSWORD).await.status(), StatusCode::OK);
    let response = change_password(&app, &other, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let page: useradmin_api::AuditPage = app.get_json(&admin, "/audit-log?limit=100").await;
    let failures: Vec<_> =
        page.items.iter().filter(|e| e.action == useradmin_api::AuditAction::WrongPassword).collect();
    assert_eq!(failures.len(), 5);
    assert!(failures.iter().all(|e| e.actor.as_deref() == Some("pw@example.com")));
}

#[tokio::test]
async fn when_every_hashing_slot_is_taken_the_server_answers_503_with_retry_after() {
    let app = TestApp::spawn_with(|settings| {
        settings.password_hash_slots = Some(1);
        settings.trusted_proxies = vec![useradmin_server::client_address::parse_trusted_proxy("127.0.0.1").unwrap()];
    })
    .await;
    let guesses = (0..200).map(|i| {
        let request = reqwest::Client::new()
            .post(app.url("/session"))
            .header("x-forwarded-for", format!("10.9.{}.{}", i / 250, i % 250 + 1))
            .json(&json!({"email": format!("nobody{i}@example.com"), "password": "a guess at it"}));
        tokio::spawn(async move { request.send().await.unwrap() })
    });
    let mut busy = 0;
    for guess in guesses.collect::<Vec<_>>() {
        let response = guess.await.unwrap();
        match response.status() {
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(response.headers()["retry-after"], "1");
                assert_eq!(error_code(response).await, "server_busy");
                busy += 1;
            }
            status => assert_eq!(status, StatusCode::UNAUTHORIZED),
        }
    }
    assert!(busy > 0, "200 hashes at once on one slot cannot all finish within the wait");
}
