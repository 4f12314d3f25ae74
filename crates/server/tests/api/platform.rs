//! Health, static files, unknown endpoints, security headers, cross-site refusal, limits.

use reqwest::StatusCode;
use serde_json::json;

use useradmin_test_support::{TestApp, error_code};

#[tokio::test]
async fn the_health_check_answers_ok() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(format!("{}/healthz", app.address)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(app.url("/nothing-here")).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(response).await, "not_found");
}

#[tokio::test]
async fn every_client_route_gets_the_app_and_every_response_the_security_headers() {
    let app = TestApp::spawn_with(|settings| {
        std::fs::create_dir_all(&settings.static_dir).unwrap();
        std::fs::write(
            settings.static_dir.join("index.html"),
            "<html><head><script type=\"module\">import init from '/app.js';</script></head></html>",
        )
        .unwrap();
        std::fs::write(settings.static_dir.join("app.js"), "export default 1;").unwrap();
    })
    .await;
    for path in ["/", "/settings/user-accounts", "/invitation/abc"] {
        let response = reqwest::get(format!("{}{path}", app.address)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("'sha256-") && !csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.headers()["referrer-policy"], "no-referrer");
        assert!(response.text().await.unwrap().contains("import init"), "{path}");
    }
    let script = reqwest::get(format!("{}/app.js", app.address)).await.unwrap();
    assert_eq!(script.text().await.unwrap(), "export default 1;");
    let api = reqwest::get(app.url("/me")).await.unwrap();
    assert!(api.headers().contains_key("content-security-policy"));
}

#[tokio::test]
async fn a_state_changing_request_from_another_site_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let forged = admin
        .post(app.url("/users"))
        .header("Origin", "https://evil.example")
        .json(&json!({"email": "victim@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(forged).await, "cross_site_request");
    let fetch_metadata = admin
        .post(app.url("/users"))
        .header("Sec-Fetch-Site", "cross-site")
        .json(&json!({"email": "victim@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_metadata.status(), StatusCode::FORBIDDEN);
    let same_origin = admin
        .post(app.url("/users"))
        .header("Origin", app.address.clone())
        .header("Sec-Fetch-Site", "same-origin")
        .json(&json!({"email": "colleague@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn bodies_that_are_not_json_too_large_or_malformed_get_clear_errors() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let huge = format!("{{\"email\": \"{}@example.com\"}}", "a".repeat(100_000));
    let response =
        admin.post(app.url("/users")).header("content-type", "application/json").body(huge).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(response).await, "body_too_large");

    let response = admin
        .post(app.url("/users"))
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "malformed_json");

    let response = admin.post(app.url("/users")).body("email=a@b.de").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let response = admin.post(app.url("/users")).json(&json!({"email": "a@b.de", "admin": true})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_body");
    assert!(body["error"]["message"].as_str().unwrap().contains("unknown field `admin`"), "{body}");
}

#[tokio::test]
async fn a_start_renews_the_first_administrators_link_only_once_it_has_expired() {
    let data = tempfile::tempdir().unwrap();
    let database = if useradmin_test_support::testing_on_postgres() {
        Some(useradmin_test_support::postgres::fresh_database().await)
    } else {
        None
    };
    let settings = || {
        let mut settings = useradmin_server::configuration::Settings::for_tests(data.path().to_path_buf());
        settings.database_url = database.clone();
        settings.invitation_ttl = std::time::Duration::from_millis(3000);
        settings
    };
    let build = || async { useradmin_server::startup::Application::build(settings()).await.unwrap() };
    let first_link = build().await.admin_invitation.expect("the first start invites the administrator");
    assert!(build().await.admin_invitation.is_none(), "a link that still works is left alone");
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let renewed = build().await;
    let second_link = renewed.admin_invitation.clone().expect("an expired link is renewed");
    assert_ne!(first_link, second_link);
    let address = format!("http://{}", renewed.address);
    tokio::spawn(renewed.run_until_stopped());
    let client = reqwest::Client::new();
    let token = |link: &str| link.rsplit('/').next().unwrap().to_owned();
    let old = client.get(format!("{address}/api/v1/invitations/{}", token(&first_link))).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    let accept = client
        .post(format!("{address}/api/v1/invitations/{}/accept", token(&second_link)))
        .json(&json!({"name": "Ada", "password": useradmin_test_support::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(accept.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    assert!(build().await.admin_invitation.is_none(), "nothing is handed out once someone registered");
}

#[tokio::test]
async fn any_other_path_under_api_is_a_json_404_not_the_app() {
    let app = TestApp::spawn().await;
    for path in ["/api", "/api/v2/users", "/api/v1x"] {
        let response = reqwest::get(format!("{}{path}", app.address)).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_code(response).await, "not_found");
    }
}

#[tokio::test]
async fn with_a_public_url_only_its_origin_may_send_writes() {
    let app = TestApp::spawn_with(|settings| settings.public_url = Some("https://admin.example.com".into())).await;
    let host_origin = app.address.clone();
    let response = reqwest::Client::new()
        .post(app.url("/session"))
        .header("Origin", host_origin)
        .json(&json!({"email": "a@b.de", "password": "whatever it is"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = reqwest::Client::new()
        .post(app.url("/session"))
        .header("Origin", "https://admin.example.com")
        .json(&json!({"email": "a@b.de", "password": "whatever it is"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_delivered_mail_no_longer_holds_its_link_in_the_database() {
    let app = TestApp::spawn().await;
    app.latest_link_for(useradmin_test_support::ADMIN_EMAIL).await;
    let pool = app.pool().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let rows: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT body, sent_at FROM outbox").fetch_all(&pool).await.unwrap();
        assert_eq!(rows.len(), 1);
        if rows[0].1.is_some() {
            assert_eq!(rows[0].0, "");
            assert!(!app.admin_link.is_empty());
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the mail was never marked sent");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn hashed_assets_are_served_precompressed_and_cached_for_a_year_and_the_page_is_revalidated() {
    let app = TestApp::spawn_with(|settings| {
        std::fs::create_dir_all(&settings.static_dir).unwrap();
        std::fs::write(settings.static_dir.join("index.html"), "<html></html>").unwrap();
        std::fs::write(settings.static_dir.join("app-0123456789abcdef.js"), "export default 1;").unwrap();
        std::fs::write(settings.static_dir.join("app-0123456789abcdef.js.br"), "pretend brotli").unwrap();
    })
    .await;
    let client = reqwest::Client::new();
    let asset = client
        .get(format!("{}/app-0123456789abcdef.js", app.address))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.headers()["content-encoding"], "br");
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(asset.text().await.unwrap(), "pretend brotli");
    let page = client.get(format!("{}/settings/user-accounts", app.address)).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let api = client.get(app.url("/me")).send().await.unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
}
