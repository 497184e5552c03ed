//! The per-tenant rate limit on the customer resource (`/v1/customers` and below, except the
//! relationship request): a sliding window (a log of the admitted requests of the last window),
//! counted by the rate-limit middleware (`middleware/ratelimit.rs`).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

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
}
