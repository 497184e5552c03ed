//! Request bodies over the emulator's limits, refused the way a front end does: the answer is a
//! 413 sent after the rest of the body has been read and dropped (bounded), with
//! `Connection: close`, so the client has finished writing when the answer comes and can read
//! it. Answering first and closing with the body unread resets the connection, and whether the
//! client ever sees the 413 is then a race (nginx's lingering close exists for this).
//!
//! Only bodies that announce their size (`Content-Length`) are drained here; a chunked body over
//! a limit meets the endpoint's own limit, which answers early.

use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::plumbing::graph_wire::{self, GraphIds};
use crate::plumbing::wire;

/// Largest token-request form (a refresh token is a few KiB).
pub const MAX_FORM_BYTES: u64 = 64 * 1024;
/// Largest `/v1` request body (axum's default limit for the body extractors, made explicit).
pub const MAX_API_BODY_BYTES: u64 = 2 * 1024 * 1024;
/// Most of an oversized body read and dropped before the answer: past it, the connection is
/// closed with the rest unread.
const MAX_DRAIN_BYTES: u64 = 256 * 1024 * 1024;
/// Most time spent draining one body.
const MAX_DRAIN_TIME: Duration = Duration::from_secs(10);

/// The limit for a request to `path`.
pub fn limit_for(path: &str) -> u64 {
    if path.ends_with("/token") || path.ends_with("/devicecode") {
        MAX_FORM_BYTES
    } else {
        MAX_API_BODY_BYTES
    }
}

/// Middleware: a request whose `Content-Length` is over its path's limit is drained and answered
/// 413; any other passes on untouched.
pub async fn refuse(request: Request, next: Next) -> Response {
    let limit = limit_for(request.uri().path());
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let Some(length) = announced.filter(|&length| length > limit) else {
        return next.run(request).await;
    };
    // Past the drain bounds the answer goes out anyway; the close then resets the connection,
    // as a real front end does with a client that keeps sending.
    let graph_ids = request.extensions().get::<GraphIds>().cloned();
    let _ = tokio::time::timeout(MAX_DRAIN_TIME, drain(request.into_body())).await;
    let message =
        format!("The request body of {length} bytes is larger than the limit of {limit} bytes.");
    let mut response = match graph_ids {
        Some(ids) => graph_wire::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            graph_wire::code_for_status(StatusCode::PAYLOAD_TOO_LARGE),
            &message,
            &ids,
        ),
        None => wire::partner_center_error(StatusCode::PAYLOAD_TOO_LARGE, &message),
    };
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Reads and drops `body` up to [`MAX_DRAIN_BYTES`]; `true` when it ended within that.
async fn drain(mut body: Body) -> bool {
    let mut read: u64 = 0;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(frame) = frame else { return false };
        if let Some(data) = frame.data_ref() {
            read += data.len() as u64;
            if read > MAX_DRAIN_BYTES {
                return false;
            }
        }
    }
    true
}
