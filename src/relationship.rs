//! The reseller-relationship request: the invitation link a partner sends to customers.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::CredentialKind;
use crate::client::{ApiCall, Client};
use crate::error::{ErrorKind, Result};
use crate::http::Response;

/// The invitation link and the ids of the request that fetched it.
///
/// Serializes to `{"url", "attributes": {"objectType", …}, "requestId", "correlationId"}`, the
/// shape of the C ABI's `out_json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationshipRequest {
    /// The link to send to a customer's global admin. It names only the partner, so one link
    /// serves every customer.
    pub url: String,
    /// The service's `attributes`, passed through (`objectType` is
    /// `CustomerRelationshipRequest` or `RelationshipRequest` depending on the service version).
    pub attributes: Map<String, Value>,
    /// The `MS-RequestId` of the request.
    pub request_id: String,
    /// The `MS-CorrelationId` of the request.
    pub correlation_id: String,
}

impl RelationshipRequest {
    /// `attributes.objectType`, when the service sent it.
    pub fn object_type(&self) -> Option<&str> {
        self.attributes.get("objectType").and_then(Value::as_str)
    }
}

const OPERATION: &str = "relationship request";

impl Client {
    /// Gets the reseller-relationship invitation link (`GET /v1/customers/relationshiprequests`).
    ///
    /// Needs App+User credentials: Partner Center answers 403 to app-only tokens, which comes
    /// back as [`ErrorKind::Forbidden`] with a message that says so.
    pub async fn new_relationship_request(&self) -> Result<RelationshipRequest> {
        let response = self
            .call(ApiCall::get(OPERATION, "/v1/customers/relationshiprequests"))
            .await
            .map_err(|e| {
                if e.kind() == ErrorKind::Forbidden && self.credential_kind() == CredentialKind::AppOnly {
                    let message = format!(
                        "{} — the relationship request needs App+User credentials (a refresh token or a \
                         device-code sign-in); this client signed in app-only (client id and secret), \
                         which Partner Center refuses for this operation",
                        e.message()
                    );
                    e.with_message(message)
                } else {
                    e
                }
            })?;
        parse_answer(&response)
    }
}

/// Reads a 2xx answer of the relationship request.
pub(crate) fn parse_answer(response: &Response) -> Result<RelationshipRequest> {
    let body = response.json(OPERATION)?;
    let url = body
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .ok_or_else(|| {
            response.error(
                ErrorKind::BadResponse,
                "the relationship request answer has no 'url' link",
            )
        })?
        .to_owned();
    let attributes = match body.get("attributes") {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    Ok(RelationshipRequest {
        url,
        attributes,
        request_id: response.request_id.clone(),
        correlation_id: response.correlation_id.clone(),
    })
}
