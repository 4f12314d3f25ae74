//! Who may connect and for how long: without a public URL only the server's own address and
//! localhost are answered (no DNS rebinding), slow clients are cut off, connections are capped.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use useradmin_test_support::{TestApp, error_code};

fn host_port(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn without_a_public_url_a_request_for_another_host_name_is_421() {
    let app = TestApp::spawn().await;
    let port = host_port(&app).rsplit_once(':').unwrap().1.to_owned();
    let client = reqwest::Client::new();
    for host in [format!("rebinding.attacker.example:{port}"), format!("127.0.0.2:{port}"), "localhost:1".into()] {
        let response = client.post(app.url("/session")).header("Host", &host).body("{}").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert_eq!(error_code(response).await, "unknown_host");
        let response = client.get(app.url("/me")).header("Host", &host).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::MISDIRECTED_REQUEST, "{host}");
    }
    for host in [host_port(&app), format!("localhost:{port}")] {
        let response = client.get(format!("{}/healthz", app.address)).header("Host", &host).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn with_a_public_url_the_proxy_may_forward_any_host_name() {
    let app = TestApp::spawn_with(|settings| settings.public_url = Some("https://admin.example.com".into())).await;
    let response =
        reqwest::Client::new().get(format!("{}/healthz", app.address)).header("Host", "admin.example.com").send().await;
    assert_eq!(response.unwrap().status(), StatusCode::OK);
}

/// Waits until the server closes `stream`; the time it took.
async fn closed_after(stream: &mut TcpStream, within: Duration) -> Duration {
    let started = Instant::now();
    let mut buffer = [0_u8; 1024];
    loop {
        match tokio::time::timeout(within.saturating_sub(started.elapsed()), stream.read(&mut buffer)).await {
            Err(_) => panic!("the connection is still open after {within:?}"),
            Ok(Ok(0) | Err(_)) => return started.elapsed(),
            // A response (e.g. 408) may come before the close.
            Ok(Ok(_)) => {}
        }
    }
}

fn with_timeout(settings: &mut useradmin_server::configuration::Settings) {
    settings.header_read_timeout = Duration::from_millis(500);
    settings.idle_timeout = Duration::from_millis(1500);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let app = TestApp::spawn_with(with_timeout).await;
    let mut slow = TcpStream::connect(host_port(&app)).await.unwrap();
    slow.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n", host_port(&app)).as_bytes()).await.unwrap();
    // One more header line now and then, never the blank line that ends them.
    let dribble = async {
        for i in 0.. {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if slow.write_all(format!("X-Slow-{i}: a\r\n").as_bytes()).await.is_err() {
                return;
            }
        }
    };
    assert!(tokio::time::timeout(Duration::from_secs(3), dribble).await.is_ok(), "still open after 3 s");
}

#[tokio::test]
async fn a_silent_connection_is_closed_soon_and_an_idle_kept_alive_one_after_the_idle_timeout() {
    let app = TestApp::spawn_with(with_timeout).await;
    let mut silent = TcpStream::connect(host_port(&app)).await.unwrap();
    closed_after(&mut silent, Duration::from_secs(3)).await;

    let mut idle = TcpStream::connect(host_port(&app)).await.unwrap();
    idle.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", host_port(&app)).as_bytes()).await.unwrap();
    let mut response = [0_u8; 12];
    idle.read_exact(&mut response).await.unwrap();
    assert_eq!(&response, b"HTTP/1.1 200");
    let idle_for = closed_after(&mut idle, Duration::from_secs(4)).await;
    assert!(idle_for >= Duration::from_millis(1200), "kept alive for the idle timeout, not less: {idle_for:?}");
}

#[tokio::test]
async fn beyond_the_connection_cap_a_client_waits_until_a_connection_closes() {
    let app = TestApp::spawn_with(|settings| {
        with_timeout(settings);
        settings.max_connections = 2;
    })
    .await;
    let _silent: Vec<TcpStream> =
        vec![TcpStream::connect(host_port(&app)).await.unwrap(), TcpStream::connect(host_port(&app)).await.unwrap()];
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let response = reqwest::get(format!("{}/healthz", app.address)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300),
        "answered after {waited:?}, while two silent connections held both places"
    );
}
