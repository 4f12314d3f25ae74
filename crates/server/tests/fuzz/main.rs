//! schemathesis (from PyPI, installed by `cargo xtask setup`) against `/api/v1/openapi.json`,
//! signed in as an administrator and as a user without roles: no 5xx, every response conforms
//! to the document, no schemathesis error and no warning; as the administrator every operation
//! answers at least one case with a 2xx, as the user without roles exactly those that need no
//! role do. A bounded run here; `cargo xtask fuzz` runs a longer one. `docs/fuzzing.md` says
//! how to read a failure.
//!
//! What the document cannot say is given as test data (`schemathesis.toml`, written for each
//! run beside its reports in `target/tmp/fuzz/<run>/`): the session as the value of the
//! document's `session` cookie scheme (so public operations go without it, and signing out
//! ends nothing the run needs), and dictionaries that schemathesis mixes into its generated
//! values: invitation and password reset tokens (they exist only in mails), ids and versions
//! of pending users and of registered users to deactivate and reactivate, and credentials that
//! sign in or change the password. User ids and versions also flow from
//! the operations that create them through the document's links (stateful phase).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::Value;
use useradmin_rights::RoleSet;
use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp, token_of};

const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance";

/// Operations that only a role opens; the user without roles must never get a 2xx from them.
const NEED_A_ROLE: [&str; 10] = [
    "list_users",
    "invite_user",
    "resend_invitation",
    "update_user",
    "remove_user",
    "deactivate_user",
    "reactivate_user",
    "get_area",
    "put_area",
    "list_events",
];

/// Pending invitations prepared for each run: their tokens, ids and versions are test data.
const PENDING_USERS: usize = 12;

/// Registered users prepared for each run, neither signed in by the run nor used to sign in:
/// their password reset tokens, ids and versions are test data (a reset ends their sessions, a
/// deactivation their sign-ins, which the run needs of nobody else). Both runs' reset requests
/// stay within the 20 per client address an hour.
const LIFECYCLE_USERS: usize = 8;

/// Text no browser sends, mixed into the free-text query parameter `search` (the others get
/// arbitrary text from the negative cases; paths get such text from the API tests): NUL and other control
/// characters (C0, DEL, C1), line breaks, a text direction override, the characters `LIKE`
/// and the full-text query treat specially, and long values. Invalid UTF-8, which schemathesis
/// cannot send, is the API tests' part (`tests/api/openapi.rs`).
fn nasty_text() -> Vec<String> {
    let mut values: Vec<String> = [
        "\u{0}",
        "a\u{0}b",
        "abc\u{0}",
        "ab\u{1}cd",
        "\u{1f}\u{7f}",
        "x\u{85}y",
        "line\r\nbreak",
        "\u{202e}abc",
        "%_\\",
        "\"quoted\" OR 1",
        "a'b",
    ]
    .map(str::to_owned)
    .to_vec();
    values.extend(["x".repeat(5_000), "é".repeat(2_000)]);
    values
}

/// A TOML basic string: quoted, with `"`, `\` and every control character escaped.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => write!(quoted, "\\u{:04X}", u32::from(c)).unwrap(),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn schemathesis() -> PathBuf {
    std::env::var_os("SCHEMATHESIS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/xtask-tools/venv/bin/schemathesis"))
    })
}

