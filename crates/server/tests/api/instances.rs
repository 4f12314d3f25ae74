//! Several server instances behind a load balancer share one PostgreSQL database: sessions,
//! users and rate limits live there, and each mail is delivered exactly once. This test always
//! runs on PostgreSQL, whichever engine the rest of the suite uses.

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::{User, UserPage};
use useradmin_rights::{Role, RoleSet};
use useradmin_server::configuration::Settings;
use useradmin_server::startup::Application;

use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, mailed_links, postgres, token_of};

async fn instance(data: &Path, database_url: &str) -> (String, Option<String>) {
    let mut settings = Settings::for_tests(data.to_path_buf());
    settings.database_url = Some(database_url.to_owned());
    let application = Application::build(settings).await.expect("an instance starts");
    let address = format!("http://{}/api/v1", application.address);
    let link = application.admin_invitation.clone();
    tokio::spawn(application.run_until_stopped());
    (address, link)
}

fn mails_to(dirs: &[&Path], email: &str) -> usize {
    dirs.iter().map(|dir| mailed_links(dir, email).len()).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_act_as_one_and_send_each_mail_once() {
    let database = postgres::fresh_database().await;
    let (one_dir, two_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (one, link) = instance(one_dir.path(), &database).await;
    let (two, second_link) = instance(two_dir.path(), &database).await;
    assert!(second_link.is_none(), "only the first start invites the administrator");
    let http = reqwest::Client::new();

    // Register and sign in on the first instance ...
    register_administrator(&http, &one, &link.unwrap()).await;
    let signed_in = http
        .post(format!("{one}/session"))
        .json(&json!({"email": ADMIN_EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();

    // ... invite and edit on the second with that session ...
    let mut invited = Vec::new();
    for i in 0..10 {
        let response = http
            .post(format!("{two}/users"))
            .header("cookie", &cookie)
            .json(&json!({"email": format!("colleague{i}@example.com")}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        invited.push(response.json::<User>().await.unwrap());
    }
    let edited = http
        .patch(format!("{two}/users/{}", invited[0].id))
        .header("cookie", &cookie)
        .json(&json!({"roles": ["finance", "reports"], "version": invited[0].version}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::OK);

    // ... and see the result on the first.
    let page: UserPage = http
        .get(format!("{one}/users?search=colleague0"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.items[0].roles, RoleSet::new([Role::Finance, Role::Reports]).unwrap());

    // Every mail is delivered, by one of the two instances, exactly once.
    let dirs = [one_dir.path().join("mail"), two_dir.path().join("mail")];
    let dirs: Vec<&Path> = dirs.iter().map(|d| d.as_path()).collect();
    let deadline = Instant::now() + Duration::from_secs(15);
    while invited.iter().any(|user| mails_to(&dirs, &user.email) == 0) {
        assert!(Instant::now() < deadline, "not every invitation was mailed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Both workers poll every second: give a duplicate every chance to appear.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    for user in &invited {
        assert_eq!(mails_to(&dirs, &user.email), 1, "{} got a mail more than once", user.email);
    }
    assert_eq!(mails_to(&dirs, ADMIN_EMAIL), 1);
}

/// Accepts the first administrator's invitation `link` on the instance at `base`, as Ada.
async fn register_administrator(http: &reqwest::Client, base: &str, link: &str) -> reqwest::Response {
    let accepted = http
        .post(format!("{base}/invitations/{}/accept", token_of(link)))
        .json(&json!({"name": "Ada", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
    accepted
}

/// Two instances on a fresh database, the first administrator registered: the addresses and
/// the administrator's session cookie.
async fn two_instances_signed_in(database: &str, dirs: [&Path; 2]) -> (String, String, String) {
    let (one, link) = instance(dirs[0], database).await;
    let (two, _) = instance(dirs[1], database).await;
    let http = reqwest::Client::new();
    let accepted = register_administrator(&http, &one, &link.unwrap()).await;
    // The session and the device cookie of the browser that registered.
    let cookie = accepted
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().split(';').next().unwrap())
        .collect::<Vec<_>>()
        .join("; ");
    (one, two, cookie)
}

async fn invite(http: &reqwest::Client, base: &str, cookie: &str, email: &str) -> User {
    let response = http
        .post(format!("{base}/users"))
        .header("cookie", cookie)
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn edit(http: &reqwest::Client, base: &str, cookie: &str, user: &User) -> reqwest::RequestBuilder {
    http.patch(format!("{base}/users/{}", user.id))
        .header("cookie", cookie)
        .json(&json!({"roles": ["finance"], "version": user.version}))
}

/// A transaction of the test's own holding `user`'s row as a write of it would.
async fn hold_row(database: &str, user: &User) -> sqlx::Transaction<'static, sqlx::Any> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database).await.unwrap();
    let mut held = pool.begin().await.unwrap();
    sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE").bind(user.id).execute(&mut *held).await.unwrap();
    held
}

/// Opens an edit of `held_user` through `base` that stays open inside its transaction: the
/// test's own transaction holds the user's row, as another write of that user would, and the
/// edit is proven to be waiting for it. Returns both, to be released and awaited.
async fn an_edit_held_open(
    http: &reqwest::Client,
    database: &str,
    base: &str,
    cookie: &str,
    held_user: &User,
) -> (sqlx::Transaction<'static, sqlx::Any>, tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>) {
    let held = hold_row(database, held_user).await;
    let edit = tokio::spawn(edit(http, base, cookie, held_user).send());
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!edit.is_finished(), "an edit of the held user waits for the write holding it");
    (held, edit)
}

async fn finishes_once_released(
    held: sqlx::Transaction<'static, sqlx::Any>,
    edit: tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>,
) {
    held.rollback().await.unwrap();
    let edit = tokio::time::timeout(Duration::from_secs(5), edit).await.expect("it goes on once released");
    assert_eq!(edit.unwrap().unwrap().status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_held_open_on_one_user_does_not_delay_an_edit_of_another_on_either_instance() {
    let database = postgres::fresh_database().await;
    let (one_dir, two_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (one, two, cookie) = two_instances_signed_in(&database, [one_dir.path(), two_dir.path()]).await;
    let http = reqwest::Client::new();
    let held_user = invite(&http, &one, &cookie, "held@example.com").await;
    let others = [
        invite(&http, &one, &cookie, "other1@example.com").await,
        invite(&http, &one, &cookie, "other2@example.com").await,
    ];

    let (held, held_edit) = an_edit_held_open(&http, &database, &two, &cookie, &held_user).await;
    for (base, other) in [(&one, &others[0]), (&two, &others[1])] {
        let started = Instant::now();
        let other_edit = tokio::time::timeout(Duration::from_secs(5), edit(&http, base, &cookie, other).send()).await;
        assert_eq!(other_edit.expect("the other user's edit is not delayed").unwrap().status(), StatusCode::OK);
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    }
    finishes_once_released(held, held_edit).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_and_edits_of_other_users_complete_in_parallel_with_an_edit_held_open() {
    const N: usize = 8;
    let database = postgres::fresh_database().await;
    let (one_dir, two_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (one, two, cookie) = two_instances_signed_in(&database, [one_dir.path(), two_dir.path()]).await;
    let http = reqwest::Client::new();
    // Signing in again from the browser that registered: a known device, which parallel
    // sign-ins do not make look like a guesser (unknown browsers slow down after 5 attempts).
    let device = cookie.split("; ").find(|pair| pair.starts_with("useradmin_device=")).unwrap().to_owned();
    let held_user = invite(&http, &one, &cookie, "held@example.com").await;
    let mut others = Vec::new();
    for i in 0..N {
        others.push(invite(&http, &two, &cookie, &format!("parallel{i}@example.com")).await);
    }

    // Were writes still queued behind one another, none of these could finish while the held
    // edit is open: they all do, at once, spread over both instances.
    let (held, held_edit) = an_edit_held_open(&http, &database, &one, &cookie, &held_user).await;
    let mut tasks = tokio::task::JoinSet::new();
    for (i, other) in others.iter().enumerate() {
        let base = if i % 2 == 0 { &one } else { &two };
        let edit = edit(&http, base, &cookie, other);
        tasks.spawn(async move { ("edit", edit.send().await.unwrap().status()) });
        let sign_in = http
            .post(format!("{base}/session"))
            .header("cookie", &device)
            .json(&json!({"email": ADMIN_EMAIL, "password": PASSWORD}));
        tasks.spawn(async move { ("sign-in", sign_in.send().await.unwrap().status()) });
    }
    let all = tokio::time::timeout(Duration::from_secs(30), tasks.join_all())
        .await
        .expect("every sign-in and edit completes while the edit is held");
    assert_eq!(all.len(), 2 * N);
    for (what, status) in all {
        assert_eq!(status, StatusCode::OK, "a {what}");
    }
    assert!(!held_edit.is_finished(), "the held edit was still open meanwhile");
    finishes_once_released(held, held_edit).await;
}
