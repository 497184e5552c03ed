//! The customer rate-limit middleware: counts requests to the customer resource (`/v1/customers`
//! and below, except the relationship request) against the partner tenant's sliding window and
//! answers the service's 429 throttling body with `Retry-After` once it is spent.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{OriginalUri, Request, State as Extract};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::plumbing::credentials;
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
