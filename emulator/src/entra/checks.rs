//! The checks Entra ID endpoints share: tenant and client id first, required form parameters,
//! scopes, and their errors in Entra ID's shape.

use axum::http::StatusCode;

use crate::plumbing::credentials::{CLIENT_ID, TENANT, TENANT_ID};
use crate::plumbing::form::Form;
use crate::plumbing::wire::EntraError;

/// Checks the tenant and the client id, the first two things every Entra ID endpoint checks.
pub fn check_tenant_and_client<'a>(tenant: &str, form: &'a Form) -> Result<&'a str, EntraError> {
    if !tenant.eq_ignore_ascii_case(TENANT) && !tenant.eq_ignore_ascii_case(TENANT_ID) {
        return Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. The emulator knows '{TENANT}' and '{TENANT_ID}'."
            ),
        ));
    }
    let client_id = required(form, "client_id")?;
    if client_id != CLIENT_ID {
        return Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{TENANT}'. The emulator knows the client id '{CLIENT_ID}'."
            ),
        ));
    }
    Ok(client_id)
}

/// A form parameter that must be present and non-empty.
pub fn required<'a>(form: &'a Form, name: &str) -> Result<&'a str, EntraError> {
    match form.get(name).map(String::as_str) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{name}'."),
        )),
    }
}

/// Whether the space-separated `scope` list contains `wanted`.
pub fn has_scope(scope: &str, wanted: &str) -> bool {
    scope.split_whitespace().any(|s| s == wanted)
}

/// The `invalid_scope` error.
pub fn invalid_scope(scope: &str, expected: &str) -> EntraError {
    EntraError::new(
        StatusCode::BAD_REQUEST,
        "invalid_scope",
        70011,
        format!(
            "The provided request must include a valid 'scope' input parameter. The provided value for the input parameter 'scope' ('{scope}') is not valid; expected '{expected}'."
        ),
    )
}
