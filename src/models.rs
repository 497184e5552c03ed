//! Wire models shared by the resource modules: links and the `attributes` object.
//!
//! Every model keeps the fields it does not know in `extra` (`#[serde(flatten)]`), so an
//! object read from the service and written back loses nothing the service added.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A link in a Partner Center answer: `{"uri", "method", "headers": [{"key", "value"}]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// The target, relative (often already starting with `/v1/`) or absolute.
    #[serde(default)]
    pub uri: String,
    /// The HTTP method to use, `GET` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Headers to send with it (`MS-ContinuationToken` for paging).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<LinkHeader>,
}

/// One header of a [`Link`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkHeader {
    /// Header name.
    pub key: String,
    /// Header value.
    pub value: String,
}

/// The `attributes` object: `objectType`, `etag`, and whatever else the service sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attributes {
    /// The service's type name (`Customer`, `CustomerBillingProfile`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// The version tag to send as `If-Match` when updating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Fields this library does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
