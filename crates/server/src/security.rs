//! Browser-facing protections: security headers on every response, and refusal of
//! state-changing requests that come from another site.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The Content-Security-Policy: the app's own files, wasm compilation, nothing inline except
/// the module loader Trunk writes into `index.html`, allowed by its hash.
pub fn content_security_policy(index_html: Option<&str>) -> String {
    let loader_hashes: Vec<String> =
        index_html.map(inline_scripts).unwrap_or_default().iter().map(|script| sha256_source(script)).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
        loader_hashes.iter().map(|hash| format!(" '{hash}'")).collect::<String>()
    )
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            scripts.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    scripts
}

fn sha256_source(script: &str) -> String {
    use base64::Engine as _;
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes())))
}

/// The policy for the app in the static folder, recomputed when `index.html` changes (a
/// rebuild while the server runs gets a new loader hash).
#[derive(Debug)]
pub struct CspCache {
    index: std::path::PathBuf,
    /// The index file's modification time, when it was last looked at, and the policy.
    current: std::sync::Mutex<CspState>,
}

#[derive(Debug)]
struct CspState {
    modified: Option<std::time::SystemTime>,
    checked: Option<std::time::Instant>,
    policy: HeaderValue,
}

/// How often a response may look at the index file for a rebuild.
const CSP_RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

impl CspCache {
    pub fn new(static_dir: &std::path::Path) -> CspCache {
        let cache = CspCache {
            index: static_dir.join("index.html"),
            current: std::sync::Mutex::new(CspState {
                modified: None,
                checked: None,
                policy: HeaderValue::from_static("default-src 'self'"),
            }),
        };
        cache.refresh();
        cache
    }

    fn refresh(&self) -> HeaderValue {
        let mut current = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.checked.is_some_and(|at| at.elapsed() < CSP_RECHECK) {
            return current.policy.clone();
        }
        current.checked = Some(std::time::Instant::now());
        let modified = std::fs::metadata(&self.index).and_then(|m| m.modified()).ok();
        if current.modified != modified || modified.is_none() {
            let html = std::fs::read_to_string(&self.index).ok();
            if let Ok(policy) = HeaderValue::from_str(&content_security_policy(html.as_deref())) {
                current.policy = policy;
                current.modified = modified;
            }
        }
        current.policy.clone()
    }
}

/// Adds the security headers to every response.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let csp = state.csp.refresh();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if state.secure_cookies {
        // Behind https (the public URL says so): the browser never tries plain http again for
        // a year, so a network attacker cannot strip TLS on a later visit.
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// `Cache-Control` for the app's files: content-hashed names (`name-0123456789abcdef.js`)
/// never change, so they are cached for a year; everything else is revalidated; API answers
/// are never stored.
pub async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let value = if path.starts_with("/api/") || path == "/healthz" {
        "no-store"
    } else if is_hashed_asset(&path) && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// `…-<16 hex digits>[_bg].{js,wasm,css}`, the names Trunk gives built assets.
fn is_hashed_asset(path: &str) -> bool {
    let Some((stem, extension)) = path.rsplit_once('.') else {
        return false;
    };
    if !matches!(extension, "js" | "wasm" | "css") {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Without `--public-url`, answers 421 unless the Host header names the address the server
/// listens on or `localhost`: a DNS-rebinding page (a host name of the attacker's, pointed at
/// 127.0.0.1) would otherwise count as the app's own site.
pub async fn known_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.settings.public_url.is_none() {
        let host = request.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !names_listen_address(host, &state.public_origin) {
            return ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                "unknown_host",
                "This server answers only for its own address; set --public-url to reach it by a host name.",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// `host` is `localhost` or the IP address of `listen_origin` (`http://ip:port`; any IP
/// address when it listens on all of them), with its port.
fn names_listen_address(host: &str, listen_origin: &str) -> bool {
    let Some(listen) = listen_origin.rsplit("://").next().and_then(|a| a.parse::<std::net::SocketAddr>().ok()) else {
        return false;
    };
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    if port != Some(listen.port()) {
        return false;
    }
    let ip = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
    match ip.parse::<std::net::IpAddr>() {
        Ok(ip) => listen.ip().is_unspecified() || ip == listen.ip(),
        Err(_) => name.eq_ignore_ascii_case("localhost"),
    }
}

/// Refuses POST, PUT, PATCH and DELETE sent by a page of another site (403).
pub async fn same_origin_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state && is_cross_site(&request, &state.public_origin, state.settings.public_url.is_none()) {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "This request came from another site and was refused.",
        )
        .into_response();
    }
    next.run(request).await
}

/// With an explicit public URL only its origin may send writes; without one (a local start),
/// the origin of the address the request was sent to is the app's own.
fn is_cross_site(request: &Request, public_origin: &str, trust_host: bool) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && matches!(site, "cross-site" | "same-site")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Not sent by a browser page (curl, tests, server-to-server): nothing to forge.
        return false;
    };
    if origin.eq_ignore_ascii_case(public_origin) {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
    !(trust_host && origin != "null" && !host.is_empty() && origin_host.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_public_url_only_the_listen_address_and_localhost_are_known_hosts() {
        let origin = "http://127.0.0.1:8080";
        assert!(names_listen_address("127.0.0.1:8080", origin));
        assert!(names_listen_address("localhost:8080", origin));
        assert!(names_listen_address("LocalHost:8080", origin));
        assert!(!names_listen_address("localhost:8081", origin));
        assert!(!names_listen_address("rebind.attacker.example:8080", origin));
        assert!(!names_listen_address("127.0.0.2:8080", origin));
        assert!(!names_listen_address("127.0.0.1", origin));
        assert!(!names_listen_address("", origin));
        assert!(names_listen_address("[::1]:8080", "http://[::1]:8080"));
        assert!(names_listen_address("192.168.1.20:80", "http://0.0.0.0:80"));
        assert!(names_listen_address("192.168.1.20", "http://0.0.0.0:80"));
        assert!(!names_listen_address("intranet.example:80", "http://0.0.0.0:80"));
    }

    #[test]
    fn only_content_hashed_asset_names_are_cached_for_long() {
        assert!(is_hashed_asset("/useradmin-web-5a8d7bad4a6680da_bg.wasm"));
        assert!(is_hashed_asset("/useradmin-web-5a8d7bad4a6680da.js"));
        assert!(is_hashed_asset("/main-8c9cb7667130ebd9.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/app.js"));
        assert!(!is_hashed_asset("/settings/user-accounts"));
    }

    #[test]
    fn the_policy_allows_the_inline_loader_by_hash_and_nothing_else_inline() {
        let html = "<head><script type=\"module\">import init from '/a.js';</script>\
                    <script src=\"/x.js\"></script></head>";
        let csp = content_security_policy(Some(html));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(csp.matches("'sha256-").count(), 1);
        assert!(csp.contains(&sha256_source("import init from '/a.js';")));
    }
}
