//! The token cache: credentials in, access tokens out. Imports `entra` (the token endpoint) and
//! the layers below the client (config, error, http), nothing above.
//!
//! [`TokenSource`] hands out access tokens: a cached one while it has more than the refresh
//! margin left, otherwise a fresh one from Entra ID. Exactly one refresh is in flight however
//! many tasks or threads need a token: they wait on one async gate and re-check the cache after
//! it. The cache itself is a plain `RwLock` read on the fast path and never held across an await.

use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use super::entra::{Scopes, TokenEndpoint, TokenGrant};

use crate::config::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::http::Transport;

/// Refresh this long before expiry (or at half the lifetime, for short-lived tokens).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest an access token is kept, whatever `expires_in` the token endpoint sent. Entra ID
/// issues tokens for about an hour, and its longest configurable lifetime is a day; a larger
/// value (2^64-1 s) would overflow the clock, and renewing earlier than the service said is
/// always safe.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

/// A bearer token and when it stops working.
#[derive(Debug)]
pub(crate) struct AccessToken {
    value: SecretString,
    /// `None` for a caller-supplied token whose lifetime is unknown.
    pub refresh_at: Option<Instant>,
    pub expires_at: Option<Instant>,
    /// Tells apart tokens so a 401 invalidates only the token that was refused.
    pub generation: u64,
    /// `Bearer <value>`, made on first use. Debug shows a sensitive header value as
    /// `Sensitive`.
    authorization: OnceLock<Option<HeaderValue>>,
}

impl AccessToken {
    fn new(
        value: SecretString,
        refresh_at: Option<Instant>,
        expires_at: Option<Instant>,
        generation: u64,
    ) -> Self {
        AccessToken {
            value,
            refresh_at,
            expires_at,
            generation,
            authorization: OnceLock::new(),
        }
    }

    /// `error` without this token (nor its bearer form), whatever the service echoed.
    pub fn redact(&self, error: Error) -> Error {
        error.redact(&[self.value.expose_secret()])
    }

    /// The `Authorization` header value, marked sensitive. Made once per token and shared
    /// after, so a call clones a reference instead of copying and checking a token of 1-2 KB.
    pub fn authorization(&self) -> Result<HeaderValue> {
        self.authorization
            .get_or_init(|| {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {}", self.value.expose_secret()))
                        .ok()?;
                value.set_sensitive(true);
                Some(value)
            })
            .clone()
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    "the access token contains characters not allowed in a header",
                )
            })
    }
}

/// The credential kinds a connection may have, for display (no secrets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    /// A caller-supplied access token.
    AccessToken,
    /// App+User by refresh token (also the result of a device-code sign-in).
    RefreshToken,
    /// App-only client credentials.
    AppOnly,
}

impl CredentialKind {
    /// `access_token`, `refresh_token` or `app_only`.
    pub fn name(self) -> &'static str {
        match self {
            CredentialKind::AccessToken => "access_token",
            CredentialKind::RefreshToken => "refresh_token",
            CredentialKind::AppOnly => "app_only",
        }
    }
}

enum Grant {
    Fixed,
    Refresh {
        client_id: String,
        client_secret: Option<SecretString>,
        /// The newest refresh token; Entra ID may rotate it on every grant. Shared by the
        /// sources of one client (Partner Center and Graph), so a rotation by one reaches all.
        refresh_token: Arc<Mutex<SecretString>>,
    },
    ClientCredentials {
        client_id: String,
        client_secret: SecretString,
    },
}

