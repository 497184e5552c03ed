//! The retry policy: which outcomes of an attempt are tried again, after how long, and when the
//! call's deadline ends it.
//!
//! Pure: time comes in as arguments (`now` for deadlines, `wall` for an HTTP-date
//! `Retry-After`) and randomness from a [`fastrand::Rng`] the caller owns, so every rule below
//! is unit-tested with a fixed seed and made-up instants, no clock and no server.
//!
//! The rules:
//! - 408, 429, 500, 502, 503 and 504 are transient; every other status is final (501 and 505
//!   say the request can never work; 4xx say it must change);
//! - a request that is not idempotent is repeated only when the service cannot have acted on it:
//!   a 429 or 503 answer (refused before processing), or a failure before anything was sent;
//! - a `Retry-After` is honoured (plus up to 250 ms of jitter) up to `max_retry_after`; a longer
//!   one ends the call with the answer, so the caller can decide;
//! - otherwise exponential backoff, half fixed and half jitter: 0.25–0.5 s, 0.5–1 s, 1–2 s, …,
//!   4–8 s;
//! - at most `max_retries` repeats, and never a wait that ends past the call's deadline: then
//!   the last outcome stands.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderMap;
use serde_json::Value;

/// Longest exponential backoff between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// First exponential backoff; it doubles per attempt.
const BASE_BACKOFF: Duration = Duration::from_millis(500);
/// Most jitter added to a wait the service asked for, so that throttled clients do not return
/// in step.
const RETRY_AFTER_JITTER: Duration = Duration::from_millis(250);

/// Whether an operation may be repeated when the first try's fate is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads and token requests: safe to repeat.
    Idempotent,
    /// Updates: repeated only when the service cannot have acted on the first try.
    NotIdempotent,
}

/// The retry settings of one client (from its options).
#[derive(Clone, Debug)]
pub(crate) struct RetryPolicy {
    /// Repeats after the first attempt, at most.
    pub max_retries: u32,
    /// Most one attempt may take.
    pub attempt_timeout: Duration,
    /// Longest `Retry-After` waited out.
    pub max_retry_after: Duration,
}

/// What one attempt came to, as far as the policy cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The service answered with this status, asking (or not) for a wait.
    Answered {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No answer. `network`: a connection failure (TLS and other failures are never retried);
    /// `not_sent`: the request surely never left this process.
    Failed { network: bool, not_sent: bool },
    /// The attempt used its whole budget without an answer.
    TimedOut,
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// The outcome stands: return the answer, or the attempt's own error.
    Finish,
    /// The call's deadline has passed: end with the overall timeout.
    Expired,
    /// Wait, then try again. `new_request_id`: the service answered, so the next try is a new
    /// request; after no answer the service may have seen it, so it keeps its id.
    Retry {
        wait: Duration,
        new_request_id: bool,
    },
}

/// The retry state of one call.
#[derive(Debug)]
pub(crate) struct Retries {
    policy: RetryPolicy,
    idempotency: Idempotency,
    deadline: Instant,
    retries: u32,
    rng: fastrand::Rng,
}

impl Retries {
    /// The state of a call that must end by `deadline`, before its first attempt.
    pub fn new(
        policy: &RetryPolicy,
        idempotency: Idempotency,
        deadline: Instant,
        rng: fastrand::Rng,
    ) -> Retries {
        Retries {
            policy: policy.clone(),
            idempotency,
            deadline,
            retries: 0,
            rng,
        }
    }

    /// How long the next attempt may take when it starts at `now`: the per-attempt timeout or
    /// what is left of the call, whichever is less; `None` when nothing is left.
    pub fn budget(&self, now: Instant) -> Option<Duration> {
        let left = self.deadline.checked_duration_since(now)?;
        (!left.is_zero()).then(|| self.policy.attempt_timeout.min(left))
    }

