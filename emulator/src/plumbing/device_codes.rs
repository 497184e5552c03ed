//! Device-code sign-ins in flight: issuing codes, the user's decision, and how a poll of the token
//! endpoint stands (the endpoints themselves are the Entra service's).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Characters of a user code: upper-case letters and digits.
const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Length of a user code.
const USER_CODE_LEN: usize = 9;
/// A poll this much earlier than `interval` is still accepted (clock and scheduling slack).
const POLL_TOLERANCE: Duration = Duration::from_millis(100);
/// Finished or expired codes are pruned once the map grows past this.
const PRUNE_THRESHOLD: usize = 1024;

/// Where a device-code sign-in stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Pending,
    Approved,
    Declined,
    Redeemed,
}

#[derive(Debug)]
struct DeviceCode {
    user_code: String,
    client_id: String,
    scope: String,
    created: Instant,
    expires_at: Instant,
    status: Status,
    last_poll: Option<Instant>,
}

/// A newly issued device code.
#[derive(Debug)]
pub struct Issued {
    /// The secret the application polls with.
    pub device_code: String,
    /// The short code the user types on the verification page.
    pub user_code: String,
}

/// The answer to one poll of the token endpoint with a device code.
#[derive(Debug, PartialEq, Eq)]
pub enum Poll {
    /// The user has not answered yet.
    Pending,
    /// Polled sooner than `interval` after the previous poll.
    SlowDown,
    /// The user declined.
    Declined,
    /// Past the code's lifetime.
    Expired,
    /// Unknown, issued to another client, or already redeemed.
    Invalid,
    /// Approved: issue tokens for `scope` (this was the one redemption).
    Approved {
        /// The scope the code was requested for.
        scope: String,
    },
}

/// Every device code issued since start or the last reset.
#[derive(Debug, Default)]
pub struct DeviceStore {
    codes: HashMap<String, DeviceCode>,
}

impl DeviceStore {
    /// Issues a device code for `client_id` and `scope`, valid for `lifetime`.
    pub fn issue(&mut self, client_id: &str, scope: &str, lifetime: Duration) -> Issued {
        let now = Instant::now();
        if self.codes.len() >= PRUNE_THRESHOLD {
            self.codes
                .retain(|_, c| c.status == Status::Pending && c.expires_at > now);
        }
        let device_code = format!(
            "emu-dc.{}{}",
            Uuid::new_v4().simple(),
            Uuid::new_v4().simple()
        );
        let user_code: String = (0..USER_CODE_LEN)
            .map(|_| char::from(USER_CODE_ALPHABET[fastrand::usize(..USER_CODE_ALPHABET.len())]))
            .collect();
        self.codes.insert(
            device_code.clone(),
            DeviceCode {
                user_code: user_code.clone(),
                client_id: client_id.to_owned(),
                scope: scope.to_owned(),
                created: now,
                expires_at: now + lifetime,
                status: Status::Pending,
                last_poll: None,
            },
        );
        Issued {
            device_code,
            user_code,
        }
    }

    /// Approves (or declines) the pending code with `user_code`, or the newest pending one when
    /// `None`. False when there is no such pending, unexpired code.
    pub fn decide(&mut self, user_code: Option<&str>, approve: bool) -> bool {
        let now = Instant::now();
        let wanted = user_code.map(normalize_user_code);
        let target = self
            .codes
            .values_mut()
            .filter(|c| c.status == Status::Pending && c.expires_at > now)
            .filter(|c| wanted.as_deref().is_none_or(|w| c.user_code == w))
            .max_by_key(|c| c.created);
        match target {
            Some(code) => {
                code.status = if approve {
                    Status::Approved
                } else {
                    Status::Declined
                };
                true
            }
            None => false,
        }
    }

    /// Answers one poll by `client_id` with `device_code`, given the required `interval`.
    pub fn poll(&mut self, device_code: &str, client_id: &str, interval: Duration) -> Poll {
        let now = Instant::now();
        let Some(code) = self.codes.get_mut(device_code) else {
            return Poll::Invalid;
        };
        if code.client_id != client_id || code.status == Status::Redeemed {
            return Poll::Invalid;
        }
        if now >= code.expires_at {
            return Poll::Expired;
        }
        let previous = code.last_poll.replace(now);
        match code.status {
            Status::Pending => {
                let too_soon =
                    previous.is_some_and(|p| now.duration_since(p) + POLL_TOLERANCE < interval);
                if too_soon {
                    Poll::SlowDown
                } else {
                    Poll::Pending
                }
            }
            Status::Declined => Poll::Declined,
            Status::Approved => {
                code.status = Status::Redeemed;
                Poll::Approved {
                    scope: code.scope.clone(),
                }
            }
            Status::Redeemed => Poll::Invalid,
        }
    }
}

/// User codes compare without case, dashes or spaces.
fn normalize_user_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn user_codes_are_nine_upper_case_alphanumerics() {
        let mut store = DeviceStore::default();
        let issued = store.issue("client", "scope", SECOND * 60);
        assert_eq!(issued.user_code.len(), 9);
        assert!(
            issued
                .user_code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
    }

    #[test]
    fn a_code_is_redeemed_once() {
        let mut store = DeviceStore::default();
        let issued = store.issue("client", "scope", SECOND * 60);
        assert_eq!(
            store.poll(&issued.device_code, "client", Duration::ZERO),
            Poll::Pending
        );
        assert_eq!(
            store.poll(&issued.device_code, "other", Duration::ZERO),
            Poll::Invalid
        );
        assert!(store.decide(Some(&issued.user_code.to_lowercase()), true));
        assert!(matches!(
            store.poll(&issued.device_code, "client", Duration::ZERO),
            Poll::Approved { .. }
        ));
        assert_eq!(
            store.poll(&issued.device_code, "client", Duration::ZERO),
            Poll::Invalid
        );
        assert!(!store.decide(None, true));
    }

    #[test]
    fn polling_too_fast_slows_down() {
        let mut store = DeviceStore::default();
        let issued = store.issue("client", "scope", SECOND * 60);
        assert_eq!(
            store.poll(&issued.device_code, "client", SECOND),
            Poll::Pending
        );
        assert_eq!(
            store.poll(&issued.device_code, "client", SECOND),
            Poll::SlowDown
        );
    }
}
