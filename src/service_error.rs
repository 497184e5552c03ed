//! Service-error mapping in one place: what Partner Center (an ApiFault) or Entra ID (an OAuth
//! error) said about a failure, turned into an [`Error`].
//!
//! Rules every mapping here follows:
//! - every service-supplied text is bounded ([`MAX_TEXT_CHARS`] for descriptions and `data[]`,
//!   [`MAX_FIELD_CHARS`] for codes and ids) and stripped of control characters;
//! - the description, the code(s) and the ApiFault's `data[]` are kept, also when the library
//!   adds its own sentence (a final 401, an expired refresh token, missing MFA);
//! - every id that was known (status, `MS-RequestId`, `MS-CorrelationId`) is on the error;
//! - the client's own secrets are removed by [`redact`](crate::service_text::redact) where they are known (the token source
//!   and the API call), whatever the service echoed.

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::http::{Response, retry_after_of};
pub(crate) use crate::service_text::{MAX_FIELD_CHARS, MAX_TEXT_CHARS, bound};

/// Most `data[]` entries and error codes kept from one answer.
const MAX_ITEMS: usize = 8;
/// The Partner Center code of a refusal for a token without a multi-factor claim (App+User,
/// enforced since 1 April 2026).
pub const MFA_REQUIRED_CODE: &str = "900421";
/// Entra ID codes meaning the refresh token can no longer be used: expired (70008, 700082,
/// 700084), revoked or its grant withdrawn (50173, 70000 with a revoked grant, 50132, 700081).
const DEAD_REFRESH_TOKEN_CODES: [&str; 6] = [
    "AADSTS70008",
    "AADSTS700082",
    "AADSTS700084",
    "AADSTS50173",
    "AADSTS50132",
    "AADSTS700081",
];
/// Entra ID codes asking for multi-factor authentication.
const MFA_CODES: [&str; 3] = ["AADSTS50076", "AADSTS50079", "AADSTS900421"];

/// The fix a runbook applies for a dead refresh token or missing MFA.
const SIGN_IN_AGAIN: &str = "sign in again with the device code (and complete multi-factor \
     authentication) to get a new refresh token";

// Reading an answer's body lives here, not in http.rs, because what an unreadable one means
// is this module's job (http.rs stays below it).
impl Response {
    /// The body as JSON, or a bad-response error naming what was expected.
    pub fn json(&self, what: &str) -> crate::error::Result<Value> {
        self.parse(what)
    }

    /// The body as a `T`, or a bad-response error carrying this answer's status and ids.
    pub fn parse<T: serde::de::DeserializeOwned>(&self, what: &str) -> crate::error::Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| unreadable(self, what, &e))
    }
}

/// Where a 401 leaves the call, for the sentence its error starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not a 401, or a 401 the client will answer by renewing its token.
    Plain,
    /// A 401 that came after the one token renewal.
    AfterRenewal,
    /// A 401 for a caller-supplied access token, which cannot be renewed.
    GivenToken,
}