    /// What to do after an attempt whose outcome was known at `now`.
    pub fn after(&mut self, outcome: Outcome, now: Instant) -> Next {
        let idempotent = self.idempotency == Idempotency::Idempotent;
        let wait = match outcome {
            Outcome::Answered {
                status,
                retry_after,
            } => match self.answer_wait(status, retry_after) {
                Some(wait) => wait,
                None => return Next::Finish,
            },
            Outcome::Failed { network, not_sent } => {
                if !network || !(idempotent || not_sent) {
                    return Next::Finish;
                }
                self.backoff()
            }
            Outcome::TimedOut => {
                if now >= self.deadline {
                    return Next::Expired;
                }
                if !idempotent {
                    return Next::Finish;
                }
                self.backoff()
            }
        };
        if self.retries >= self.policy.max_retries || now + wait >= self.deadline {
            return Next::Finish;
        }
        self.retries += 1;
        Next::Retry {
            wait,
            new_request_id: matches!(outcome, Outcome::Answered { .. }),
        }
    }

    /// The wait before repeating an answer with this status, or `None` when it is final.
    fn answer_wait(&mut self, status: u16, retry_after: Option<Duration>) -> Option<Duration> {
        let refused_unprocessed = matches!(status, 429 | 503);
        let transient = refused_unprocessed || matches!(status, 408 | 500 | 502 | 504);
        if !transient || (self.idempotency == Idempotency::NotIdempotent && !refused_unprocessed) {
            return None;
        }
        match retry_after {
            Some(asked) if asked > self.policy.max_retry_after => None,
            Some(asked) => Some(asked + jitter(&mut self.rng, RETRY_AFTER_JITTER)),
            None => Some(self.backoff()),
        }
    }

    /// The exponential backoff for the next repeat.
    fn backoff(&mut self) -> Duration {
        let full = BASE_BACKOFF
            .saturating_mul(1u32.checked_shl(self.retries.min(16)).unwrap_or(u32::MAX))
            .min(MAX_BACKOFF);
        full / 2 + jitter(&mut self.rng, full / 2)
    }
}

/// Up to `max`, uniformly.
fn jitter(rng: &mut fastrand::Rng, max: Duration) -> Duration {
    max.mul_f64(rng.f64())
}

