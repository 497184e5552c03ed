//! The customer resource under `/v1/customers`: list (paging, `filter`), get, remove the
//! relationship (PATCH), and the billing profile (GET, PUT with `If-Match`). App+User and
//! app-only tokens are both accepted here.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State as Extract};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use serde_json::Value;
use uuid::Uuid;

use crate::plumbing::customers::billing;
use crate::plumbing::customers::paging::{Cursor, Filter};
use crate::plumbing::customers::store::UpdateError;
use crate::plumbing::state::State;
use crate::plumbing::wire;

/// The continuation token header of paged listings.
pub const MS_CONTINUATION_TOKEN: HeaderName = HeaderName::from_static("ms-continuationtoken");
/// Page size when the request names none.
pub const DEFAULT_PAGE_SIZE: u16 = 200;
/// Largest page size.
pub const MAX_PAGE_SIZE: u16 = 500;

/// The customer routes, relative to `/v1`.
pub fn router() -> Router<Arc<State>> {
    Router::new()
        .route("/customers", get(list))
        .route("/customers/{id}", get(get_customer).patch(patch_customer))
        .route(
            "/customers/{id}/profiles/billing",
            get(get_billing).put(put_billing),
        )
}

fn bad_request(description: &str) -> Response {
    wire::partner_center_error(StatusCode::BAD_REQUEST, description)
}

fn customer_not_found(id: &str) -> Response {
    wire::partner_center_error(
        StatusCode::NOT_FOUND,
        &format!("Customer {id} was not found"),
    )
}

/// A customer id from the path: a GUID, or the description of a 400 (not a 404: a malformed id
/// is the caller's mistake, not a missing customer).
fn customer_id(text: &str) -> Result<Uuid, String> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        format!(
            "The customer id '{text}' is not valid: a customer id is a GUID (the customer's tenant id)."
        )
    })
}

/// `GET /v1/customers?size=N[&filter=…]`, or a continuation with `seekOperation=Next` and the
/// `MS-ContinuationToken` header.
async fn list(
    Extract(state): Extract<Arc<State>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let query: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        query
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    let size = match param("size").map(|text| (text, text.trim().parse::<u16>())) {
        None => None,
        Some((_, Ok(size))) if (1..=MAX_PAGE_SIZE).contains(&size) => Some(size),
        Some((text, _)) => {
            return bad_request(&format!(
                "The size parameter must be a whole number from 1 to {MAX_PAGE_SIZE}; got '{text}'."
            ));
        }
    };
    let cursor = match param("seekOperation") {
        None => {
            let filter = match param("filter").map(Filter::parse).transpose() {
                Ok(filter) => filter,
                Err(description) => return bad_request(&description),
            };
            Cursor {
                offset: 0,
                size: size.unwrap_or(DEFAULT_PAGE_SIZE),
                filter,
            }
        }
        Some(operation) if operation.eq_ignore_ascii_case("next") => {
            let Some(token) = headers.get(&MS_CONTINUATION_TOKEN) else {
                return bad_request(
                    "The MS-ContinuationToken header is required with seekOperation=Next: send the headers of links.next as given.",
                );
            };
            match state.paging.open(token.to_str().unwrap_or("")) {
                Ok(cursor) => Cursor {
                    size: size.unwrap_or(cursor.size),
                    ..cursor
                },
                Err(problem) => {
                    return bad_request(&format!(
                        "The MS-ContinuationToken header {problem}: send the value of links.next as given."
                    ));
                }
            }
        }
        Some(other) => {
            return bad_request(&format!(
                "The seekOperation parameter '{other}' is not supported; the only value is 'Next'."
            ));
        }
    };
    let page = state.customers.page(&cursor);
    let self_uri = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), ToString::to_string);
    let next = page.next.map(|offset| {
        let token = state.paging.seal(&Cursor {
            offset,
            ..cursor.clone()
        });
        (cursor.size, token)
    });
    let body = collection_body(&page.items, &self_uri, next);
    wire::json_bytes(StatusCode::OK, body.into_bytes())
}

