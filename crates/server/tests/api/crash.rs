//! Kill the server with SIGKILL in the middle of a burst of invitations: after a restart every
//! invitation that was answered 201 exists and has its mail, the database passes its integrity
//! check, and nothing is half-written.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::UserPage;

use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, mailed_links, postgres, testing_on_postgres, token_of};

/// Kills the server when the test ends, also when it fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The real binary, started on port 0; returns it with its address and any admin link. Its
/// output is read on a thread of its own, so a quiet server never blocks the test.
fn start(data: &Path, database_url: &str) -> (Running, String, Option<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_useradmin-server"))
        .args(["--listen", "127.0.0.1:0", "--database-url", database_url, "--data-dir"])
        .arg(data)
        .arg("--static-dir")
        .arg(data.join("dist"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines_rx.recv_timeout(Duration::from_secs(20)).expect("the server reports its address");
    let address = first.strip_prefix("listening on ").expect("the address first").to_owned();
    let link = lines_rx
        .recv_timeout(Duration::from_millis(500))
        .ok()
        .and_then(|line| line.strip_prefix("admin invitation: ").map(str::to_owned));
    (Running(child), address, link)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_burst_keeps_every_answered_invitation_and_its_mail() {
    let data = tempfile::tempdir().unwrap();
    let database_url = if testing_on_postgres() {
        postgres::fresh_database().await
    } else {
        format!("sqlite://{}?mode=rwc", data.path().join("useradmin.db").display())
    };
    let (mut server, address, link) = start(data.path(), &database_url);
    let admin = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let accept = admin
        .post(format!("{address}/api/v1/invitations/{}/accept", token_of(&link.unwrap())))
        .json(&json!({"name": "Ada", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(accept.status(), StatusCode::OK);

    let answered = Arc::new(AtomicUsize::new(0));
    let burst: Vec<_> = (0..8)
        .map(|task| {
            let (admin, address, answered) = (admin.clone(), address.clone(), Arc::clone(&answered));
            tokio::spawn(async move {
                let mut created = Vec::new();
                for i in 0..1000 {
                    let email = format!("burst-{task}-{i}@example.com");
                    let Ok(response) =
                        admin.post(format!("{address}/api/v1/users")).json(&json!({"email": email})).send().await
                    else {
                        break;
                    };
                    if response.status() != StatusCode::CREATED {
                        break;
                    }
                    created.push(email);
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                created
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while answered.load(Ordering::SeqCst) < 40 {
        assert!(Instant::now() < deadline, "the burst did not get going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.0.kill().expect("SIGKILL");
    server.0.wait().unwrap();
    let mut created = Vec::new();
    for task in burst {
        created.extend(task.await.unwrap());
    }
    assert!(created.len() >= 40);

    let (_server, address, link) = start(data.path(), &database_url);
    assert!(link.is_none(), "the administrator exists already");
    let admin = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let signed_in = admin
        .post(format!("{address}/api/v1/session"))
        .json(&json!({"email": ADMIN_EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let page: UserPage =
        admin.get(format!("{address}/api/v1/users?search=burst&limit=500")).send().await.unwrap().json().await.unwrap();
    let stored: Vec<&str> = page.items.iter().map(|u| u.email.as_str()).collect();
    for email in &created {
        assert!(stored.contains(&email.as_str()), "{email} was answered 201 but is gone");
    }

    // Every stored invitation (answered or not) gets its mail after the restart; one the killed
    // server had claimed is retried when its claim runs out (20 s).
    let mail_dir = data.path().join("mail");
    let deadline = Instant::now() + Duration::from_secs(45);
    for email in &stored {
        while mailed_links(&mail_dir, email).is_empty() {
            assert!(Instant::now() < deadline, "no mail for {email}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // Mail files are published whole (written under a temporary name, then renamed): every
    // `.eml` there is a complete mail with its link.
    for entry in std::fs::read_dir(&mail_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "eml") {
            let text = useradmin_test_support::decode_quoted_printable(&std::fs::read_to_string(&path).unwrap());
            assert!(text.contains("To: ") && text.contains("/invitation/"), "{} is incomplete", path.display());
            assert!(text.trim_end().ends_with("resend the invitation."), "{} is cut off", path.display());
        }
    }

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database_url).await.unwrap();
    if !testing_on_postgres() {
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
        assert_eq!(check, "ok");
    }
    let (orphans,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users u WHERE u.registered_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.recipient = u.email)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0, "every pending user has an invitation mail");
    let (audited,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'user_invited' AND target LIKE 'burst-%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited as usize, stored.len(), "every stored invitation is in the audit log");
}
