//! schemathesis (from PyPI, installed by `cargo xtask setup`) against `/api/v1/openapi.json`,
//! signed in as an administrator and as a user without roles: no 5xx, and every response
//! conforms to the document. A bounded run here; `cargo xtask fuzz` runs a longer one.

use std::path::PathBuf;
use std::process::Command;

use reqwest::StatusCode;
use useradmin_rights::RoleSet;
use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp};

const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance";

fn schemathesis() -> PathBuf {
    std::env::var_os("SCHEMATHESIS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/xtask-tools/venv/bin/schemathesis"))
    })
}

/// Signs in and returns the `name=value` of the session cookie.
async fn session_cookie(app: &TestApp, email: &str) -> String {
    let response = app.sign_in(&reqwest::Client::new(), email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

async fn fuzz(app: &TestApp, who: &str, cookie: String) {
    let examples = std::env::var("FUZZ_MAX_EXAMPLES").unwrap_or_else(|_| "15".to_owned());
    let mut command = Command::new(schemathesis());
    command
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", app.address))
        .args(["--checks", CHECKS, "--max-examples", &examples, "--seed", "20261129", "--no-color"])
        .args(["--workers", "2", "--exclude-operation-id", "sign_out", "--generation-database", "none"])
        .args(["-H", &format!("Cookie: {cookie}")]);
    if let Ok(seconds) = std::env::var("FUZZ_MAX_TIME") {
        command.args(["--max-time", &seconds]);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|err| panic!("cannot run {}: {err} (run `cargo xtask setup`)", schemathesis().display()));
    let report = String::from_utf8_lossy(&output.stdout);
    println!("schemathesis as {who}:\n{report}");
    assert!(
        output.status.success(),
        "schemathesis found problems as {who}:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs schemathesis: `cargo xtask test` runs it after `cargo xtask setup`"]
async fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.registered_user(&admin, "nobody@example.com", RoleSet::EMPTY).await;
    // The user without roles first: the administrator's run may remove them.
    let nobody = session_cookie(&app, "nobody@example.com").await;
    fuzz(&app, "a user without roles", nobody).await;
    let administrator = session_cookie(&app, ADMIN_EMAIL).await;
    fuzz(&app, "an administrator", administrator).await;
}
