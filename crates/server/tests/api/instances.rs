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
    let accepted = http
        .post(format!("{one}/invitations/{}/accept", token_of(&link.unwrap())))
        .json(&json!({"name": "Ada", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
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
