//! The one place requests are sent: headers, request ids, retries, deadlines, size caps and the
//! parsing of error bodies.
//!
//! Policy, in one place so every operation and every door inherits it:
//! - a new `MS-RequestId` per request, reused only when a retry follows an attempt that got no
//!   answer at all (the service may have seen it);
//! - retries for 408, 429, 5xx (but 501/505) and connection failures, with exponential backoff and
//!   jitter; `Retry-After` (429/503) is honoured up to a cap, past which the call ends as throttled
//!   so the caller can decide; 400/401/403/404/409/412 are never retried;
//! - a request that is not idempotent is retried only when the service cannot have acted on it
//!   (a refused connection, or a 429/503 answer);
//! - every attempt and wait fits inside the call's overall deadline;
//! - bodies over the cap are refused, never buffered without bound.
//!
//! What a non-2xx answer's body means is read in `service_error`, not here.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use crate::config::ClientOptions;
use crate::error::{Error, ErrorKind, Result};

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("partnercenter/", env!("CARGO_PKG_VERSION"));

// Header names and values made once, not parsed and checked again on every request.
static MS_REQUEST_ID: HeaderName = HeaderName::from_static("ms-requestid");
static MS_CORRELATION_ID: HeaderName = HeaderName::from_static("ms-correlationid");
static X_LOCALE: HeaderName = HeaderName::from_static("x-locale");
static MS_APPLICATION: HeaderName = HeaderName::from_static("ms-partnercenter-application");
static JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Most a body buffer reserves before bytes arrive, whatever `Content-Length` says (64 KiB holds
/// a typical answer whole; larger ones grow as they are read).
const INITIAL_BODY_RESERVE: u64 = 64 * 1024;

/// Longest exponential backoff between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// First exponential backoff; it doubles per attempt.
const BASE_BACKOFF: Duration = Duration::from_millis(500);

/// Whether an operation may be repeated when the first try's fate is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads and token requests: safe to repeat.
    Idempotent,
    /// Updates: repeated only when the service cannot have acted on the first try.
    NotIdempotent,
}

/// One logical request. `url` is absolute; `build` adds method-specific parts.
pub(crate) struct Request<'a> {
    pub method: Method,
    pub url: Url,
    /// `Bearer <token>`, marked sensitive.
    pub authorization: Option<HeaderValue>,
    pub form: Option<&'a [(&'a str, &'a str)]>,
    pub json_body: Option<&'a [u8]>,
    pub extra_headers: &'a [(HeaderName, HeaderValue)],
    pub idempotency: Idempotency,
}

/// An answer of any status, its body read within the cap and a leading BOM removed.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub request_id: String,
    pub correlation_id: String,
}

impl Response {
    /// The body as JSON, or a bad-response error naming what was expected.
    pub fn json(&self, what: &str) -> Result<Value> {
        self.parse(what)
    }

    /// The body as a `T`, or a bad-response error carrying this answer's status and ids.
    pub fn parse<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| crate::service_error::unreadable(self, what, &e))
    }

    /// An error carrying this answer's status and ids.
    pub fn error(&self, kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::new(kind, message)
            .with_http_status(self.status.as_u16())
            .with_ids(
                Some(self.request_id.clone()),
                Some(self.correlation_id.clone()),
            )
    }
}

/// The retry and size policy of one client.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub max_retries: u32,
    pub timeout: Duration,
    pub attempt_timeout: Duration,
    pub max_retry_after: Duration,
    pub max_response_bytes: u64,
}

/// The HTTP side of a client: one reqwest pool plus the headers and policy every request uses.
#[derive(Debug)]
pub(crate) struct Transport {
    pools: crate::pool::Pools,
    correlation_id: String,
    correlation_header: HeaderValue,
    locale: HeaderValue,
    application: Option<HeaderValue>,
    pub policy: Policy,
}

