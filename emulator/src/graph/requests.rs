//! `…/delegatedAdminRelationships/{id}/requests`: `lockForApproval` (from `created`) and
//! `terminate` (from `active`), answered 201 with a `delegatedAdminRelationshipRequest` that has
//! succeeded.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::graph::links::{RELATIONSHIPS, base_url, created};
use crate::plumbing::admin_relationships::store::Action;
use crate::plumbing::graph_wire::{GraphError, GraphIds};
use crate::plumbing::state::{State, lock};
use crate::plumbing::wire;

/// The request routes, relative to `/v1.0`.
pub fn router() -> Router<Arc<State>> {
    Router::new().route(&format!("{RELATIONSHIPS}/{{id}}/requests"), post(create))
}

fn action(body: &[u8]) -> Result<Action, GraphError> {
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        GraphError::bad_request(format!("The request body is not valid JSON: {error}."))
    })?;
    let text = value
        .get("action")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::bad_request("The property 'action' is required (a string)."))?;
    Action::parse(text).ok_or_else(|| {
        GraphError::bad_request(format!(
            "The property 'action' '{text}' is not supported; use 'lockForApproval' or 'terminate'."
        ))
    })
}

async fn create(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = SystemTime::now();
    // An unknown relationship is a 404 whatever the body says.
    let done = {
        let mut store = lock(&state.admin_relationships);
        store
            .get(&id, now)
            .and_then(|_| action(&body))
            .and_then(|action| store.request(&id, action, now).map(|_| action))
    };
    let action = match done {
        Ok(action) => action,
        Err(error) => return error.respond(&ids),
    };
    let request_id = Uuid::new_v4();
    let at = wire::iso8601(now);
    let value = json!({
        "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
        "id": request_id.to_string(),
        "action": action.as_str(),
        "status": "succeeded",
        "createdDateTime": at,
        "lastModifiedDateTime": at,
    });
    let location = format!(
        "{}{RELATIONSHIPS}/{id}/requests/{request_id}",
        base_url(&state, &headers)
    );
    created(&value, &location, &ids)
}
