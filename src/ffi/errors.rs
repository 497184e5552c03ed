//! Last error, status names, version and string freeing.

use std::ffi::c_char;

use serde_json::json;

use super::guard::{guarded_value, guarded_void, last_error};
use super::status::{pc_status, pc_status_code};
use super::strings::{give, owned, take_back};

/// This thread's last error message, or NULL when the last status-returning call succeeded.
///
/// The caller frees the result with `pc_string_free`. Reading does not clear the error.
/// Messages never contain secrets.
#[unsafe(no_mangle)]
pub extern "C" fn pc_last_error_message() -> *mut c_char {
    guarded_value(std::ptr::null_mut(), || {
        last_error()
            .and_then(|e| owned(e.message()).ok())
            .map_or(std::ptr::null_mut(), give)
    })
}

/// This thread's last error as JSON, or NULL when the last status-returning call succeeded:
/// `{"status": int, "statusName": "PC_ERR_…", "kind": "NotFound"…, "message": string,
/// "httpStatus": int|null, "serviceCode": string|null, "requestId": string|null,
/// "correlationId": string|null, "retryAfterSeconds": number|null, "serviceCodes": [string],
/// "details": [string]}`.
///
/// `serviceCodes` holds every code the service gave (Entra ID may give several, e.g.
/// `["AADSTS70002", "AADSTS70008"]`); its first is `serviceCode`. `details` is a Partner Center
/// ApiFault's `data[]` (e.g. "LicenseQuotaExceededException: …"). Every service-supplied text is
/// bounded (1000 characters for texts, 128 for codes and ids) and never holds the client's own
/// secrets (replaced by "[redacted]").
///
/// The caller frees the result with `pc_string_free`. Reading does not clear the error.
#[unsafe(no_mangle)]
pub extern "C" fn pc_last_error_json() -> *mut c_char {
    guarded_value(std::ptr::null_mut(), || {
        let Some(e) = last_error() else {
            return std::ptr::null_mut();
        };
        let status = pc_status_code::of(e.kind());
        let value = json!({
            "status": status as i32,
            "statusName": status.name(),
            "kind": format!("{:?}", e.kind()),
            "message": e.message(),
            "httpStatus": e.http_status(),
            "serviceCode": e.service_code(),
            "requestId": e.request_id(),
            "correlationId": e.correlation_id(),
            "retryAfterSeconds": e.retry_after().map(|d| d.as_secs_f64()),
            "serviceCodes": e.service_codes(),
            "details": e.details(),
        });
        owned(value.to_string()).map_or(std::ptr::null_mut(), give)
    })
}

/// Frees a string returned by this library. NULL is a no-op. Never pass it a string from
/// `pc_status_name` or `pc_version` (static), nor one already freed.
///
/// # Safety
/// `s` is NULL or a string returned by this library and not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_string_free(s: *mut c_char) {
    // SAFETY: per this function's contract.
    guarded_void(|| unsafe { take_back(s) })
}

/// The name of a status, e.g. "PC_ERR_NOT_FOUND"; "PC_UNKNOWN_STATUS" for a value that is not
/// a status. Static: do not free. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn pc_status_name(status: pc_status) -> *const c_char {
    pc_status_code::from_value(status)
        .map_or(c"PC_UNKNOWN_STATUS".as_ptr(), |s| s.c_name().as_ptr())
}

/// The library version, e.g. "0.1.0". Static: do not free. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn pc_version() -> *const c_char {
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };
    VERSION.as_ptr()
}

/// TEST ONLY (cargo feature `test-exports`, never in release builds): panics inside the guard,
/// to prove a panic becomes `PC_ERR_PANIC` and the process lives on.
#[cfg(feature = "test-exports")]
#[unsafe(no_mangle)]
pub extern "C" fn pc_test_panic() -> pc_status {
    super::guard::guarded(|| panic!("deliberate test panic"))
}
