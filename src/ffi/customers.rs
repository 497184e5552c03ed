//! Customers over the C ABI: a page cursor, get, wait, remove-relationship.
//!
//! Lists come through an opaque cursor (`pc_customer_pages_*`) rather than a callback: the
//! caller pulls one page (at most 500 customers) at a time, so memory stays bounded, stopping
//! early is just `pc_customer_pages_free`, and no foreign callback (a C# delegate, a Python
//! function) ever runs inside the library, where its exceptions or re-entrant calls could not
//! be handled safely.

use std::ffi::c_char;

use super::client::{client_arg, pc_client};
use super::guard::guarded;
use super::status::pc_status;
use super::strings::{free_boxed, give, null_argument, opt_str_arg, out_param, owned, str_arg};
use crate::blocking::CustomerPages;
use crate::error::{Error, ErrorKind, Result};
use crate::queries;

/// A customer listing in progress: the caller pulls one page (at most 500 customers) at a time.
///
/// A cursor rather than a per-customer callback: memory stays bounded to one page, stopping
/// early is just `pc_customer_pages_free`, and no foreign callback (a C# delegate, a Python
/// function) ever runs inside the library, where its exceptions or re-entrant calls could not be
/// handled safely. Not for sharing between threads: one thread at a time may call
/// `pc_customer_pages_next` on it (it may move between threads). It keeps its client alive.
#[allow(non_camel_case_types)]
pub struct pc_customer_pages {
    inner: CustomerPages,
}

pub(crate) fn json_out<T: serde::Serialize>(value: &T) -> Result<std::ffi::CString> {
    let text = serde_json::to_string(value).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("cannot encode the result: {e}"),
        )
    })?;
    owned(text)
}

/// Starts listing the partner's customers.
///
/// `query_json` may be NULL (every customer, 500 per page) or
/// `{"domain": prefix}` / `{"companyName": prefix}` (case-insensitive "starts with"), plus
/// `"pageSize"` (1..500) and `"timeoutMs"` (1..86400000): a bound on the whole listing, counted
/// from this call; no page request runs past it, and once it has passed
/// `pc_customer_pages_next` fails with `PC_ERR_TIMEOUT`. Without it, each page has the client's
/// `timeout_ms` and the listing as a whole is unbounded. On `PC_OK`, `*out_pages` receives a
/// cursor to free with `pc_customer_pages_free`. No request is sent until the first
/// `pc_customer_pages_next`.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_ARGUMENT`
/// (a bad query: the message names the key), `PC_ERR_PANIC`.
///
/// # Safety
/// `client` is NULL or a live client; `query_json` NULL or NUL-terminated; `out_pages` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_customer_pages_new(
    client: *const pc_client,
    query_json: *const c_char,
    out_pages: *mut *mut pc_customer_pages,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_pages, "out_pages") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let query = unsafe { opt_str_arg(query_json, "query_json") }?;
        let query = queries::customer_listing_query(query)?;
        let mut pages = client.customer_pages(query.filter, query.page_size)?;
        if let Some(timeout) = query.timeout {
            pages = pages.until(std::time::Instant::now() + timeout);
        }
        *out = Box::into_raw(Box::new(pc_customer_pages { inner: pages }));
        Ok(())
    })
}

/// Fetches the next page. On `PC_OK`, `*out_page_json` receives a JSON array of customers
/// (service shape, camelCase: `id`, `companyProfile {tenantId, domain, companyName}`,
/// `relationshipToPartner`, …, unknown fields kept) to free with `pc_string_free` — or NULL
/// when the listing is complete. On failure it is NULL and the cursor may be retried or freed.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_AUTHENTICATION`, `PC_ERR_FORBIDDEN`,
/// `PC_ERR_BAD_REQUEST`, `PC_ERR_THROTTLED`, `PC_ERR_SERVICE`, `PC_ERR_TIMEOUT`,
/// `PC_ERR_NETWORK`, `PC_ERR_TLS`, `PC_ERR_BAD_RESPONSE`, `PC_ERR_RESPONSE_TOO_LARGE`,
/// `PC_ERR_CANCELLED` (`pc_client_cancel`; the same page can be asked for again), `PC_ERR_PANIC`.
///
/// # Safety
/// `pages` is NULL or a live cursor used by no other thread now; `out_page_json` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_customer_pages_next(
    pages: *mut pc_customer_pages,
    out_page_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_page_json, "out_page_json") }?;
        // SAFETY: per this function's contract.
        let pages = unsafe { pages.as_mut() }.ok_or_else(|| null_argument("pages"))?;
        if let Some(page) = pages.inner.next_page()? {
            *out = give(json_out(&page)?);
        }
        Ok(())
    })
}

