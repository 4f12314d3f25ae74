//! The accept loop. `axum::serve` has no limits for slow clients, so connections are served
//! here with hyper directly: a new connection must send its first request's headers within the
//! header-read timeout (slowloris), a kept-alive connection is closed after the idle timeout
//! without a request (hyper's header timer, which runs from the end of the previous answer),
//! and at most `max_connections` are open at once; beyond that, new connections wait in the
//! kernel's backlog instead of each costing a task.
//!
//! The idle timeout is deliberately long: a client or proxy that reuses a connection at the
//! moment the server closes it sees an error (nginx keeps upstream connections 60 s, reqwest
//! 90 s), while the first request's headers are due quickly.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

/// How slow clients are cut off.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

/// How long in-flight requests may take to finish once the server is asked to stop.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.idle_timeout.max(limits.header_read_timeout));
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit?,
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment instead of spinning.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = make_service.call(remote).await.unwrap_or_else(|never: Infallible| match never {});
        let service = TowerToHyperService::new(service);
        // Set once the first request's headers are read (hyper calls the service then).
        let started = Arc::new(AtomicBool::new(false));
        let service = {
            let started = Arc::clone(&started);
            hyper::service::service_fn(move |request| {
                started.store(true, Ordering::Relaxed);
                hyper::service::Service::call(&service, request)
            })
        };
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let first_request_due = limits.header_read_timeout;
        tokio::spawn(async move {
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = &mut connection => Some(ended),
                () = tokio::time::sleep(first_request_due) => None,
            };
            let ended = match ended {
                Some(ended) => ended,
                None if started.load(Ordering::Relaxed) => connection.await,
                // No complete request in time: dropping the connection closes it.
                None => Ok(()),
            };
            // A client that hangs up or is cut off for being slow is no error of ours.
            if let Err(error) = ended {
                tracing::debug!(%error, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still open after {DRAIN:?}; stopping anyway");
    }
    Ok(())
}
