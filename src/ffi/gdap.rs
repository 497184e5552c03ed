//! GDAP admin relationships over the C ABI: create (and lock for approval), lock, get, a page
//! cursor, wait until active, assign a security group, list assignments, terminate.
//!
//! Requests come as JSON objects read by `json_args` (unknown keys refused, errors naming the
//! key, never a value); results go out as Graph's objects (`AdminRelationship::to_json`, which
//! adds `approvalUrl`; `AccessAssignment::to_json`). Lists come through a cursor, for the
//! reasons given in `customers`.

use std::ffi::c_char;

use serde_json::Value;

use super::client::{client_arg, pc_client};
use super::customers::json_out;
use super::guard::guarded;
use super::status::pc_status;
use super::strings::{free_boxed, give, null_argument, opt_str_arg, out_param, str_arg};
use crate::blocking::{AdminRelationshipPages, Client};
use crate::error::Result;
use crate::gdap::json_requests::{assignment, listing, new_relationship, wait_options};

/// An admin relationship listing in progress: the caller pulls one page (at most 300
/// relationships) at a time.
///
/// Not for sharing between threads: one thread at a time may call
/// `pc_admin_relationship_pages_next` on it (it may move between threads). It keeps its client
/// alive.
#[allow(non_camel_case_types)]
pub struct pc_admin_relationship_pages {
    inner: AdminRelationshipPages,
}

/// Creates a GDAP admin relationship through Microsoft Graph and, unless
/// `"lockForApproval": false`, locks it for the customer's approval. Needs a client whose
/// credentials can get a Graph token (`graph_base_url` says where Graph is).
///
/// `request_json`: `{"displayName": unique among the partner's relationships, at most 50
/// characters, "duration": ISO 8601 from "P1D" to "P730D" (or "P2Y"), "roles": [built-in role
/// names such as "Directory Readers", or template ids], "customerTenantId"?: GUID,
/// "autoExtend"?: bool (default false; not with Global Administrator), "lockForApproval"?:
/// bool (default true)}`. Role names are resolved before anything is sent: an unknown one
/// fails with `PC_ERR_INVALID_ARGUMENT` (the message lists near names) and sends no request.
///
/// On `PC_OK`, `*out_json` receives the relationship as Graph returned it (`id`, `status`:
/// `approvalPending` when locked, `created` otherwise, `@odata.etag`, …, unknown fields kept)
/// plus `approvalUrl`, the link to send to the customer; free it with `pc_string_free`. The
/// create is never retried after it may have reached the service. If the create succeeds and
/// the lock fails, the status is the lock's and the message names the new relationship's id,
/// to lock it later with `pc_admin_relationship_lock`. Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_ARGUMENT`
/// (malformed JSON, an unknown key — named, never its value —, a missing or mistyped field, an
/// unknown role, a tenant id that is not a GUID, Global Administrator with auto-extension),
/// `PC_ERR_CONFLICT` (the display name is taken: `serviceCode` `duplicateDisplayName`),
/// `PC_ERR_BAD_REQUEST` (Graph refused a field, e.g. `invalidDuration`,
/// `invalidDisplayName`), and the statuses of `pc_admin_relationship_get`.
///
/// # Safety
/// `client` is NULL or a live client; `request_json` NULL or NUL-terminated; `out_json` NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_create(
    client: *const pc_client,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_json, "out_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let request = unsafe { str_arg(request_json, "request_json") }?;
        let (new, lock) = new_relationship(request)?;
        let mut relationship = client.create_admin_relationship(&new)?;
        if lock {
            relationship = client
                .lock_admin_relationship_for_approval(&relationship.id)
                .map_err(|e| {
                    let message = format!(
                        "the admin relationship {} was created but not locked for approval \
                         (lock it with pc_admin_relationship_lock): {}",
                        relationship.id,
                        e.message()
                    );
                    e.with_message(message)
                })?;
        }
        *out = give(json_out(&relationship.to_json())?);
        Ok(())
    })
}

/// Locks a `created` relationship for the customer's approval (Graph's `lockForApproval`
/// request). On `PC_OK`, `*out_json` receives the relationship as it is now (`approvalPending`,
/// with `approvalUrl`); free it with `pc_string_free`. Thread-safe.
///
/// Statuses: those of `pc_admin_relationship_get`, plus `PC_ERR_CONFLICT` (not `created` any
/// more: `serviceCode` `invalidStatusTransition`).
///
/// # Safety
/// `client` is NULL or a live client; `id` NULL or NUL-terminated; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_lock(
    client: *const pc_client,
    id: *const c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    // SAFETY: per this function's contract, which is `by_id`'s.
    unsafe {
        by_id(client, id, out_json, |client, id| {
            client
                .lock_admin_relationship_for_approval(id)
                .map(|r| r.to_json())
        })
    }
}