/// Access tokens for one client: cache, single-flight refresh, rotation.
pub(crate) struct TokenSource {
    grant: Grant,
    scopes: Scopes,
    endpoint: Option<TokenEndpoint>,
    cached: RwLock<Option<Arc<AccessToken>>>,
    refresh_gate: tokio::sync::Mutex<()>,
    next_generation: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("kind", &self.kind())
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// A Partner Center source for `credentials`; `endpoint` is needed by every kind but a
    /// fixed access token.
    pub fn new(credentials: Credentials, endpoint: Option<TokenEndpoint>) -> Self {
        let (grant, cached) = match credentials {
            Credentials::AccessToken(value) => (
                Grant::Fixed,
                Some(Arc::new(AccessToken::new(value, None, None, 0))),
            ),
            Credentials::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            } => (
                Grant::Refresh {
                    client_id,
                    client_secret,
                    refresh_token: Arc::new(Mutex::new(refresh_token)),
                },
                None,
            ),
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => (
                Grant::ClientCredentials {
                    client_id,
                    client_secret,
                },
                None,
            ),
        };
        TokenSource {
            grant,
            scopes: Scopes::partner_center(),
            endpoint,
            cached: RwLock::new(cached),
            refresh_gate: tokio::sync::Mutex::new(()),
            next_generation: std::sync::atomic::AtomicU64::new(1),
        }
    }

    /// A source for another service (`scopes`) from the same credentials, with its own cache
    /// and renewal gate and the same (shared) refresh token. `None` for a caller-supplied access
    /// token, which is for one service only.
    pub fn sibling(&self, scopes: Scopes) -> Option<TokenSource> {
        let grant = match &self.grant {
            Grant::Fixed => return None,
            Grant::Refresh {
                client_id,
                client_secret,
                refresh_token,
            } => Grant::Refresh {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                refresh_token: Arc::clone(refresh_token),
            },
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => Grant::ClientCredentials {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
            },
        };
        Some(TokenSource {
            grant,
            scopes,
            endpoint: self.endpoint.clone(),
            cached: RwLock::new(None),
            refresh_gate: tokio::sync::Mutex::new(()),
            next_generation: std::sync::atomic::AtomicU64::new(1),
        })
    }

    /// Seeds the cache with a token obtained elsewhere (a device-code sign-in).
    pub fn seed(&self, grant: TokenGrant) {
        self.store(grant);
    }

    /// The credential kind.
    pub fn kind(&self) -> CredentialKind {
        match self.grant {
            Grant::Fixed => CredentialKind::AccessToken,
            Grant::Refresh { .. } => CredentialKind::RefreshToken,
            Grant::ClientCredentials { .. } => CredentialKind::AppOnly,
        }
    }

    /// The newest refresh token (rotated by the service), for callers that persist it.
    pub fn refresh_token(&self) -> Option<SecretString> {
        match &self.grant {
            Grant::Refresh { refresh_token, .. } => Some(lock(refresh_token).clone()),
            _ => None,
        }
    }

    /// When the cached access token expires, if known.
    pub fn expires_at(&self) -> Option<Instant> {
        self.cached
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|t| t.expires_at)
    }

    /// A token fit to send now: cached while fresh, otherwise renewed (one renewal in flight).
    pub async fn token(
        &self,
        transport: &Transport,
        deadline: Instant,
    ) -> Result<Arc<AccessToken>> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _gate = self.refresh_gate.lock().await;
        // Whoever held the gate before us may have renewed it already.
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        self.renew(transport, deadline).await
    }

    /// Whether a refused token can be replaced: false for a caller-supplied access token.
    pub fn can_renew(&self) -> bool {
        !matches!(self.grant, Grant::Fixed)
    }

    /// The service refused `rejected` (401): renew once, unless someone already did.
    /// A caller-supplied access token cannot be renewed, so its 401 is final.
    pub async fn token_after_rejection(
        &self,
        rejected: &AccessToken,
        transport: &Transport,
        deadline: Instant,
    ) -> Result<Arc<AccessToken>> {
        if matches!(self.grant, Grant::Fixed) {
            return Err(Error::new(
                ErrorKind::Authentication,
                "Partner Center refused the given access token (401: expired or not valid for \
                 Partner Center); supply a new one, or use refresh-token credentials that renew themselves",
            ));
        }
        let _gate = self.refresh_gate.lock().await;
        if let Some(current) = self.current() {
            if current.generation != rejected.generation {
                return Ok(current);
            }
        }
        self.renew(transport, deadline).await
    }

    fn current(&self) -> Option<Arc<AccessToken>> {
        self.cached
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn fresh(&self) -> Option<Arc<AccessToken>> {
        self.current()
            .filter(|t| t.refresh_at.is_none_or(|at| Instant::now() < at))
    }

    async fn renew(&self, transport: &Transport, deadline: Instant) -> Result<Arc<AccessToken>> {
        let endpoint = self.endpoint.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                "no token endpoint for renewable credentials",
            )
        })?;
        let grant = match &self.grant {
            Grant::Fixed => {
                return self
                    .current()
                    .ok_or_else(|| Error::new(ErrorKind::Internal, "no token"));
            }
            Grant::Refresh {
                client_id,
                client_secret,
                refresh_token,
            } => {
                let current = lock(refresh_token).clone();
                let grant = endpoint
                    .refresh(
                        transport,
                        client_id,
                        client_secret.as_ref(),
                        &current,
                        &self.scopes.user,
                        deadline,
                    )
                    .await
                    .map_err(|e| {
                        let mut secrets = vec![current.expose_secret()];
                        secrets.extend(client_secret.as_ref().map(|s| s.expose_secret()));
                        e.redact(&secrets)
                    })?;
                if let Some(rotated) = &grant.refresh_token {
                    *lock(refresh_token) = rotated.clone();
                }
                grant
            }
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => endpoint
                .client_credentials(
                    transport,
                    client_id,
                    client_secret,
                    &self.scopes.app,
                    deadline,
                )
                .await
                .map_err(|e| e.redact(&[client_secret.expose_secret()]))?,
        };
        Ok(self.store(grant))
    }

    fn store(&self, grant: TokenGrant) -> Arc<AccessToken> {
        if let (Grant::Refresh { refresh_token, .. }, Some(rotated)) =
            (&self.grant, &grant.refresh_token)
        {
            *lock(refresh_token) = rotated.clone();
        }
        let now = Instant::now();
        // Saturated here, where it meets the clock: every grant passes through this point.
        let lifetime = grant.expires_in.min(MAX_TOKEN_LIFETIME);
        let margin = REFRESH_MARGIN.min(lifetime / 2);
        let token = Arc::new(AccessToken::new(
            grant.access_token,
            Some(now + lifetime - margin),
            Some(now + lifetime),
            self.next_generation
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        ));
        *self.cached.write().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
        token
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
