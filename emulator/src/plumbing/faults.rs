//! Fault rules: what they match and do, and the store of active ones (applied by the
//! fault-injection middleware, `middleware/faults.rs`).

use axum::http::HeaderValue;
use serde::{Deserialize, Serialize};

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
