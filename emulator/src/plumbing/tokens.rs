//! Issued access and refresh tokens: what kind each access token is and when it expires.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::plumbing::credentials;

/// Whose authority an access token carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Client credentials: the application alone.
    AppOnly,
    /// Delegated: the application acting for a signed-in user (refresh token, device code).
    AppUser,
}

/// Why a bearer token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenProblem {
    /// No `Authorization: Bearer` header.
    Missing,
    /// A token the emulator never issued (or forgot on reset).
    Unknown,
    /// Past its lifetime.
    Expired,
    /// Invalidated through the admin API.
    Revoked,
    /// An App+User token without a multi-factor claim while MFA is required
    /// (`POST /_emulator/mfa`): Partner Center's 401 with code 900421.
    MfaRequired,
}

impl TokenProblem {
    /// The sentence an error body uses for this problem.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Missing => {
                "Authentication failed: the Authorization header is missing; send 'Authorization: Bearer <access token>'."
            }
            Self::Unknown => {
                "Authentication failed: the bearer access token is unknown or malformed."
            }
            Self::Expired => "Authentication failed: the bearer access token has expired.",
            Self::Revoked => "Authentication failed: the bearer access token has been revoked.",
            Self::MfaRequired => {
                "Multi-factor authentication is required: the access token has no MFA claim (amr 'mfa')."
            }
        }
    }
}

#[derive(Debug)]
struct AccessToken {
    kind: TokenKind,
    expires_at: Instant,
    revoked: bool,
    /// Whether the sign-in behind it did multi-factor authentication (a device-code sign-in).
    mfa: bool,
}

/// Expired tokens are pruned once the map grows past this, so long load runs stay flat.
const PRUNE_THRESHOLD: usize = 4096;

/// Every token the emulator has issued since start or the last reset.
#[derive(Debug, Default)]
pub struct TokenStore {
    access: HashMap<String, AccessToken>,
    refresh: HashSet<String>,
    /// Refresh tokens whose sign-in did multi-factor authentication (from a device code, and
    /// those rotated from them).
    mfa_refresh: HashSet<String>,
    /// Whether App+User tokens without an MFA claim are refused (401, code 900421).
    mfa_required: bool,
}

impl TokenStore {
    /// Issues a new opaque access token of `kind` valid for `lifetime`.
    pub fn issue_access(&mut self, kind: TokenKind, lifetime: Duration) -> String {
        self.issue_access_with(kind, lifetime, false)
    }

    /// [`TokenStore::issue_access`] with the MFA claim set or not.
    pub fn issue_access_with(&mut self, kind: TokenKind, lifetime: Duration, mfa: bool) -> String {
        let now = Instant::now();
        if self.access.len() >= PRUNE_THRESHOLD {
            self.access.retain(|_, t| t.expires_at > now && !t.revoked);
        }
        let token = format!(
            "emu-at.{}{}",
            Uuid::new_v4().simple(),
            Uuid::new_v4().simple()
        );
        self.access.insert(
            token.clone(),
            AccessToken {
                kind,
                expires_at: now + lifetime,
                revoked: false,
                mfa,
            },
        );
        token
    }

    /// Issues a new rotated refresh token, remembering whether the sign-in did MFA; older ones
    /// stay valid, as Entra ID does.
    pub fn issue_refresh_with(&mut self, mfa: bool) -> String {
        let token = format!("{}.{}", credentials::REFRESH_TOKEN, Uuid::new_v4());
        self.refresh.insert(token.clone());
        if mfa {
            self.mfa_refresh.insert(token.clone());
        }
        token
    }

    /// Whether the sign-in behind refresh token `token` did MFA.
    pub fn refresh_has_mfa(&self, token: &str) -> bool {
        self.mfa_refresh.contains(token)
    }

    /// Makes App+User tokens without an MFA claim refused (401, code 900421), or accepted again.
    pub fn require_mfa(&mut self, required: bool) {
        self.mfa_required = required;
    }

    /// Whether `token` is the well-known refresh token or one the emulator issued.
    pub fn is_valid_refresh(&self, token: &str) -> bool {
        token == credentials::REFRESH_TOKEN || self.refresh.contains(token)
    }

    /// The kind of a valid access token, or why it is refused.
    pub fn check_access(&self, token: &str) -> Result<TokenKind, TokenProblem> {
        let entry = self.access.get(token).ok_or(TokenProblem::Unknown)?;
        if entry.revoked {
            Err(TokenProblem::Revoked)
        } else if Instant::now() >= entry.expires_at {
            Err(TokenProblem::Expired)
        } else if self.mfa_required && entry.kind == TokenKind::AppUser && !entry.mfa {
            Err(TokenProblem::MfaRequired)
        } else {
            Ok(entry.kind)
        }
    }

    /// Revokes every access token issued so far (tests the refresh-on-401 path).
    pub fn invalidate_access(&mut self) {
        for token in self.access.values_mut() {
            token.revoked = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_are_checked_and_revocable() {
        let mut store = TokenStore::default();
        let token = store.issue_access(TokenKind::AppUser, Duration::from_secs(60));
        assert_eq!(store.check_access(&token), Ok(TokenKind::AppUser));
        assert_eq!(store.check_access("nope"), Err(TokenProblem::Unknown));
        store.invalidate_access();
        assert_eq!(store.check_access(&token), Err(TokenProblem::Revoked));
        let expired = store.issue_access(TokenKind::AppOnly, Duration::ZERO);
        assert_eq!(store.check_access(&expired), Err(TokenProblem::Expired));
    }

    #[test]
    fn refresh_tokens_rotate_and_stay_valid() {
        let mut store = TokenStore::default();
        assert!(store.is_valid_refresh(credentials::REFRESH_TOKEN));
        let first = store.issue_refresh_with(false);
        let second = store.issue_refresh_with(false);
        assert_ne!(first, second);
        assert!(store.is_valid_refresh(&first) && store.is_valid_refresh(&second));
        assert!(!store.is_valid_refresh("forged"));
    }
}
