//! Serving the Router on TCP (`arsip serve`, the kiosk and the office LAN).
//! `axum::serve` has no header read timeout, so a client that opens
//! connections and sends half a request holds each one (and its task) for
//! ever; a few hundred of them starve a small office server. Here each
//! connection is hyper's HTTP/1 with keep-alive and a header read timeout,
//! which also closes keep-alive connections left idle. Each request carries
//! the peer's address as `ConnectInfo<SocketAddr>` (login throttling counts
//! failures per address).

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client may take to send a request's headers, counted from
/// the connection's start or the end of its previous request.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a shutdown waits for requests in flight before it leaves them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Answers connections on `listener` with `app` until `shutdown` completes,
/// then stops accepting, lets requests in flight finish (for at most
/// `SHUTDOWN_GRACE`) and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // `auth::client` reads exactly this type: `ConnectInfo<SocketAddr>`.
        let (stream, peer): (_, SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small replies (JSON, thumbnails) should not wait for Nagle.
        let _ = stream.set_nodelay(true);
        let service =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(peer));
                    req
                });
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that went away or timed out is no error of the server's.
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}

/// An accept error: one connection's trouble (it was reset before it was
/// accepted) is skipped; running out of file descriptors or memory is
/// waited out, as a busy loop would only make it worse.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    eprintln!("arsip-api: accept: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
