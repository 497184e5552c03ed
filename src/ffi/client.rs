//! `pc_client`: creating, inspecting and freeing a client.

use std::ffi::c_char;

use serde_json::json;

use super::guard::guarded;
use super::status::pc_status;
use super::strings::{free_boxed, give, out_param, owned, str_arg};
use crate::blocking::Client;
use crate::client::{ConnectionInfo, seconds_until};
use crate::config::ClientOptions;
use crate::error::{Error, ErrorKind, Result};
use secrecy::ExposeSecret;

/// An opaque Partner Center client: a connection pool and a token cache.
///
/// Safe to share between threads: every function taking `const pc_client *` may be called
/// concurrently on the same client. Free it once with `pc_client_free`, after every call on it
/// has returned.
#[allow(non_camel_case_types)]
pub struct pc_client {
    pub(crate) inner: Client,
}

/// Borrows a client argument.
///
/// # Safety
/// `client` is NULL or a live pointer from `pc_client_new`/`pc_device_code_wait`.
pub(crate) unsafe fn client_arg<'a>(client: *const pc_client) -> Result<&'a Client> {
    // SAFETY: per the caller's contract.
    unsafe { client.as_ref() }
        .map(|c| &c.inner)
        .ok_or_else(|| super::strings::null_argument("client"))
}

/// Hands a new client to the caller.
pub(crate) fn give_client(client: Client) -> *mut pc_client {
    Box::into_raw(Box::new(pc_client { inner: client }))
}

/// Creates a client from a JSON object of options.
///
/// Keys (snake_case; all optional but the credentials): `environment` ("global", "usgov",
/// "china"), `base_url`, `authority`, `graph_base_url` (Microsoft Graph with `/v1.0`, for admin
/// relationships), `tenant`, `client_id`, `client_secret`, `refresh_token`,
/// `access_token`, `timeout_ms` (overall deadline per call, default 100000), `connect_timeout_ms`
/// (10000), `attempt_timeout_ms` (30000), `max_retries` (3), `max_retry_after_ms` (longest
/// Retry-After honoured, 60000), `max_response_bytes` (16 MiB), `correlation_id` (a GUID),
/// `locale` ("en-US"), `application_name`, `ca_certificate_pem` (extra trusted CAs in PEM,
/// added to the operating system's store, e.g. for a TLS-inspection proxy; verification can
/// never be turned off).
/// Credentials: `access_token`; or `client_id` + `refresh_token` (+ `client_secret`) for App+User;
/// or `client_id` + `client_secret` for app-only. `tenant` is required except with `access_token`.
/// `base_url`/`authority`/`graph_base_url` must be https:// except for loopback hosts.
/// No network traffic happens here: sign-in is lazy (see `pc_client_sign_in`).
///
/// `options_json` is borrowed for the call. On `PC_OK`, `*out_client` receives a client the
/// caller frees with `pc_client_free`; otherwise it is set to NULL.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_OPTIONS`
/// (malformed JSON, unknown key, wrong type: the message names the key, never its value),
/// `PC_ERR_INSECURE_URL`, `PC_ERR_TLS`, `PC_ERR_INTERNAL`, `PC_ERR_PANIC`.
///
/// # Safety
/// `options_json` is NULL or a NUL-terminated string; `out_client` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_client_new(
    options_json: *const c_char,
    out_client: *mut *mut pc_client,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_client, "out_client") }?;
        // SAFETY: per this function's contract.
        let json = unsafe { str_arg(options_json, "options_json") }?;
        let client = Client::new(ClientOptions::from_json(json)?)?;
        *out = give_client(client);
        Ok(())
    })
}

/// Frees a client. NULL is a no-op. Every call on the client must have returned; the pointer
/// is invalid afterwards.
///
/// # Safety
/// `client` is NULL or a pointer from `pc_client_new`/`pc_device_code_wait` not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_client_free(client: *mut pc_client) {
    // SAFETY: per this function's contract (made by Box::into_raw).
    unsafe { free_boxed(client) }
}

