//! The controls of GDAP admin relationships: `POST /_emulator/admin-relationships/{id}/approve`
//! plays the customer approving (only from `approvalPending`; optional body `{"tenantId"}` for a
//! relationship that names no customer) and `…/{id}/expire` ends one by time, now. Both answer
//! 200 with the relationship, 404 for an unknown id, 409 from a status that does not allow it.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::plumbing::graph_wire::GraphError;
use crate::plumbing::state::{State, lock};
use crate::plumbing::wire;

/// The admin-relationship control routes.
pub fn router() -> Router<Arc<State>> {
    Router::new()
        .route("/_emulator/admin-relationships/{id}/approve", post(approve))
        .route("/_emulator/admin-relationships/{id}/expire", post(expire))
}

fn answer(result: Result<Value, GraphError>) -> Response {
    match result {
        Ok(value) => wire::json(StatusCode::OK, &value),
        Err(error) => wire::json(
            error.status,
            &json!({ "error": error.message, "code": error.code }),
        ),
    }
}

/// The tenant of the optional approval body `{"tenantId": "<guid>"}`.
fn approving_tenant(body: &[u8]) -> Result<Option<Uuid>, GraphError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| GraphError::bad_request(format!("invalid body: {error}")))?;
    match value.get("tenantId") {
        None | Some(Value::Null) => Ok(None),
        Some(tenant) => tenant
            .as_str()
            .and_then(|t| Uuid::parse_str(t.trim()).ok())
            .map(Some)
            .ok_or_else(|| GraphError::bad_request("'tenantId' is not a GUID")),
    }
}

async fn approve(
    Extract(state): Extract<Arc<State>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let names = |tenant_id: Uuid| {
        state
            .customers
            .get(tenant_id)
            .map(|customer| customer.company_name.clone())
    };
    answer(approving_tenant(&body).and_then(|tenant| {
        lock(&state.admin_relationships).approve(&id, tenant, &names, SystemTime::now())
    }))
}

async fn expire(Extract(state): Extract<Arc<State>>, Path(id): Path<String>) -> Response {
    answer(lock(&state.admin_relationships).expire(&id, SystemTime::now()))
}