/// The collection answer, written straight from the pre-rendered items (BOM included).
fn collection_body(
    items: &[Arc<crate::plumbing::customers::customer::Customer>],
    self_uri: &str,
    next: Option<(u16, String)>,
) -> String {
    let items_len: usize = items.iter().map(|c| c.list_json().len() + 1).sum();
    let mut out = String::with_capacity(items_len + 512);
    out.push('\u{feff}');
    // Writing to a String cannot fail.
    let _ = write!(out, r#"{{"totalCount":{},"items":["#, items.len());
    for (index, customer) in items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(customer.list_json());
    }
    out.push_str(r#"],"links":{"self":{"uri":"#);
    crate::plumbing::customers::customer::push_json_string(&mut out, self_uri);
    out.push_str(r#","method":"GET","headers":[]}"#);
    if let Some((size, token)) = next {
        let _ = write!(
            out,
            r#","next":{{"uri":"/v1/customers?size={size}&seekOperation=Next","method":"GET","headers":[{{"key":"MS-ContinuationToken","value":"{token}"}}]}}"#
        );
    }
    out.push_str(r#"},"attributes":{"objectType":"Collection"}}"#);
    out
}

/// `GET /v1/customers/{id}`: the customer with `allowDelegatedAccess`, whatever its relationship.
async fn get_customer(Extract(state): Extract<Arc<State>>, Path(id): Path<String>) -> Response {
    let customer = match customer_id(&id) {
        Ok(uuid) => state.customers.get(uuid),
        Err(description) => return bad_request(&description),
    };
    match customer {
        Some(customer) => wire::json_bytes(
            StatusCode::OK,
            wire::with_bom(customer.full_json().as_bytes()),
        ),
        None => customer_not_found(&id),
    }
}

/// `PATCH /v1/customers/{id}` with `{"relationshipToPartner":"none", ...}`: removes the reseller
/// relationship. No other change is supported.
async fn patch_customer(
    Extract(state): Extract<Arc<State>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let uuid = match customer_id(&id) {
        Ok(uuid) => uuid,
        Err(description) => return bad_request(&description),
    };
    if state.customers.get(uuid).is_none() {
        return customer_not_found(&id);
    }
    let body = body.strip_prefix(wire::BOM).unwrap_or(&body);
    let relationship = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => fields.get("relationshipToPartner").cloned(),
        _ => {
            return bad_request(
                "The body must be a JSON object: {\"relationshipToPartner\":\"none\",\"attributes\":{\"objectType\":\"Customer\"}}.",
            );
        }
    };
    match relationship.as_ref().and_then(Value::as_str) {
        Some(value) if value.eq_ignore_ascii_case("none") => {}
        _ => {
            return bad_request(&format!(
                "Only the reseller relationship can be removed: relationshipToPartner must be 'none'; got {}.",
                relationship.map_or_else(|| "nothing".to_owned(), |value| value.to_string())
            ));
        }
    }
    match state.customers.remove_relationship(uuid) {
        Some(customer) => wire::json_bytes(
            StatusCode::OK,
            wire::with_bom(customer.full_json().as_bytes()),
        ),
        None => customer_not_found(&id),
    }
}

/// A billing-profile answer: the body and the `ETag` header.
fn billing_answer(etag: u64, body: &Value) -> Response {
    let mut response = wire::json_bom(StatusCode::OK, body);
    response
        .headers_mut()
        .insert(header::ETAG, HeaderValue::from(etag));
    response
}

/// `GET /v1/customers/{id}/profiles/billing`.
async fn get_billing(Extract(state): Extract<Arc<State>>, Path(id): Path<String>) -> Response {
    let uuid = match customer_id(&id) {
        Ok(uuid) => uuid,
        Err(description) => return bad_request(&description),
    };
    match state.customers.billing(uuid) {
        Some((etag, body)) => billing_answer(etag, &body),
        None => customer_not_found(&id),
    }
}

/// `PUT /v1/customers/{id}/profiles/billing` with `If-Match` and the whole profile.
async fn put_billing(
    Extract(state): Extract<Arc<State>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let uuid = match customer_id(&id) {
        Ok(uuid) => uuid,
        Err(description) => return bad_request(&description),
    };
    if state.customers.get(uuid).is_none() {
        return customer_not_found(&id);
    }
    let Some(if_match) = headers.get(header::IF_MATCH) else {
        return bad_request(
            "The If-Match header is required: send the profile's ETag (attributes.etag) so that a concurrent change is not overwritten.",
        );
    };
    let fields = match billing::parse_update(&body) {
        Ok(fields) => fields,
        Err(description) => return bad_request(&description),
    };
    let if_match = if_match.to_str().unwrap_or("");
    match state.customers.update_billing(uuid, if_match, fields) {
        Ok((etag, body)) => billing_answer(etag, &body),
        Err(UpdateError::NotFound) => customer_not_found(&id),
        Err(UpdateError::Stale(current)) => wire::partner_center_error(
            StatusCode::PRECONDITION_FAILED,
            &format!(
                "The ETag '{if_match}' is stale: the billing profile changed since it was read (current ETag '{current}'). Get the profile again, reapply the change and retry."
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::customers::seed;

    #[test]
    fn collection_bodies_are_json_with_a_bom_and_next_only_when_given() {
        let items: Vec<_> = seed::customers(3, 1).into_iter().map(Arc::new).collect();
        let body = collection_body(&items, "/v1/customers?size=3", Some((3, "tok".into())));
        let text = body.strip_prefix('\u{feff}').expect("BOM");
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(value["totalCount"], 3);
        assert_eq!(value["items"].as_array().unwrap().len(), 3);
        assert_eq!(value["links"]["next"]["headers"][0]["value"], "tok");
        assert_eq!(value["attributes"]["objectType"], "Collection");
        let last = collection_body(&[], "/v1/customers", None);
        let value: Value = serde_json::from_str(last.strip_prefix('\u{feff}').unwrap()).unwrap();
        assert_eq!(value["totalCount"], 0);
        assert!(value["links"].get("next").is_none());
    }
}
