//! The log of received requests: bounded, secrets redacted, form bodies never kept.

use std::collections::VecDeque;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State as Extract};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::oversized;
use crate::state::{State, lock};
use crate::wire;

/// How many requests the log keeps (the oldest are dropped first).
pub const LOG_CAPACITY: usize = 10_000;
/// What an `Authorization` header value is recorded as.
const REDACTED_AUTHORIZATION: &str = "Bearer [REDACTED]";

/// One request the emulator received (admin paths are not recorded).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Headers in arrival order; the `Authorization` value is replaced by `Bearer [REDACTED]`.
    pub headers: Vec<(String, String)>,
    /// For token requests, the `grant_type` only (form bodies hold secrets and are never kept).
    pub grant_type: Option<String>,
}

/// A ring buffer of the last [`LOG_CAPACITY`] requests.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<RecordedRequest>,
}

impl RequestLog {
    /// Appends `request`, dropping the oldest entry when full.
    pub fn push(&mut self, request: RecordedRequest) {
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(request);
    }

    /// A copy of the entries, oldest first.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Whether `path` is one of the reserved admin paths.
pub fn is_admin_path(path: &str) -> bool {
    path == "/_emulator" || path.starts_with("/_emulator/")
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: path.into(),
            query: None,
            headers: Vec::new(),
            grant_type: None,
        }
    }

    #[test]
    fn the_log_is_bounded() {
        let mut log = RequestLog::default();
        for i in 0..LOG_CAPACITY + 5 {
            log.push(entry(&format!("/{i}")));
        }
        let snapshot = log.snapshot();
        assert_eq!(snapshot.len(), LOG_CAPACITY);
        assert_eq!(snapshot[0].path, "/5");
    }

    #[test]
    fn admin_paths_are_recognised() {
        assert!(is_admin_path("/_emulator/faults"));
        assert!(!is_admin_path("/_emulatorx"));
        assert!(!is_admin_path("/v1/customers"));
    }
}