/// Gets one admin relationship by id. On `PC_OK`, `*out_json` receives it as Graph returned it
/// (unknown fields kept) plus `approvalUrl`; free it with `pc_string_free`. Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_ARGUMENT`
/// (an id that is not letters, digits and '-': nothing is sent), `PC_ERR_NOT_FOUND`,
/// `PC_ERR_AUTHENTICATION`, `PC_ERR_FORBIDDEN`, `PC_ERR_BAD_REQUEST`, `PC_ERR_THROTTLED`,
/// `PC_ERR_SERVICE`, `PC_ERR_TIMEOUT`, `PC_ERR_NETWORK`, `PC_ERR_TLS`, `PC_ERR_BAD_RESPONSE`,
/// `PC_ERR_RESPONSE_TOO_LARGE`, `PC_ERR_CANCELLED` (`pc_client_cancel`),
/// `PC_ERR_INVALID_OPTIONS` (nothing sent: a client made with a caller-supplied access token,
/// which is for Partner Center only, or one whose `base_url` is loopback, an emulator, while
/// `graph_base_url` was left at the public Graph), `PC_ERR_PANIC`. On a
/// service's refusal the last error carries `httpStatus`, `serviceCode` (Graph's error code)
/// and `requestId` (Graph's `request-id`).
///
/// # Safety
/// `client` is NULL or a live client; `id` NULL or NUL-terminated; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_get(
    client: *const pc_client,
    id: *const c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    // SAFETY: per this function's contract, which is `by_id`'s.
    unsafe {
        by_id(client, id, out_json, |client, id| {
            client.get_admin_relationship(id).map(|r| r.to_json())
        })
    }
}

/// Starts listing the partner's admin relationships.
///
/// `query_json` may be NULL (every relationship, 100 per page) or `{"status"?: one word such
/// as "active", "customerTenantId"?: GUID, "pageSize"?: 1..300 (default 100)}`. On `PC_OK`,
/// `*out_pages` receives a cursor to free with `pc_admin_relationship_pages_free`. The query is
/// checked here; no request is sent until the first `pc_admin_relationship_pages_next`.
/// Thread-safe (the cursor it makes is not: see `pc_admin_relationship_pages`).
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_ARGUMENT`
/// (a bad query: the message names the key), `PC_ERR_PANIC`.
///
/// # Safety
/// `client` is NULL or a live client; `query_json` NULL or NUL-terminated; `out_pages` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_pages_new(
    client: *const pc_client,
    query_json: *const c_char,
    out_pages: *mut *mut pc_admin_relationship_pages,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_pages, "out_pages") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let query = unsafe { opt_str_arg(query_json, "query_json") }?;
        let (filter, page_size) = listing(query)?;
        let pages = client.admin_relationship_pages(&filter, page_size)?;
        *out = Box::into_raw(Box::new(pc_admin_relationship_pages { inner: pages }));
        Ok(())
    })
}

/// Fetches the next page. On `PC_OK`, `*out_page_json` receives a JSON array of relationships
/// (each as `pc_admin_relationship_get` gives it) to free with `pc_string_free` — or NULL when
/// the listing is complete. On failure it is NULL and the cursor may be retried or freed.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_AUTHENTICATION`, `PC_ERR_FORBIDDEN`,
/// `PC_ERR_BAD_REQUEST`, `PC_ERR_THROTTLED`, `PC_ERR_SERVICE`, `PC_ERR_TIMEOUT`,
/// `PC_ERR_NETWORK`, `PC_ERR_TLS`, `PC_ERR_BAD_RESPONSE` (also a next link that repeats or
/// leaves the Graph base URL, which ends the listing), `PC_ERR_RESPONSE_TOO_LARGE`,
/// `PC_ERR_CANCELLED` (`pc_client_cancel`; the same page can be asked for again),
/// `PC_ERR_PANIC`.
///
/// # Safety
/// `pages` is NULL or a live cursor used by no other thread now; `out_page_json` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_pages_next(
    pages: *mut pc_admin_relationship_pages,
    out_page_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_page_json, "out_page_json") }?;
        // SAFETY: per this function's contract.
        let pages = unsafe { pages.as_mut() }.ok_or_else(|| null_argument("pages"))?;
        if let Some(page) = pages.inner.next_page()? {
            let page: Vec<Value> = page.iter().map(|r| r.to_json()).collect();
            *out = give(json_out(&page)?);
        }
        Ok(())
    })
}

/// Frees a cursor (stopping a listing early is fine). NULL is a no-op.
///
/// # Safety
/// `pages` is NULL or a cursor from `pc_admin_relationship_pages_new` not freed yet and not in
/// use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_pages_free(pages: *mut pc_admin_relationship_pages) {
    // SAFETY: per this function's contract (made by Box::into_raw).
    unsafe { free_boxed(pages) }
}

