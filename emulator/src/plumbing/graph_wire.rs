//! Microsoft Graph's wire shapes, shared by the Graph service and the middleware: the ids every
//! Graph answer carries (`request-id`, echoed `client-request-id`), the error body
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`, and
//! the Graph answers of throttling, faults and oversized bodies.

use std::convert::Infallible;
use std::time::SystemTime;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::plumbing::wire;

/// The id Graph gives every answer.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
/// The caller's id of a request, echoed (the `request-id` when the caller sent none).
pub const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
/// The path prefix Graph is served under.
pub const GRAPH_PREFIX: &str = "/v1.0";

/// Whether `path` is a Graph path (`/v1.0` or below).
pub fn is_graph_path(path: &str) -> bool {
    path == GRAPH_PREFIX || path.starts_with("/v1.0/")
}

/// The ids of one Graph request: made by the ids middleware before anything can answer, so
/// the headers and the error bodies agree.
#[derive(Clone, Debug)]
pub struct GraphIds {
    /// This answer's `request-id`: a new GUID.
    pub request_id: String,
    /// The caller's `client-request-id`, or the `request-id` when it sent none.
    pub client_request_id: String,
}

impl GraphIds {
    /// New ids for a request with `headers`.
    pub fn for_request(headers: &HeaderMap) -> Self {
        let request_id = Uuid::new_v4().to_string();
        let client_request_id = headers
            .get(&CLIENT_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| request_id.clone());
        Self {
            request_id,
            client_request_id,
        }
    }

    /// Sets `request-id` and `client-request-id` on `response` (when not already set).
    pub fn stamp(&self, response: &mut Response) {
        for (name, value) in [
            (REQUEST_ID, &self.request_id),
            (CLIENT_REQUEST_ID, &self.client_request_id),
        ] {
            if let Ok(value) = HeaderValue::from_str(value) {
                response.headers_mut().entry(name).or_insert(value);
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for GraphIds {
    type Rejection = Infallible;

    /// The ids the middleware made, or new ones when it did not run.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<GraphIds>()
            .cloned()
            .unwrap_or_else(|| GraphIds::for_request(&parts.headers)))
    }
}

/// A Graph error about to be answered: status, code and message (the ids come at answer time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphError {
    /// The HTTP status.
    pub status: StatusCode,
    /// `error.code`.
    pub code: &'static str,
    /// `error.message`.
    pub message: String,
}

impl GraphError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `BadRequest` (a body that is not JSON, a missing or bad field: `message` names it).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 404 `ResourceNotFound`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "ResourceNotFound", message)
    }

    /// The answer, with `ids` in the body and the headers.
    pub fn respond(&self, ids: &GraphIds) -> Response {
        error(self.status, self.code, &self.message, ids)
    }
}

/// The Graph error body.
pub fn error_value(code: &str, message: &str, ids: &GraphIds) -> Value {
    let date = wire::iso8601(SystemTime::now());
    // Graph's innerError date has no fraction and no zone: `2026-12-02T10:00:00`.
    let date = date.split('.').next().unwrap_or(&date).to_owned();
    json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": date,
                "request-id": ids.request_id,
                "client-request-id": ids.client_request_id,
            },
        },
    })
}

/// A Graph error answer, ids in the body and the headers.
pub fn error(status: StatusCode, code: &str, message: &str, ids: &GraphIds) -> Response {
    let mut response = wire::json(status, &error_value(code, message, ids));
    ids.stamp(&mut response);
    response
}

/// A Graph JSON answer with the ids in its headers.
pub fn answer(status: StatusCode, value: &Value, ids: &GraphIds) -> Response {
    let mut response = wire::json(status, value);
    ids.stamp(&mut response);
    response
}

/// Graph's 429: `TooManyRequests` with `Retry-After`.
pub fn throttled(retry_after_secs: u64, ids: &GraphIds) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequests",
        &format!("Too many requests. Retry after {retry_after_secs} seconds."),
        ids,
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// The Graph error code the emulator uses for a bare `status` (injected faults, oversized bodies).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "BadRequest",
        401 => "InvalidAuthenticationToken",
        403 => "Forbidden",
        404 => "ResourceNotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        412 => "PreconditionFailed",
        413 => "RequestEntityTooLarge",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "UnknownError",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_the_ids_and_a_zone_less_date() {
        let mut headers = HeaderMap::new();
        headers.insert(CLIENT_REQUEST_ID, HeaderValue::from_static("abc"));
        let ids = GraphIds::for_request(&headers);
        assert_eq!(ids.client_request_id, "abc");
        let body = error_value("BadRequest", "m", &ids);
        let inner = &body["error"]["innerError"];
        assert_eq!(inner["client-request-id"], "abc");
        assert_eq!(inner["request-id"], ids.request_id.as_str());
        let date = inner["date"].as_str().unwrap();
        assert_eq!(date.len(), 19, "{date}");
        assert!(!date.ends_with('Z'));
        let unnamed = GraphIds::for_request(&HeaderMap::new());
        assert_eq!(unnamed.client_request_id, unnamed.request_id);
    }

    #[test]
    fn graph_paths() {
        assert!(is_graph_path("/v1.0"));
        assert!(is_graph_path("/v1.0/tenantRelationships"));
        assert!(!is_graph_path("/v1/customers"));
        assert!(!is_graph_path("/v1.01"));
    }
}
