//! The checks Entra ID endpoints share: tenant and client id first, required form parameters,
//! scopes (and the audience they name), and their errors in Entra ID's shape.

use axum::http::StatusCode;

use crate::plumbing::credentials::{
    CLIENT_ID, GRAPH_RESOURCE, GRAPH_SCOPE_DEFAULT, GRAPH_SCOPE_GDAP, SCOPE_USER_IMPERSONATION,
    TENANT, TENANT_ID,
};
use crate::plumbing::form::Form;
use crate::plumbing::tokens::Audience;
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

/// Scopes that name no resource (OpenID Connect and refresh tokens).
const RESOURCELESS_SCOPES: [&str; 4] = ["offline_access", "openid", "profile", "email"];

/// The audience of a delegated (App+User) `scope` and the scopes it grants: Graph when it names
/// `https://graph.microsoft.com/` (the GDAP scope or `.default`), Partner Center otherwise
/// (`user_impersonation` required). Naming both resources is refused, as Entra ID does.
pub fn delegated_audience(scope: &str) -> Result<(Audience, String), EntraError> {
    let graph_prefix = format!("{GRAPH_RESOURCE}/");
    let named: Vec<&str> = scope
        .split_whitespace()
        .filter(|s| !RESOURCELESS_SCOPES.contains(s))
        .collect();
    let graph: Vec<&str> = named
        .iter()
        .copied()
        .filter(|s| s.starts_with(&graph_prefix))
        .collect();
    if graph.is_empty() {
        if !has_scope(scope, SCOPE_USER_IMPERSONATION) {
            return Err(invalid_scope(scope, SCOPE_USER_IMPERSONATION));
        }
        return Ok((Audience::PartnerCenter, SCOPE_USER_IMPERSONATION.to_owned()));
    }
    if graph.len() != named.len() {
        return Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            28000,
            format!(
                "Provided value for the input parameter scope ('{scope}') is not valid because it contains more than one resource. Request a token for Partner Center and one for Microsoft Graph separately."
            ),
        ));
    }
    if let Some(unknown) = graph
        .iter()
        .find(|s| **s != GRAPH_SCOPE_GDAP && **s != GRAPH_SCOPE_DEFAULT)
    {
        return Err(invalid_scope(unknown, GRAPH_SCOPE_GDAP));
    }
    Ok((Audience::Graph, graph.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delegated_scopes_name_one_audience() {
        let (audience, granted) =
            delegated_audience(&format!("{GRAPH_SCOPE_GDAP} offline_access")).unwrap();
        assert_eq!(audience, Audience::Graph);
        assert_eq!(granted, GRAPH_SCOPE_GDAP);
        let (audience, _) =
            delegated_audience(&format!("{SCOPE_USER_IMPERSONATION} offline_access")).unwrap();
        assert_eq!(audience, Audience::PartnerCenter);
        assert!(
            delegated_audience(&format!("{GRAPH_SCOPE_GDAP} {SCOPE_USER_IMPERSONATION}")).is_err()
        );
        assert!(delegated_audience("https://graph.microsoft.com/User.Read").is_err());
        assert!(delegated_audience("offline_access").is_err());
    }
}
