//! The per-connection control that lets a fault stall or reset the connection itself, and the
//! socket wrapper that turns a close into a reset when asked.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// Lets a request handler drop the connection it arrived on (stall and reset faults).
#[derive(Clone, Debug, Default)]
pub struct ConnControl(Arc<ControlInner>);

#[derive(Debug, Default)]
struct ControlInner {
    abort: Notify,
    reset: AtomicBool,
}

impl ConnControl {
    /// Drops the connection; with `reset`, as a TCP reset (SO_LINGER 0) rather than a close.
    pub fn abort(&self, reset: bool) {
        if reset {
            self.0.reset.store(true, Ordering::SeqCst);
        }
        self.0.abort.notify_one();
    }

    /// Completes when a handler asked to drop the connection.
    pub async fn aborted(&self) {
        self.0.abort.notified().await;
    }

    /// Whether the drop is to be a TCP reset.
    fn wants_reset(&self) -> bool {
        self.0.reset.load(Ordering::SeqCst)
    }
}

/// The connection's socket; on drop it turns the close into a reset when a fault asked for one.
pub struct ConnIo {
    stream: TcpStream,
    control: ConnControl,
}

impl ConnIo {
    /// `stream`, dropped as `control` says.
    pub fn new(stream: TcpStream, control: ConnControl) -> Self {
        Self { stream, control }
    }
}

impl Drop for ConnIo {
    fn drop(&mut self) {
        if self.control.wants_reset() {
            // Best effort: if it fails the client sees a plain close instead of a reset.
            let _ = socket2::SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
