//! A small W3C WebDriver client over reqwest, driving Debian's Chromium through chromedriver,
//! that finds elements the way a person does: by label, by accessible name, by visible text.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const PATIENCE: Duration = Duration::from_secs(15);
pub const ENTER: &str = "\u{E007}";

/// A chromedriver process; each [`Browser`] is a session in it.
pub struct Driver {
    url: String,
    process: Child,
    http: reqwest::Client,
}

impl Driver {
    pub async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        let process = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {binary}: {err} (run `cargo xtask setup`)"));
        let driver = Driver { url: format!("http://127.0.0.1:{port}"), process, http: reqwest::Client::new() };
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(response) = driver.http.get(format!("{}/status", driver.url)).send().await
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == true
            {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A new headless Chromium window with its own profile (so its own cookies).
    pub async fn browser(&self) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let response: Value = self
            .http
            .post(format!("{}/session", self.url))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = response["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {response}"));
        Browser { session: format!("{}/session/{id}", self.url), http: self.http.clone(), _profile: profile }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// One browser window.
pub struct Browser {
    session: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

/// An element of the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Browser {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|err| err.to_string())?;
        let ok = response.status().is_success();
        let value: Value = response.json().await.map_err(|err| err.to_string())?;
        if ok { Ok(value["value"].clone()) } else { Err(value["value"]["message"].as_str().unwrap_or("?").to_owned()) }
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        self.call(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({"url": url})).await.unwrap();
    }

    pub async fn refresh(&self) {
        self.post("/refresh", json!({})).await.unwrap();
    }

    pub async fn path(&self) -> String {
        let url = self.get("/url").await.unwrap();
        let url = url.as_str().unwrap();
        url.splitn(4, '/').nth(3).map(|rest| format!("/{rest}")).unwrap_or_else(|| "/".to_owned())
    }

    pub async fn script(&self, script: &str, args: Vec<Value>) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": args})).await.unwrap()
    }

    async fn find_all(&self, using: &str, value: &str) -> Vec<Element> {
        let found = self.post("/elements", json!({"using": using, "value": value})).await.unwrap_or(Value::Null);
        found
            .as_array()
            .map(|items| {
                items.iter().filter_map(|item| item[ELEMENT_KEY].as_str()).map(|id| Element(id.to_owned())).collect()
            })
            .unwrap_or_default()
    }

    /// Waits until `probe` finds something, then returns it.
    async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(found) = probe().await {
                return found;
            }
            if Instant::now() > deadline {
                let text = self.page_text().await;
                panic!("gave up waiting for {what}; the page reads:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a PNG of the window as `<dir>/<name>.png` when `USERADMIN_E2E_SCREENSHOTS` names a
    /// folder, so that a person can look at what the journey showed.
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("USERADMIN_E2E_SCREENSHOTS") else { return };
        use base64::Engine as _;
        let data = self.get("/screenshot").await.unwrap();
        let png = base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap()).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }

    pub async fn page_text(&self) -> String {
        self.script("return document.body.innerText;", vec![]).await.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the page shows `text`.
    pub async fn sees(&self, text: &str) {
        self.wait_for(&format!("the text {text:?}"), || async { self.page_text().await.contains(text).then_some(()) })
            .await;
    }

    /// The form field whose label reads `label`.
    pub async fn field(&self, label: &str) -> Element {
        self.field_within("", label).await
    }

    /// The form field labelled `label` inside the part of the page `scope` (an XPath) selects.
    pub async fn field_within(&self, scope: &str, label: &str) -> Element {
        let xpath = format!("{scope}//label[normalize-space(.)={}]", xpath_string(label));
        self.wait_for(&format!("a field labelled {label:?} in {scope:?}"), || async {
            for found in self.find_all("xpath", &xpath).await {
                let target = self.attribute(&found, "for").await?;
                if let Some(field) = self.find_all("css selector", &format!("#{target}")).await.into_iter().next() {
                    return Some(field);
                }
            }
            None
        })
        .await
    }

    /// The first element matching `css` whose accessible name is `name`, if there is one now.
    async fn named(&self, css: &str, name: &str) -> Option<Element> {
        for element in self.find_all("css selector", css).await {
            if self.accessible_name(&element).await.as_deref() == Some(name) {
                return Some(element);
            }
        }
        None
    }

    /// The button whose accessible name is `name`.
    pub async fn button(&self, name: &str) -> Element {
        self.wait_for(&format!("a button named {name:?}"), || self.named("button", name)).await
    }

    /// The link whose accessible name is `name`.
    pub async fn link(&self, name: &str) -> Element {
        self.wait_for(&format!("a link named {name:?}"), || self.named("a", name)).await
    }

    /// The accessible names of the links inside the element matching `css`.
    pub async fn link_names_in(&self, css: &str) -> Vec<String> {
        let mut names = Vec::new();
        for link in self.find_all("css selector", &format!("{css} a")).await {
            names.push(self.accessible_name(&link).await.unwrap_or_default());
        }
        names
    }

    pub async fn has_button(&self, name: &str) -> bool {
        self.named("button", name).await.is_some()
    }

    pub async fn accessible_name(&self, element: &Element) -> Option<String> {
        let name = self.get(&format!("/element/{}/computedlabel", element.0)).await.ok()?;
        Some(name.as_str()?.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    pub async fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.get(&format!("/element/{}/attribute/{name}", element.0)).await.ok()?.as_str().map(str::to_owned)
    }

    pub async fn property(&self, element: &Element, name: &str) -> Value {
        self.get(&format!("/element/{}/property/{name}", element.0)).await.unwrap_or(Value::Null)
    }

    pub async fn click(&self, element: &Element) {
        self.post(&format!("/element/{}/click", element.0), json!({})).await.unwrap();
    }

    pub async fn type_into(&self, element: &Element, text: &str) {
        self.post(&format!("/element/{}/value", element.0), json!({"text": text})).await.unwrap();
    }

    /// Types into the field labelled `label`.
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        self.post(&format!("/element/{}/clear", field.0), json!({})).await.unwrap();
        self.type_into(&field, text).await;
    }

    /// Chooses the option reading `option` in the select labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        let select = self.field(label).await;
        let xpath = format!("./option[normalize-space(.)={}]", xpath_string(option));
        let found =
            self.post(&format!("/element/{}/element", select.0), json!({"using": "xpath", "value": xpath})).await;
        let id = found.ok().and_then(|found| found[ELEMENT_KEY].as_str().map(str::to_owned));
        let option = Element(id.unwrap_or_else(|| panic!("no option {option:?} in {label:?}")));
        self.click(&option).await;
    }

    pub async fn press(&self, label: &str) {
        let button = self.button(label).await;
        self.click(&button).await;
    }

    /// Waits until `condition` holds.
    pub async fn until<F, Fut>(&self, what: &str, mut condition: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + PATIENCE;
        while !condition().await {
            if Instant::now() > deadline {
                let text = self.page_text().await;
                panic!("gave up waiting for {what}; the page reads:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let session = self.session.clone();
        let http = self.http.clone();
        // Best effort: the driver process ends with the test anyway.
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let _ = http.delete(session).send().await;
            });
        }
    }
}

fn xpath_string(text: &str) -> String {
    if text.contains('\'') { format!("\"{text}\"") } else { format!("'{text}'") }
}
