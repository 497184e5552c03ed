//! The fault-injection middleware: applies the first matching [`FaultRule`] to every non-admin
//! request (token endpoints included).

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::plumbing::bodies::{Broken, Generated, Paced};
use crate::plumbing::conn::ConnControl;
use crate::plumbing::faults::FaultRule;
use crate::plumbing::graph_wire::{self, GraphIds, is_graph_path};
use crate::plumbing::record::is_admin_path;
use crate::plumbing::state::{State, lock};
use crate::plumbing::wire;

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
    let graph_ids = is_graph_path(&path)
        .then(|| request.extensions().get::<GraphIds>().cloned())
        .flatten();
    let status = rule
        .status
        .or(rule.location.as_ref().map(|_| REDIRECT_STATUS));
    let mut response = if let Some(status) = status {
        match &graph_ids {
            Some(ids) if rule.body.is_none() => graph_status_response(&rule, status, ids),
            _ => status_response(&rule, status, is_api),
        }
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

/// A `status` fault on a Graph path without a body of its own: Graph's error shape.
fn graph_status_response(rule: &FaultRule, status: u16, ids: &GraphIds) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::TOO_MANY_REQUESTS {
        return graph_wire::throttled(rule.retry_after.unwrap_or(1), ids);
    }
    let message = format!(
        "Injected fault: {} {}.",
        status.as_u16(),
        status.canonical_reason().unwrap_or("error")
    );
    graph_wire::error(status, graph_wire::code_for_status(status), &message, ids)
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
