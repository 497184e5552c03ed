//! Fault injection: rules that match method and path, and the middleware that applies them to
//! every non-admin request (token endpoints included).

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::bodies::{Broken, Generated, Paced};
use crate::record::is_admin_path;
use crate::server::ConnControl;
use crate::state::{State, lock};
use crate::wire;

/// One fault-injection rule. Only `path` is required; the other fields combine.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultRule {
    /// HTTP method to match (any when `None`), case-insensitive.
    pub method: Option<String>,
    /// Path to match exactly, or a prefix when it ends with `*` (`"*"` matches everything).
    pub path: String,
    /// Answer with this status instead of the normal answer.
    pub status: Option<u16>,
    /// Body of a `status` answer (default: the throttling body for 429, else a Partner Center error).
    pub body: Option<String>,
    /// Seconds sent as `Retry-After`.
    pub retry_after: Option<u64>,
    /// Latency before answering (normally, or with `status`).
    pub delay_ms: Option<u64>,
    /// Accept the request, send nothing for this long, then drop the connection.
    pub stall_ms: Option<u64>,
    /// Reset the TCP connection (RST) before any header.
    pub reset: bool,
    /// Send the headers and part of the body, then reset the connection.
    pub reset_after_headers: bool,
    /// Answer 200 with truncated JSON.
    pub malformed: bool,
    /// Answer 200 with a streamed JSON body of this many bytes.
    pub oversized_bytes: Option<u64>,
    /// Send the body one byte per this many milliseconds.
    pub trickle_ms: Option<u64>,
    /// Keep status and headers but send no body.
    pub empty_body: bool,
    /// Replace the `Content-Type` of the answer.
    pub content_type: Option<String>,
    /// Send this `Location` header (a redirect): with `status`, or 307 when no status is given.
    pub location: Option<String>,
    /// How many matching requests the rule applies to: `None` = 1, `Some(0)` = unlimited.
    pub count: Option<u64>,
    /// Chance (0.0–1.0) that a matching request is affected; `None` = always.
    pub probability: Option<f64>,
    /// Seed of the rule's random generator, for repeatable `probability`.
    pub seed: Option<u64>,
}

impl FaultRule {
    /// Why the rule cannot be applied, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if self.path.is_empty() {
            return Some("'path' is required (use \"*\" to match every path)".into());
        }
        if let Some(status) = self.status
            && !(100..=599).contains(&status)
        {
            return Some(format!("'status' {status} is not an HTTP status (100-599)"));
        }
        if let Some(p) = self.probability
            && !(0.0..=1.0).contains(&p)
        {
            return Some(format!("'probability' {p} is not between 0 and 1"));
        }
        if let Some(location) = &self.location
            && HeaderValue::from_str(location).is_err()
        {
            return Some("'location' is not a valid header value".into());
        }
        None
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_matches = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method));
        let path_matches = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.path,
        };
        method_matches && path_matches
    }
}

#[derive(Debug)]
struct ActiveFault {
    rule: FaultRule,
    /// Applications left; `None` = unlimited.
    remaining: Option<u64>,
    rng: fastrand::Rng,
}

/// The active rules, in the order they were added (the first that fires wins).
#[derive(Debug, Default)]
pub struct FaultStore {
    active: Vec<ActiveFault>,
}

impl FaultStore {
    /// Adds `rule` after the existing ones.
    pub fn add(&mut self, rule: FaultRule) {
        let remaining = match rule.count {
            None => Some(1),
            Some(0) => None,
            Some(n) => Some(n),
        };
        let rng = rule
            .seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        self.active.push(ActiveFault {
            rule,
            remaining,
            rng,
        });
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.active.clear();
    }

    /// The active rules, each with `count` set to the applications it has left (0 = unlimited).
    pub fn list(&self) -> Vec<FaultRule> {
        self.active
            .iter()
            .map(|fault| FaultRule {
                count: Some(fault.remaining.unwrap_or(0)),
                ..fault.rule.clone()
            })
            .collect()
    }

    /// The rule that applies to this request, consuming one of its applications.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultRule> {
        let index = self.active.iter_mut().position(|fault| {
            fault.rule.matches(method, path)
                && fault.rule.probability.is_none_or(|p| fault.rng.f64() < p)
        })?;
        let fault = &mut self.active[index];
        let rule = fault.rule.clone();
        if let Some(remaining) = fault.remaining.as_mut() {
            *remaining -= 1;
            if *remaining == 0 {
                self.active.remove(index);
            }
        }
        Some(rule)
    }
}

/// How long a request whose connection is being dropped waits before giving up (the connection
/// task normally drops it long before).
const ABANDON_AFTER: Duration = Duration::from_secs(30);

/// The status of a `location` rule without one: 307 Temporary Redirect (method and body kept).
const REDIRECT_STATUS: u16 = 307;