/// The Partner Center error of a non-2xx API answer: both body shapes (ApiFault
/// `{code, description, data[]}` and `{message}`), every status, the service's description and
/// code kept whatever `refusal` says.
pub(crate) fn api(response: &Response, operation: &str, refusal: Refusal) -> Error {
    let status = response.status.as_u16();
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let field = |name: &str| body.as_ref().and_then(|b| b.get(name));
    let code = field("code")
        .and_then(|c| match c {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        })
        .map(|c| bound(&c, MAX_FIELD_CHARS));
    let description = field("description")
        .or_else(|| field("message"))
        .and_then(Value::as_str)
        .map(|s| bound(s, MAX_TEXT_CHARS));
    let details: Vec<String> = match field("data") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(bound(s, MAX_TEXT_CHARS)),
                Value::Null | Value::String(_) => None,
                other => Some(bound(&other.to_string(), MAX_TEXT_CHARS)),
            })
            .take(MAX_ITEMS)
            .collect(),
        _ => Vec::new(),
    };
    let kind = kind_of(status);
    let reason = response.status.canonical_reason().unwrap_or("");
    let mfa = code.as_deref() == Some(MFA_REQUIRED_CODE);
    let mut message = if mfa {
        format!(
            "{operation}: Partner Center requires multi-factor authentication ({status} {reason}): \
             the access token has no MFA claim; {SIGN_IN_AGAIN}"
        )
    } else if status == 401 && refusal == Refusal::AfterRenewal {
        format!(
            "{operation}: Partner Center refused the access token ({status} {reason}) even after \
             a fresh sign-in"
        )
    } else if status == 401 && refusal == Refusal::GivenToken {
        format!(
            "{operation}: Partner Center refused the given access token ({status} {reason}: \
             expired or not valid for Partner Center); supply a new one, or use refresh-token \
             credentials that renew themselves"
        )
    } else {
        format!("{operation}: Partner Center answered {status} {reason}")
    };
    if let Some(d) = &description {
        message.push_str(": ");
        message.push_str(d);
    }
    if let Some(c) = &code {
        message.push_str(&format!(" (code {c})"));
    }
    if !details.is_empty() {
        message.push_str(&format!(" (details: {})", details.join("; ")));
    }
    message.push_str(&format!(" [MS-RequestId {}]", response.request_id));
    let mut error = response
        .error(kind, message)
        .with_retry_after(retry_after_of(response))
        .with_details(details);
    if let Some(c) = code {
        error = error.with_service_codes(vec![c]);
    }
    error
}

/// The error of a non-2xx Microsoft Graph answer: `{"error": {"code", "message", "innerError":
/// {"request-id", "client-request-id", "date"}}}`, every status. The Graph `code` becomes the
/// service code and `innerError.request-id` (or the `request-id` header) the request id.
pub(crate) fn graph(response: &Response, operation: &str, refusal: Refusal) -> Error {
    let status = response.status.as_u16();
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let error = body.as_ref().and_then(|b| b.get("error"));
    let text = |value: Option<&Value>, max| {
        value
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(|s| bound(s, max))
    };
    let code = text(error.and_then(|e| e.get("code")), MAX_FIELD_CHARS);
    let description = text(error.and_then(|e| e.get("message")), MAX_TEXT_CHARS);
    let inner = error.and_then(|e| e.get("innerError").or_else(|| e.get("innererror")));
    let request_id = text(inner.and_then(|i| i.get("request-id")), MAX_FIELD_CHARS)
        .unwrap_or_else(|| response.request_id.clone());
    let reason = response.status.canonical_reason().unwrap_or("");
    let mut message = match (status, refusal) {
        (401, Refusal::AfterRenewal) => format!(
            "{operation}: Microsoft Graph refused the access token ({status} {reason}) even \
             after a fresh sign-in; the application needs the Graph permission \
             DelegatedAdminRelationship.ReadWrite.All"
        ),
        _ => format!("{operation}: Microsoft Graph answered {status} {reason}"),
    };
    if let Some(d) = &description {
        message.push_str(": ");
        message.push_str(d);
    }
    if let Some(c) = &code {
        message.push_str(&format!(" (code {c})"));
    }
    message.push_str(&format!(" [request-id {request_id}]"));
    let mut error = Error::new(kind_of(status), message)
        .with_http_status(status)
        .with_ids(Some(request_id), Some(response.correlation_id.clone()))
        .with_retry_after(retry_after_of(response));
    if let Some(c) = code {
        error = error.with_service_codes(vec![c]);
    }
    error
}

/// The error kind of an HTTP status, for both services.
fn kind_of(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Authentication,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        409 | 412 => ErrorKind::Conflict,
        429 => ErrorKind::Throttled,
        408 => ErrorKind::Timeout,
        400..=499 => ErrorKind::BadRequest,
        _ => ErrorKind::Service,
    }
}

/// An Entra ID error answer, parsed.
#[derive(Debug)]
pub(crate) struct EntraError {
    /// The OAuth error code (`authorization_pending`, `slow_down`, …).
    pub error_code: String,
    /// The error as the library reports it.
    pub error: Error,
}

