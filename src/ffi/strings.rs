//! Strings and out-params across the boundary: borrowed in, Rust-allocated out.

use std::ffi::{CStr, CString, c_char};

use crate::error::{Error, ErrorKind, Result};

/// Borrows a NUL-terminated UTF-8 argument for the duration of the call.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Error::new(
            ErrorKind::InvalidUtf8,
            format!(
                "argument '{name}' is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Borrows an optional NUL-terminated UTF-8 argument: NULL is `None` (the defaults).
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn opt_str_arg<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: per this function's contract.
    unsafe { str_arg(ptr, name) }.map(Some)
}

/// The body of every `pc_*_free` of a boxed handle: NULL is a no-op, a panic in a destructor
/// stays inside.
///
/// # Safety
/// `ptr` is NULL or was made by `Box::into_raw` and is not freed yet nor in use.
pub(crate) unsafe fn free_boxed<T>(ptr: *mut T) {
    super::guard::guarded_void(|| {
        if !ptr.is_null() {
            // SAFETY: made by Box::into_raw, per this function's contract.
            drop(unsafe { Box::from_raw(ptr) });
        }
    })
}

/// The error for a NULL `name`.
pub(crate) fn null_argument(name: &str) -> Error {
    Error::new(
        ErrorKind::NullArgument,
        format!("argument '{name}' is NULL"),
    )
}

/// Checks an out-param and sets it to NULL, so that it is NULL on every failure.
///
/// # Safety
/// `out` is NULL or points to writable storage for a pointer.
pub(crate) unsafe fn out_param<'a, T>(out: *mut *mut T, name: &str) -> Result<&'a mut *mut T> {
    // SAFETY: non-NULL and writable per the caller's contract.
    let slot = unsafe { out.as_mut() }.ok_or_else(|| null_argument(name))?;
    *slot = std::ptr::null_mut();
    Ok(slot)
}

/// Like [`out_param`] for an optional out-param: NULL means "not wanted".
///
/// # Safety
/// As [`out_param`].
pub(crate) unsafe fn optional_out_param<'a, T>(out: *mut *mut T) -> Option<&'a mut *mut T> {
    // SAFETY: non-NULL and writable per the caller's contract.
    let slot = unsafe { out.as_mut() }?;
    *slot = std::ptr::null_mut();
    Some(slot)
}

/// A Rust-owned C string for the caller, to be freed with `pc_string_free`.
pub(crate) fn owned(text: impl Into<Vec<u8>>) -> Result<CString> {
    CString::new(text)
        .map_err(|_| Error::new(ErrorKind::Internal, "a result string contained a NUL byte"))
}

/// Hands a string to the caller.
pub(crate) fn give(text: CString) -> *mut c_char {
    text.into_raw()
}

/// Takes back and frees a string made by [`give`].
///
/// # Safety
/// `ptr` is NULL or came from [`give`] and was not freed yet.
pub(crate) unsafe fn take_back(ptr: *mut c_char) {
    if !ptr.is_null() {
        // SAFETY: made by CString::into_raw per the caller's contract.
        drop(unsafe { CString::from_raw(ptr) });
    }
}