/// Frees a cursor (stopping a listing early is fine). NULL is a no-op.
///
/// # Safety
/// `pages` is NULL or a cursor from `pc_customer_pages_new` not freed yet and not in use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_customer_pages_free(pages: *mut pc_customer_pages) {
    // SAFETY: per this function's contract (made by Box::into_raw).
    unsafe { free_boxed(pages) }
}

/// Gets one customer by id (`GET /v1/customers/{id}`). On `PC_OK`, `*out_customer_json`
/// receives the customer as JSON (with `allowDelegatedAccess`); free it with `pc_string_free`.
/// Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_ARGUMENT`,
/// `PC_ERR_NOT_FOUND`, and the transport and service statuses of `pc_customer_pages_next`.
///
/// # Safety
/// `client` is NULL or a live client; `customer_id` NULL or NUL-terminated; the out-param NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_get_customer(
    client: *const pc_client,
    customer_id: *const c_char,
    out_customer_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_customer_json, "out_customer_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let id = unsafe { str_arg(customer_id, "customer_id") }?;
        *out = give(json_out(&client.get_customer(id)?)?);
        Ok(())
    })
}

/// Removes the partner's reseller relationship with a customer (`PATCH /v1/customers/{id}`,
/// `relationshipToPartner: none`). On `PC_OK`, `*out_customer_json` (may be NULL if not wanted)
/// receives the updated customer. Thread-safe.
///
/// Statuses: as `pc_get_customer`.
///
/// # Safety
/// As `pc_get_customer`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_remove_customer_relationship(
    client: *const pc_client,
    customer_id: *const c_char,
    out_customer_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { super::strings::optional_out_param(out_customer_json) };
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let id = unsafe { str_arg(customer_id, "customer_id") }?;
        let customer = client.remove_reseller_relationship(id)?;
        if let Some(slot) = out {
            *slot = give(json_out(&customer)?);
        }
        Ok(())
    })
}

/// Blocks until a customer accepts the invitation and appears with a reseller relationship,
/// polling with growing intervals (and honouring the service's throttling).
///
/// `query_json`: `{"domain": the whole domain, compared case-insensitively}` or
/// `{"tenantId": id}`, plus optional `"timeoutMs"` (default 600000), `"pollIntervalMs"` (first
/// interval, default 5000; it grows by half up to `"maxPollIntervalMs"`, default 60000). On
/// `PC_OK`, `*out_customer_json` receives the customer. To show progress, call it with short
/// timeouts in a loop; to stop it early, call `pc_client_cancel` from another thread.
/// Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_TIMEOUT` (not accepted in time), `PC_ERR_CANCELLED`
/// (`pc_client_cancel`), `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`,
/// `PC_ERR_INVALID_ARGUMENT`, and the statuses of `pc_get_customer`.
///
/// # Safety
/// `client` is NULL or a live client; `query_json` NULL or NUL-terminated; the out-param NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_wait_for_customer(
    client: *const pc_client,
    query_json: *const c_char,
    out_customer_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_customer_json, "out_customer_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let query = unsafe { str_arg(query_json, "query_json") }?;
        let (target, options) = queries::customer_wait(query)?;
        let customer = client.wait_for_customer(&target, options, |_, _| {})?;
        *out = give(json_out(&customer)?);
        Ok(())
    })
}
