//! Response bodies that misbehave on purpose: generated (oversized), paced (trickle) and broken
//! (headers, part of the body, then a dropped connection). Each knows its exact length, so the
//! `Content-Length` header promises what a well-behaved body would have delivered.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::{Sleep, sleep};

use crate::plumbing::conn::ConnControl;

/// Chunk size of generated bodies.
const CHUNK: usize = 64 * 1024;

/// A JSON document of exactly `len` bytes, produced chunk by chunk, never held in memory whole.
#[derive(Debug)]
pub struct Generated {
    len: u64,
    sent: u64,
}

const GENERATED_PREFIX: &[u8] = b"{\"padding\":\"";
const GENERATED_SUFFIX: &[u8] = b"\"}";

impl Generated {
    /// A body of `len` bytes.
    pub fn new(len: u64) -> Self {
        Self { len, sent: 0 }
    }

    fn byte_at(&self, index: u64) -> u8 {
        let prefix = GENERATED_PREFIX.len() as u64;
        let suffix_start = self.len.saturating_sub(GENERATED_SUFFIX.len() as u64);
        if index < prefix {
            GENERATED_PREFIX[index as usize]
        } else if index >= suffix_start && self.len >= prefix + GENERATED_SUFFIX.len() as u64 {
            GENERATED_SUFFIX[(index - suffix_start) as usize]
        } else {
            b'x'
        }
    }
}

impl Body for Generated {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if self.sent >= self.len {
            return Poll::Ready(None);
        }
        let take = (self.len - self.sent).min(CHUNK as u64);
        let start = self.sent;
        let chunk: Vec<u8> = (start..start + take).map(|i| self.byte_at(i)).collect();
        self.sent += take;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))))
    }

    fn is_end_stream(&self) -> bool {
        self.sent >= self.len
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len - self.sent)
    }
}

/// A body sent one byte at a time, `pause` apart.
#[derive(Debug)]
pub struct Paced {
    data: Bytes,
    pause: Duration,
    timer: Option<Pin<Box<Sleep>>>,
}

impl Paced {
    /// `data`, one byte every `pause`.
    pub fn new(data: Bytes, pause: Duration) -> Self {
        Self {
            data,
            pause,
            timer: None,
        }
    }
}

impl Body for Paced {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        if let Some(timer) = self.timer.as_mut() {
            ready!(timer.as_mut().poll(cx));
        }
        let pause = self.pause;
        self.timer = Some(Box::pin(sleep(pause)));
        let byte = self.data.split_to(1);
        Poll::Ready(Some(Ok(Frame::data(byte))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.len() as u64)
    }
}

/// How long a broken body waits after its first part, so that part reaches the client.
const BROKEN_FLUSH_WAIT: Duration = Duration::from_millis(50);

/// A body that promises `data.len()` bytes, sends the first half, then resets the connection.
#[derive(Debug)]
pub struct Broken {
    first_part: Option<Bytes>,
    promised: u64,
    timer: Option<Pin<Box<Sleep>>>,
    control: Option<ConnControl>,
}

impl Broken {
    /// Breaks off `data` halfway; `control` resets the connection it belongs to.
    pub fn new(data: Bytes, control: Option<ConnControl>) -> Self {
        let promised = (data.len() as u64).max(2);
        let half = data.len() / 2;
        Self {
            first_part: Some(data.slice(..half)),
            promised,
            timer: None,
            control,
        }
    }
}

impl Body for Broken {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(part) = self.first_part.take() {
            self.timer = Some(Box::pin(sleep(BROKEN_FLUSH_WAIT)));
            if !part.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(part))));
            }
        }
        if let Some(timer) = self.timer.as_mut() {
            ready!(timer.as_mut().poll(cx));
        }
        if let Some(control) = &self.control {
            control.abort(true);
        }
        Poll::Ready(Some(Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "injected fault: connection dropped mid-body",
        ))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.promised)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_bodies_are_json_of_the_exact_size() {
        let body = Generated::new(40);
        let text: Vec<u8> = (0..40).map(|i| body.byte_at(i)).collect();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(text.len(), 40);
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
    }
}
