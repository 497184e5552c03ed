//! The per-tenant rate limit on the customer resource (`/v1/customers` and below, except the
//! relationship request): a sliding window (a log of the admitted requests of the last window),
//! answered with the service's 429 throttling body and `Retry-After`.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{OriginalUri, Request, State as Extract};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::credentials;
use crate::state::{State, lock};
use crate::wire;

/// Sliding-window counters, one per tenant.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    buckets: HashMap<String, VecDeque<Instant>>,
}

impl RateLimiter {
    /// At most `limit` requests per tenant in any `window`; a `limit` of 0 turns it off.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            buckets: HashMap::new(),
        }
    }

    /// Admits a request of `tenant` at `now`, or says how many whole seconds (at least 1) until
    /// one would be admitted. A refused request uses no budget.
    pub fn admit(&mut self, tenant: &str, now: Instant) -> Result<(), u64> {
        if self.limit == 0 {
            return Ok(());
        }
        let window = self.window;
        let bucket = self.buckets.entry(tenant.to_owned()).or_default();
        while bucket
            .front()
            .is_some_and(|&admitted| now.duration_since(admitted) >= window)
        {
            bucket.pop_front();
        }
        if bucket.len() < self.limit as usize {
            bucket.push_back(now);
            return Ok(());
        }
        let oldest = bucket.front().copied().unwrap_or(now);
        let wait = (oldest + window).saturating_duration_since(now);
        Err(whole_seconds(wait).max(1))
    }

    /// Forgets every request counted so far.
    pub fn clear(&mut self) {
        self.buckets.clear();
    }
}

/// `duration` rounded up to whole seconds.
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

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
    fn the_window_slides_and_refusals_cost_nothing() {
        let mut limiter = RateLimiter::new(2, Duration::from_secs(10));
        let start = Instant::now();
        assert_eq!(limiter.admit("t", start), Ok(()));
        assert_eq!(limiter.admit("t", start + Duration::from_secs(4)), Ok(()));
        assert_eq!(
            limiter.admit("t", start + Duration::from_millis(5500)),
            Err(5)
        );
        assert_eq!(limiter.admit("other", start), Ok(()), "per tenant");
        for _ in 0..100 {
            assert!(limiter.admit("t", start + Duration::from_secs(9)).is_err());
        }
        assert_eq!(limiter.admit("t", start + Duration::from_secs(10)), Ok(()));
        assert_eq!(
            limiter.admit("t", start + Duration::from_secs(10)),
            Err(4),
            "the second request of the window leaves at 14 s"
        );
        assert_eq!(
            limiter.admit("t", start + Duration::from_millis(13_999)),
            Err(1)
        );
    }

    #[test]
    fn zero_means_unlimited() {
        let mut limiter = RateLimiter::new(0, Duration::from_secs(1));
        for _ in 0..10_000 {
            assert!(limiter.admit("t", Instant::now()).is_ok());
        }
    }

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