/// Signs in and returns the session cookie's value.
async fn session_token(app: &TestApp, email: &str) -> String {
    let response = app.sign_in(&Client::new(), email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    let pair = cookie.split(';').next().unwrap();
    pair.split_once('=').unwrap().1.to_owned()
}

/// One schemathesis run: who it is signed in as and the data it may use.
struct Run {
    /// A file-name-friendly name: `administrator`, `no-roles`.
    name: &'static str,
    /// Who the run is signed in as, and their session cookie's value.
    session_email: String,
    session: String,
    /// A registered user without roles whose credentials the run may sign in with.
    sign_in_email: String,
    /// The session user's password, which `PUT /me/password` needs as the current one.
    password: &'static str,
    tokens: Vec<String>,
    pending_ids: Vec<i64>,
    reset_tokens: Vec<String>,
    registered_ids: Vec<i64>,
    /// The version each of `registered_ids` is at when the run starts (the same for all).
    registered_versions: Vec<i64>,
    /// Whether every operation must answer a 2xx (the administrator), or only those that need
    /// no role, and the others never (the user without roles).
    administrator: bool,
}

impl Run {
    async fn prepare(
        app: &TestApp,
        admin: &Client,
        name: &'static str,
        session_email: &str,
        administrator: bool,
    ) -> Run {
        let sign_in_email = format!("sign-in-{name}@example.com");
        app.registered_user(admin, &sign_in_email, RoleSet::EMPTY).await;
        let mut tokens = Vec::new();
        let mut pending_ids = Vec::new();
        for i in 0..PENDING_USERS {
            let email = format!("pending-{i}-{name}@example.com");
            let user = app.invited(admin, &email, RoleSet::EMPTY).await;
            pending_ids.push(user.id);
            tokens.push(token_of(&app.latest_link_for(&email).await));
        }
        let mut reset_tokens = Vec::new();
        let mut registered_ids = Vec::new();
        let mut registered_versions = Vec::new();
        for i in 0..LIFECYCLE_USERS {
            let email = format!("registered-{i}-{name}@example.com");
            let (_, invited) = app.registered_user(admin, &email, RoleSet::EMPTY).await;
            registered_ids.push(invited.id);
            let response = app
                .client()
                .post(app.url("/password-resets"))
                .json(&serde_json::json!({"email": email}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::ACCEPTED);
            reset_tokens.push(token_of(&app.reset_links_for(&email, 1).await.pop().unwrap()));
        }
        // Registering counted a version: read it back rather than assume it.
        let list: Value = app.get_json(admin, &format!("/users?search=registered-0-{name}@example.com")).await;
        registered_versions.push(list["items"][0]["version"].as_i64().expect("a version"));
        let session = session_token(app, session_email).await;
        let session_email = session_email.to_owned();
        Run {
            name,
            session_email,
            session,
            sign_in_email,
            password: PASSWORD,
            tokens,
            pending_ids,
            reset_tokens,
            registered_ids,
            registered_versions,
            administrator,
        }
    }

    fn dir(&self) -> PathBuf {
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz").join(self.name)
    }

    /// The schemathesis configuration of this run; dictionaries are bound with a probability,
    /// so that the generated values are still tried most of the time.
    fn config(&self) -> String {
        let quoted = |values: &[String]| values.iter().map(|v| toml_string(v)).collect::<Vec<_>>().join(", ");
        let join = |values: &[i64]| values.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let ids = join(&self.pending_ids);
        let mut config = format!(
            r#"# Written by crates/server/tests/fuzz/main.rs for the run `{name}`; see docs/fuzzing.md.
seed = 20261129
# One worker: several raced in CPython 3.11's AST builder ("AST constructor recursion depth
# mismatch", docs/fuzzing.md), and with one the run is reproducible from its seed.
workers = 1

[generation]
database = "none"

[warnings]
fail-on = true

[auth.openapi.session]
api_key = "{session}"

[dictionaries.tokens]
values = [{tokens}]

[dictionaries.pending_ids]
values = [{ids}]

[dictionaries.reset_tokens_to_open]
values = [{reset_tokens_to_open}]

[dictionaries.reset_tokens_to_use]
values = [{reset_tokens_to_use}]

[dictionaries.registered_ids]
values = [{registered_ids}]

[dictionaries.registered_versions]
values = [{registered_versions}]

[dictionaries.first_versions]
values = [1]

[dictionaries.sign_in_emails]
values = ["{sign_in_email}"]

[dictionaries.passwords]
values = ["{password}"]

# New passwords the strength check accepts: most generated ones are guessable for zxcvbn, a
# rule no JSON schema can state (the session user's password is restored during the run).
[dictionaries.strong_passwords]
values = ["violet harbour 7 ledger comet quietly", "{password}"]

[dictionaries.nasty]
values = [{nasty}]

[parameters]
"query.search" = {{ dictionary = "nasty", probability = 0.3 }}

[[operations]]
include-operation-id = "sign_in"
parameters = {{ "body.email" = {{ dictionary = "sign_in_emails", probability = 0.5 }}, "body.password" = {{ dictionary = "passwords", probability = 0.5 }} }}

# The coverage phase takes no dictionary: its cases would all be refused for a wrong current
# password, which schemathesis would take for a schema that does not match the API.
[[operations]]
include-operation-id = "change_password"
parameters = {{ "body.current_password" = {{ dictionary = "passwords", probability = 0.8 }}, "body.new_password" = {{ dictionary = "strong_passwords", probability = 0.8 }} }}
phases.coverage.enabled = false

# The same for confirming the password again (sudo mode).
[[operations]]
include-operation-id = "confirm_password"
parameters = {{ "body.password" = {{ dictionary = "passwords", probability = 0.5 }} }}
phases.coverage.enabled = false

[[operations]]
include-operation-id = ["get_invitation", "accept_invitation"]
parameters = {{ "path.token" = {{ dictionary = "tokens", probability = 0.6 }} }}

# Like `change_password`, without the coverage phase, which takes no dictionary: an unknown
# reset link is 410 (not 404 as an unknown invitation), which schemathesis would take for a
# schema that does not match the API. Links to open and links to use are apart, so that
# resets using theirs up leave some to open. A long run still uses up every link (a reset, a
# deactivation of its user or a newer request for the address each retire one, by design), after
# which every case is rightly 410: schemathesis would warn that the schema does not match, so
# these two report no warnings; that each answers a 2xx is still checked from the cassette.
[[operations]]
include-operation-id = "get_reset"
parameters = {{ "path.token" = {{ dictionary = "reset_tokens_to_open", probability = 0.6 }} }}
phases.coverage.enabled = false
warnings = false

[[operations]]
include-operation-id = "reset_password"
parameters = {{ "path.token" = {{ dictionary = "reset_tokens_to_use", probability = 0.6 }}, "body.new_password" = {{ dictionary = "passwords", probability = 0.5 }} }}
phases.coverage.enabled = false
warnings = false

[[operations]]
include-operation-id = ["deactivate_user", "reactivate_user"]
parameters = {{ "path.id" = {{ dictionary = "registered_ids", probability = 0.5 }}, "body.version" = {{ dictionary = "registered_versions", probability = 0.5 }} }}

[[operations]]
include-operation-id = ["resend_invitation", "remove_user"]
parameters = {{ "path.id" = {{ dictionary = "pending_ids", probability = 0.5 }} }}

[[operations]]
include-operation-id = "update_user"
parameters = {{ "path.id" = {{ dictionary = "pending_ids", probability = 0.5 }}, "body.version" = {{ dictionary = "first_versions", probability = 0.5 }} }}
"#,
            name = self.name,
            session = self.session,
            tokens = quoted(&self.tokens),
            reset_tokens_to_open = quoted(&self.reset_tokens[..LIFECYCLE_USERS / 2]),
            reset_tokens_to_use = quoted(&self.reset_tokens[LIFECYCLE_USERS / 2..]),
            registered_ids = join(&self.registered_ids),
            registered_versions = join(&self.registered_versions),
            sign_in_email = self.sign_in_email,
            password = self.password,
            nasty = quoted(&nasty_text()),
        );
        if !self.administrator {
            // Refusing them is what these operations must do for this user, whatever the data;
            // `problems` checks that they never answered a 2xx.
            let refused = NEED_A_ROLE.map(|id| format!("{id:?}")).join(", ");
            writeln!(config, "\n[[operations]]\ninclude-operation-id = [{refused}]\nwarnings = false").unwrap();
        }
        config
    }
}

/// What a run's JSON report says about it: every failure, error and warning as a line.
fn reported_problems(report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if report["complete"] != true {
        problems.push(format!("the run did not complete (stop reason {})", report["stop_reason"]));
    }
    for (key, what) in [("errors", "error"), ("failures", "failure")] {
        for entry in report[key].as_array().into_iter().flatten() {
            problems.push(format!("schemathesis {what}: {entry}"));
        }
    }
    for (kind, labels) in report["warnings"].as_object().into_iter().flatten() {
        for label in labels.as_array().into_iter().flatten() {
            problems.push(format!("warning {kind}: {label}"));
        }
    }
    problems
}

/// An operation of the document: its id, method and path template.
struct Operation {
    id: String,
    method: String,
    path: String,
}

impl Operation {
    fn matches(&self, method: &str, path: &str) -> bool {
        let (mut template, mut segments) = (self.path.split('/'), path.split('/'));
        method == self.method
            && template
                .by_ref()
                .zip(segments.by_ref())
                .all(|(expected, actual)| expected == actual || (expected.starts_with('{') && !actual.is_empty()))
            && template.next().is_none()
            && segments.next().is_none()
    }
}

/// Every operation of the document.
async fn operations(app: &TestApp) -> Vec<Operation> {
    let doc: Value = reqwest::get(app.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            operations.push(Operation { id, method: method.to_uppercase(), path: path.clone() });
        }
    }
    operations
}

/// How many 2xx answers each operation (by id) gave, counted from the cassette of every
/// request and response of the run (schemathesis's own counts keep only the last round of a
/// phase that repeats).
fn successes(cassette: &str, operations: &[Operation]) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = operations.iter().map(|op| (op.id.clone(), 0)).collect();
    let (mut uri, mut method) = (String::new(), String::new());
    let field = |line: &str, name: &str| -> Option<String> {
        line.strip_prefix(name)?.strip_prefix(": '")?.strip_suffix('\'').map(str::to_owned)
    };
    for line in cassette.lines() {
        if let Some(value) = field(line, "    uri") {
            uri = value;
        } else if let Some(value) = field(line, "    method") {
            method = value;
        } else if let Some(code) = field(line, "      code") {
            let path = uri.split_once("/api/").map_or("", |(_, rest)| rest).split('?').next().unwrap_or("");
            let path = format!("/api/{path}");
            if code.starts_with('2')
                && let Some(operation) = operations.iter().find(|op| op.matches(&method, &path))
            {
                *counts.get_mut(&operation.id).unwrap() += 1;
            }
        }
    }
    counts
}

