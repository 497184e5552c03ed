//! The reseller-relationship request: the invitation link a partner sends to customers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::auth::tokens::CredentialKind;
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
/// The resource, below the API base URL.
pub(crate) const PATH: &str = "/v1/customers/relationshiprequests";

impl Client {
    /// Gets the reseller-relationship invitation link (`GET /v1/customers/relationshiprequests`).
    ///
    /// Needs App+User credentials: Partner Center answers 403 to app-only tokens, which comes
    /// back as [`ErrorKind::Forbidden`] with a message that says so.
    pub async fn new_relationship_request(&self) -> Result<RelationshipRequest> {
        let response = self
            .call(ApiCall::get_fixed(OPERATION, PATH))
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

/// The two fields of the answer that are used. Every other field is skipped without being built.
#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    url: Option<Value>,
    #[serde(default)]
    attributes: Option<Value>,
}

/// Reads a 2xx answer of the relationship request.
pub(crate) fn parse_answer(response: &Response) -> Result<RelationshipRequest> {
    // Typed first, which builds no map of the whole answer (a hot path). What it refuses (a
    // duplicate key, an answer that is not an object) goes the general way, which also words
    // the error for JSON that is not valid. serde reads a struct from an array too, by
    // position, so only an object goes typed; and since it skips unknown fields without
    // checking their strings' UTF-8, the body is checked first. (A lone surrogate escape or
    // nesting deeper than 128 inside a skipped field is still accepted: harmless.)
    let object = response.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let typed = (object && std::str::from_utf8(&response.body).is_ok())
        .then(|| serde_json::from_slice::<Answer>(&response.body).ok())
        .flatten();
    let (url, attributes) = match typed {
        Some(answer) => (answer.url, answer.attributes),
        None => {
            let mut body = response.json(OPERATION)?;
            (
                body.get_mut("url").map(Value::take),
                body.get_mut("attributes").map(Value::take),
            )
        }
    };
    let url = match url {
        // A control character (a NUL above all) is no part of a link to send to customers, and
        // a NUL cannot cross the C ABI: a bad answer, not an internal error.
        Some(Value::String(url)) if url.chars().any(char::is_control) => {
            return Err(response.error(
                ErrorKind::BadResponse,
                "the relationship request link contains a control character",
            ));
        }
        Some(Value::String(url)) if url.starts_with("https://") || url.starts_with("http://") => {
            url
        }
        _ => {
            return Err(response.error(
                ErrorKind::BadResponse,
                "the relationship request answer has no 'url' link",
            ));
        }
    };
    let attributes = match attributes {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    Ok(RelationshipRequest {
        url,
        attributes,
        request_id: response.request_id.clone(),
        correlation_id: response.correlation_id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Response {
        Response {
            status: reqwest::StatusCode::OK,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
            request_id: "req".into(),
            correlation_id: "corr".into(),
        }
    }

    #[test]
    fn reads_the_link_and_keeps_the_attributes() {
        let link = parse_answer(&answer(
            r#"{"url":"https://admin.microsoft.com/x?id=1","attributes":{"objectType":"RelationshipRequest","k":[1]},"extra":{"a":1}}"#,
        ))
        .unwrap();
        assert_eq!(link.url, "https://admin.microsoft.com/x?id=1");
        assert_eq!(link.object_type(), Some("RelationshipRequest"));
        assert_eq!(link.attributes["k"], serde_json::json!([1]));
        assert_eq!(
            (link.request_id.as_str(), link.correlation_id.as_str()),
            ("req", "corr")
        );
    }

    #[test]
    fn a_duplicate_key_takes_the_general_path_and_the_last_value() {
        let link = parse_answer(&answer(
            r#"{"url":"https://a.example/1","url":"https://a.example/2"}"#,
        ))
        .unwrap();
        assert_eq!(link.url, "https://a.example/2");
        assert!(link.attributes.is_empty());
    }

    #[test]
    fn answers_without_a_usable_link_are_bad_responses() {
        for body in [
            "{}",
            "[]",
            r#"["https://a.example/1", {}]"#,
            r#""https://a.example/1""#,
            r#"{"url": 5}"#,
            r#"{"url": "ftp://a.example/1"}"#,
            r#"{"url": null, "attributes": {}}"#,
        ] {
            let e = parse_answer(&answer(body)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadResponse, "{body}");
            assert!(
                e.message().contains("no 'url' link"),
                "{body}: {}",
                e.message()
            );
        }
    }

    #[test]
    fn json_that_is_not_valid_says_so() {
        let mut bad_utf8 = br#"{"url":"https://a.example/1","extra":""#.to_vec();
        bad_utf8.extend_from_slice(b"\xff\"}");
        for body in [br#"{"url": "https://a.example/1""#.to_vec(), bad_utf8] {
            let mut response = answer("");
            response.body = body;
            let e = parse_answer(&response).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadResponse);
            assert!(e.message().contains("not valid JSON"), "{}", e.message());
        }
    }

    #[test]
    fn attributes_that_are_not_an_object_are_dropped() {
        let link =
            parse_answer(&answer(r#"{"url":"http://127.0.0.1/x","attributes":"no"}"#)).unwrap();
        assert!(link.attributes.is_empty());
    }
}
