//! The client: one connection pool, one token source, and the call path every operation uses.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::SecretString;
use url::Url;

use crate::auth::entra::{Scopes, TokenEndpoint};
use crate::auth::tokens::{CredentialKind, TokenSource};
use crate::config::{ClientOptions, Credentials, Environment, is_loopback_host};
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Idempotency, Request, Response, Service, Transport};
use crate::service_error::{self, Refusal};

/// A Partner Center client (async). Cheap to clone; clones share the pool and the token cache.
/// `Send + Sync`: share it between tasks and threads freely.
///
/// ```no_run
/// # async fn demo() -> partnercenter::Result<()> {
/// use partnercenter::{Client, ClientOptions};
/// let options = ClientOptions::from_json(
///     r#"{"tenant": "contoso.onmicrosoft.com", "client_id": "app-id", "refresh_token": "..."}"#,
/// )?;
/// let client = Client::new(options)?;
/// let link = client.new_relationship_request().await?;
/// println!("{}", link.url);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    transport: Arc<Transport>,
    tokens: TokenSource,
    base_url: Url,
    /// The URLs of the paths resource modules call as fixed ([`ApiCall::get_fixed`]), each built
    /// on its first call: building a URL per call was 6 % of a relationship request's
    /// instructions. Read-locked on the fast path; the list only grows, by code paths.
    fixed_urls: RwLock<Vec<(&'static str, Url)>>,
    /// Microsoft Graph (GDAP admin relationships): its base URL and a token source sharing the
    /// credentials; `None` for a caller-supplied access token (it is for Partner Center only).
    graph_base_url: Url,
    graph_tokens: Option<TokenSource>,
    /// A local Partner Center (an emulator) with Graph left at its public default: Graph calls
    /// are refused rather than sent to the internet with the local service's tokens.
    graph_left_public_beside_local_api: bool,
    environment: Environment,
    tenant: Option<String>,
}

/// What a connection is, for display: no secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The environment name (`global`, `usgov`, `china`).
    pub environment: &'static str,
    /// The tenant, when signing in.
    pub tenant: Option<String>,
    /// The credential kind.
    pub credential_kind: CredentialKind,
    /// The API base URL.
    pub base_url: String,
    /// The Microsoft Graph base URL (admin relationships).
    pub graph_base_url: String,
    /// The `MS-CorrelationId` of this client.
    pub correlation_id: String,
    /// When the cached access token expires, if one is cached and its lifetime is known.
    pub token_expires_at: Option<SystemTime>,
}

impl Client {
    /// Validates `options` and builds a client. Signs in lazily, on the first call.
    pub fn new(options: ClientOptions) -> Result<Client> {
        options.validate()?;
        let transport = Transport::new(&options)?;
        let credentials = options
            .credentials
            .clone()
            .unwrap_or_else(|| unreachable!("validated"));
        let endpoint = match credentials {
            Credentials::AccessToken(_) => None,
            _ => Some(TokenEndpoint::new(&options)?),
        };
        Client::from_parts(&options, transport, TokenSource::new(credentials, endpoint))
    }

