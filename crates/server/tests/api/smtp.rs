//! With `--smtp-url`, mail goes to a real SMTP server: here one the test runs on loopback.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use useradmin_test_support::{PASSWORD, TestApp, decode_quoted_printable, token_of};

/// A minimal SMTP server that accepts every mail and keeps it.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = Arc::clone(&received);
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 OK queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 OK\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn invitations_are_delivered_over_smtp_and_their_link_registers_the_invitee() {
    let (port, received) = smtp_sink().await;
    let app = TestApp::spawn_with(|settings| settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mail = loop {
        if let Some(mail) = received.lock().unwrap().first().cloned() {
            break mail;
        }
        assert!(Instant::now() < deadline, "no mail reached the SMTP server");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert!(mail.contains("To: admin@example.com"), "{mail}");
    let text = decode_quoted_printable(&mail);
    let link = text.split_whitespace().find(|w| w.contains("/invitation/")).expect("a link in the mail");
    assert_eq!(link, app.admin_link);
    assert!(
        useradmin_test_support::mailed_links(&app.mail_dir, "admin@example.com").is_empty(),
        "with SMTP no mail file is written"
    );
    let response = app.accept(&app.client(), &token_of(link), "Ada", PASSWORD).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
}
