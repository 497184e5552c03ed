//! The C ABI (`include/partnercenter.h` is generated from these files by cbindgen).
//!
//! Conventions, the same for every function:
//! - Fallible functions return a `pc_status`; `PC_OK` is 0. Results go through out-params, which
//!   are set to NULL first and written only on `PC_OK`.
//! - On failure, `pc_last_error_message` / `pc_last_error_json` describe the error; they are
//!   per thread, cleared at the start of every status-returning call, so read them on the same
//!   thread right after the failing call.
//! - Pointer arguments are checked for NULL first (`PC_ERR_NULL_ARGUMENT`), then strings for
//!   UTF-8 (`PC_ERR_INVALID_UTF8`). Input strings are borrowed for the call only.
//! - Every returned `char *` is owned by the caller and freed with `pc_string_free`, except the
//!   static strings of `pc_status_name` and `pc_version`.
//! - No panic crosses the boundary: it becomes `PC_ERR_PANIC`.
//!
//! This module only converts; the logic lives in the safe Rust API.

mod billing;
mod client;
mod customers;
mod device;
mod errors;
mod gdap;
mod guard;
mod relationship;
pub mod status;
mod strings;

pub use billing::{pc_get_billing_profile, pc_update_billing_profile};
pub use client::{
    pc_client, pc_client_free, pc_client_info, pc_client_new, pc_client_refresh_token,
    pc_client_sign_in,
};
pub use customers::{
    pc_customer_pages, pc_customer_pages_free, pc_customer_pages_new, pc_customer_pages_next,
    pc_get_customer, pc_remove_customer_relationship, pc_wait_for_customer,
};
pub use device::{
    pc_device_code, pc_device_code_cancel, pc_device_code_free, pc_device_code_start,
    pc_device_code_wait,
};
pub use errors::{
    pc_last_error_json, pc_last_error_message, pc_status_name, pc_string_free, pc_version,
};
pub use relationship::pc_new_relationship_request;
pub use status::{pc_status, pc_status_code};

#[cfg(feature = "test-exports")]
pub use errors::pc_test_panic;