/// The wait an answer asks for, read at wall-clock time `wall`: its `Retry-After` header
/// (seconds, or an HTTP date; a date in the past is no wait), or a 429 body's "Try again in N
/// seconds" (Partner Center's throttling message).
pub(crate) fn asked_wait(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    wall: SystemTime,
) -> Option<Duration> {
    if let Some(value) = headers.get("retry-after").and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(when) = httpdate::parse_http_date(value) {
            return Some(when.duration_since(wall).unwrap_or_default());
        }
    }
    if status != 429 {
        return None;
    }
    let body: Value = serde_json::from_slice(body).ok()?;
    let message = body.get("message")?.as_str()?;
    let after = message.split("Try again in ").nth(1)?;
    let secs: u64 = after.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const SEC: Duration = Duration::from_secs(1);

    fn policy(max_retries: u32) -> RetryPolicy {
        RetryPolicy {
            max_retries,
            attempt_timeout: 30 * SEC,
            max_retry_after: 60 * SEC,
        }
    }

    /// A call started at `t0` with `left` to run; `t0` is only an origin, never compared with
    /// the clock.
    fn call(idempotency: Idempotency, max_retries: u32, left: Duration) -> (Retries, Instant) {
        let t0 = Instant::now();
        let retries = Retries::new(
            &policy(max_retries),
            idempotency,
            t0 + left,
            fastrand::Rng::with_seed(7),
        );
        (retries, t0)
    }

    fn answered(status: u16) -> Outcome {
        Outcome::Answered {
            status,
            retry_after: None,
        }
    }

    fn wait_of(next: Next) -> Duration {
        match next {
            Next::Retry { wait, .. } => wait,
            other => panic!("expected a retry, got {other:?}"),
        }
    }

    #[test]
    fn transient_answers_are_retried_with_a_new_request_id() {
        for status in [408, 429, 500, 502, 503, 504] {
            let (mut retries, t0) = call(Idempotency::Idempotent, 3, 100 * SEC);
            let next = retries.after(answered(status), t0);
            assert!(
                matches!(
                    next,
                    Next::Retry {
                        new_request_id: true,
                        ..
                    }
                ),
                "{status}: {next:?}"
            );
        }
    }

    #[test]
    fn final_answers_are_not_retried() {
        for status in [200, 201, 204, 400, 401, 403, 404, 409, 412, 413, 501, 505] {
            let (mut retries, t0) = call(Idempotency::Idempotent, 3, 100 * SEC);
            assert_eq!(
                retries.after(answered(status), t0),
                Next::Finish,
                "{status}"
            );
        }
    }

    #[test]
    fn an_update_is_repeated_only_when_the_service_refused_it_unprocessed() {
        for (status, repeated) in [(429, true), (503, true), (500, false), (502, false)] {
            let (mut retries, t0) = call(Idempotency::NotIdempotent, 3, 100 * SEC);
            let next = retries.after(answered(status), t0);
            assert_eq!(next != Next::Finish, repeated, "{status}: {next:?}");
        }
        let sent = Outcome::Failed {
            network: true,
            not_sent: false,
        };
        let refused = Outcome::Failed {
            network: true,
            not_sent: true,
        };
        let (mut retries, t0) = call(Idempotency::NotIdempotent, 3, 100 * SEC);
        assert_eq!(retries.after(sent, t0), Next::Finish);
        assert_eq!(retries.after(Outcome::TimedOut, t0), Next::Finish);
        assert!(matches!(
            retries.after(refused, t0),
            Next::Retry {
                new_request_id: false,
                ..
            }
        ));
    }

    #[test]
    fn failures_keep_the_request_id_and_only_network_ones_are_retried() {
        let (mut retries, t0) = call(Idempotency::Idempotent, 3, 100 * SEC);
        let network = Outcome::Failed {
            network: true,
            not_sent: false,
        };
        assert!(matches!(
            retries.after(network, t0),
            Next::Retry {
                new_request_id: false,
                ..
            }
        ));
        assert!(matches!(
            retries.after(Outcome::TimedOut, t0),
            Next::Retry {
                new_request_id: false,
                ..
            }
        ));
        let tls = Outcome::Failed {
            network: false,
            not_sent: true,
        };
        assert_eq!(retries.after(tls, t0), Next::Finish);
    }

    #[test]
    fn backoff_doubles_within_its_jitter_band_up_to_eight_seconds() {
        let (mut retries, t0) = call(Idempotency::Idempotent, 10, 1000 * SEC);
        let bands = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0];
        for (repeat, full) in bands.into_iter().enumerate() {
            let wait = wait_of(retries.after(answered(500), t0)).as_secs_f64();
            assert!(
                (full / 2.0..=full).contains(&wait),
                "repeat {repeat}: {wait} s outside {}–{full} s",
                full / 2.0
            );
        }
        assert_eq!(
            retries.after(answered(500), t0),
            Next::Finish,
            "retries used up"
        );
    }

    #[test]
    fn jitter_spreads_waits() {
        let waits: Vec<Duration> = (0..8)
            .map(|seed| {
                let mut retries = Retries::new(
                    &policy(3),
                    Idempotency::Idempotent,
                    Instant::now() + 100 * SEC,
                    fastrand::Rng::with_seed(seed),
                );
                wait_of(retries.after(answered(503), Instant::now()))
            })
            .collect();
        let mut distinct = waits.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 4, "{waits:?}");
    }

    #[test]
    fn retry_after_is_honoured_with_jitter_up_to_the_cap() {
        let (mut retries, t0) = call(Idempotency::Idempotent, 3, 100 * SEC);
        let asked = |secs| Outcome::Answered {
            status: 429,
            retry_after: Some(secs * SEC),
        };
        let wait = wait_of(retries.after(asked(2), t0));
        assert!(
            (2 * SEC..=2 * SEC + RETRY_AFTER_JITTER).contains(&wait),
            "{wait:?}"
        );
        assert_eq!(
            retries.after(asked(61), t0),
            Next::Finish,
            "past max_retry_after"
        );
        let wait = wait_of(retries.after(asked(60), t0));
        assert!(wait >= 60 * SEC, "{wait:?}");
    }

    #[test]
    fn a_wait_that_would_end_past_the_deadline_is_not_started() {
        let (mut retries, t0) = call(Idempotency::Idempotent, 3, 10 * SEC);
        let asked = Outcome::Answered {
            status: 503,
            retry_after: Some(5 * SEC),
        };
        assert!(matches!(retries.after(asked, t0), Next::Retry { .. }));
        assert!(matches!(
            retries.after(asked, t0 + 4 * SEC),
            Next::Retry { .. }
        ));
        assert_eq!(retries.after(asked, t0 + 5 * SEC), Next::Finish);
        // Backoff after attempt 2 is at least 1 s: 9.5 s into a 10 s call it does not fit.
        assert_eq!(
            retries.after(answered(500), t0 + Duration::from_millis(9500)),
            Next::Finish
        );
    }

    #[test]
    fn the_budget_is_the_attempt_timeout_or_what_is_left() {
        let (retries, t0) = call(Idempotency::Idempotent, 3, 100 * SEC);
        assert_eq!(retries.budget(t0), Some(30 * SEC));
        assert_eq!(retries.budget(t0 + 80 * SEC), Some(20 * SEC));
        assert_eq!(retries.budget(t0 + 100 * SEC), None);
        assert_eq!(retries.budget(t0 + 101 * SEC), None);
    }

    #[test]
    fn an_attempt_timeout_at_the_deadline_expires_the_call() {
        let (mut retries, t0) = call(Idempotency::Idempotent, 3, 10 * SEC);
        assert_eq!(
            retries.after(Outcome::TimedOut, t0 + 10 * SEC),
            Next::Expired
        );
        let (mut update, t0) = call(Idempotency::NotIdempotent, 3, 10 * SEC);
        assert_eq!(
            update.after(Outcome::TimedOut, t0 + 11 * SEC),
            Next::Expired
        );
    }

    #[test]
    fn no_retries_means_one_attempt() {
        let (mut retries, t0) = call(Idempotency::Idempotent, 0, 100 * SEC);
        assert_eq!(retries.after(answered(503), t0), Next::Finish);
        assert_eq!(retries.after(Outcome::TimedOut, t0), Next::Finish);
    }

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn asked_wait_reads_seconds_dates_and_the_throttling_message() {
        let wall = httpdate::parse_http_date("Wed, 02 Dec 2026 12:00:00 GMT").unwrap();
        let none = HeaderMap::new();
        assert_eq!(asked_wait(503, &headers(" 7 "), b"", wall), Some(7 * SEC));
        assert_eq!(
            asked_wait(503, &headers("Wed, 02 Dec 2026 12:00:30 GMT"), b"", wall),
            Some(30 * SEC)
        );
        assert_eq!(
            asked_wait(503, &headers("Wed, 02 Dec 2026 11:00:00 GMT"), b"", wall),
            Some(Duration::ZERO),
            "a date in the past is no wait"
        );
        let throttled =
            br#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 12 seconds."}"#;
        assert_eq!(asked_wait(429, &none, throttled, wall), Some(12 * SEC));
        assert_eq!(
            asked_wait(503, &none, throttled, wall),
            None,
            "only a 429 body"
        );
        assert_eq!(asked_wait(429, &headers("soon"), b"not json", wall), None);
        assert_eq!(
            asked_wait(429, &headers("3"), throttled, wall),
            Some(3 * SEC),
            "the header wins"
        );
    }
}
