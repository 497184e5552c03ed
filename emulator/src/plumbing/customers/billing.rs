//! Billing (bill-to) profiles: what is stored, how an answer is shaped, what an update may send,
//! and ETag matching. The store keeps a profile only once it was updated; before that it is the
//! one generated from the customer's seed, at ETag 1.

use serde_json::{Map, Value, json};

use crate::plumbing::customers::customer::Customer;
use crate::plumbing::customers::seed;

/// The fields the server owns: an update's values for them are ignored.
const SERVER_OWNED: [&str; 3] = ["id", "links", "attributes"];

/// A stored billing profile.
#[derive(Clone, Debug, PartialEq)]
pub struct BillingProfile {
    /// The ETag, bumped on every successful update.
    pub etag: u64,
    /// Every field except the server-owned `id`, `links` and `attributes` (unknown ones kept).
    pub fields: Map<String, Value>,
}

impl BillingProfile {
    /// The profile `customer` starts with, at ETag 1.
    pub fn initial(customer: &Customer) -> Self {
        Self {
            etag: 1,
            fields: seed::billing_profile(customer),
        }
    }

    /// The answer body: the fields plus `id`, `links.self` and `attributes` (with the ETag).
    pub fn render(&self, customer: &Customer) -> Value {
        let mut body = Map::with_capacity(self.fields.len() + SERVER_OWNED.len());
        body.insert(
            "id".into(),
            Value::from(seed::billing_profile_id(customer).to_string()),
        );
        body.extend(self.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        body.insert(
            "links".into(),
            json!({ "self": {
                "uri": format!("/customers/{}/profiles/billing", customer.id),
                "method": "GET",
                "headers": [],
            }}),
        );
        body.insert(
            "attributes".into(),
            json!({ "etag": self.etag.to_string(), "objectType": "CustomerBillingProfile" }),
        );
        Value::Object(body)
    }
}

/// The fields an update stores, or why its body is refused: it must be a JSON object, and an
/// `email`, when present, must be a string with an `@`.
pub fn parse_update(body: &[u8]) -> Result<Map<String, Value>, String> {
    let body = body
        .strip_prefix(crate::plumbing::wire::BOM)
        .unwrap_or(body);
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| format!("The billing profile is not valid JSON: {error}."))?;
    let Value::Object(mut fields) = value else {
        return Err("The billing profile must be a JSON object.".into());
    };
    if let Some(email) = fields.get("email") {
        match email.as_str() {
            Some(text) if text.contains('@') => {}
            _ => {
                return Err(format!(
                    "The billing profile's email {email} is not an email address."
                ));
            }
        }
    }
    for owned in SERVER_OWNED {
        fields.remove(owned);
    }
    Ok(fields)
}

/// Whether an `If-Match` value names `etag`. Quotes and a weak `W/` prefix are tolerated; a list
/// matches when any entry does. `*` is deliberately NOT a wildcard here: it would be a blind
/// overwrite, which clients must never send.
pub fn etag_matches(if_match: &str, etag: u64) -> bool {
    let wanted = etag.to_string();
    if_match.split(',').any(|candidate| {
        let candidate = candidate.trim();
        let candidate = candidate.strip_prefix("W/").unwrap_or(candidate);
        candidate.trim_matches('"') == wanted
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_keep_unknown_fields_and_drop_server_owned_ones() {
        let fields = parse_update(
            br#"{"id":"x","email":"a@b.c","purchaseOrderReference":"PO-1","attributes":{"etag":"9"}}"#,
        )
        .unwrap();
        assert_eq!(fields["purchaseOrderReference"], "PO-1");
        assert!(!fields.contains_key("id") && !fields.contains_key("attributes"));
        assert!(parse_update(b"[1]").is_err());
        assert!(parse_update(b"{").is_err());
        assert!(parse_update(br#"{"email":"nobody"}"#).is_err());
        assert!(parse_update(br#"{"email":null}"#).is_err());
    }

    #[test]
    fn etags_match_plain_quoted_and_weak() {
        assert!(etag_matches("3", 3));
        assert!(etag_matches("\"3\"", 3));
        assert!(etag_matches("W/\"3\", \"4\"", 4));
        assert!(!etag_matches("2", 3));
        assert!(!etag_matches("*", 3));
        assert!(!etag_matches("", 3));
    }

    #[test]
    fn rendered_profiles_carry_the_server_fields() {
        let customer = &seed::customers(1, 1)[0];
        let profile = BillingProfile::initial(customer);
        let body = profile.render(customer);
        assert_eq!(body["attributes"]["etag"], "1");
        assert_eq!(body["attributes"]["objectType"], "CustomerBillingProfile");
        assert!(body["id"].is_string() && body["firstName"].is_string());
        assert_eq!(
            body["links"]["self"]["uri"],
            format!("/customers/{}/profiles/billing", customer.id)
        );
    }
}
