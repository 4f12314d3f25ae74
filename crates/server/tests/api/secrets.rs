//! Secrets stay out of logs and out of other local users' reach: invitation links are never
//! logged, the data folder, database and mails are private, database passwords are redacted.

use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};

use useradmin_rights::RoleSet;
use useradmin_server::configuration::Settings;
use useradmin_server::startup::Application;

use useradmin_test_support::{TestApp, testing_on_postgres, token_of};

/// Everything logged on this thread (the test's runtime runs the server's tasks here too).
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl CapturedLog {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn with_file_delivery_the_log_names_the_recipient_and_the_mail_never_the_link() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.invited(&admin, "invitee@example.com", RoleSet::EMPTY).await;
    let link = app.latest_link_for("invitee@example.com").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !log.text().contains("invitee@example.com") {
        assert!(std::time::Instant::now() < deadline, "the delivery was never logged:\n{}", log.text());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let text = log.text();
    let line = text.lines().find(|line| line.contains("invitee@example.com")).unwrap();
    assert!(line.contains("mail written") && line.contains("id="), "{line}");
    for token in [token_of(&link), token_of(&app.admin_link)] {
        assert!(!text.contains(&token), "a token is in the log:\n{text}");
    }
    assert!(!text.contains("/invitation/"), "a link is in the log:\n{text}");
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[tokio::test]
async fn the_data_folder_the_database_and_the_mails_are_readable_by_the_server_only() {
    let app = TestApp::spawn_with(|settings| settings.data_dir = settings.data_dir.join("fresh")).await;
    app.latest_link_for(useradmin_test_support::ADMIN_EMAIL).await;
    let data_dir = app.mail_dir.parent().unwrap();
    assert_eq!(mode(data_dir), 0o700, "the data folder");
    assert_eq!(mode(&app.mail_dir), 0o700, "the mail folder");
    let mails: Vec<_> = std::fs::read_dir(&app.mail_dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert!(!mails.is_empty());
    for mail in mails {
        assert_eq!(mode(&mail), 0o600, "{}", mail.display());
    }
    if !testing_on_postgres() {
        for file in ["useradmin.db", "useradmin.db-wal", "useradmin.db-shm"] {
            assert_eq!(mode(&data_dir.join(file)), 0o600, "{file}");
        }
    }
}

#[tokio::test]
async fn a_database_password_never_appears_in_a_start_up_error() {
    // A "server" that hangs up at once: the connection fails without waiting for a timeout.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            drop(stream);
        }
    });
    let data = tempfile::tempdir().unwrap();
    for url in [
        format!("postgres://useradmin:s3cret-word@127.0.0.1:{port}/useradmin"),
        "mysql://useradmin:s3cret-word@db/x".into(),
    ] {
        let mut settings = Settings::for_tests(data.path().to_path_buf());
        settings.database_url = Some(url.clone());
        let Err(error) = Application::build(settings).await else { panic!("{url} cannot work") };
        for shown in [format!("{error:#}"), format!("{error:?}")] {
            assert!(!shown.contains("s3cret-word"), "{shown}");
            assert!(shown.contains("useradmin:REDACTED@"), "{shown}");
        }
    }
}
