//! `pc_device_code_*`: the interactive device-code sign-in, driven by a blocking caller.
//!
//! `start` returns the message to show; `wait` blocks (polling at the service's interval) until
//! the user approves, declines or the code expires; `cancel`, from any thread, ends a `wait`.

use std::ffi::c_char;

use super::client::{give_client, pc_client};
use super::guard::guarded;
use super::status::pc_status;
use super::strings::{free_boxed, give, null_argument, out_param, owned, str_arg};
use crate::blocking::DeviceCode;
use crate::config::ClientOptions;
use crate::error::{Error, ErrorKind, Result};

/// A device-code sign-in in progress. `pc_device_code_wait` and `pc_device_code_cancel` may be
/// called from different threads at once; free it only after `wait` has returned.
#[allow(non_camel_case_types)]
pub struct pc_device_code {
    inner: DeviceCode,
}

/// # Safety
/// `flow` is NULL or a live pointer from `pc_device_code_start`.
unsafe fn flow_arg<'a>(flow: *const pc_device_code) -> Result<&'a DeviceCode> {
    // SAFETY: per the caller's contract.
    unsafe { flow.as_ref() }
        .map(|f| &f.inner)
        .ok_or_else(|| null_argument("flow"))
}

/// Starts a device-code sign-in (`POST {authority}/{tenant}/oauth2/v2.0/devicecode`).
///
/// `options_json` takes the keys of `pc_client_new`; it needs `client_id` and `tenant`, and any
/// credentials in it are ignored. On `PC_OK`, `*out_flow` receives the flow (free it with
/// `pc_device_code_free`) and `*out_json` what to show the user:
/// `{"userCode", "verificationUri", "message", "expiresIn", "interval"}` (free it with
/// `pc_string_free`). Show `message`, then call `pc_device_code_wait`.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_INVALID_UTF8`, `PC_ERR_INVALID_OPTIONS`,
/// `PC_ERR_INSECURE_URL`, `PC_ERR_AUTHENTICATION` (e.g. unknown client id), `PC_ERR_TIMEOUT`,
/// `PC_ERR_NETWORK`, `PC_ERR_TLS`, `PC_ERR_SERVICE`, `PC_ERR_BAD_RESPONSE`, `PC_ERR_PANIC`.
///
/// # Safety
/// `options_json` is NULL or NUL-terminated; the out-params are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_device_code_start(
    options_json: *const c_char,
    out_flow: *mut *mut pc_device_code,
    out_json: *mut *mut c_char,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out_flow = unsafe { out_param(out_flow, "out_flow") }?;
        // SAFETY: per this function's contract.
        let out_json = unsafe { out_param(out_json, "out_json") }?;
        // SAFETY: per this function's contract.
        let json = unsafe { str_arg(options_json, "options_json") }?;
        let flow = DeviceCode::start(ClientOptions::from_json(json)?)?;
        let info = serde_json::to_string(flow.info()).map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot encode the result: {e}"),
            )
        })?;
        *out_json = give(owned(info)?);
        *out_flow = Box::into_raw(Box::new(pc_device_code { inner: flow }));
        Ok(())
    })
}

/// Blocks until the user finishes the sign-in, polling at the interval the service asked for.
///
/// On `PC_OK`, `*out_client` receives a client with App+User credentials (its refresh token is
/// readable with `pc_client_refresh_token`); free it with `pc_client_free`. Otherwise NULL.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_DEVICE_CODE_DECLINED`,
/// `PC_ERR_DEVICE_CODE_EXPIRED`, `PC_ERR_CANCELLED` (`pc_device_code_cancel` was called),
/// `PC_ERR_AUTHENTICATION`, `PC_ERR_TIMEOUT`, `PC_ERR_NETWORK`, `PC_ERR_TLS`, `PC_ERR_SERVICE`,
/// `PC_ERR_BAD_RESPONSE`, `PC_ERR_PANIC`.
///
/// # Safety
/// `flow` is NULL or a live flow; `out_client` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_device_code_wait(
    flow: *const pc_device_code,
    out_client: *mut *mut pc_client,
) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        let out = unsafe { out_param(out_client, "out_client") }?;
        // SAFETY: per this function's contract.
        let flow = unsafe { flow_arg(flow) }?;
        *out = give_client(flow.wait()?);
        Ok(())
    })
}

/// Cancels the sign-in: a `pc_device_code_wait` in progress (or the next one) returns
/// `PC_ERR_CANCELLED`. Thread-safe; meant to be called from another thread than `wait`.
///
/// Statuses: `PC_OK`, `PC_ERR_NULL_ARGUMENT`, `PC_ERR_PANIC`.
///
/// # Safety
/// `flow` is NULL or a live flow.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_device_code_cancel(flow: *const pc_device_code) -> pc_status {
    guarded(|| {
        // SAFETY: per this function's contract.
        unsafe { flow_arg(flow) }?.cancel();
        Ok(())
    })
}

/// Frees a flow. NULL is a no-op. Call it only after `pc_device_code_wait` has returned.
///
/// # Safety
/// `flow` is NULL or a pointer from `pc_device_code_start` not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pc_device_code_free(flow: *mut pc_device_code) {
    // SAFETY: per this function's contract (made by Box::into_raw).
    unsafe { free_boxed(flow) }
}
