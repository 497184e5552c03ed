//! The accept loop: one task per connection, HTTP/1.1 with keep-alive (over TLS in TLS mode),
//! graceful stop, each request carrying its connection's control (so a fault can stall or reset
//! the connection itself). Above `app`: imports it and the plumbing.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::app;
use crate::plumbing::config::EmulatorConfig;
use crate::plumbing::conn::{ConnControl, ConnIo};
use crate::plumbing::state::State;
use crate::plumbing::tls::TlsIdentity;

/// How long open connections get to finish when the server stops.
const GRACE: Duration = Duration::from_millis(500);
/// Pause after a failed accept (e.g. out of file descriptors) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);
/// How long a client gets to complete the TLS handshake before the connection is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The base URL of a server listening on `addr`: `http://127.0.0.1:PORT`, no trailing slash.
pub fn base_url_for(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// The base URL of a server listening on `addr`, `https://` when `tls`; no trailing slash.
pub fn base_url_with(addr: SocketAddr, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{addr}")
}

/// Serves the emulator on `listener` until `shutdown` completes. This is what the binary uses;
/// [`crate::Emulator`] wraps it on its own thread.
///
/// With `config.tls` it serves https with a freshly generated certificate whose CA nobody can
/// learn; use [`serve_with`] to choose (and publish) the identity.
///
/// Fails when the listener is bound to a non-loopback address and `config.allow_remote` is off.
pub async fn serve(
    listener: TcpListener,
    config: EmulatorConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, config, None, shutdown).await
}

/// Like [`serve`], serving https with `tls` when given (which turns `config.tls` on); without
/// it, https with a generated identity when `config.tls` is set, plain http otherwise.
pub async fn serve_with(
    listener: TcpListener,
    config: EmulatorConfig,
    tls: Option<TlsIdentity>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let config = EmulatorConfig {
        host: listener.local_addr()?.ip(),
        tls: config.tls || tls.is_some(),
        ..config
    };
    config.validate()?;
    let tls = match tls {
        Some(identity) => Some(identity),
        None if config.tls => Some(TlsIdentity::generate()?),
        None => None,
    };
    run(listener, State::new(config), tls, shutdown).await
}

/// Serves `state` on `listener` (over TLS with `tls`) until `shutdown` completes.
pub(crate) async fn run(
    listener: TcpListener,
    state: Arc<State>,
    tls: Option<TlsIdentity>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = app::router(state);
    let acceptor = tls.as_ref().map(TlsIdentity::acceptor);
    let mut shutdown = pin!(shutdown);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(
                        stream,
                        acceptor.clone(),
                        router.clone(),
                        stop_rx.clone(),
                    ));
                }
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    // A send error only means no connection is listening any more.
    let _ = stop_tx.send(true);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(GRACE, drained).await.is_err() {
        connections.shutdown().await;
    }
    Ok(())
}

async fn serve_connection(
    stream: TcpStream,
    tls: Option<TlsAcceptor>,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    // Latency matters more than packet count on loopback; failure here changes nothing else.
    let _ = stream.set_nodelay(true);
    let control = ConnControl::default();
    let io = ConnIo::new(stream, control.clone());
    let Some(acceptor) = tls else {
        return serve_http(io, control, router, stop).await;
    };
    // The TLS stream wraps ConnIo, so dropping it still turns a close into a reset on request.
    let handshake = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(io));
    tokio::select! {
        // A client that does not trust the certificate hangs up here: its business.
        handshake = handshake => if let Ok(Ok(tls_stream)) = handshake {
            serve_http(tls_stream, control, router, stop).await;
        },
        _ = stop.changed() => {}
    }
}

/// Serves HTTP/1.1 on one connection (plain or TLS) until it ends, a fault drops it, or the
/// server stops.
async fn serve_http<I>(io: I, control: ConnControl, router: Router, mut stop: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let io = TokioIo::new(io);
    let request_control = control.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(request_control.clone());
        router.clone().oneshot(request.map(Body::new))
    });
    let connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service);
    let mut connection = pin!(connection);
    let mut draining = false;
    loop {
        tokio::select! {
            // Errors are the client's business (it hung up); nothing to report.
            _ = connection.as_mut() => return,
            // Dropping the connection closes the socket (with an RST when asked, see ConnIo).
            () = control.aborted() => return,
            _ = stop.changed(), if !draining => {
                connection.as_mut().graceful_shutdown();
                draining = true;
            }
        }
    }
}
