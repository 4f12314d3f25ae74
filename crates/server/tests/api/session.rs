//! Signing in and out, and who is signed in.

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::Me;
use useradmin_rights::{Area, RoleSet};

use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp, error_code};

#[tokio::test]
async fn an_administrator_signs_in_and_gets_a_strict_http_only_cookie() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let client = app.client();
    let response = app.sign_in(&client, "ADMIN@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("useradmin_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(!cookie.contains("Secure"), "plain http must not set Secure: {cookie}");
    let me: Me = response.json().await.unwrap();
    assert_eq!(me.email, ADMIN_EMAIL);
    assert_eq!(me.access.len(), Area::ALL.len());
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_url_is_https() {
    let app = TestApp::spawn_with(|settings| settings.public_url = Some("https://admin.example.com".into())).await;
    let client = app.client();
    let response = app.accept(&client, &useradmin_test_support::token_of(&app.admin_link), "Ada", PASSWORD).await;
    assert!(app.admin_link.starts_with("https://admin.example.com/invitation/"));
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_401() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let client = app.client();
    let wrong_password = app.sign_in(&client, ADMIN_EMAIL, "not the password").await;
    let unknown = app.sign_in(&client, "nobody@example.com", PASSWORD).await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.text().await.unwrap(), unknown.text().await.unwrap());
}

#[tokio::test]
async fn a_pending_user_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn me_needs_a_session_and_sign_out_revokes_it_on_the_server() {
    let app = TestApp::spawn().await;
    let anonymous = app.client().get(app.url("/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(anonymous).await, "not_signed_in");

    let admin = app.admin().await;
    let me = admin.get(app.url("/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // Keep the cookie to replay it after signing out.
    let client = app.client();
    let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let out = client.delete(app.url("/session")).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let replay = reqwest::Client::new().get(app.url("/me")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    // The other session of the same user is untouched.
    assert_eq!(admin.get(app.url("/me")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_session_ends_after_the_idle_timeout() {
    let app =
        TestApp::spawn_with(|settings| settings.session_idle_timeout = std::time::Duration::from_millis(3000)).await;
    let admin = app.admin().await;
    assert_eq!(admin.get(app.url("/me")).send().await.unwrap().status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(5000)).await;
    assert_eq!(admin.get(app.url("/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn ten_failed_sign_ins_throttle_the_account_with_retry_after() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let client = app.client();
    for _ in 0..10 {
        let response = app.sign_in(&client, ADMIN_EMAIL, "wrong password!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
}

#[tokio::test]
async fn the_rights_matrix_is_served_to_any_signed_in_user() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (nobody, _) = app.registered_user(&admin, "new@example.com", RoleSet::EMPTY).await;
    let response = nobody.get(app.url("/rights")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let matrix: useradmin_api::RightsMatrix = response.json().await.unwrap();
    assert_eq!(matrix, useradmin_api::RightsMatrix::current());
    assert_eq!(app.client().get(app.url("/rights")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn parallel_wrong_guesses_cannot_slip_past_the_limit() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let guesses = (0..20).map(|i| {
        let client = app.client();
        let url = app.url("/session");
        async move {
            client
                .post(url)
                .json(&json!({"email": ADMIN_EMAIL, "password": format!("guess number {i}")}))
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    let statuses = futures_join_all(guesses).await;
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    let wrong = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!(wrong, 10, "{statuses:?}");
    assert_eq!(refused, 10, "{statuses:?}");
}

async fn futures_join_all<F: std::future::Future<Output = StatusCode> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<StatusCode> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn ten_failures_from_one_client_address_throttle_it_whatever_the_account() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let client = app.client();
    for i in 0..10 {
        let response = app.sign_in(&client, &format!("nobody{i}@example.com"), "wrong password!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
}