impl Transport {
    /// Builds the pool: rustls with the ring provider and the operating system's trust store.
    pub fn new(options: &ClientOptions) -> Result<Arc<Self>> {
        let tls = tls_config(options.ca_certificate_pem.as_deref())?;
        let pools =
            crate::pool::Pools::new(tls, options.connect_timeout, redirect_policy, USER_AGENT)?;
        let correlation_id = options
            .correlation_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let locale = HeaderValue::from_str(&options.locale).map_err(|_| {
            Error::new(
                ErrorKind::InvalidOptions,
                "option 'locale' is not a valid header value",
            )
        })?;
        let application = options
            .application_name
            .as_deref()
            .map(HeaderValue::from_str)
            .transpose()
            .map_err(|_| {
                Error::new(
                    ErrorKind::InvalidOptions,
                    "option 'application_name' is not a valid header value",
                )
            })?;
        let correlation_header = HeaderValue::from_str(&correlation_id).map_err(|_| {
            Error::new(
                ErrorKind::InvalidOptions,
                "option 'correlation_id' is not a valid header value",
            )
        })?;
        Ok(Arc::new(Transport {
            pools,
            correlation_id,
            correlation_header,
            locale,
            application,
            policy: Policy {
                max_retries: options.max_retries,
                timeout: options.timeout,
                attempt_timeout: options.attempt_timeout,
                max_retry_after: options.max_retry_after,
                max_response_bytes: options.max_response_bytes,
            },
        }))
    }

    /// The `MS-CorrelationId` this client sends.
    pub fn correlation_id(&self) -> &str {
        &self.correlation_id
    }

    /// A deadline `policy.timeout` from now.
    pub fn deadline(&self) -> Instant {
        Instant::now() + self.policy.timeout
    }

