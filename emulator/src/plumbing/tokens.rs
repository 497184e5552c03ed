//! Issued access and refresh tokens: what kind each access token is, which service it is for
//! (its audience) and when it expires.

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

/// Which service an access token is for: Partner Center, or Microsoft Graph (the token endpoint
/// issues a Graph token when the scope names `https://graph.microsoft.com/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// `https://api.partnercenter.microsoft.com`.
    PartnerCenter,
    /// `https://graph.microsoft.com`.
    Graph,
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
    /// A valid token for another service (a Graph token on Partner Center, or the reverse).
    WrongAudience,
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
            Self::WrongAudience => "Access token validation failure. Invalid audience.",
        }
    }
}

#[derive(Debug)]
struct AccessToken {
    kind: TokenKind,
    audience: Audience,
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
    /// Issues a new opaque Partner Center access token of `kind` valid for `lifetime`, without
    /// the MFA claim.
    #[cfg(test)]
    pub fn issue_access(&mut self, kind: TokenKind, lifetime: Duration) -> String {
        self.issue_access_for(Audience::PartnerCenter, kind, lifetime, false)
    }

    /// Issues a new opaque access token for `audience`, of `kind`, valid for `lifetime`, with the
    /// MFA claim set or not.
    pub fn issue_access_for(
        &mut self,
        audience: Audience,
        kind: TokenKind,
        lifetime: Duration,
        mfa: bool,
    ) -> String {
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
                audience,
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

    /// The kind of a valid Partner Center access token, or why it is refused.
    pub fn check_access(&self, token: &str) -> Result<TokenKind, TokenProblem> {
        self.check_access_for(token, Audience::PartnerCenter)
    }

    /// The kind of a valid access token for `audience`, or why it is refused (a valid token for
    /// another audience is [`TokenProblem::WrongAudience`]).
    pub fn check_access_for(
        &self,
        token: &str,
        audience: Audience,
    ) -> Result<TokenKind, TokenProblem> {
        let entry = self.access.get(token).ok_or(TokenProblem::Unknown)?;
        if entry.revoked {
            Err(TokenProblem::Revoked)
        } else if Instant::now() >= entry.expires_at {
            Err(TokenProblem::Expired)
        } else if entry.audience != audience {
            Err(TokenProblem::WrongAudience)
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
    fn tokens_are_refused_by_the_other_audience() {
        let mut store = TokenStore::default();
        let minute = Duration::from_secs(60);
        let graph = store.issue_access_for(Audience::Graph, TokenKind::AppUser, minute, false);
        let pc = store.issue_access(TokenKind::AppOnly, minute);
        assert_eq!(
            store.check_access_for(&graph, Audience::Graph),
            Ok(TokenKind::AppUser)
        );
        assert_eq!(store.check_access(&graph), Err(TokenProblem::WrongAudience));
        assert_eq!(
            store.check_access_for(&pc, Audience::Graph),
            Err(TokenProblem::WrongAudience)
        );
        assert_eq!(store.check_access(&pc), Ok(TokenKind::AppOnly));
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