/// Parses `{"error", "error_description": "AADSTSnnnnn: …", "error_codes": [..], "trace_id",
/// "correlation_id"}`.
pub(crate) fn entra(response: &Response) -> Option<EntraError> {
    let body: Value = serde_json::from_slice(&response.body).ok()?;
    let error = bound(body.get("error")?.as_str()?, MAX_FIELD_CHARS);
    let description = body
        .get("error_description")
        .and_then(Value::as_str)
        .unwrap_or("");
    // Entra appends trace and correlation lines; the first line is the part people need.
    let first_line = description
        .split("Trace ID:")
        .next()
        .and_then(|d| d.lines().next())
        .unwrap_or("")
        .trim();
    let first_line = bound(first_line, MAX_TEXT_CHARS);
    let aadsts = first_line
        .split(':')
        .next()
        .filter(|c| c.starts_with("AADSTS") && c.len() <= 16)
        .map(str::to_owned);
    // Every code: the description's first, then `error_codes`, each once.
    let mut codes: Vec<String> = aadsts.into_iter().collect();
    if let Some(Value::Array(numbers)) = body.get("error_codes") {
        for n in numbers.iter().take(MAX_ITEMS) {
            let code = match n {
                Value::Number(n) => format!("AADSTS{n}"),
                Value::String(s) => bound(s, MAX_FIELD_CHARS),
                _ => continue,
            };
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    if codes.is_empty() {
        codes.push(error.clone());
    }
    let field = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(|s| bound(s, MAX_FIELD_CHARS))
    };
    let trace = field("trace_id");
    let correlation = field("correlation_id");
    let has = |set: &[&str]| codes.iter().any(|c| set.contains(&c.as_str()));
    let mut message = if has(&MFA_CODES) {
        format!("sign-in failed: multi-factor authentication is required; {SIGN_IN_AGAIN}: {error}")
    } else if has(&DEAD_REFRESH_TOKEN_CODES) {
        format!(
            "sign-in failed: the refresh token has expired or was revoked; {SIGN_IN_AGAIN}: {error}"
        )
    } else {
        format!("sign-in failed: {error}")
    };
    if !first_line.is_empty() {
        message.push_str(": ");
        message.push_str(&first_line);
    }
    if codes.len() > 1 {
        message.push_str(&format!(" (codes {})", codes.join(", ")));
    }
    if let Some(trace) = &trace {
        message.push_str(&format!(" [trace id {trace}]"));
    }
    let kind = if response.status.as_u16() >= 500 {
        ErrorKind::Service
    } else {
        ErrorKind::Authentication
    };
    let e = Error::new(kind, message)
        .with_http_status(response.status.as_u16())
        .with_service_codes(codes)
        .with_ids(
            trace.or_else(|| Some(response.request_id.clone())),
            correlation.or_else(|| Some(response.correlation_id.clone())),
        )
        .with_retry_after(retry_after_of(response));
    Some(EntraError {
        error_code: error,
        error: e,
    })
}

/// A token-endpoint answer that is not an Entra ID error body.
pub(crate) fn unreadable_token_answer(response: &Response) -> Error {
    let status = response.status.as_u16();
    let kind = if status >= 500 || status == 429 {
        ErrorKind::Service
    } else {
        ErrorKind::Authentication
    };
    response.error(
        kind,
        format!(
            "sign-in failed: the token endpoint answered {status} without an Entra ID error body"
        ),
    )
}

/// An answer whose status is a success but whose body cannot be read, with every id known.
pub(crate) fn unreadable(response: &Response, what: &str, cause: &serde_json::Error) -> Error {
    let problem = if cause.is_syntax() || cause.is_eof() {
        "is not valid JSON"
    } else {
        "is not what was expected"
    };
    response.error(
        ErrorKind::BadResponse,
        format!(
            "the {what} answer {problem} ({}) [MS-RequestId {}]",
            bound(&cause.to_string(), MAX_TEXT_CHARS),
            response.request_id
        ),
    )
}
