//! The request and correlation ids: every Partner Center `/v1` answer echoes the caller's
//! `MS-RequestId` and `MS-CorrelationId`, or carries new GUIDs when it sent none; every Graph
//! `/v1.0` answer carries a new `request-id` and echoes `client-request-id` (the ids are made
//! before anything can answer and passed on, so error bodies name the same ones).

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

use crate::plumbing::graph_wire::{GraphIds, is_graph_path};

/// The request id header (a GUID per logical request).
pub const MS_REQUEST_ID: HeaderName = HeaderName::from_static("ms-requestid");
/// The correlation id header (a GUID per session).
pub const MS_CORRELATION_ID: HeaderName = HeaderName::from_static("ms-correlationid");

/// Middleware: every `/v1` answer carries `MS-RequestId` and `MS-CorrelationId` (the caller's,
/// or new ones when it sent none); every `/v1.0` answer `request-id` and `client-request-id`.
pub async fn echo_ids(mut request: Request, next: Next) -> Response {
    if is_graph_path(request.uri().path()) {
        let ids = GraphIds::for_request(request.headers());
        request.extensions_mut().insert(ids.clone());
        let mut response = next.run(request).await;
        ids.stamp(&mut response);
        return response;
    }
    if !request.uri().path().starts_with("/v1/") {
        return next.run(request).await;
    }
    let ids = [MS_REQUEST_ID, MS_CORRELATION_ID].map(|name| {
        let value = request
            .headers()
            .get(&name)
            .cloned()
            .unwrap_or_else(new_guid_header);
        (name, value)
    });
    let mut response = next.run(request).await;
    for (name, value) in ids {
        response.headers_mut().entry(name).or_insert(value);
    }
    response
}

fn new_guid_header() -> HeaderValue {
    HeaderValue::from_str(&Uuid::new_v4().to_string()).expect("a GUID is a valid header value")
}
