//! The status codes of the C ABI and their names.

use crate::error::ErrorKind;

/// The status every fallible C function returns (`pc_status`, an `int32_t`).
///
/// `PC_OK` is 0; failures come in bands: 1xx arguments, 2xx authentication, 3xx service
/// answers, 4xx transport, 9xx internal. A value is never reused for another meaning.
#[allow(non_camel_case_types)]
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum pc_status_code {
    /// Success.
    PC_OK = 0,
    /// A required pointer argument was NULL.
    PC_ERR_NULL_ARGUMENT = 100,
    /// A string argument was not valid UTF-8.
    PC_ERR_INVALID_UTF8 = 101,
    /// The options JSON was malformed, had an unknown key, a wrong type or a bad value.
    PC_ERR_INVALID_OPTIONS = 102,
    /// A URL used plain http:// for a host that is not loopback.
    PC_ERR_INSECURE_URL = 103,
    /// An argument had a value the operation cannot use.
    PC_ERR_INVALID_ARGUMENT = 104,
    /// Sign-in failed, or Partner Center refused the token (401).
    PC_ERR_AUTHENTICATION = 200,
    /// Partner Center refused the operation for these credentials (403), e.g. an app-only
    /// token on an operation that needs App+User.
    PC_ERR_FORBIDDEN = 201,
    /// The user declined the device-code sign-in.
    PC_ERR_DEVICE_CODE_DECLINED = 202,
    /// The device code expired before the user signed in.
    PC_ERR_DEVICE_CODE_EXPIRED = 203,
    /// The operation was cancelled by the caller.
    PC_ERR_CANCELLED = 204,
    /// The service rejected the request (400 and other 4xx without a status of their own).
    PC_ERR_BAD_REQUEST = 300,
    /// Not found (404).
    PC_ERR_NOT_FOUND = 301,
    /// Conflict or stale ETag (409, 412).
    PC_ERR_CONFLICT = 302,
    /// Throttled (429) and the wait asked for was longer than allowed; see retryAfterSeconds.
    PC_ERR_THROTTLED = 303,
    /// The service failed (5xx) past the retry budget.
    PC_ERR_SERVICE = 304,
    /// The call did not finish within its deadline.
    PC_ERR_TIMEOUT = 400,
    /// The connection could not be made or broke.
    PC_ERR_NETWORK = 401,
    /// TLS failed (untrusted certificate, wrong host, handshake).
    PC_ERR_TLS = 402,
    /// The answer could not be understood.
    PC_ERR_BAD_RESPONSE = 403,
    /// The answer was larger than max_response_bytes.
    PC_ERR_RESPONSE_TOO_LARGE = 404,
    /// A bug: a panic was caught at the boundary. The process is fine; the call failed.
    PC_ERR_PANIC = 900,
    /// An internal failure that fits no other status.
    PC_ERR_INTERNAL = 901,
}

/// The C type of a status: a plain `int32_t`, so any value a caller passes back is defined
/// behaviour (`pc_status_name` of an unknown value answers "PC_UNKNOWN_STATUS").
#[allow(non_camel_case_types)]
pub type pc_status = i32;

use pc_status_code::*;

const ALL: &[pc_status_code] = &[
    PC_OK,
    PC_ERR_NULL_ARGUMENT,
    PC_ERR_INVALID_UTF8,
    PC_ERR_INVALID_OPTIONS,
    PC_ERR_INSECURE_URL,
    PC_ERR_INVALID_ARGUMENT,
    PC_ERR_AUTHENTICATION,
    PC_ERR_FORBIDDEN,
    PC_ERR_DEVICE_CODE_DECLINED,
    PC_ERR_DEVICE_CODE_EXPIRED,
    PC_ERR_CANCELLED,
    PC_ERR_BAD_REQUEST,
    PC_ERR_NOT_FOUND,
    PC_ERR_CONFLICT,
    PC_ERR_THROTTLED,
    PC_ERR_SERVICE,
    PC_ERR_TIMEOUT,
    PC_ERR_NETWORK,
    PC_ERR_TLS,
    PC_ERR_BAD_RESPONSE,
    PC_ERR_RESPONSE_TOO_LARGE,
    PC_ERR_PANIC,
    PC_ERR_INTERNAL,
];