    pub(crate) fn from_parts(
        options: &ClientOptions,
        transport: Arc<Transport>,
        tokens: TokenSource,
    ) -> Result<Client> {
        let base_url = options.api_base_url()?;
        let graph_tokens = tokens.sibling(Scopes::graph(options.environment));
        let graph_left_public_beside_local_api =
            options.graph_base_url.is_none() && is_loopback_host(&base_url);
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                tokens,
                base_url,
                fixed_urls: RwLock::new(Vec::new()),
                graph_left_public_beside_local_api,
                graph_base_url: options.graph_url()?,
                graph_tokens,
                environment: options.environment,
                tenant: options.tenant.clone(),
            }),
        })
    }

    /// The newest refresh token (App+User clients), which the service may have rotated since
    /// the client was made. Persist it to sign in next time; `None` for other credential kinds.
    pub fn refresh_token(&self) -> Option<SecretString> {
        self.inner.tokens.refresh_token()
    }

    /// The credential kind of this client.
    pub fn credential_kind(&self) -> CredentialKind {
        self.inner.tokens.kind()
    }

    /// The `MS-CorrelationId` every request of this client carries.
    pub fn correlation_id(&self) -> &str {
        self.inner.transport.correlation_id()
    }

    /// A description of the connection, without secrets.
    pub fn connection_info(&self) -> ConnectionInfo {
        let expires = self.inner.tokens.expires_at().map(|at| {
            let left = at.saturating_duration_since(Instant::now());
            SystemTime::now() + left
        });
        ConnectionInfo {
            environment: self.inner.environment.name(),
            tenant: self.inner.tenant.clone(),
            credential_kind: self.credential_kind(),
            base_url: self
                .inner
                .base_url
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            graph_base_url: self
                .inner
                .graph_base_url
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            correlation_id: self.correlation_id().to_owned(),
            token_expires_at: expires,
        }
    }

    /// Signs in now (if not signed in) instead of on the first call, so bad credentials show
    /// up at once. Returns when the access token expires.
    pub async fn sign_in(&self) -> Result<Option<SystemTime>> {
        let deadline = self.inner.transport.deadline();
        self.inner
            .tokens
            .token(&self.inner.transport, deadline)
            .await?;
        Ok(self.connection_info().token_expires_at)
    }

    /// Sends an API request: token, headers, retries, one renewal on 401.
    /// Non-2xx answers become errors; `operation` names the call in their messages.
    pub(crate) async fn call(&self, call: ApiCall<'_>) -> Result<Response> {
        self.call_until(call, None).await
    }

    /// [`Client::call`] that also ends by `until` when it comes before the call's own deadline:
    /// a wait or a listing hands down the time it has left, so every attempt inside it (and the
    /// sign-in it may need) gets at most that.
    pub(crate) async fn call_until(
        &self,
        call: ApiCall<'_>,
        until: Option<Instant>,
    ) -> Result<Response> {
        let url = self.url(&call);
        self.send_with_renewal(Service::PartnerCenter, &self.inner.tokens, url, call, until)
            .await
    }

    /// A Microsoft Graph request (`call.path` below the Graph base URL), with the Graph token,
    /// Graph's id headers and Graph's error shape; otherwise as [`Client::call_until`].
    pub(crate) async fn graph_call_until(
        &self,
        call: ApiCall<'_>,
        until: Option<Instant>,
    ) -> Result<Response> {
        let inner = &*self.inner;
        if inner.graph_left_public_beside_local_api {
            return Err(Error::new(
                ErrorKind::InvalidOptions,
                format!(
                    "{}: Partner Center is local ({}, an emulator?) but Microsoft Graph was left \
                     at the public {}; set the option graph_base_url (the emulator serves Graph \
                     at {}/v1.0), or set it to the public address to mean that",
                    call.operation,
                    inner.base_url.as_str().trim_end_matches('/'),
                    inner.graph_base_url.as_str().trim_end_matches('/'),
                    inner.base_url.origin().ascii_serialization(),
                ),
            ));
        }
        let tokens = inner.graph_tokens.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOptions,
                format!(
                    "{}: a caller-supplied access token is for Partner Center only; admin \
                     relationships (Microsoft Graph) need credentials that can sign in: a \
                     refresh token, client credentials or a device-code sign-in",
                    call.operation
                ),
            )
        })?;
        let url = join(&inner.graph_base_url, call.path);
        self.send_with_renewal(Service::Graph, tokens, url, call, until)
            .await
    }

    /// The Microsoft Graph base URL (`/v1.0` included).
    pub(crate) fn graph_base_url(&self) -> &Url {
        &self.inner.graph_base_url
    }

    /// Token, headers, retries and one renewal on 401, for either service.
    async fn send_with_renewal(
        &self,
        service: Service,
        tokens: &TokenSource,
        url: Url,
        call: ApiCall<'_>,
        until: Option<Instant>,
    ) -> Result<Response> {
        let inner = &*self.inner;
        let own = inner.transport.deadline();
        let deadline = until.map_or(own, |until| until.min(own));
        let token = tokens.token(&inner.transport, deadline).await?;
        let request = |authorization| Request {
            method: call.method.clone(),
            url: url.clone(),
            authorization: Some(authorization),
            form: None,
            json_body: call.body,
            extra_headers: call.headers,
            idempotency: call.idempotency,
            service,
        };
        let failure = |response: &Response, refusal| match service {
            Service::PartnerCenter => service_error::api(response, call.operation, refusal),
            Service::Graph => service_error::graph(response, call.operation, refusal),
        };
        let response = inner
            .transport
            .send(&request(token.authorization()?), deadline)
            .await
            .map_err(|e| token.redact(e))?;
        if response.status.is_success() {
            return Ok(response);
        }
        if response.status.as_u16() != 401 {
            return Err(token.redact(failure(&response, Refusal::Plain)));
        }
        if !tokens.can_renew() {
            return Err(token.redact(failure(&response, Refusal::GivenToken)));
        }
        tracing::debug!(
            operation = call.operation,
            "401: renewing the access token once"
        );
        let renewed = tokens
            .token_after_rejection(&token, &inner.transport, deadline)
            .await
            .map_err(|e| token.redact(e))?;
        let response = inner
            .transport
            .send(&request(renewed.authorization()?), deadline)
            .await
            .map_err(|e| renewed.redact(token.redact(e)))?;
        if response.status.is_success() {
            return Ok(response);
        }
        // The service's description and code stay in the message (issue 12, item 11).
        let error = failure(&response, Refusal::AfterRenewal);
        Err(renewed.redact(token.redact(error)))
    }

    /// The API base URL.
    pub(crate) fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The base URL with the call's path (and its query) below it.
    fn url(&self, call: &ApiCall<'_>) -> Url {
        let Some(path) = call.fixed_path else {
            return join(&self.inner.base_url, call.path);
        };
        let cached = |urls: &[(&'static str, Url)]| {
            urls.iter()
                .find(|(p, _)| *p == path)
                .map(|(_, url)| url.clone())
        };
        let urls = &self.inner.fixed_urls;
        if let Some(url) = cached(&urls.read().unwrap_or_else(PoisonError::into_inner)) {
            return url;
        }
        let mut urls = urls.write().unwrap_or_else(PoisonError::into_inner);
        cached(&urls).unwrap_or_else(|| {
            let url = join(&self.inner.base_url, path);
            urls.push((path, url.clone()));
            url
        })
    }
}

