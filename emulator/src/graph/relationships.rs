//! `…/tenantRelationships/delegatedAdminRelationships`: create (201 with `Location`), get, list
//! (`$top`, `$filter`, `$skiptoken`), and PATCH with `If-Match` (only while `created`).

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State as Extract};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use uuid::Uuid;

use crate::graph::links::{RELATIONSHIPS, base_url, collection, created};
use crate::plumbing::admin_relationships::query::ListQuery;
use crate::plumbing::graph_wire::{self, GraphIds};
use crate::plumbing::state::{State, lock};

/// The relationship routes, relative to `/v1.0`.
pub fn router() -> Router<Arc<State>> {
    Router::new()
        .route(RELATIONSHIPS, get(list).post(create))
        .route(
            &format!("{RELATIONSHIPS}/{{id}}"),
            get(get_one).patch(patch),
        )
}

/// The name of the partner's customer with `tenant_id`, if it is one.
pub fn customer_name(state: &State, tenant_id: Uuid) -> Option<String> {
    state
        .customers
        .get(tenant_id)
        .map(|customer| customer.company_name.clone())
}

async fn create(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let names = |tenant_id| customer_name(&state, tenant_id);
    let made = lock(&state.admin_relationships).create(
        &state.config.partner_id,
        &body,
        &names,
        SystemTime::now(),
    );
    match made {
        Ok(value) => {
            let id = value["id"].as_str().unwrap_or_default();
            let location = format!("{}{RELATIONSHIPS}/{id}", base_url(&state, &headers));
            created(&value, &location, &ids)
        }
        Err(error) => error.respond(&ids),
    }
}

async fn get_one(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    Path(id): Path<String>,
) -> Response {
    match lock(&state.admin_relationships).get(&id, SystemTime::now()) {
        Ok(value) => graph_wire::answer(StatusCode::OK, &value, &ids),
        Err(error) => error.respond(&ids),
    }
}

async fn list(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let query = match ListQuery::parse(uri.query().unwrap_or("")) {
        Ok(query) => query,
        Err(error) => return error.respond(&ids),
    };
    let page = lock(&state.admin_relationships).list(&query, SystemTime::now());
    let body = collection(
        &base_url(&state, &headers),
        RELATIONSHIPS,
        "tenantRelationships/delegatedAdminRelationships",
        &query,
        page,
    );
    graph_wire::answer(StatusCode::OK, &body, &ids)
}

async fn patch(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let if_match = headers
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or_default());
    let names = |tenant_id| customer_name(&state, tenant_id);
    let patched =
        lock(&state.admin_relationships).patch(&id, if_match, &body, &names, SystemTime::now());
    match patched {
        Ok(value) => graph_wire::answer(StatusCode::OK, &value, &ids),
        Err(error) => error.respond(&ids),
    }
}
