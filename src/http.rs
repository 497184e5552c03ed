//! The one place requests are sent: headers, request ids, attempts within the call's deadline,
//! size caps, and what a failed attempt was.
//!
//! Every operation and every door inherits this:
//! - a new `MS-RequestId` per request, reused only when a retry follows an attempt that got no
//!   answer at all (the service may have seen it);
//! - which outcomes are tried again, and after how long, is `retry`'s decision; this module
//!   runs the attempts and the waits it asks for;
//! - bodies over the cap are refused, never buffered without bound.
//!
//! How connections are made (TLS trust, proxies, redirects) is `tls` and `pool`; what a non-2xx
//! answer's body means is `service_error`.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::config::ClientOptions;
use crate::error::{Error, ErrorKind, Result};
pub(crate) use crate::retry::Idempotency;
use crate::retry::{Next, Outcome, Retries, RetryPolicy};

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("partnercenter/", env!("CARGO_PKG_VERSION"));

// Header names and values made once, not parsed and checked again on every request.
static MS_REQUEST_ID: HeaderName = HeaderName::from_static("ms-requestid");
static MS_CORRELATION_ID: HeaderName = HeaderName::from_static("ms-correlationid");
static X_LOCALE: HeaderName = HeaderName::from_static("x-locale");
static MS_APPLICATION: HeaderName = HeaderName::from_static("ms-partnercenter-application");
static CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// Whose conventions a request follows: the id headers it sends and reads back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    /// Partner Center (and Entra ID's token endpoint, as before): `MS-RequestId`,
    /// `MS-CorrelationId`, `X-Locale`, `MS-PartnerCenter-Application`; the answer's
    /// `MS-RequestId` and `MS-CorrelationId` are read back.
    PartnerCenter,
    /// Microsoft Graph: `client-request-id` only; the answer's `request-id` is read back.
    Graph,
}
static JSON: HeaderValue = HeaderValue::from_static("application/json");
static FORM: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");

/// Most a body buffer reserves before bytes arrive, whatever `Content-Length` says (64 KiB holds
/// a typical answer whole; larger ones grow as they are read).
const INITIAL_BODY_RESERVE: u64 = 64 * 1024;

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
    pub service: Service,
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

