//! Wire models shared by the resource modules: links and the `attributes` object.
//!
//! Every model keeps the fields it does not know in `extra` (`#[serde(flatten)]`), so an
//! object read from the service and written back loses nothing the service added.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
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
///
/// Keys are read case-insensitively (`Etag`, `ObjectType` as in Partner Center's documented
/// request examples), as the service reads them, and written back in the service's camelCase.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct Attributes {
    /// The service's type name (`Customer`, `CustomerBillingProfile`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// The version tag to send as `If-Match` when updating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<ETag>,
    /// Fields this library does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Attributes::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = canonical_object(deserializer, &["objectType", "etag"])?;
        Attributes::deserialize(Value::Object(map)).map_err(D::Error::custom)
    }
}

/// A version tag as the service sent it: Partner Center sends a string, but a JSON number is
/// taken too and written back as the same number, so an update sends exactly what was read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ETag {
    text: String,
    number: bool,
}

impl ETag {
    /// The tag as text: what `If-Match` carries (a number in its JSON spelling).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the tag came as a JSON number (and so is written back as one).
    pub fn is_number(&self) -> bool {
        self.number
    }
}

impl From<String> for ETag {
    fn from(text: String) -> Self {
        ETag {
            text,
            number: false,
        }
    }
}

impl From<&str> for ETag {
    fn from(text: &str) -> Self {
        ETag::from(text.to_owned())
    }
}

impl std::fmt::Display for ETag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for ETag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.number.then(|| self.text.parse::<serde_json::Number>()) {
            Some(Ok(number)) => number.serialize(serializer),
            _ => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for ETag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(ETag::from(text)),
            Value::Number(n) => Ok(ETag {
                text: n.to_string(),
                number: true,
            }),
            _ => Err(D::Error::custom("etag must be a string or a number")),
        }
    }
}

/// Reads a JSON object and renames every key that matches one of `known` apart from letter
/// case to its `known` spelling (the service reads keys case-insensitively). Two keys that
/// name the same field are refused: which one the caller meant cannot be known.
pub(crate) fn canonical_object<'de, D: Deserializer<'de>>(
    deserializer: D,
    known: &[&str],
) -> Result<Map<String, Value>, D::Error> {
    let map = Map::<String, Value>::deserialize(deserializer)?;
    canonical_keys(map, known).map_err(D::Error::custom)
}

fn canonical_keys(map: Map<String, Value>, known: &[&str]) -> Result<Map<String, Value>, String> {
    if map
        .keys()
        .all(|k| known.contains(&k.as_str()) || !known.iter().any(|n| n.eq_ignore_ascii_case(k)))
    {
        return Ok(map);
    }
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        let key = match known.iter().find(|n| n.eq_ignore_ascii_case(&key)) {
            Some(name) => (*name).to_owned(),
            None => key,
        };
        if out.contains_key(&key) {
            return Err(format!(
                "the key '{key}' is given twice (in different letter case)"
            ));
        }
        out.insert(key, value);
    }
    Ok(out)
}
