//! The request and correlation ids of Partner Center: every `/v1` answer echoes the caller's
//! `MS-RequestId` and `MS-CorrelationId`, or carries new GUIDs when it sent none.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

/// The request id header (a GUID per logical request).
pub const MS_REQUEST_ID: HeaderName = HeaderName::from_static("ms-requestid");
/// The correlation id header (a GUID per session).
pub const MS_CORRELATION_ID: HeaderName = HeaderName::from_static("ms-correlationid");

/// Middleware: every `/v1` answer carries `MS-RequestId` and `MS-CorrelationId` (the caller's,
/// or new ones when it sent none).
pub async fn echo_ids(request: Request, next: Next) -> Response {
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