/// Blocks until an admin relationship is `active` (the customer approved it and Graph
/// activated it), polling with growing intervals.
///
/// `query_json` may be NULL (the defaults) or `{"timeoutMs"?: default 600000,
/// "pollIntervalMs"?: first interval, default 5000, at least 100; it grows by half up to
/// "maxPollIntervalMs"?, default 60000}`, as `pc_wait_for_customer`. On `PC_OK`, `*out_json`
/// receives the active relationship (as `pc_admin_relationship_get`); free it with
/// `pc_string_free`. To show progress, call it with short timeouts in a loop; to stop it early,
/// call `pc_client_cancel` from another thread. Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_TIMEOUT` (not active in time; the message gives the last
/// status), `PC_ERR_CONFLICT` (the relationship reached a final status, `expired` or
/// `terminated`, and will never be active), `PC_ERR_CANCELLED` (`pc_client_cancel`),
/// `PC_ERR_INVALID_ARGUMENT` (a bad query: the message names the key), and the statuses of
/// `pc_admin_relationship_get`.
///
/// # Safety
/// `client` is NULL or a live client; `id` and `query_json` NULL or NUL-terminated; `out_json`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_wait(
    client: *const pc_client,
    id: *const c_char,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_json, "out_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let id = unsafe { str_arg(id, "id") }?;
        // SAFETY: per this function's contract.
        let query = unsafe { opt_str_arg(query_json, "query_json") }?;
        let options = wait_options(query)?;
        let relationship = client.wait_for_admin_relationship(id, options, |_, _, _| {})?;
        *out = give(json_out(&relationship.to_json())?);
        Ok(())
    })
}

/// Gives one of the partner's security groups some of an `active` relationship's roles (an
/// access assignment).
///
/// `request_json`: `{"groupId": the security group's GUID, "roles": [built-in role names or
/// template ids, each among the relationship's roles]}`. Role names are resolved before
/// anything is sent (an unknown one: `PC_ERR_INVALID_ARGUMENT`, no request). On `PC_OK`,
/// `*out_json` receives the assignment as Graph returned it (`id`, `status`, usually
/// `pending` at first, `accessContainer`, `accessDetails`, …); free it with `pc_string_free`.
/// Never retried after it may have reached the service. Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_ARGUMENT`
/// (malformed JSON, an unknown key, a missing or mistyped field, an unknown role, a group id
/// that is not a GUID), `PC_ERR_CONFLICT` (the relationship is not active: `serviceCode`
/// `relationshipNotActive`), `PC_ERR_BAD_REQUEST` (e.g. a role not in the relationship:
/// `roleNotInRelationship`), and the statuses of `pc_admin_relationship_get`.
///
/// # Safety
/// `client` is NULL or a live client; `id` and `request_json` NULL or NUL-terminated;
/// `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_assign(
    client: *const pc_client,
    id: *const c_char,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_json, "out_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let id = unsafe { str_arg(id, "id") }?;
        // SAFETY: per this function's contract.
        let request = unsafe { str_arg(request_json, "request_json") }?;
        let (group, roles) = assignment(request)?;
        let assigned = client.assign_admin_relationship_access(id, &group, &roles)?;
        *out = give(json_out(&assigned.to_json())?);
        Ok(())
    })
}

/// Lists every access assignment of a relationship (all pages, read before returning). On
/// `PC_OK`, `*out_json` receives a JSON array of assignments (as `pc_admin_relationship_assign`
/// gives them; `[]` when there is none); free it with `pc_string_free`. Thread-safe.
///
/// Statuses: those of `pc_admin_relationship_get`.
///
/// # Safety
/// `client` is NULL or a live client; `id` NULL or NUL-terminated; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_assignments(
    client: *const pc_client,
    id: *const c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    // SAFETY: per this function's contract, which is `by_id`'s.
    unsafe {
        by_id(client, id, out_json, |client, id| {
            client
                .admin_relationship_access_assignments(id)
                .map(|all| Value::Array(all.iter().map(|a| a.to_json()).collect()))
        })
    }
}

/// Ends an `active` relationship (Graph's `terminate` request). On `PC_OK`, `*out_json`
/// receives the relationship as it is right after (`terminationRequested`, then on later reads
/// `terminating` and `terminated`); free it with `pc_string_free`. Thread-safe.
///
/// Statuses: those of `pc_admin_relationship_get`, plus `PC_ERR_CONFLICT` (not active:
/// `serviceCode` `invalidStatusTransition`).
///
/// # Safety
/// `client` is NULL or a live client; `id` NULL or NUL-terminated; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_admin_relationship_terminate(
    client: *const pc_client,
    id: *const c_char,
    out_json: *mut *mut c_char,
) -> pc_status {
    // SAFETY: per this function's contract, which is `by_id`'s.
    unsafe {
        by_id(client, id, out_json, |client, id| {
            client.terminate_admin_relationship(id).map(|r| r.to_json())
        })
    }
}

/// What every call on one relationship id shares: the arguments checked, `call` run, its JSON
/// handed out (`pc_string_free`).
///
/// # Safety
/// `client` is NULL or a live client; `id` NULL or NUL-terminated; `out_json` NULL or writable.
unsafe fn by_id(
    client: *const pc_client,
    id: *const c_char,
    out_json: *mut *mut c_char,
    call: impl FnOnce(&Client, &str) -> Result<Value>,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_json, "out_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: per this function's contract.
        let id = unsafe { str_arg(id, "id") }?;
        *out = give(json_out(&call(client, id)?)?);
        Ok(())
    })
}
