//! The recording middleware: every non-admin request goes into the request log before anything
//! else can answer it (secrets redacted, form bodies never kept).

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State as Extract};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::plumbing::middleware::oversized;
use crate::plumbing::record::{RecordedRequest, is_admin_path};
use crate::plumbing::state::{State, lock};
use crate::plumbing::wire;

/// What an `Authorization` header value is recorded as.
const REDACTED_AUTHORIZATION: &str = "Bearer [REDACTED]";

/// Middleware: records every non-admin request before anything else can answer it, and with
/// `--log` prints one line per request to stderr.
pub async fn record(Extract(state): Extract<Arc<State>>, request: Request, next: Next) -> Response {
    if is_admin_path(request.uri().path()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let is_token_request = parts.method == Method::POST && parts.uri.path().ends_with("/token");
    // A form that announces more than the limit is left to `oversized`, which reads it out
    // before it answers 413.
    let announced_oversized = parts
        .headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|length| length > oversized::MAX_FORM_BYTES);
    let (body, grant_type) = if is_token_request && !announced_oversized {
        let Ok(bytes) = to_bytes(body, oversized::MAX_FORM_BYTES as usize).await else {
            return wire::partner_center_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request body is too large.",
            );
        };
        let grant_type = form_urlencoded::parse(&bytes)
            .find(|(key, _)| key == "grant_type")
            .map(|(_, value)| value.into_owned());
        (Body::from(bytes), grant_type)
    } else {
        (body, None)
    };
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = if name == axum::http::header::AUTHORIZATION {
                REDACTED_AUTHORIZATION.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    let entry = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        grant_type,
    };
    let line = state
        .config
        .log_requests
        .then(|| format!("{} {}", entry.method, entry.path));
    lock(&state.log).push(entry);
    let response = next.run(Request::from_parts(parts, body)).await;
    if let Some(line) = line {
        eprintln!("{line} -> {}", response.status().as_u16());
    }
    response
}
