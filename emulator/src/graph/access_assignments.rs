//! `…/delegatedAdminRelationships/{id}/accessAssignments`: create (only on an `active`
//! relationship; `pending`, then `active` by time), list (paged like the relationships) and get.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;

use crate::graph::links::{RELATIONSHIPS, base_url, collection, created};
use crate::plumbing::admin_relationships::query::ListQuery;
use crate::plumbing::graph_wire::{self, GraphIds};
use crate::plumbing::state::{State, lock};

/// The access assignment routes, relative to `/v1.0`.
pub fn router() -> Router<Arc<State>> {
    Router::new()
        .route(
            &format!("{RELATIONSHIPS}/{{id}}/accessAssignments"),
            get(list).post(create),
        )
        .route(
            &format!("{RELATIONSHIPS}/{{id}}/accessAssignments/{{assignment}}"),
            get(get_one),
        )
}

async fn create(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let made = lock(&state.admin_relationships).assign(&id, &body, SystemTime::now());
    match made {
        Ok(value) => {
            let assignment = value["id"].as_str().unwrap_or_default();
            let location = format!(
                "{}{RELATIONSHIPS}/{id}/accessAssignments/{assignment}",
                base_url(&state, &headers)
            );
            created(&value, &location, &ids)
        }
        Err(error) => error.respond(&ids),
    }
}

async fn list(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let page = ListQuery::parse(uri.query().unwrap_or("")).and_then(|query| {
        lock(&state.admin_relationships)
            .assignments(&id, &query, SystemTime::now())
            .map(|page| (query, page))
    });
    let (query, page) = match page {
        Ok(found) => found,
        Err(error) => return error.respond(&ids),
    };
    let path = format!("{RELATIONSHIPS}/{id}/accessAssignments");
    let context =
        format!("tenantRelationships/delegatedAdminRelationships('{id}')/accessAssignments");
    let body = collection(&base_url(&state, &headers), &path, &context, &query, page);
    graph_wire::answer(StatusCode::OK, &body, &ids)
}

async fn get_one(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    Path((id, assignment)): Path<(String, String)>,
) -> Response {
    match lock(&state.admin_relationships).assignment(&id, &assignment, SystemTime::now()) {
        Ok(value) => graph_wire::answer(StatusCode::OK, &value, &ids),
        Err(error) => error.respond(&ids),
    }
}
