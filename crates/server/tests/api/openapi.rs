//! The OpenAPI document describes every endpoint.

use serde_json::Value;

use useradmin_test_support::TestApp;

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint_and_the_role_keys() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/session", &["post", "delete"][..]),
        ("/api/v1/me", &["get", "patch"]),
        ("/api/v1/me/password", &["put"]),
        ("/api/v1/session/password", &["post"]),
        ("/api/v1/rights", &["get"]),
        ("/api/v1/users", &["get", "post"]),
        ("/api/v1/users/{id}", &["patch", "delete"]),
        ("/api/v1/users/{id}/invitation", &["post"]),
        ("/api/v1/invitations/{token}", &["get"]),
        ("/api/v1/invitations/{token}/accept", &["post"]),
        ("/api/v1/areas/{area}", &["get", "put"]),
        ("/api/v1/audit-log", &["get"]),
    ] {
        for method in methods {
            assert!(paths[path].get(*method).is_some(), "{method} {path} is not documented");
        }
    }
    let text = doc.to_string();
    assert!(text.contains("read_only_operations") && text.contains("handling_fees"));
}
