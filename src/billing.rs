//! The bill-to (billing) profile of a customer: read, and update guarded by its ETag.

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::client::{ApiCall, Client};
use crate::customers::parse;
use crate::error::{Error, ErrorKind, Result};
use crate::http::Idempotency;
use crate::models::{Attributes, ETag, canonical_object};

/// A customer's billing profile. Unknown fields are kept and written back as they came.
///
/// Keys are read case-insensitively, as the service reads them: Partner Center's documented
/// request examples spell them in PascalCase (`FirstName`, `Attributes.Etag`). They are written
/// in the service's camelCase.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct BillingProfile {
    /// The profile id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Contact first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Contact last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Contact email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Culture, e.g. `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub culture: Option<String>,
    /// Language, e.g. `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// The bill-to address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_address: Option<Address>,
    /// `etag` (sent back as `If-Match`) and `objectType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
    /// Fields this library does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A postal address. Keys are read case-insensitively, like [`BillingProfile`]'s.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct Address {
    /// Two-letter country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// First address line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
    /// Second address line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Contact first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Contact last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Fields this library does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

const PROFILE_KEYS: &[&str] = &[
    "id",
    "firstName",
    "lastName",
    "email",
    "culture",
    "language",
    "companyName",
    "defaultAddress",
    "attributes",
];

const ADDRESS_KEYS: &[&str] = &[
    "country",
    "region",
    "city",
    "state",
    "addressLine1",
    "addressLine2",
    "postalCode",
    "firstName",
    "lastName",
    "phoneNumber",
];

impl Serialize for BillingProfile {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        BillingProfile::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for BillingProfile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let map = canonical_object(deserializer, PROFILE_KEYS)?;
        BillingProfile::deserialize(Value::Object(map)).map_err(D::Error::custom)
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        Address::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let map = canonical_object(deserializer, ADDRESS_KEYS)?;
        Address::deserialize(Value::Object(map)).map_err(D::Error::custom)
    }
}

impl BillingProfile {
    /// The ETag the profile was read with, which an update sends as `If-Match`.
    pub fn etag(&self) -> Option<&str> {
        self.attributes
            .as_ref()
            .and_then(|a| a.etag.as_ref())
            .map(ETag::as_str)
    }
}

/// Whether a refused update was refused for a stale ETag: a 412 (Precondition Failed), or a 409
/// whose service code or description says so. Any other 409 is the service's own conflict,
/// reported as the service described it.
fn is_stale_etag(error: &Error) -> bool {
    if error.http_status() == Some(412) {
        return true;
    }
    let names_it = |text: &str| {
        let text = text.to_ascii_lowercase();
        ["etag", "precondition", "if-match", "concurrency"]
            .iter()
            .any(|w| text.contains(w))
    };
    error.service_code().is_some_and(names_it) || names_it(error.message())
}

fn billing_path(customer_id: &str) -> Result<String> {
    Ok(format!(
        "/v1/customers/{}/profiles/billing",
        crate::customers::path_segment(customer_id)?
    ))
}

impl Client {
    /// Gets a customer's billing profile, with the ETag an update needs.
    pub async fn get_billing_profile(&self, customer_id: &str) -> Result<BillingProfile> {
        let path = billing_path(customer_id)?;
        let response = self
            .call(ApiCall::get("billing profile get", &path))
            .await?;
        let mut profile: BillingProfile = parse(&response, "billing profile")?;
        // Some answers carry the version only in the ETag header.
        if profile.etag().is_none() {
            if let Some(tag) = response.headers.get("etag").and_then(|v| v.to_str().ok()) {
                profile.attributes.get_or_insert_with(Default::default).etag =
                    Some(ETag::from(tag.trim_matches('"')));
            }
        }
        Ok(profile)
    }

    /// Replaces a customer's billing profile, sending `If-Match` with the profile's ETag.
    ///
    /// `profile` must be one read with [`Client::get_billing_profile`] and then changed: if the
    /// profile changed on the service since, the update is refused with
    /// [`ErrorKind::Conflict`] and nothing is overwritten. The message says "stale ETag" only
    /// when the service said so (412, or a 409 naming the ETag or precondition); any other
    /// conflict keeps the service's own description and code. An update is never retried unless the
    /// service surely did not act on it (a refused connection, 429/503).
    pub async fn update_billing_profile(
        &self,
        customer_id: &str,
        profile: &BillingProfile,
    ) -> Result<BillingProfile> {
        let path = billing_path(customer_id)?;
        let etag = profile.etag().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "the billing profile has no ETag (attributes.etag): read it with get first, change it, then update",
            )
        })?;
        let if_match = HeaderValue::from_str(etag).map_err(|_| {
            Error::new(
                ErrorKind::InvalidArgument,
                "the billing profile's ETag is not a valid header value",
            )
        })?;
        let headers = [(HeaderName::from_static("if-match"), if_match)];
        let body = serde_json::to_vec(profile).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("cannot encode the billing profile: {e}"),
            )
        })?;
        let response = self
            .call(ApiCall {
                operation: "billing profile update",
                method: Method::PUT,
                path: &path,
                fixed_path: None,
                body: Some(&body),
                headers: &headers,
                idempotency: Idempotency::NotIdempotent,
            })
            .await
            .map_err(|e| {
                if e.kind() == ErrorKind::Conflict && is_stale_etag(&e) {
                    let message = format!(
                        "{} — the billing profile changed since it was read (stale ETag); nothing was \
                         overwritten: get it again and re-apply the change",
                        e.message()
                    );
                    e.with_message(message)
                } else {
                    e
                }
            })?;
        parse(&response, "billing profile")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_the_etag_survive() {
        let json = r#"{"id":"p","email":"a@b.c","defaultAddress":{"city":"Oslo","addressLine3":"x"},"purchaseOrderReference":"PO-1","attributes":{"etag":"7","objectType":"CustomerBillingProfile"}}"#;
        let p: BillingProfile = serde_json::from_str(json).unwrap();
        assert_eq!(p.etag(), Some("7"));
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::from_str::<Value>(json).unwrap()
        );
    }
}