/// `base` with `path_and_query` below it. Only the path and query are parsed: the scheme and
/// host were checked once, when the client was made.
fn join(base: &Url, path_and_query: &str) -> Url {
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let mut url = base.clone();
    let prefix = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{prefix}{path}"));
    url.set_query(query);
    url
}

/// One API call as an operation module describes it.
pub(crate) struct ApiCall<'a> {
    pub operation: &'static str,
    pub method: Method,
    /// Path (and query) below the base URL, starting with `/`.
    pub path: &'a str,
    /// The same path when it has no variable part: its URL is then built once per client.
    pub fixed_path: Option<&'static str>,
    pub body: Option<&'a [u8]>,
    pub headers: &'a [(HeaderName, HeaderValue)],
    pub idempotency: Idempotency,
}

impl<'a> ApiCall<'a> {
    /// A GET of `path`.
    pub fn get(operation: &'static str, path: &'a str) -> Self {
        ApiCall {
            operation,
            method: Method::GET,
            path,
            fixed_path: None,
            body: None,
            headers: &[],
            idempotency: Idempotency::Idempotent,
        }
    }

    /// A GET of a `path` with no variable part, called often (its URL is built once).
    pub fn get_fixed(operation: &'static str, path: &'static str) -> Self {
        ApiCall {
            fixed_path: Some(path),
            ..ApiCall::get(operation, path)
        }
    }
}

/// Seconds until `at`, for output.
pub fn seconds_until(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO)
        .as_secs()
}
