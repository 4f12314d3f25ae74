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
async fn cookies_are_secure_and_host_prefixed_when_the_public_url_is_https() {
    let app = TestApp::spawn_with(|settings| settings.public_url = Some("https://admin.example.com".into())).await;
    let client = app.client();
    let response = app.accept(&client, &useradmin_test_support::token_of(&app.admin_link), "Ada", PASSWORD).await;
    assert!(app.admin_link.starts_with("https://admin.example.com/invitation/"));
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-useradmin_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    let me = |cookie: String| {
        reqwest::Client::new().get(app.url("/me")).header("Cookie", cookie).header("Host", "admin.example.com").send()
    };
    assert_eq!(me(format!("__Host-useradmin_session={token}")).await.unwrap().status(), StatusCode::OK);
    // A cookie without the prefix may have been planted by a subdomain or over plain http.
    assert_eq!(me(format!("useradmin_session={token}")).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https_and_not_otherwise() {
    let https = TestApp::spawn_with(|settings| settings.public_url = Some("https://admin.example.com".into())).await;
    let response = reqwest::get(format!("{}/healthz", https.address)).await.unwrap();
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000");
    let http = TestApp::spawn().await;
    let response = reqwest::get(format!("{}/healthz", http.address)).await.unwrap();
    assert!(!response.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn a_session_in_steady_use_ends_after_its_lifetime() {
    let app = TestApp::spawn_with(|settings| {
        settings.session_lifetime = std::time::Duration::from_millis(2500);
    })
    .await;
    let admin = app.admin().await;
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(2000) {
        assert_eq!(admin.get(app.url("/me")).send().await.unwrap().status(), StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(admin.get(app.url("/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn the_session_lifetime_is_seven_days_unless_set() {
    let settings = useradmin_server::configuration::Settings::for_tests(std::env::temp_dir());
    assert_eq!(settings.session_lifetime, std::time::Duration::from_secs(7 * 86_400));
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

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn after_five_failures_unknown_browsers_wait_longer_after_each_failure_but_are_never_locked_out() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let client = app.client();
    for _ in 0..5 {
        let response = app.sign_in(&client, ADMIN_EMAIL, "wrong password!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&response) <= 2);
    assert_eq!(error_code(response).await, "too_many_attempts");
    let first_wait = 2;
    tokio::time::sleep(std::time::Duration::from_millis(first_wait * 1000 + 100)).await;
    assert_eq!(app.sign_in(&client, ADMIN_EMAIL, "wrong password!").await.status(), StatusCode::UNAUTHORIZED);
    let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let second_wait = retry_after(&response);
    assert!((3..=4).contains(&second_wait), "the wait doubles: {second_wait}");
    tokio::time::sleep(std::time::Duration::from_millis(second_wait * 1000 + 100)).await;
    assert_eq!(app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::OK, "no hard lock");
}

#[tokio::test]
async fn a_browser_that_signed_in_before_gets_in_while_strangers_hammer_the_account() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let known = app.admin_session().await;
    let set_cookies: Vec<String> = {
        let response = app.sign_in(&known, ADMIN_EMAIL, PASSWORD).await;
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    };
    assert!(
        set_cookies.iter().any(|c| c.starts_with("useradmin_device=") && c.contains("HttpOnly")),
        "{set_cookies:?}"
    );
    let attacker = app.client();
    let mut refused = 0;
    for i in 0..20 {
        let status = app.sign_in(&attacker, ADMIN_EMAIL, &format!("guess number {i}")).await.status();
        refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(refused, 15, "the strangers are slowed down");
    // Even with the right password an unknown browser waits like the others…
    assert_eq!(app.sign_in(&app.client(), ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // …but the browser the administrator signed in with before gets in.
    for _ in 0..3 {
        assert_eq!(app.sign_in(&known, ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::OK, "the owner gets in");
    }
}

#[tokio::test]
async fn the_browser_that_registered_is_known_to_its_account_from_the_start() {
    let app = TestApp::spawn().await;
    let registered = app.admin().await;
    let attacker = app.client();
    for i in 0..8 {
        app.sign_in(&attacker, ADMIN_EMAIL, &format!("guess number {i}")).await;
    }
    assert_eq!(app.sign_in(&app.client(), ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.sign_in(&registered, ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_known_browser_is_limited_by_its_own_failures_and_only_for_its_own_account() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, _) = app.registered_user(&admin, "bea@example.com", RoleSet::EMPTY).await;
    let known = app.admin_session().await;
    for _ in 0..10 {
        assert_eq!(app.sign_in(&known, ADMIN_EMAIL, "mistyped it!").await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.sign_in(&known, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the device's own eleventh attempt waits");
    assert!((1..=900).contains(&retry_after(&response)));
    // The device cookie names the administrator's account; another account counts it as unknown.
    let other = app.admin_session().await;
    for _ in 0..5 {
        assert_eq!(app.sign_in(&other, "bea@example.com", "wrong password!").await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.sign_in(&other, "bea@example.com", useradmin_test_support::PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_forged_device_cookie_counts_as_an_unknown_browser() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let forged = |value: &str| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("cookie", format!("useradmin_device={value}").parse().unwrap());
        reqwest::Client::builder().default_headers(headers).build().unwrap()
    };
    // The account's name in base64url with a made-up signature.
    let client = forged("YWRtaW5AZXhhbXBsZS5jb20.00000000000000000000000000000000.c2lnbmF0dXJl");
    for _ in 0..5 {
        assert_eq!(app.sign_in(&client, ADMIN_EMAIL, "wrong password!").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
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
    assert_eq!(wrong, 5, "{statuses:?}");
    assert_eq!(refused, 15, "{statuses:?}");
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
async fn five_failures_from_one_client_address_slow_it_down_whatever_the_account() {
    let app = TestApp::spawn().await;
    app.admin().await;
    let client = app.client();
    for i in 0..5 {
        let response = app.sign_in(&client, &format!("nobody{i}@example.com"), "wrong password!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
}

async fn sign_in_from(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/session"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_budget() {
    let app = TestApp::spawn_with(|settings| {
        settings.trusted_proxies = vec![useradmin_server::client_address::parse_trusted_proxy("127.0.0.1").unwrap()];
    })
    .await;
    app.admin().await;
    for i in 0..5 {
        let email = format!("nobody{i}@example.com");
        assert_eq!(sign_in_from(&app, "203.0.113.5", &email, "wrong password!").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(sign_in_from(&app, "203.0.113.5", ADMIN_EMAIL, PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sign_in_from(&app, "203.0.113.6", ADMIN_EMAIL, PASSWORD).await, StatusCode::OK, "another client");
    // What the client itself puts in front of the proxy's entry is not believed.
    assert_eq!(
        sign_in_from(&app, "198.51.100.1, 203.0.113.5", ADMIN_EMAIL, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_for_header_changes_nothing() {
    let app = TestApp::spawn().await;
    app.admin().await;
    for i in 0..5 {
        let (email, from) = (format!("nobody{i}@example.com"), format!("203.0.113.{i}"));
        assert_eq!(sign_in_from(&app, &from, &email, "wrong password!").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(sign_in_from(&app, "203.0.113.99", ADMIN_EMAIL, PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
}