    /// Sends `request` with retries until an answer that is final (any status) or a failure.
    /// Non-2xx answers are returned, not turned into errors: callers know the body's shape.
    pub async fn send(&self, request: &Request<'_>, deadline: Instant) -> Result<Response> {
        let mut request_id = uuid::Uuid::new_v4().to_string();
        let mut attempt: u32 = 0;
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(self.timeout_error(&request_id));
            }
            let budget = self.policy.attempt_timeout.min(deadline - now);
            let outcome = tokio::time::timeout(budget, self.attempt(request, &request_id)).await;
            let retries_left = attempt < self.policy.max_retries;
            let (failure, wait) = match outcome {
                Ok(Ok(response)) => {
                    let Some(wait) = self.retry_wait(request, &response, attempt) else {
                        return Ok(response);
                    };
                    if !retries_left || Instant::now() + wait > deadline {
                        return Ok(response);
                    }
                    tracing::debug!(status = %response.status, request_id = %request_id, ?wait, "retrying after answer");
                    // The service answered: the next try is a new request.
                    request_id = uuid::Uuid::new_v4().to_string();
                    (None, wait)
                }
                Ok(Err(failure)) => {
                    let retryable = failure.kind() == ErrorKind::Network
                        && (request.idempotency == Idempotency::Idempotent || failure.not_sent);
                    if !retryable || !retries_left {
                        return Err(failure.error);
                    }
                    (Some(failure.error), backoff(attempt))
                }
                Err(_elapsed) => {
                    if Instant::now() >= deadline {
                        return Err(self.timeout_error(&request_id));
                    }
                    let error = Error::new(
                        ErrorKind::Timeout,
                        format!(
                            "no answer within the per-attempt timeout of {} ms",
                            budget.as_millis()
                        ),
                    )
                    .with_ids(Some(request_id.clone()), Some(self.correlation_id.clone()));
                    if request.idempotency != Idempotency::Idempotent || !retries_left {
                        return Err(error);
                    }
                    (Some(error), backoff(attempt))
                }
            };
            if Instant::now() + wait >= deadline {
                return Err(failure.unwrap_or_else(|| self.timeout_error(&request_id)));
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    fn timeout_error(&self, request_id: &str) -> Error {
        Error::new(
            ErrorKind::Timeout,
            format!(
                "the call did not finish within its overall deadline of {} ms",
                self.policy.timeout.as_millis()
            ),
        )
        .with_ids(
            Some(request_id.to_owned()),
            Some(self.correlation_id.clone()),
        )
    }

    /// How long to wait before retrying this answer, or `None` when it is final.
    fn retry_wait(
        &self,
        request: &Request<'_>,
        response: &Response,
        attempt: u32,
    ) -> Option<Duration> {
        let status = response.status.as_u16();
        let refused_unprocessed = matches!(status, 429 | 503);
        let transient = matches!(status, 408 | 500 | 502 | 504) || refused_unprocessed;
        if !transient {
            return None;
        }
        if request.idempotency == Idempotency::NotIdempotent && !refused_unprocessed {
            return None;
        }
        match retry_after(response) {
            Some(asked) if asked > self.policy.max_retry_after => None,
            Some(asked) => Some(asked + jitter(Duration::from_millis(250))),
            None => Some(backoff(attempt)),
        }
    }

    async fn attempt(&self, request: &Request<'_>, request_id: &str) -> Result<Response, Failure> {
        let mut builder = self
            .pools
            .get()
            .map_err(|error| Failure {
                error,
                not_sent: true,
            })?
            .request(request.method.clone(), request.url.clone())
            .header(ACCEPT, JSON.clone())
            .header(&MS_REQUEST_ID, request_id)
            .header(&MS_CORRELATION_ID, self.correlation_header.clone())
            .header(&X_LOCALE, self.locale.clone());
        if let Some(app) = &self.application {
            builder = builder.header(&MS_APPLICATION, app.clone());
        }
        if let Some(authorization) = &request.authorization {
            builder = builder.header(AUTHORIZATION, authorization.clone());
        }
        for (name, value) in request.extra_headers {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(form) = request.form {
            builder = builder.form(form);
        }
        if let Some(body) = request.json_body {
            builder = builder
                .header(CONTENT_TYPE, JSON.clone())
                .body(body.to_vec());
        }
        let mut response = builder
            .send()
            .await
            .map_err(|e| Failure::from_reqwest(&e, request_id, &self.correlation_id))?;
        let status = response.status();
        // Taken, not cloned: the body is read through the response, which needs no headers.
        let headers = std::mem::take(response.headers_mut());
        let echoed = |name: &str, sent: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
                .map_or_else(
                    || sent.to_owned(),
                    |v| crate::service_error::bound(v, crate::service_error::MAX_FIELD_CHARS),
                )
        };
        let request_id = echoed("ms-requestid", request_id);
        let correlation_id = echoed("ms-correlationid", &self.correlation_id);
        let cap = self.policy.max_response_bytes;
        let too_large = || Failure {
            error: Error::new(
                ErrorKind::ResponseTooLarge,
                format!(
                    "the answer is larger than the cap of {cap} bytes (option max_response_bytes)"
                ),
            )
            .with_http_status(status.as_u16())
            .with_ids(Some(request_id.clone()), Some(correlation_id.clone())),
            not_sent: false,
        };
        if response.content_length().is_some_and(|len| len > cap) {
            return Err(too_large());
        }
        // `Content-Length` is the peer's word, not a byte that arrived: reserving it would let
        // one header size an allocation (1 TiB aborted the process). Reserve a small bound and
        // let the buffer grow with what actually comes.
        let reserve = response
            .content_length()
            .unwrap_or(0)
            .min(INITIAL_BODY_RESERVE);
        let mut body = Vec::with_capacity(reserve as usize);
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() as u64 + chunk.len() as u64 > cap {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(Failure::from_reqwest(&e, &request_id, &correlation_id)),
            }
        }
        if body.starts_with(b"\xEF\xBB\xBF") {
            body.drain(..3);
        }
        Ok(Response {
            status,
            headers,
            body,
            request_id,
            correlation_id,
        })
    }
}

/// A failed attempt, and whether the request surely never reached the service.
struct Failure {
    error: Error,
    not_sent: bool,
}

impl Failure {
    fn kind(&self) -> ErrorKind {
        self.error.kind()
    }

    fn from_reqwest(e: &reqwest::Error, request_id: &str, correlation_id: &str) -> Self {
        let ids = (Some(request_id.to_owned()), Some(correlation_id.to_owned()));
        let (kind, what) = if let Some(tls) = find_tls_error(e) {
            (ErrorKind::Tls, format!("TLS failed: {tls}"))
        } else if e.is_timeout() {
            (ErrorKind::Timeout, "the connection timed out".to_owned())
        } else if e.is_connect() {
            (
                ErrorKind::Network,
                format!("cannot connect: {}", root_cause(e)),
            )
        } else {
            (
                ErrorKind::Network,
                format!("the connection failed: {}", root_cause(e)),
            )
        };
        // A TLS or connect failure means the request never left this process.
        let not_sent = e.is_connect() || kind == ErrorKind::Tls;
        let kind = if kind == ErrorKind::Timeout && e.is_connect() {
            ErrorKind::Network
        } else {
            kind
        };
        Failure {
            error: Error::new(kind, what).with_ids(ids.0, ids.1),
            not_sent,
        }
    }
}

