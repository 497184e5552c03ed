//! The Entra ID service (token endpoints, device code): imports only `plumbing`, no other service.
//!
//! `token` answers the v2 and v1 token endpoints; `device_code` issues device codes; `checks`
//! holds what both check first (tenant, client id, parameters, scopes).

mod checks;
mod device_code;
mod token;

use std::sync::Arc;

use axum::Router;
use axum::routing::post;

use crate::plumbing::state::State;

/// The Entra ID routes: `/{tenant}/oauth2/v2.0/token`, `/{tenant}/oauth2/token` and
/// `/{tenant}/oauth2/v2.0/devicecode`.
pub fn router() -> Router<Arc<State>> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token::token_v2))
        .route("/{tenant}/oauth2/token", post(token::token_v1))
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            post(device_code::device_code_request),
        )
}
