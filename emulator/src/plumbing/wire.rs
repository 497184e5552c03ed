//! Response shapes shared by every endpoint: Entra ID errors, Partner Center errors, the
//! throttling body, and JSON with the UTF-8 byte-order mark the real API sends.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::time::{SystemTime, UNIX_EPOCH};
use uuid::Uuid;

/// The UTF-8 byte-order mark Partner Center puts before its JSON bodies.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `application/json; charset=utf-8`, the content type of every JSON answer.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// A JSON answer without a byte-order mark (Entra ID, admin paths).
pub fn json(status: StatusCode, value: &Value) -> Response {
    bytes_response(status, value.to_string().into_bytes())
}

/// A JSON answer that starts with a byte-order mark (Partner Center `/v1`).
pub fn json_bom(status: StatusCode, value: &Value) -> Response {
    bytes_response(status, with_bom(value.to_string().as_bytes()))
}

/// `bytes` with the byte-order mark in front.
pub fn with_bom(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(BOM.len() + bytes.len());
    out.extend_from_slice(BOM);
    out.extend_from_slice(bytes);
    out
}

/// A JSON answer whose body is already serialized (byte-order mark included when wanted).
pub fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    bytes_response(status, body)
}

fn bytes_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, Body::from(body)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    response
}

/// The token of an `Authorization: Bearer <token>` header, if there is one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// An Entra ID error about to be answered (small, so it travels cheaply in `Result`s).
#[derive(Debug)]
pub struct EntraError {
    status: StatusCode,
    error: &'static str,
    code: u32,
    message: String,
}

impl EntraError {
    /// An `error` (OAuth code) with `AADSTS{code}: {message}` as its description.
    pub fn new(
        status: StatusCode,
        error: &'static str,
        code: u32,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            error,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for EntraError {
    fn into_response(self) -> Response {
        entra_error(self.status, self.error, self.code, &self.message)
    }
}

/// An Entra ID (AAD) error: `error`, `error_description` starting with `AADSTS{code}:`,
/// `error_codes`, `timestamp`, `trace_id`, `correlation_id`.
pub fn entra_error(status: StatusCode, error: &str, code: u32, message: &str) -> Response {
    let trace_id = Uuid::new_v4().to_string();
    let correlation_id = Uuid::new_v4().to_string();
    let timestamp = timestamp_now();
    let description = format!(
        "AADSTS{code}: {message} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}"
    );
    json(
        status,
        &json!({
            "error": error,
            "error_description": description,
            "error_codes": [code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
        }),
    )
}

/// The Partner Center error code the emulator uses for an HTTP status: `900000 + status`
/// (the real service uses six-digit codes; these never collide with its documented ones).
pub fn partner_center_code(status: StatusCode) -> u32 {
    900_000 + u32::from(status.as_u16())
}

/// The Partner Center error body `{"code","description","data":[],"source":"PartnerFD"}`.
pub fn partner_center_error_value(status: StatusCode, description: &str) -> Value {
    json!({
        "code": partner_center_code(status),
        "description": description,
        "data": [],
        "source": "PartnerFD",
    })
}

/// A Partner Center error answer (with the byte-order mark, as `/v1` answers have).
pub fn partner_center_error(status: StatusCode, description: &str) -> Response {
    json_bom(status, &partner_center_error_value(status, description))
}

/// The throttling body of a 429: `{"statusCode":429,"message":"Rate limit is exceeded. ..."}`.
pub fn throttling_value(retry_after_secs: u64) -> Value {
    json!({
        "statusCode": 429,
        "message": format!("Rate limit is exceeded. Try again in {retry_after_secs} seconds."),
    })
}

/// Seconds since the Unix epoch, now.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Now as Entra ID writes it: `2024-05-01 12:34:56Z`.
pub fn timestamp_now() -> String {
    format_timestamp(unix_now())
}

/// `time` as ISO 8601 in UTC with milliseconds, as Graph writes its `…DateTime` properties:
/// `2026-12-02T10:00:00.123Z` (the epoch for a time before it).
pub fn iso8601(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        since.subsec_millis()
    )
}

fn format_timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_entra_shaped() {
        assert_eq!(format_timestamp(0), "1970-01-01 00:00:00Z");
        assert_eq!(format_timestamp(1_714_566_896), "2024-05-01 12:34:56Z");
        assert_eq!(format_timestamp(951_782_400), "2000-02-29 00:00:00Z");
    }

    #[test]
    fn iso_timestamps_are_graph_shaped() {
        let time = UNIX_EPOCH + std::time::Duration::from_millis(1_714_566_896_042);
        assert_eq!(iso8601(time), "2024-05-01T12:34:56.042Z");
    }

    #[test]
    fn partner_center_codes_follow_the_status() {
        assert_eq!(partner_center_code(StatusCode::FORBIDDEN), 900_403);
    }
}