/// The deadline, retry and size policy of one client.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    /// A whole call's deadline, every attempt and wait included.
    pub timeout: Duration,
    pub retry: RetryPolicy,
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
        let tls = crate::tls::client_config(options.ca_certificate_pem.as_deref())?;
        let pools = crate::pool::Pools::new(tls, options.connect_timeout, USER_AGENT)?;
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
                timeout: options.timeout,
                retry: RetryPolicy {
                    max_retries: options.max_retries,
                    attempt_timeout: options.attempt_timeout,
                    max_retry_after: options.max_retry_after,
                },
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
        let mut retries = Retries::new(
            &self.policy.retry,
            request.idempotency,
            deadline,
            fastrand::Rng::new(),
        );
        loop {
            let Some(budget) = retries.budget(Instant::now()) else {
                return Err(self.timeout_error(&request_id));
            };
            let attempt = tokio::time::timeout(budget, self.attempt(request, &request_id)).await;
            let (outcome, result) = match attempt {
                Ok(Ok(response)) => (
                    Outcome::Answered {
                        status: response.status.as_u16(),
                        retry_after: retry_after_of(&response),
                    },
                    Ok(response),
                ),
                Ok(Err(failure)) => (
                    Outcome::Failed {
                        network: failure.kind() == ErrorKind::Network,
                        not_sent: failure.not_sent,
                    },
                    Err(failure.error),
                ),
                Err(_elapsed) => (
                    Outcome::TimedOut,
                    Err(Error::new(
                        ErrorKind::Timeout,
                        format!(
                            "no answer within the per-attempt timeout of {} ms",
                            budget.as_millis()
                        ),
                    )
                    .with_ids(Some(request_id.clone()), Some(self.correlation_id.clone()))),
                ),
            };
            match retries.after(outcome, Instant::now()) {
                Next::Finish => return result,
                Next::Expired => return Err(self.timeout_error(&request_id)),
                Next::Retry {
                    wait,
                    new_request_id,
                } => {
                    tracing::debug!(?outcome, request_id = %request_id, ?wait, "retrying");
                    if new_request_id {
                        request_id = uuid::Uuid::new_v4().to_string();
                    }
                    tokio::time::sleep(wait).await;
                }
            }
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

    async fn attempt(&self, request: &Request<'_>, request_id: &str) -> Result<Response, Failure> {
        let mut builder = self
            .pools
            .get()
            .map_err(|error| Failure {
                error,
                not_sent: true,
            })?
            .request(request.method.clone(), request.url.clone())
            .header(ACCEPT, JSON.clone());
        builder = match request.service {
            Service::PartnerCenter => {
                builder = builder
                    .header(&MS_REQUEST_ID, request_id)
                    .header(&MS_CORRELATION_ID, self.correlation_header.clone())
                    .header(&X_LOCALE, self.locale.clone());
                match &self.application {
                    Some(app) => builder.header(&MS_APPLICATION, app.clone()),
                    None => builder,
                }
            }
            Service::Graph => builder.header(&CLIENT_REQUEST_ID, request_id),
        };
        if let Some(authorization) = &request.authorization {
            builder = builder.header(AUTHORIZATION, authorization.clone());
        }
        for (name, value) in request.extra_headers {
            builder = builder.header(name.clone(), value.clone());
        }
        // Encoded here rather than by `RequestBuilder::form` so the length is known for the
        // error when the peer drops the connection mid-body.
        let mut body_len = None;
        if let Some(form) = request.form {
            let encoded = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.iter())
                .finish();
            body_len = Some(encoded.len());
            builder = builder.header(CONTENT_TYPE, FORM.clone()).body(encoded);
        }
        if let Some(body) = request.json_body {
            body_len = Some(body.len());
            builder = builder
                .header(CONTENT_TYPE, JSON.clone())
                .body(body.to_vec());
        }
        let mut response = builder.send().await.map_err(|e| {
            Failure::from_reqwest(&e, request_id, &self.correlation_id).while_sending(&e, body_len)
        })?;
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
                    |v| crate::service_text::bound(v, crate::service_text::MAX_FIELD_CHARS),
                )
        };
        let (request_id, correlation_id) = match request.service {
            Service::PartnerCenter => (
                echoed("ms-requestid", request_id),
                echoed("ms-correlationid", &self.correlation_id),
            ),
            Service::Graph => (
                echoed("request-id", request_id),
                self.correlation_id.clone(),
            ),
        };
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

impl Failure {
    /// A connection closed or reset while a body was being written is most likely the peer
    /// refusing its size: a front end answers 413 and closes without reading the rest, and the
    /// answer is lost with the connection. Says so, so the caller looks at the size.
    fn while_sending(mut self, e: &reqwest::Error, body_len: Option<usize>) -> Self {
        let Some(len) = body_len.filter(|&len| len > 0) else {
            return self;
        };
        if self.not_sent || self.kind() != ErrorKind::Network || !closed_by_peer(e) {
            return self;
        }
        let (request_id, correlation_id) = (
            self.error.request_id().map(str::to_owned),
            self.error.correlation_id().map(str::to_owned),
        );
        self.error = Error::new(
            ErrorKind::Network,
            format!(
                "the service closed the connection while the {len}-byte request body was being \
                 sent; it may refuse a body this large (HTTP 413 Payload Too Large): {}",
                root_cause(e)
            ),
        )
        .with_ids(request_id, correlation_id);
        self
    }
}

/// Whether an `io::Error` in the chain says the peer closed or reset the connection.
fn closed_by_peer(e: &(dyn StdError + 'static)) -> bool {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = cause {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
            ) {
                return true;
            }
        }
        cause = err.source();
    }
    false
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

/// The wait an answer asks for (`Retry-After`, or the throttling message), for the retry
/// policy and for errors.
pub(crate) fn retry_after_of(response: &Response) -> Option<Duration> {
    crate::retry::asked_wait(
        response.status.as_u16(),
        &response.headers,
        &response.body,
        SystemTime::now(),
    )
}