/// Operations without a 2xx that should have one, and (for the user without roles) those with
/// one that need a role.
fn coverage_problems(successes: &BTreeMap<String, usize>, administrator: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for (id, &count) in successes {
        let needs_a_role = NEED_A_ROLE.contains(&id.as_str());
        if (administrator || !needs_a_role) && count == 0 {
            problems.push(format!("{id} never answered a 2xx"));
        }
        if !administrator && needs_a_role && count > 0 {
            problems.push(format!("{id} answered {count} cases with a 2xx to a user without roles"));
        }
    }
    problems
}

async fn fuzz(app: &TestApp, run: &Run) {
    let dir = run.dir();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("schemathesis.toml"), run.config()).unwrap();
    let examples = std::env::var("FUZZ_MAX_EXAMPLES").unwrap_or_else(|_| "15".to_owned());
    let mut command = Command::new(schemathesis());
    command
        .current_dir(&dir)
        .args(["--config-file", "schemathesis.toml", "run"])
        .arg(format!("{}/api/v1/openapi.json", app.address))
        .args(["--checks", CHECKS, "--max-examples", &examples, "--no-color"])
        .args(["--report", "json,junit,vcr", "--report-json-path", "report.json", "--report-junit-path", "junit.xml"])
        .args(["--report-vcr-path", "cassette.yaml"]);
    if let Ok(seconds) = std::env::var("FUZZ_MAX_TIME") {
        command.args(["--max-time", &seconds]);
    }
    // Some state is put back as the run changes it. Its rate-limit events are forgotten: it is
    // one client sending thousands of sign-ins and resends, and the throttle would otherwise
    // answer all but the first few with 429 (the API tests prove the throttle itself). The
    // session user's password is restored once `PUT /me/password` changed it, so that the
    // current password the run knows keeps working while the new one is fuzzed, and so is the
    // run's session, which the change ended.
    let pool = app.pool().await;
    let password_hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
        .bind(&run.session_email)
        .fetch_one(&pool)
        .await
        .unwrap();
    // Changing the password also ends every session of the user, the run's too: put those back,
    // or every operation after it would only be answered 401.
    let sessions: Vec<(String, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.password_at FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE u.email = $1",
    )
    .bind(&run.session_email)
    .fetch_all(&pool)
    .await
    .unwrap();
    let session_email = run.session_email.clone();
    let restore = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let _ = sqlx::query("DELETE FROM rate_events").execute(&pool).await;
            for (hash, user_id, created_at, last_seen_at, password_at) in &sessions {
                let _ = sqlx::query(
                    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, password_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (token_hash) DO NOTHING",
                )
                .bind(hash)
                .bind(user_id)
                .bind(created_at)
                .bind(last_seen_at)
                .bind(password_at)
                .execute(&pool)
                .await;
            }
            let _ = sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2 AND password_hash <> $1")
                .bind(&password_hash)
                .bind(&session_email)
                .execute(&pool)
                .await;
        }
    });
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|err| panic!("cannot run {}: {err} (run `cargo xtask setup`)", schemathesis().display()));
    restore.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("schemathesis as {} ({:.0?}):\n{stdout}", run.name, started.elapsed());
    let report_path = dir.join("report.json");
    let report: Value = std::fs::read_to_string(&report_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_else(|| panic!("no JSON report at {}:\n{stderr}", report_path.display()));
    let cassette = std::fs::read_to_string(dir.join("cassette.yaml")).unwrap_or_default();
    let successes = successes(&cassette, &operations(app).await);
    println!("2xx answers as {}: {successes:?}", run.name);
    let mut problems = reported_problems(&report);
    problems.extend(coverage_problems(&successes, run.administrator));
    if !output.status.success() {
        problems.push(format!("schemathesis exited with {}", output.status));
    }
    assert!(
        problems.is_empty(),
        "schemathesis as {} (reports in {}):\n- {}\n{stderr}",
        run.name,
        dir.display(),
        problems.join("\n- ")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs schemathesis: `cargo xtask test` runs it after `cargo xtask setup`"]
async fn schemathesis_reaches_every_operation_and_finds_no_server_error_or_undocumented_answer() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.registered_user(&admin, "nobody@example.com", RoleSet::EMPTY).await;
    let nobody = Run::prepare(&app, &admin, "no-roles", "nobody@example.com", false).await;
    let administrator = Run::prepare(&app, &admin, "administrator", ADMIN_EMAIL, true).await;
    // The user without roles first: the administrator's run may remove them.
    fuzz(&app, &nobody).await;
    fuzz(&app, &administrator).await;
}

#[test]
fn the_cassette_counts_2xx_answers_by_operation_and_path_template() {
    let operation = |id: &str, method: &str, path: &str| Operation {
        id: id.to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
    };
    let operations = [
        operation("update_user", "PATCH", "/api/v1/users/{id}"),
        operation("resend_invitation", "POST", "/api/v1/users/{id}/invitation"),
        operation("invite_user", "POST", "/api/v1/users"),
    ];
    let interaction = |method: &str, uri: &str, code: &str| {
        format!(
            "- id: 'x'\n  request:\n    uri: 'http://127.0.0.1:1/api/v1{uri}'\n    method: '{method}'\n    headers:\n      \"Accept\":\n      - \"*/*\"\n\n  response:\n    status:\n      code: '{code}'\n      message: \"\"\n"
        )
    };
    let cassette = [
        interaction("PATCH", "/users/7", "200"),
        interaction("PATCH", "/users/7?x=1", "204"),
        interaction("PATCH", "/users/7", "409"),
        interaction("POST", "/users/7/invitation", "404"),
        interaction("POST", "/users", "201"),
        interaction("GET", "/users", "200"),
    ]
    .concat();
    let counts = successes(&cassette, &operations);
    assert_eq!(counts["update_user"], 2);
    assert_eq!(counts["resend_invitation"], 0);
    assert_eq!(counts["invite_user"], 1);
    assert_eq!(
        coverage_problems(&counts, true),
        ["resend_invitation never answered a 2xx"],
        "the administrator needs a 2xx everywhere"
    );
    assert_eq!(
        coverage_problems(&counts, false),
        [
            "invite_user answered 1 cases with a 2xx to a user without roles",
            "update_user answered 2 cases with a 2xx to a user without roles"
        ],
        "a user without roles gets none where a role is needed"
    );
}
