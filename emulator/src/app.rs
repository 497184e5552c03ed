//! The router: Entra ID token endpoints, the Partner Center API and the admin API, with the
//! middleware in the order a request meets it: record, echo ids, oversized bodies, faults, then
//! the endpoint.

use std::sync::Arc;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Response;
use axum::routing::post;

use crate::state::State;
use crate::{admin, api, auth, device, faults, oversized, record, wire};

/// The whole emulator as one router.
pub fn router(state: Arc<State>) -> Router {
    let service = Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(auth::token_v2))
        .route("/{tenant}/oauth2/token", post(auth::token_v1))
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            post(device::device_code_request),
        )
        .nest("/v1", api::router(Arc::clone(&state)))
        .fallback(not_found)
        .layer(from_fn_with_state(Arc::clone(&state), faults::apply))
        .layer(from_fn(oversized::refuse))
        .layer(from_fn(api::echo_ids))
        .layer(from_fn_with_state(Arc::clone(&state), record::record));
    service.merge(admin::router()).with_state(state)
}

async fn not_found(OriginalUri(uri): OriginalUri) -> Response {
    wire::json(
        StatusCode::NOT_FOUND,
        &wire::partner_center_error_value(
            StatusCode::NOT_FOUND,
            &format!("The resource '{}' was not found.", uri.path()),
        ),
    )
}
