//! What the server's test binaries (`tests/api`, `tests/e2e`, `tests/fuzz`) share: the real
//! server on port 0 with a temporary data folder, browser-like clients, the links of the mails
//! it wrote, and a throwaway PostgreSQL cluster for `USERADMIN_TEST_DATABASE=postgres`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use useradmin_api::{Me, User, UserPage};
use useradmin_rights::RoleSet;
use useradmin_server::configuration::Settings;
use useradmin_server::startup::Application;

pub const PASSWORD: &str = "correct horse battery staple";
pub const ADMIN_EMAIL: &str = "admin@example.com";

/// A running server with its own data folder, removed when the test ends.
pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub mail_dir: PathBuf,
    pub admin_link: String,
    _data: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// Starts a server whose settings `adjust` changes first.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        // `TEST_LOG=info cargo test …` shows the server's log.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("TEST_LOG"))
            .with_test_writer()
            .try_init();
        let data = tempfile::tempdir().expect("a temporary folder");
        let mut settings = Settings::for_tests(data.path().to_path_buf());
        if testing_on_postgres() {
            settings.database_url = Some(postgres::fresh_database().await);
        }
        adjust(&mut settings);
        let database_url = settings.database_url();
        let mail_dir = settings.mail_dir();
        let application = Application::build(settings).await.expect("the server starts");
        let address = format!("http://{}", application.address);
        let admin_link = application.admin_invitation.clone().expect("a first administrator is invited");
        tokio::spawn(application.run_until_stopped());
        TestApp { address, database_url, mail_dir, admin_link, _data: data }
    }

    /// A pool on the app's own database, to look at what it stored.
    pub async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database_url).await.expect("the test database opens")
    }

    /// As if every session's password was entered 11 minutes ago: past sudo mode's 10.
    pub async fn let_eleven_minutes_pass_since_the_password(&self) {
        let eleven_minutes_ago = useradmin_server::db::now().millis() - 11 * 60 * 1000;
        sqlx::query("UPDATE sessions SET password_at = $1")
            .bind(eleven_minutes_ago)
            .execute(&self.pool().await)
            .await
            .unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    /// A browser-like client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().expect("a client")
    }

    /// The first administrator, registered and signed in.
    pub async fn admin(&self) -> Client {
        let client = self.client();
        let token = token_of(&self.admin_link);
        let response = self.accept(&client, &token, "Ada Admin", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap_or_default());
        client
    }

    /// `POST /session` as `client` with this e-mail and password.
    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        client
            .post(self.url("/session"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("sent")
    }

    /// A new session of the (already registered) first administrator.
    pub async fn admin_session(&self) -> Client {
        let client = self.client();
        assert_eq!(self.sign_in(&client, ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::OK);
        client
    }

    pub async fn accept(&self, client: &Client, token: &str, name: &str, password: &str) -> Response {
        client
            .post(self.url(&format!("/invitations/{token}/accept")))
            .json(&json!({"name": name, "password": password}))
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn invite(&self, admin: &Client, email: &str, roles: RoleSet) -> Response {
        admin.post(self.url("/users")).json(&json!({"email": email, "roles": roles})).send().await.expect("sent")
    }

    /// Invites `email` with `roles` and returns the new pending user.
    pub async fn invited(&self, admin: &Client, email: &str, roles: RoleSet) -> User {
        let response = self.invite(admin, email, roles).await;
        assert_eq!(response.status(), StatusCode::CREATED, "inviting {email}");
        response.json().await.expect("a user")
    }

    /// `GET /api/v1{path}` as `client`, read as JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, client: &Client, path: &str) -> T {
        let response = client.get(self.url(path)).send().await.expect("sent");
        assert!(response.status().is_success(), "GET {path}: {}", response.status());
        response.json().await.expect("JSON")
    }

    /// The e-mails of every user the list shows for `query` (`search=…&status=…`, URL-encoded
    /// by the caller), following the cursor through pages of `limit`.
    pub async fn user_emails(&self, client: &Client, query: &str, limit: u32) -> Vec<String> {
        let mut emails = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/users?limit={limit}&{query}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let page: UserPage = self.get_json(client, &path).await;
            assert!(page.items.len() <= limit as usize);
            emails.extend(page.items.into_iter().map(|user| user.email));
            cursor = page.next_cursor;
            if cursor.is_none() {
                return emails;
            }
        }
    }

    /// Invites `email` with `roles`, registers them from the mail's link and returns their
    /// signed-in client and their user row.
    pub async fn registered_user(&self, admin: &Client, email: &str, roles: RoleSet) -> (Client, User) {
        let response = self.invite(admin, email, roles).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap_or_default());
        let user: User = response.json().await.expect("a user");
        let link = self.latest_link_for(email).await;
        let client = self.client();
        let response = self.accept(&client, &token_of(&link), &format!("User {email}"), PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        let _: Me = response.json().await.expect("me");
        (client, user)
    }

    /// Every invitation link mailed to `email` so far, oldest first (waits for at least one).
    pub async fn links_for(&self, email: &str, at_least: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let links = mailed_links(&self.mail_dir, email);
            if links.len() >= at_least || Instant::now() > deadline {
                assert!(links.len() >= at_least, "expected {at_least} mails to {email}, found {}", links.len());
                return links;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub async fn latest_link_for(&self, email: &str) -> String {
        self.links_for(email, 1).await.pop().expect("a link")
    }

    /// Every password reset link mailed to `email` so far, oldest first (waits for at least
    /// `at_least`).
    pub async fn reset_links_for(&self, email: &str, at_least: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let links: Vec<String> = mails_to(&self.mail_dir, email)
                .iter()
                .filter_map(|text| {
                    text.split_whitespace().find(|word| word.contains("/reset-password/")).map(str::to_owned)
                })
                .collect();
            if links.len() >= at_least || Instant::now() > deadline {
                assert!(links.len() >= at_least, "expected {at_least} reset links to {email}, found {}", links.len());
                return links;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// The links in the `.eml` files addressed to `email`, in the order they were queued (files
/// are named by their outbox id).
pub fn mailed_links(mail_dir: &Path, email: &str) -> Vec<String> {
    mails_to(mail_dir, email).iter().filter_map(|text| invitation_link(text)).collect()
}

/// The mails (headers and decoded body) addressed to `email`, in the order they were queued
/// (files are named by their outbox id).
pub fn mails_to(mail_dir: &Path, email: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(mail_dir) else {
        return Vec::new();
    };
    let mut mails: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (name.starts_with("mail-") && name.ends_with(".eml"))
                .then(|| Some((name, std::fs::read_to_string(entry.path()).ok()?)))?
        })
        .filter(|(_, text)| text.lines().any(|line| line.eq_ignore_ascii_case(&format!("To: {email}"))))
        .collect();
    mails.sort();
    mails.into_iter().map(|(_, text)| decode_quoted_printable(&text)).collect()
}

/// Undoes quoted-printable soft line breaks and escapes, as a mail client would.
pub fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let mut out = String::with_capacity(joined.len());
    let mut chars = joined.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '=' {
            let hex: String = chars.clone().take(2).collect();
            if hex.len() == 2
                && let Ok(byte) = u8::from_str_radix(&hex, 16)
            {
                out.push(byte as char);
                chars.next();
                chars.next();
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn invitation_link(text: &str) -> Option<String> {
    text.split_whitespace().find(|word| word.contains("/invitation/")).map(str::to_owned)
}

pub fn token_of(link: &str) -> String {
    link.rsplit('/').next().expect("a token").to_owned()
}

/// The error code of an error body.
pub async fn error_code(response: Response) -> String {
    let body: Value = response.json().await.expect("a JSON error body");
    body["error"]["code"].as_str().expect("an error code").to_owned()
}

/// Whether this run of the API suite is on PostgreSQL (`USERADMIN_TEST_DATABASE=postgres`)
/// instead of SQLite.
pub fn testing_on_postgres() -> bool {
    std::env::var("USERADMIN_TEST_DATABASE").is_ok_and(|engine| engine == "postgres")
}

/// A throwaway PostgreSQL cluster for this test process: Debian's PostgreSQL (which `cargo xtask
/// setup` installs), initialised in a temporary folder, listening on a free loopback port, stopped and
/// removed by a watchdog when the process ends. Nothing outside the folder is touched.
pub mod postgres {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    struct Cluster {
        port: u16,
    }

    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    static DATABASES: AtomicUsize = AtomicUsize::new(0);

    fn bin_dir() -> Option<PathBuf> {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .map(|entry| entry.path().join("bin"))
            .filter(|bin| bin.join("initdb").exists() && bin.join("postgres").exists())
            .collect();
        versions.sort();
        versions.pop()
    }

    fn is_root() -> bool {
        Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
    }

    /// A command run as the `postgres` user when we are root (PostgreSQL refuses root).
    fn as_server_user(program: &Path) -> Command {
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn start() -> Cluster {
        let bin = bin_dir().expect(
            "PostgreSQL is not installed under /usr/lib/postgresql: run `cargo xtask setup`, which installs it",
        );
        let dir = std::env::temp_dir().join(format!("useradmin-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            let chown = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().unwrap();
            assert!(chown.success());
        }
        let data = dir.join("data");
        let init = as_server_user(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C", "--no-sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("initdb runs");
        assert!(init.success(), "initdb failed");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let runner = if is_root() { "runuser -u postgres -- " } else { "" };
        let server_line = format!(
            "{runner}{} -D {} -k {} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            bin.join("postgres").display(),
            data.display(),
            dir.display()
        );
        // The watchdog stops the cluster and removes its folder when this test process ends.
        let watchdog = format!(
            "{server_line} >{log} 2>&1 & while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             pg=$(head -n 1 {data}/postmaster.pid); kill -INT $pg; \
             while kill -0 $pg 2>/dev/null; do sleep 0.2; done; rm -rf {dir}",
            log = dir.join("server.log").display(),
            pid = std::process::id(),
            data = data.display(),
            dir = dir.display(),
        );
        let mut watchdog = Command::new("sh")
            .args(["-c", &watchdog])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the watchdog starts");
        std::thread::spawn(move || watchdog.wait());
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "PostgreSQL did not start; see {}", dir.join("server.log").display());
            std::thread::sleep(Duration::from_millis(50));
        }
        Cluster { port }
    }

    /// A new, empty database in the cluster; its URL.
    pub async fn fresh_database() -> String {
        let port = CLUSTER.get_or_init(start).port;
        let name = format!("useradmin_test_{}", DATABASES.fetch_add(1, Ordering::SeqCst));
        sqlx::any::install_default_drivers();
        let admin_url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        let deadline = Instant::now() + Duration::from_secs(30);
        let pool = loop {
            match sqlx::AnyPool::connect(&admin_url).await {
                Ok(pool) => break pool,
                Err(error) => {
                    assert!(Instant::now() < deadline, "PostgreSQL does not accept connections: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("a test database");
        pool.close().await;
        format!("postgres://postgres@127.0.0.1:{port}/{name}")
    }
}
