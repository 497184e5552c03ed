//! The one error type of the library and its kinds.
//!
//! Every failure, from a bad option to a throttled call, is an [`Error`]: a [`ErrorKind`] that
//! callers branch on, a message for people, and the service facts a support ticket needs
//! (HTTP status, service error code, `MS-RequestId`, `MS-CorrelationId`, `Retry-After`).
//! Messages never contain secrets: they are written here and in the modules that build them,
//! never copied from option values.

use std::fmt;
use std::time::Duration;

/// What went wrong, coarse enough to branch on. Each kind maps to one C status
/// (see `ffi::status`), so adding a kind means adding a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A required argument was missing (a NULL pointer at the C ABI).
    NullArgument,
    /// A string argument was not valid UTF-8.
    InvalidUtf8,
    /// The options were malformed, named an unknown key, had a wrong type or a bad value.
    InvalidOptions,
    /// A URL used plain `http://` for a host that is not loopback.
    InsecureUrl,
    /// An argument had a value the operation cannot use.
    InvalidArgument,
    /// Sign-in failed, or the service refused the token (401).
    Authentication,
    /// The service refused the operation for these credentials (403).
    Forbidden,
    /// The user declined a device-code sign-in.
    DeviceCodeDeclined,
    /// A device-code sign-in was not completed before its code expired.
    DeviceCodeExpired,
    /// The caller cancelled the operation.
    Cancelled,
    /// The service rejected the request as malformed (400 and other 4xx not listed here).
    BadRequest,
    /// The resource does not exist (404).
    NotFound,
    /// The resource changed or conflicts (409, 412).
    Conflict,
    /// The service throttled the caller (429) and waiting was not possible within limits.
    Throttled,
    /// The service failed (5xx) past the retry budget.
    Service,
    /// The call did not finish within its deadline or per-attempt timeout.
    Timeout,
    /// The connection could not be made or broke.
    Network,
    /// TLS failed: certificate not trusted, wrong host, handshake error.
    Tls,
    /// The answer could not be understood (malformed JSON, missing fields).
    BadResponse,
    /// The answer was larger than the configured cap.
    ResponseTooLarge,
    /// A bug: a panic caught at the C ABI boundary.
    Panic,
    /// A failure inside the library that fits no other kind.
    Internal,
}

/// The library's error: a kind, a message, and what the service said about the failure.
///
/// ```
/// use partnercenter::{Error, ErrorKind};
/// let e = Error::new(ErrorKind::NotFound, "customer 42 does not exist").with_http_status(404);
/// assert_eq!(e.kind(), ErrorKind::NotFound);
/// assert_eq!(e.http_status(), Some(404));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    http_status: Option<u16>,
    /// The service's codes and details, out of line so the error stays small (`None`: neither).
    service: Option<Box<ServiceDetails>>,
    request_id: Option<String>,
    correlation_id: Option<String>,
    retry_after: Option<Duration>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the service said beyond its description: every code (the first one first) and a
/// Partner Center ApiFault's `data[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ServiceDetails {
    codes: Vec<String>,
    details: Vec<String>,
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with a message for people. The message must not contain secrets.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            http_status: None,
            service: None,
            request_id: None,
            correlation_id: None,
            retry_after: None,
        }
    }

    /// Sets the HTTP status of the answer that caused the error.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// Sets the service's own error code (`code` of a Partner Center body, AADSTS code of Entra ID).
    pub fn with_service_code(mut self, code: impl Into<String>) -> Self {
        self.service_mut().codes = vec![code.into()];
        self
    }

    fn service_mut(&mut self) -> &mut ServiceDetails {
        self.service.get_or_insert_with(Box::default)
    }

    /// Sets every code the service gave (Entra ID's `error_codes`), the first one first; it is
    /// also the [`Error::service_code`].
    pub fn with_service_codes(mut self, codes: Vec<String>) -> Self {
        if !codes.is_empty() || self.service.is_some() {
            self.service_mut().codes = codes;
        }
        self
    }

    /// Sets the details the service gave (a Partner Center ApiFault's `data[]`).
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        if !details.is_empty() || self.service.is_some() {
            self.service_mut().details = details;
        }
        self
    }

    /// Removes `secrets` (the client's own access token, refresh token, client secret) from the
    /// message and from every service-supplied field, whatever the service echoed.
    pub(crate) fn redact(mut self, secrets: &[&str]) -> Self {
        let clean = |s: &mut String| {
            let redacted = crate::service_text::redact(s, secrets);
            if redacted != *s {
                *s = redacted;
            }
        };
        clean(&mut self.message);
        if let Some(service) = self.service.as_mut() {
            service.codes.iter_mut().for_each(clean);
            service.details.iter_mut().for_each(clean);
        }
        if let Some(id) = self.request_id.as_mut() {
            clean(id);
        }
        if let Some(id) = self.correlation_id.as_mut() {
            clean(id);
        }
        self
    }

    /// Sets the `MS-RequestId` and `MS-CorrelationId` of the failed request.
    pub fn with_ids(mut self, request_id: Option<String>, correlation_id: Option<String>) -> Self {
        if request_id.is_some() {
            self.request_id = request_id;
        }
        if correlation_id.is_some() {
            self.correlation_id = correlation_id;
        }
        self
    }

    /// Sets how long the service asked the caller to wait before trying again.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// Replaces the message, keeping every other field.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// The kind, to branch on.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message for people (also the `Display` form).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the answer, when the service answered.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// The service's error code, when its body carried one.
    pub fn service_code(&self) -> Option<&str> {
        self.service_codes().first().map(String::as_str)
    }

    /// Every code the service gave, the first one being [`Error::service_code`]; Entra ID may
    /// give several (`[70002, 70008]`: the second says the refresh token expired).
    pub fn service_codes(&self) -> &[String] {
        self.service.as_deref().map_or(&[], |s| s.codes.as_slice())
    }

    /// The details the service gave beyond its description (a Partner Center ApiFault's
    /// `data[]`, e.g. "LicenseQuotaExceededException: …"), each bounded.
    pub fn details(&self) -> &[String] {
        self.service
            .as_deref()
            .map_or(&[], |s| s.details.as_slice())
    }

    /// The `MS-RequestId` of the failed request (quote it in support tickets).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `MS-CorrelationId` of the failed request.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// How long the service asked to wait before trying again (429/503), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}
