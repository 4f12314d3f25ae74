//! Developing with `trunk serve` (what `cargo xtask dev` starts): the app from Trunk's own
//! server, `/api` proxied to useradmin-server, which is told Trunk's address as its public URL so
//! that writes from the page are not refused as cross-site.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::webdriver::Driver;
use super::{registered_admin, sign_in};
use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp};

/// Trunk builds the app before it serves it; wasm-opt alone takes a while on a busy machine.
const BUILD_PATIENCE: Duration = Duration::from_secs(600);

/// A `trunk serve` with the project's Trunk.toml, but on `port`, into its own dist folder and
/// proxying `/api/` to `api` (Trunk would refuse a second proxy for the same path, so the
/// configuration is rewritten instead of extended on the command line).
struct TrunkServe {
    process: Child,
    url: String,
    /// Its configuration, dist and log.
    folder: tempfile::TempDir,
}

impl TrunkServe {
    async fn start(port: u16, api: &str) -> TrunkServe {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let project = std::fs::read_to_string(root.join("Trunk.toml")).unwrap();
        let config = [
            ("target = \"index.html\"", format!("target = {:?}", root.join("index.html"))),
            ("dist = \"dist\"", format!("dist = {:?}", folder.path().join("dist"))),
            ("port = 8080", format!("port = {port}")),
            ("backend = \"http://127.0.0.1:8081/api/\"", format!("backend = \"{api}/api/\"")),
        ]
        .into_iter()
        .fold(project, |config, (line, replacement)| {
            assert!(config.contains(line), "Trunk.toml no longer has `{line}`");
            config.replace(line, &replacement)
        });
        let config_path = folder.path().join("Trunk.toml");
        std::fs::write(&config_path, config).unwrap();
        let trunk = std::env::var_os("TRUNK").map(PathBuf::from).unwrap_or_else(|| "trunk".into());
        // The size-optimised build `cargo xtask test` already compiled, so only wasm-bindgen
        // and wasm-opt run again.
        let mut command = Command::new(&trunk);
        command
            .args(["serve", "--release", "--offline", "--config"])
            .arg(&config_path)
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(folder.path().join("trunk.log")).unwrap());
        // Its own process group, so that stopping it stops the cargo and wasm-opt it runs.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let process = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err} (run `cargo xtask setup`)", trunk.display()));
        let serve = TrunkServe { process, url: format!("http://127.0.0.1:{port}"), folder };
        serve.until_serving().await;
        serve
    }

    /// Waits for the first build to be served.
    async fn until_serving(&self) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + BUILD_PATIENCE;
        loop {
            if let Ok(response) = http.get(format!("{}/", self.url)).send().await
                && response.status().is_success()
                && response.text().await.is_ok_and(|page| page.contains("_bg.wasm"))
            {
                return;
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(self.folder.path().join("trunk.log")).unwrap_or_default();
                panic!("trunk serve did not serve the app within {BUILD_PATIENCE:?}; it said:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

impl Drop for TrunkServe {
    fn drop(&mut self) {
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.process.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs trunk, the size-optimised build and Chromium: `cargo xtask test` runs it after building"]
async fn through_trunk_serve_an_administrator_registers_signs_in_and_saves_a_change() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let public_url = format!("http://127.0.0.1:{port}");
    let app = TestApp::spawn_with(|settings| settings.public_url = Some(public_url.clone())).await;
    assert!(app.admin_link.starts_with(&public_url), "mailed links lead to Trunk's address");
    let trunk = TrunkServe::start(port, &app.address).await;

    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    admin.press("Sign out").await;
    sign_in(&admin, ADMIN_EMAIL, PASSWORD).await;
    admin.sees("Welcome, Ada Admin").await;

    admin.goto(&format!("{}/settings/taxes", trunk.url)).await;
    admin.fill("Field name", "vat").await;
    admin.fill("Value", "19").await;
    admin.press("Add field").await;
    admin.press("Save").await;
    admin.sees("Saved.").await;
    admin.refresh().await;
    let vat = admin.field("vat").await;
    assert_eq!(admin.property(&vat, "value").await, "19", "the server kept the change");
}