/// Cancels the client's calls in flight: every call on this client that is blocked now (from
/// any thread; a customer listing of this client included) returns `PC_ERR_CANCELLED` promptly,
/// whatever it was waiting for: an answer, a retry delay, the next poll of
/// `pc_wait_for_customer`. Calls made after it run normally; with nothing in flight it does
/// nothing. A request already sent may still have reached the service (if that was a token
/// renewal, a refresh token the service rotated in its answer is not kept; the previous one
/// stays usable). Thread-safe: meant to be called from another thread than the blocked call (a
/// UI thread, a thread that waits for signals with `sigwait`), but not concurrently with
/// `pc_client_free`. Not async-signal-safe: never call it from inside a signal handler (it may
/// lock and allocate); have the handler wake such a thread instead, e.g. through a pipe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_PANIC`.
///
/// # Safety
/// `client` is NULL or a live client.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_client_cancel(client: *const pc_client) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        unsafe { client_arg(client) }?.cancel_pending();
        Ok(())
    })
}

/// The client's newest refresh token, which Partner Center's sign-in may have rotated since the
/// client was made: persist it to sign in next time.
///
/// On `PC_OK`, `*out_refresh_token` receives a string the caller frees with `pc_string_free`
/// (and should wipe: it is a secret); otherwise NULL. Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_ARGUMENT` (the client does not
/// use refresh-token credentials), `PC_ERR_PANIC`.
///
/// # Safety
/// `client` is NULL or a live client; `out_refresh_token` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_client_refresh_token(
    client: *const pc_client,
    out_refresh_token: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_refresh_token, "out_refresh_token") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        let token = client.refresh_token().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "this client has no refresh token (its credentials are '{}')",
                    client.credential_kind().name()
                ),
            )
        })?;
        *out = give(owned(token.expose_secret())?);
        Ok(())
    })
}

/// Signs in now rather than on the first call, so that bad credentials show up at once.
///
/// On `PC_OK`, `*out_json` (may be NULL if not wanted) receives the connection as JSON, as
/// `pc_client_info` describes it; the caller frees it with `pc_string_free`. Thread-safe.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_AUTHENTICATION` (the message carries the
/// AADSTS code and description), `PC_ERR_TIMEOUT`, `PC_ERR_NETWORK`, `PC_ERR_TLS`,
/// `PC_ERR_SERVICE`, `PC_ERR_BAD_RESPONSE`, `PC_ERR_RESPONSE_TOO_LARGE`, `PC_ERR_CANCELLED`
/// (`pc_client_cancel`), `PC_ERR_PANIC`.
///
/// # Safety
/// `client` is NULL or a live client; `out_json` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_client_sign_in(
    client: *const pc_client,
    out_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { super::strings::optional_out_param(out_json) };
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        client.sign_in()?;
        if let Some(out) = out {
            *out = give(owned(info_json(&client.connection_info()))?);
        }
        Ok(())
    })
}

/// The connection as JSON, without secrets and without network traffic:
/// `{"environment", "tenant", "credentialKind" ("access_token" | "refresh_token" | "app_only"),
/// "baseUrl", "graphBaseUrl", "correlationId", "tokenExpiresInSeconds" (null until signed in)}`.
///
/// On `PC_OK`, `*out_json` receives a string the caller frees with `pc_string_free`.
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_PANIC`. Thread-safe.
///
/// # Safety
/// `client` is NULL or a live client; `out_json` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_client_info(
    client: *const pc_client,
    out_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_json, "out_json") }?;
        // SAFETY: per this function's contract.
        let client = unsafe { client_arg(client) }?;
        *out = give(owned(info_json(&client.connection_info()))?);
        Ok(())
    })
}

fn info_json(info: &ConnectionInfo) -> String {
    json!({
        "environment": info.environment,
        "tenant": info.tenant,
        "credentialKind": info.credential_kind.name(),
        "baseUrl": info.base_url,
        "graphBaseUrl": info.graph_base_url,
        "correlationId": info.correlation_id,
        "tokenExpiresInSeconds": info.token_expires_at.map(seconds_until),
    })
    .to_string()
}