fn root_cause(e: &(dyn StdError + 'static)) -> String {
    let mut cause: &(dyn StdError + 'static) = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn find_tls_error(e: &(dyn StdError + 'static)) -> Option<String> {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = cause {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        // hyper-util wraps the rustls error in io::Errors, whose source() skips the wrapped error.
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            cause = Some(inner);
            continue;
        }
        cause = err.source();
    }
    None
}

/// The wait the service asked for: the `Retry-After` header (seconds or HTTP date), or the
/// throttling body's "Try again in N seconds".
fn retry_after(response: &Response) -> Option<Duration> {
    if let Some(value) = response
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
    {
        let value = value.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(when) = httpdate::parse_http_date(value) {
            return Some(
                when.duration_since(std::time::SystemTime::now())
                    .unwrap_or_default(),
            );
        }
    }
    if response.status.as_u16() == 429 {
        let body: Value = serde_json::from_slice(&response.body).ok()?;
        let message = body.get("message")?.as_str()?;
        let after = message.split("Try again in ").nth(1)?;
        let secs: u64 = after.split_whitespace().next()?.parse().ok()?;
        return Some(Duration::from_secs(secs));
    }
    None
}

/// The `Retry-After` of an answer, for errors.
pub(crate) fn retry_after_of(response: &Response) -> Option<Duration> {
    retry_after(response)
}

/// Exponential backoff with full jitter in its upper half: 0.25–0.5 s, 0.5–1 s, 1–2 s, … ≤ 8 s.
fn backoff(attempt: u32) -> Duration {
    let full = BASE_BACKOFF
        .saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX))
        .min(MAX_BACKOFF);
    full / 2 + jitter(full / 2)
}

fn jitter(max: Duration) -> Duration {
    max.mul_f64(fastrand::f64())
}

/// Follows at most 5 redirects, and only within the same origin (scheme, host and port). A
/// redirect elsewhere is never followed: reqwest would drop the Authorization header, but a 307/308
/// re-sends the body, which for a token request holds the refresh token or the client secret.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() >= 5 || !same_origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// The default TLS setup, built once per process: loading and parsing the operating system's
/// trust store costs milliseconds, which every client would otherwise pay again.
static DEFAULT_TLS: once_cell::sync::Lazy<std::result::Result<rustls::ClientConfig, Error>> =
    once_cell::sync::Lazy::new(|| build_tls_config(None));

/// rustls with the ring provider, verifying against the operating system's trust store plus
/// any CA certificates the caller added. There is deliberately no way to skip verification.
fn tls_config(extra_ca_pem: Option<&str>) -> Result<rustls::ClientConfig> {
    match extra_ca_pem {
        None => DEFAULT_TLS.clone(),
        Some(_) => build_tls_config(extra_ca_pem),
    }
}

fn build_tls_config(extra_ca_pem: Option<&str>) -> Result<rustls::ClientConfig> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error =
        |e: rustls::Error| Error::new(ErrorKind::Tls, format!("cannot set up TLS: {e}"));
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?;
    let verifier = match extra_ca_pem {
        None => rustls_platform_verifier::Verifier::new(provider).map_err(tls_error)?,
        Some(pem) => {
            let roots = CertificateDer::pem_slice_iter(pem.as_bytes())
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidOptions,
                        "option 'ca_certificate_pem' is not valid PEM",
                    )
                })?;
            if roots.is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidOptions,
                    "option 'ca_certificate_pem' holds no CERTIFICATE block",
                ));
            }
            rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider)
                .map_err(tls_error)?
        }
    };
    Ok(builder
        .dangerous() // a custom verifier, not a disabled one: the platform verifier checks everything
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}
