//! The top floor: the router of the whole emulator, composed from the services' routers (Entra ID,
//! Partner Center, Microsoft Graph, the `/_emulator/` controls) with the middleware in the order a
//! request meets it: record, echo ids, oversized bodies, faults, then the endpoint. Imports the
//! services and `plumbing`.

use std::sync::Arc;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Response;

use crate::plumbing::middleware::{faults, ids, oversized, record};
use crate::plumbing::state::State;
use crate::plumbing::wire;
use crate::{control, entra, graph, partner_center};

/// The whole emulator as one router.
pub fn router(state: Arc<State>) -> Router {
    let service = Router::new()
        .merge(entra::router())
        .nest("/v1", partner_center::router(Arc::clone(&state)))
        .nest("/v1.0", graph::router(Arc::clone(&state)))
        .fallback(not_found)
        .layer(from_fn_with_state(Arc::clone(&state), faults::apply))
        .layer(from_fn(oversized::refuse))
        .layer(from_fn(ids::echo_ids))
        .layer(from_fn_with_state(Arc::clone(&state), record::record));
    service.merge(control::router()).with_state(state)
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
