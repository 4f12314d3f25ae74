//! Load: 200 concurrent sessions for 30 s of mixed reads and writes on loopback. No request
//! fails, and every acknowledged write is there afterwards.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp};

const SESSIONS: usize = 200;
const DURATION: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sessions_of_mixed_reads_and_writes_for_thirty_seconds_lose_nothing() {
    let app = Arc::new(TestApp::spawn().await);
    app.admin().await;
    let mut sessions = Vec::with_capacity(SESSIONS);
    for _ in 0..SESSIONS {
        let client = app.client();
        let response = app.sign_in(&client, ADMIN_EMAIL, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        sessions.push(client);
    }
    let end = Instant::now() + DURATION;
    let tasks: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(n, client)| {
            let app = Arc::clone(&app);
            tokio::spawn(async move {
                let (mut requests, mut failures, mut invited) = (0usize, Vec::new(), Vec::new());
                let mut step = n;
                while Instant::now() < end && requests < 10_000 {
                    step += 1;
                    let (what, response) = match step % 5 {
                        0 => {
                            let email = format!("load-{n}-{step}@example.com");
                            let response = client.post(app.url("/users")).json(&json!({"email": email})).send().await;
                            if matches!(&response, Ok(r) if r.status() == StatusCode::CREATED) {
                                invited.push(email);
                            }
                            ("invite", response)
                        }
                        1 => ("me", client.get(app.url("/me")).send().await),
                        2 => ("list", client.get(app.url("/users?limit=20&search=load")).send().await),
                        3 => {
                            let area = ["taxes", "billing", "company", "webhooks"][n % 4];
                            let body = json!({"document": {"writer": format!("{n}"), "step": format!("{step}")}});
                            ("write area", client.put(app.url(&format!("/areas/{area}"))).json(&body).send().await)
                        }
                        _ => ("read area", client.get(app.url("/areas/taxes")).send().await),
                    };
                    requests += 1;
                    match response {
                        Ok(r) if r.status().is_success() => {}
                        Ok(r) => failures.push(format!("{what}: {}", r.status())),
                        Err(error) => failures.push(format!("{what}: {error}")),
                    }
                }
                (requests, failures, invited)
            })
        })
        .collect();
    let (mut requests, mut failures, mut invited) = (0, Vec::new(), Vec::new());
    for task in tasks {
        let (r, f, i) = task.await.unwrap();
        requests += r;
        failures.extend(f);
        invited.extend(i);
    }
    assert!(
        failures.is_empty(),
        "{} of {requests} requests failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(requests > SESSIONS * 10, "only {requests} requests in {DURATION:?}");

    let admin = app.admin_session().await;
    let stored: std::collections::HashSet<String> =
        app.user_emails(&admin, "search=load-", 500).await.into_iter().collect();
    for email in &invited {
        assert!(stored.contains(email), "{email} was acknowledged but is missing");
    }
    assert_eq!(stored.len(), invited.len());
}
