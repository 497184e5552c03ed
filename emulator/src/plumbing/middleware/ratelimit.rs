//! The rate-limit middleware: counts requests to the customer resource (`/v1/customers` and
//! below, except the relationship request) against the partner tenant's sliding window and
//! answers the service's 429 throttling body with `Retry-After` once it is spent; counts Graph
//! requests the same way (a window of their own, Graph being another service) and answers
//! Graph's 429.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{OriginalUri, Request, State as Extract};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::plumbing::credentials;
use crate::plumbing::graph_wire::{self, GraphIds};
use crate::plumbing::state::{State, lock};
use crate::plumbing::wire;

/// Whether `path` (with its `/v1` prefix) is on the rate-limited customer resource.
pub fn is_limited_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/v1/customers") else {
        return false;
    };
    let rest = rest.trim_end_matches('/');
    rest.is_empty()
        || (rest.starts_with('/')
            && !rest.eq_ignore_ascii_case("/relationshiprequests")
            && !rest
                .to_ascii_lowercase()
                .starts_with("/relationshiprequests/"))
}

/// Middleware (after authentication): counts customer-resource requests against the partner
/// tenant's budget and answers 429 once it is spent.
pub async fn apply(Extract(state): Extract<Arc<State>>, request: Request, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |original| original.path());
    if !is_limited_path(path) {
        return next.run(request).await;
    }
    // The emulator serves one partner tenant; every valid token belongs to it.
    let admitted = lock(&state.rate_limit).admit(credentials::TENANT_ID, Instant::now());
    match admitted {
        Ok(()) => next.run(request).await,
        Err(seconds) => {
            let mut response = wire::json_bom(
                StatusCode::TOO_MANY_REQUESTS,
                &wire::throttling_value(seconds),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
    }
}

/// The rate-limiter key of the partner tenant on Graph (apart from its Partner Center budget).
fn graph_key() -> String {
    format!("{}/graph", credentials::TENANT_ID)
}

/// Middleware (after authentication, on the Graph router): counts every Graph request against
/// the partner tenant's Graph budget and answers Graph's 429 with `Retry-After` once it is spent.
pub async fn apply_graph(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    request: Request,
    next: Next,
) -> Response {
    let admitted = lock(&state.rate_limit).admit(&graph_key(), Instant::now());
    match admitted {
        Ok(()) => next.run(request).await,
        Err(seconds) => graph_wire::throttled(seconds, &ids),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_customer_resource_is_limited() {
        for limited in [
            "/v1/customers",
            "/v1/customers/",
            "/v1/customers/abc",
            "/v1/customers/abc/profiles/billing",
        ] {
            assert!(is_limited_path(limited), "{limited}");
        }
        for free in [
            "/v1/customers/relationshiprequests",
            "/v1/customersx",
            "/v1/invoices",
            "/emulator.onmicrosoft.com/oauth2/v2.0/token",
        ] {
            assert!(!is_limited_path(free), "{free}");
        }
    }
}
