//! Device-code sign-in: `POST /{tenant}/oauth2/v2.0/devicecode` (the codes in flight live in
//! the shared state; polls are answered by the token endpoint).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::entra::checks::{check_tenant_and_client, delegated_audience, required};
use crate::plumbing::form::parse_form;
use crate::plumbing::state::{State, lock};
use crate::plumbing::wire;

/// `POST /{tenant}/oauth2/v2.0/devicecode` with `client_id` and `scope`.
pub async fn device_code_request(
    Extract(state): Extract<Arc<State>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = parse_form(&body);
    let issued = check_tenant_and_client(&tenant, &form).and_then(|client_id| {
        let scope = required(&form, "scope")?;
        // Partner Center or Graph: the token redeemed later is for the audience named here.
        delegated_audience(scope)?;
        let lifetime = state.config.device_code_lifetime;
        Ok(lock(&state.devices).issue(client_id, scope, lifetime))
    });
    let issued = match issued {
        Ok(issued) => issued,
        Err(error) => return error.into_response(),
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = if state.config.tls { "https" } else { "http" };
    let verification_uri = format!("{scheme}://{host}/_emulator/devicelogin");
    let message = format!(
        "To sign in, use a web browser to open the page {verification_uri} and enter the code {} to authenticate.",
        issued.user_code
    );
    wire::json(
        StatusCode::OK,
        &json!({
            "device_code": issued.device_code,
            "user_code": issued.user_code,
            "verification_uri": verification_uri,
            "expires_in": state.config.device_code_lifetime.as_secs(),
            "interval": state.config.device_code_interval.as_secs(),
            "message": message,
        }),
    )
}
