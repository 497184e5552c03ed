//! The Partner Center REST API under `/v1`: the checks every request passes (bearer token,
//! `MS-RequestId`, `Accept`), the relationship request, and the customer resource (in
//! `customers.rs`).

use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::extract::{OriginalUri, Request, State as Extract};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;
use uuid::Uuid;

use crate::partner_center::customers;
use crate::plumbing::middleware::ids::MS_REQUEST_ID;
use crate::plumbing::middleware::ratelimit;
use crate::plumbing::state::{State, lock};
use crate::plumbing::tokens::{TokenKind, TokenProblem};
use crate::plumbing::wire;

/// The `/v1` routes, to be nested under `/v1`. The guard runs first, then the customer rate
/// limit, then the endpoint.
pub fn router(state: Arc<State>) -> Router<Arc<State>> {
    Router::new()
        .route("/customers/relationshiprequests", get(relationship_request))
        .merge(customers::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            ratelimit::apply,
        ))
        .layer(middleware::from_fn_with_state(state, guard))
}

/// Middleware: the checks the real service makes before routing, in its order: bearer token,
/// then `MS-RequestId`, then `Accept`. Passes the token kind on to the handler.
async fn guard(Extract(state): Extract<Arc<State>>, mut request: Request, next: Next) -> Response {
    let kind = match wire::bearer(request.headers()) {
        None => Err(TokenProblem::Missing),
        Some(token) => lock(&state.tokens).check_access(token),
    };
    let kind = match kind {
        Ok(kind) => kind,
        Err(problem) => return unauthorized(problem),
    };
    if let Err(description) = check_request_id(request.headers()) {
        return wire::partner_center_error(StatusCode::BAD_REQUEST, &description);
    }
    if let Some(accept) = request.headers().get(header::ACCEPT)
        && !accepts_json(accept.to_str().unwrap_or(""))
    {
        return wire::partner_center_error(
            StatusCode::NOT_ACCEPTABLE,
            "The Accept header does not allow 'application/json', the only media type this API produces.",
        );
    }
    request.extensions_mut().insert(kind);
    next.run(request).await
}

fn unauthorized(problem: TokenProblem) -> Response {
    let mut response = if problem == TokenProblem::MfaRequired {
        let mut body =
            wire::partner_center_error_value(StatusCode::UNAUTHORIZED, problem.describe());
        body["code"] = 900421.into();
        wire::json_bom(StatusCode::UNAUTHORIZED, &body)
    } else {
        wire::partner_center_error(StatusCode::UNAUTHORIZED, problem.describe())
    };
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

fn check_request_id(headers: &HeaderMap) -> Result<(), String> {
    let Some(value) = headers.get(MS_REQUEST_ID) else {
        return Err(
            "The MS-RequestId header is required: send a new GUID for every request.".into(),
        );
    };
    let text = value.to_str().unwrap_or("");
    if Uuid::parse_str(text.trim()).is_ok() {
        Ok(())
    } else {
        Err(format!(
            "The MS-RequestId header must be a GUID; got '{text}'."
        ))
    }
}

/// Whether an `Accept` value admits JSON.
fn accepts_json(accept: &str) -> bool {
    accept.trim().is_empty()
        || accept.split(',').any(|range| {
            let media = range
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            matches!(
                media.as_str(),
                "application/json" | "application/*" | "*/*" | "text/json"
            ) || media.ends_with("+json")
        })
}

/// `GET /v1/customers/relationshiprequests`: the reseller invitation link (App+User only), in the
/// documented shape plus `&emulator=true` before the fragment, so a link from the emulator says
/// it is not real wherever it ends up.
async fn relationship_request(
    Extract(state): Extract<Arc<State>>,
    Extension(kind): Extension<TokenKind>,
) -> Response {
    if kind == TokenKind::AppOnly {
        return wire::partner_center_error(
            StatusCode::FORBIDDEN,
            "This operation requires App+User (delegated) credentials; app-only tokens are not accepted. Sign in as a user (refresh token or device code) and retry.",
        );
    }
    let url = format!(
        "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId={}&msppId=0&DAP=false&emulator=true#/BillingAccounts/partner-invitation",
        state.config.partner_id
    );
    wire::json_bom(
        StatusCode::OK,
        &json!({
            "url": url,
            "attributes": { "objectType": "CustomerRelationshipRequest" },
        }),
    )
}

async fn not_found(OriginalUri(uri): OriginalUri) -> Response {
    wire::partner_center_error(
        StatusCode::NOT_FOUND,
        &format!("The resource '{}' was not found.", uri.path()),
    )
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> Response {
    wire::partner_center_error(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("The method '{method}' is not allowed on '{}'.", uri.path()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_values_that_admit_json() {
        for ok in [
            "application/json",
            "*/*",
            "text/html, application/*;q=0.5",
            "",
            "application/problem+json",
        ] {
            assert!(accepts_json(ok), "{ok}");
        }
        for bad in ["text/html", "application/xml, text/plain"] {
            assert!(!accepts_json(bad), "{bad}");
        }
    }
}