/// Middleware: applies the first matching fault rule to a non-admin request.
pub async fn apply(Extract(state): Extract<Arc<State>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if is_admin_path(&path) {
        return next.run(request).await;
    }
    let Some(rule) = lock(&state.faults).take(request.method().as_str(), &path) else {
        return next.run(request).await;
    };
    let control = request.extensions().get::<ConnControl>().cloned();
    if let Some(ms) = rule.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if let Some(ms) = rule.stall_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        return drop_connection(control, false).await;
    }
    if rule.reset {
        return drop_connection(control, true).await;
    }
    let is_api = path.starts_with("/v1/");
    let status = rule
        .status
        .or(rule.location.as_ref().map(|_| REDIRECT_STATUS));
    let mut response = if let Some(status) = status {
        status_response(&rule, status, is_api)
    } else if rule.malformed {
        malformed_response(is_api)
    } else if let Some(len) = rule.oversized_bytes {
        json_body_response(Body::new(Generated::new(len)))
    } else {
        next.run(request).await
    };
    if let Some(seconds) = rule.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(location) = rule.location.as_deref()
        && let Ok(value) = HeaderValue::from_str(location)
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    if let Some(content_type) = rule.content_type.as_deref()
        && let Ok(value) = HeaderValue::from_str(content_type)
    {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    if rule.empty_body {
        response.headers_mut().remove(header::CONTENT_LENGTH);
        *response.body_mut() = Body::empty();
    } else if rule.reset_after_headers {
        let data = collect(&mut response).await;
        *response.body_mut() = Body::new(Broken::new(data, control));
    } else if let Some(ms) = rule.trickle_ms {
        let data = collect(&mut response).await;
        *response.body_mut() = Body::new(Paced::new(data, Duration::from_millis(ms)));
    }
    response
}

/// Asks the connection task to drop the connection (with an RST when `reset`), then waits to
/// be dropped with it.
async fn drop_connection(control: Option<ConnControl>, reset: bool) -> Response {
    if let Some(control) = control {
        control.abort(reset);
        tokio::time::sleep(ABANDON_AFTER).await;
    }
    StatusCode::BAD_GATEWAY.into_response()
}

fn status_response(rule: &FaultRule, status: u16, is_api: bool) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body: Vec<u8> = match (&rule.body, status) {
        (Some(body), _) => body.clone().into_bytes(),
        (None, StatusCode::TOO_MANY_REQUESTS) => {
            wire::throttling_value(rule.retry_after.unwrap_or(1))
                .to_string()
                .into_bytes()
        }
        (None, _) => {
            let description = format!(
                "Injected fault: {} {}.",
                status.as_u16(),
                status.canonical_reason().unwrap_or("error")
            );
            wire::partner_center_error_value(status, &description)
                .to_string()
                .into_bytes()
        }
    };
    let body = if is_api && rule.body.is_none() {
        wire::with_bom(&body)
    } else {
        body
    };
    let mut response = (status, Body::from(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(wire::JSON_UTF8),
    );
    response
}

fn malformed_response(is_api: bool) -> Response {
    let truncated = br#"{"totalCount":1,"items":[{"id":"e1e1e1e1-2222-4222-8222-0000"#;
    let body = if is_api {
        wire::with_bom(truncated)
    } else {
        truncated.to_vec()
    };
    json_body_response(Body::from(body))
}

fn json_body_response(body: Body) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(wire::JSON_UTF8),
    );
    response
}

/// Reads a (small, emulator-made) body into memory.
async fn collect(response: &mut Response) -> Bytes {
    let body = std::mem::take(response.body_mut());
    to_bytes(body, usize::MAX).await.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &str) -> FaultRule {
        FaultRule {
            path: path.into(),
            status: Some(503),
            ..FaultRule::default()
        }
    }

    #[test]
    fn rules_match_exact_paths_prefixes_and_methods() {
        let mut store = FaultStore::default();
        store.add(FaultRule {
            method: Some("post".into()),
            ..rule("/v1/*")
        });
        assert!(store.take("GET", "/v1/customers").is_none());
        assert!(store.take("POST", "/v2/x").is_none());
        assert!(store.take("POST", "/v1/customers").is_some());
        assert!(
            store.take("POST", "/v1/customers").is_none(),
            "count defaults to 1"
        );
    }

    #[test]
    fn counts_are_consumed_and_zero_is_unlimited() {
        let mut store = FaultStore::default();
        store.add(FaultRule {
            count: Some(2),
            ..rule("/a")
        });
        store.add(FaultRule {
            count: Some(0),
            ..rule("/b")
        });
        assert!(store.take("GET", "/a").is_some());
        assert!(store.take("GET", "/a").is_some());
        assert!(store.take("GET", "/a").is_none());
        for _ in 0..100 {
            assert!(store.take("GET", "/b").is_some());
        }
    }

    #[test]
    fn seeded_probability_is_repeatable() {
        let fired = |seed| {
            let mut store = FaultStore::default();
            store.add(FaultRule {
                count: Some(0),
                probability: Some(0.5),
                seed: Some(seed),
                ..rule("*")
            });
            (0..64)
                .map(|_| store.take("GET", "/x").is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(fired(7), fired(7));
        let hits = fired(7).into_iter().filter(|hit| *hit).count();
        assert!((10..=54).contains(&hits), "{hits}");
    }

    #[test]
    fn invalid_rules_are_explained() {
        assert!(FaultRule::default().problem().is_some());
        assert!(
            FaultRule {
                status: Some(42),
                ..rule("/x")
            }
            .problem()
            .is_some()
        );
        assert!(rule("/x").problem().is_none());
        let redirect = |location: &str| FaultRule {
            location: Some(location.into()),
            ..rule("/x")
        };
        assert!(redirect("https://127.0.0.1:1/v1").problem().is_none());
        assert!(redirect("bad\nvalue").problem().is_some());
    }
}