impl pc_status_code {
    /// The status of an error kind: the one mapping from the library's errors to C.
    pub fn of(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::NullArgument => PC_ERR_NULL_ARGUMENT,
            ErrorKind::InvalidUtf8 => PC_ERR_INVALID_UTF8,
            ErrorKind::InvalidOptions => PC_ERR_INVALID_OPTIONS,
            ErrorKind::InsecureUrl => PC_ERR_INSECURE_URL,
            ErrorKind::InvalidArgument => PC_ERR_INVALID_ARGUMENT,
            ErrorKind::Authentication => PC_ERR_AUTHENTICATION,
            ErrorKind::Forbidden => PC_ERR_FORBIDDEN,
            ErrorKind::DeviceCodeDeclined => PC_ERR_DEVICE_CODE_DECLINED,
            ErrorKind::DeviceCodeExpired => PC_ERR_DEVICE_CODE_EXPIRED,
            ErrorKind::Cancelled => PC_ERR_CANCELLED,
            ErrorKind::BadRequest => PC_ERR_BAD_REQUEST,
            ErrorKind::NotFound => PC_ERR_NOT_FOUND,
            ErrorKind::Conflict => PC_ERR_CONFLICT,
            ErrorKind::Throttled => PC_ERR_THROTTLED,
            ErrorKind::Service => PC_ERR_SERVICE,
            ErrorKind::Timeout => PC_ERR_TIMEOUT,
            ErrorKind::Network => PC_ERR_NETWORK,
            ErrorKind::Tls => PC_ERR_TLS,
            ErrorKind::BadResponse => PC_ERR_BAD_RESPONSE,
            ErrorKind::ResponseTooLarge => PC_ERR_RESPONSE_TOO_LARGE,
            ErrorKind::Panic => PC_ERR_PANIC,
            ErrorKind::Internal => PC_ERR_INTERNAL,
        }
    }

    /// The status with this numeric value, if there is one.
    pub fn from_value(value: i32) -> Option<Self> {
        ALL.iter().copied().find(|s| *s as i32 == value)
    }

    /// The constant's name, e.g. `PC_ERR_NOT_FOUND`, NUL-terminated for C.
    pub fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            PC_OK => c"PC_OK",
            PC_ERR_NULL_ARGUMENT => c"PC_ERR_NULL_ARGUMENT",
            PC_ERR_INVALID_UTF8 => c"PC_ERR_INVALID_UTF8",
            PC_ERR_INVALID_OPTIONS => c"PC_ERR_INVALID_OPTIONS",
            PC_ERR_INSECURE_URL => c"PC_ERR_INSECURE_URL",
            PC_ERR_INVALID_ARGUMENT => c"PC_ERR_INVALID_ARGUMENT",
            PC_ERR_AUTHENTICATION => c"PC_ERR_AUTHENTICATION",
            PC_ERR_FORBIDDEN => c"PC_ERR_FORBIDDEN",
            PC_ERR_DEVICE_CODE_DECLINED => c"PC_ERR_DEVICE_CODE_DECLINED",
            PC_ERR_DEVICE_CODE_EXPIRED => c"PC_ERR_DEVICE_CODE_EXPIRED",
            PC_ERR_CANCELLED => c"PC_ERR_CANCELLED",
            PC_ERR_BAD_REQUEST => c"PC_ERR_BAD_REQUEST",
            PC_ERR_NOT_FOUND => c"PC_ERR_NOT_FOUND",
            PC_ERR_CONFLICT => c"PC_ERR_CONFLICT",
            PC_ERR_THROTTLED => c"PC_ERR_THROTTLED",
            PC_ERR_SERVICE => c"PC_ERR_SERVICE",
            PC_ERR_TIMEOUT => c"PC_ERR_TIMEOUT",
            PC_ERR_NETWORK => c"PC_ERR_NETWORK",
            PC_ERR_TLS => c"PC_ERR_TLS",
            PC_ERR_BAD_RESPONSE => c"PC_ERR_BAD_RESPONSE",
            PC_ERR_RESPONSE_TOO_LARGE => c"PC_ERR_RESPONSE_TOO_LARGE",
            PC_ERR_PANIC => c"PC_ERR_PANIC",
            PC_ERR_INTERNAL => c"PC_ERR_INTERNAL",
        }
    }

    /// The name as a Rust string.
    pub fn name(self) -> &'static str {
        self.c_name().to_str().unwrap_or("PC_UNKNOWN_STATUS")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_unique_and_names_round_trip() {
        for (i, a) in ALL.iter().enumerate() {
            assert_eq!(pc_status_code::from_value(*a as i32), Some(*a));
            assert!(a.name().starts_with("PC_"));
            for b in &ALL[i + 1..] {
                assert_ne!(*a as i32, *b as i32);
            }
        }
        assert_eq!(pc_status_code::from_value(12345), None);
    }
}
