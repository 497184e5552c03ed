//! `pc_new_relationship_request`.

use std::ffi::c_char;

use super::client::{client_arg, pc_client};
use super::guard::guarded;
use super::status::pc_status;
use super::strings::{give, optional_out_param, out_param, owned};
use crate::error::{Error, ErrorKind};

/// Gets the reseller-relationship invitation link to send to customers
/// (`GET {base}/v1/customers/relationshiprequests`). Needs App+User credentials.
///
/// On `PC_OK`, `*out_url` receives the link and, when `out_json` is not NULL, `*out_json` the
/// whole object: `{"url", "attributes": {"objectType", …}, "requestId", "correlationId"}`. Both
/// are freed by the caller with `pc_string_free`. On failure both are set to NULL.
///
/// Blocks until done, retrying transient failures within the client's deadline. Thread-safe:
/// many threads may call it on one client at once.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT` (`client` or `out_url`), `PC_ERR_AUTHENTICATION`,
/// `PC_ERR_FORBIDDEN` (an app-only client: the message says App+User is needed),
/// `PC_ERR_BAD_REQUEST`, `PC_ERR_NOT_FOUND`, `PC_ERR_THROTTLED`, `PC_ERR_SERVICE`,
/// `PC_ERR_TIMEOUT`, `PC_ERR_CANCELLED` (`pc_client_cancel`), `PC_ERR_NETWORK`, `PC_ERR_TLS`,
/// `PC_ERR_BAD_RESPONSE`,
/// `PC_ERR_RESPONSE_TOO_LARGE`, `PC_ERR_INVALID_ARGUMENT` (called from inside an async runtime),
/// `PC_ERR_PANIC`.
///
/// # Safety
/// `client` is NULL or a live client; `out_url` and `out_json` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_new_relationship_request(
    client: *const pc_client,
    out_url: *mut *mut c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out_json = unsafe { optional_out_param(out_json) };
        // SAFETY: per this function's contract.
        let out_url = unsafe { out_param(out_url, "out_url") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        let link = client.new_relationship_request()?;
        let url = owned(link.url.as_str())?;
        let json = match &out_json {
            Some(_) => Some(owned(serde_json::to_string(&link).map_err(|e| {
                Error::new(
                    ErrorKind::Internal,
                    format!("cannot encode the result: {e}"),
                )
            })?)?),
            None => None,
        };
        *out_url = give(url);
        if let (Some(slot), Some(json)) = (out_json, json) {
            *slot = give(json);
        }
        Ok(())
    })
}
