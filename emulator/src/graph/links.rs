//! What the Graph answers share: the absolute links they carry (`Location`, `@odata.nextLink`),
//! built from the address the caller reached, and the collection shape.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use crate::plumbing::admin_relationships::query::{ListQuery, skiptoken};
use crate::plumbing::admin_relationships::store::Page;
use crate::plumbing::graph_wire::{self, GraphIds};
use crate::plumbing::state::State;

/// The collection of admin relationships, relative to `/v1.0`.
pub const RELATIONSHIPS: &str = "/tenantRelationships/delegatedAdminRelationships";

/// The absolute Graph base URL the caller reached: `{scheme}://{host}/v1.0`.
pub fn base_url(state: &State, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = if state.config.tls { "https" } else { "http" };
    format!("{scheme}://{host}{}", graph_wire::GRAPH_PREFIX)
}

/// Percent-encodes a query value (everything but the unreserved characters).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A collection answer: `@odata.context`, `value`, and an absolute `@odata.nextLink` (the same
/// `$top` and `$filter`, and a `$skiptoken`) when there is a next page.
pub fn collection(base: &str, path: &str, context: &str, query: &ListQuery, page: Page) -> Value {
    let mut body = json!({
        "@odata.context": format!("{base}/$metadata#{context}"),
        "value": page.items,
    });
    if let Some(next) = page.next {
        let mut link = format!("{base}{path}?");
        if let Some(top) = query.top {
            link.push_str(&format!("$top={top}&"));
        }
        if let Some(filter) = &query.filter_text {
            link.push_str(&format!("$filter={}&", encode(filter)));
        }
        link.push_str(&format!("$skiptoken={}", encode(&skiptoken(next))));
        body["@odata.nextLink"] = Value::from(link);
    }
    body
}

/// A 201 with `Location: location`.
pub fn created(value: &Value, location: &str, ids: &GraphIds) -> Response {
    let mut response = graph_wire::answer(StatusCode::CREATED, value, ids);
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("status eq 'active'"), "status%20eq%20%27active%27");
        assert_eq!(encode("a/b+c"), "a%2Fb%2Bc");
    }
}
