//! Billing profiles over the C ABI.

use std::ffi::c_char;

use super::client::{client_arg, pc_client};
use super::customers::json_out;
use super::guard::guarded;
use super::status::pc_status;
use super::strings::{give, out_param, str_arg};
use crate::billing::BillingProfile;
use crate::error::{Error, ErrorKind};

/// Gets a customer's billing profile. On `PC_OK`, `*out_profile_json` receives it as JSON
/// (service shape; `attributes.etag` is what an update needs; unknown fields included); free it
/// with `pc_string_free`. Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_ARGUMENT`,
/// `PC_ERR_NOT_FOUND`, `PC_ERR_AUTHENTICATION`, `PC_ERR_FORBIDDEN`, `PC_ERR_THROTTLED`,
/// `PC_ERR_SERVICE`, `PC_ERR_TIMEOUT`, `PC_ERR_NETWORK`, `PC_ERR_TLS`, `PC_ERR_BAD_RESPONSE`,
/// `PC_ERR_RESPONSE_TOO_LARGE`, `PC_ERR_CANCELLED` (`pc_client_cancel`), `PC_ERR_PANIC`.
///
/// # Safety
/// `client` is NULL or a live client; `customer_id` NULL or NUL-terminated; the out-param NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_get_billing_profile(
    client: *const pc_client,
    customer_id: *const c_char,
    out_profile_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_profile_json, "out_profile_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let id = unsafe { str_arg(customer_id, "customer_id") }?;
        *out = give(json_out(&client.get_billing_profile(id)?)?);
        Ok(())
    })
}

/// Replaces a customer's billing profile. `profile_json` is a profile as read with
/// `pc_get_billing_profile` and then changed; its `attributes.etag` is sent as `If-Match`, so
/// if the profile changed on the service since it was read, nothing is overwritten and the call
/// fails with `PC_ERR_CONFLICT`. Never retried unless the service surely did not act on it.
/// On `PC_OK`, `*out_profile_json` (may be NULL if not wanted) receives the stored profile
/// with its new ETag. Thread-safe.
///
/// Keys are read case-insensitively, as the service reads them (`Attributes.Etag`, `FirstName`
/// as in Partner Center's request examples; the same key twice in different case is refused);
/// the ETag may be a JSON string or number and is sent as it came.
///
/// Statuses: those of `pc_get_billing_profile`, plus `PC_ERR_CONFLICT` (a 412 or a 409: the
/// message says "stale ETag" only when the service said so, otherwise it carries the service's
/// own cause and code) and `PC_ERR_BAD_REQUEST` (the service refused a field);
/// `PC_ERR_INVALID_ARGUMENT` for JSON that is not a profile or has no `attributes.etag`.
///
/// # Safety
/// `client` is NULL or a live client; the strings NULL or NUL-terminated; the out-param NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_update_billing_profile(
    client: *const pc_client,
    customer_id: *const c_char,
    profile_json: *const c_char,
    out_profile_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { super::strings::optional_out_param(out_profile_json) };
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let id = unsafe { str_arg(customer_id, "customer_id") }?;
        // SAFETY: per this function's contract.
        let json = unsafe { str_arg(profile_json, "profile_json") }?;
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let profile: BillingProfile = serde_json::from_str(json).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "profile_json is not a billing profile (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        let stored = client.update_billing_profile(id, &profile)?;
        if let Some(slot) = out {
            *slot = give(json_out(&stored)?);
        }
        Ok(())
    })
}
