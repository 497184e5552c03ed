//! One customer: its fields and its JSON in the service's shape. The list form is rendered once
//! when the record is made, so a page of 500 is a concatenation, not 500 serializations.

use std::fmt::Write as _;

use uuid::Uuid;

/// The partner's relationship to a customer, as far as the emulator models it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relationship {
    /// The partner resells to the customer (listed, delegated access).
    Reseller,
    /// The relationship was removed (not listed; still readable by id).
    None,
}

impl Relationship {
    /// The wire value of `relationshipToPartner`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reseller => "reseller",
            Self::None => "none",
        }
    }
}

/// A customer tenant. Its id is its tenant id, as in Partner Center.
#[derive(Clone, Debug)]
pub struct Customer {
    /// The customer id, equal to the customer's tenant id.
    pub id: Uuid,
    /// The commerce id.
    pub commerce_id: Uuid,
    /// The primary domain, e.g. `fabrikam0042.onmicrosoft.com`.
    pub domain: String,
    /// The company name.
    pub company_name: String,
    /// The partner's relationship to the customer.
    pub relationship: Relationship,
    /// Seed of the customer's billing profile as generated (before any update).
    pub billing_seed: u64,
    /// The list-item JSON (no `allowDelegatedAccess`), rendered once.
    listed: Box<str>,
}

impl Customer {
    /// A customer with its list-item JSON rendered.
    pub fn new(
        id: Uuid,
        commerce_id: Uuid,
        domain: String,
        company_name: String,
        relationship: Relationship,
        billing_seed: u64,
    ) -> Self {
        let mut customer = Self {
            id,
            commerce_id,
            domain,
            company_name,
            relationship,
            billing_seed,
            listed: Box::from(""),
        };
        customer.listed = customer.render(false).into_boxed_str();
        customer
    }

    /// The same customer with another relationship (JSON re-rendered).
    pub fn with_relationship(&self, relationship: Relationship) -> Self {
        Self::new(
            self.id,
            self.commerce_id,
            self.domain.clone(),
            self.company_name.clone(),
            relationship,
            self.billing_seed,
        )
    }

    /// Whether the customer is listed (has a reseller relationship).
    pub fn is_listed(&self) -> bool {
        self.relationship == Relationship::Reseller
    }

    /// The JSON of a list item (without `allowDelegatedAccess`).
    pub fn list_json(&self) -> &str {
        &self.listed
    }

    /// The JSON of a get-by-id answer (with `allowDelegatedAccess`).
    pub fn full_json(&self) -> String {
        self.render(true)
    }

    fn render(&self, with_delegated_access: bool) -> String {
        // Plain pushes rather than `write!`: this runs 100,000 times when seeding.
        let mut id_buffer = Uuid::encode_buffer();
        let id = &*self.id.hyphenated().encode_lower(&mut id_buffer);
        let mut commerce_buffer = Uuid::encode_buffer();
        let commerce_id = &*self
            .commerce_id
            .hyphenated()
            .encode_lower(&mut commerce_buffer);
        let mut out = String::with_capacity(400 + self.domain.len() + self.company_name.len());
        for part in [
            r#"{"id":""#,
            id,
            r#"","commerceId":""#,
            commerce_id,
            r#"","companyProfile":{"tenantId":""#,
            id,
            r#"","domain":"#,
        ] {
            out.push_str(part);
        }
        push_json_string(&mut out, &self.domain);
        out.push_str(r#","companyName":"#);
        push_json_string(&mut out, &self.company_name);
        for part in [
            r#","attributes":{"objectType":"CustomerCompanyProfile"}},"relationshipToPartner":""#,
            self.relationship.as_str(),
            "\"",
        ] {
            out.push_str(part);
        }
        if with_delegated_access {
            out.push_str(match self.relationship {
                Relationship::Reseller => r#","allowDelegatedAccess":true"#,
                Relationship::None => r#","allowDelegatedAccess":false"#,
            });
        }
        for part in [
            r#","links":{"self":{"uri":"/customers/"#,
            id,
            r#"","method":"GET","headers":[]}},"attributes":{"objectType":"Customer"}}"#,
        ] {
            out.push_str(part);
        }
        out
    }
}

/// Appends `text` as a JSON string literal (quotes included).
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    if !text
        .as_bytes()
        .iter()
        .any(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
    {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..index]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        start = index + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn sample(relationship: Relationship) -> Customer {
        Customer::new(
            Uuid::from_u128(0x0f8fad5b_d9cb_469f_a165_70867728950e),
            Uuid::from_u128(7),
            "fabrikam0042.onmicrosoft.com".into(),
            "Fabrikam \"0042\"\n Ltd\u{1}".into(),
            relationship,
            9,
        )
    }

    #[test]
    fn list_and_full_forms_are_the_service_shape() {
        let customer = sample(Relationship::Reseller);
        let listed: Value = serde_json::from_str(customer.list_json()).unwrap();
        let full: Value = serde_json::from_str(&customer.full_json()).unwrap();
        assert_eq!(listed["id"], "0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(listed["companyProfile"]["tenantId"], listed["id"]);
        assert_eq!(
            listed["companyProfile"]["companyName"],
            "Fabrikam \"0042\"\n Ltd\u{1}"
        );
        assert_eq!(listed["relationshipToPartner"], "reseller");
        assert!(listed.get("allowDelegatedAccess").is_none());
        assert_eq!(full["allowDelegatedAccess"], true);
        assert_eq!(
            full["links"]["self"]["uri"],
            "/customers/0f8fad5b-d9cb-469f-a165-70867728950e"
        );
        assert_eq!(full["attributes"]["objectType"], "Customer");
        let removed: Value =
            serde_json::from_str(&customer.with_relationship(Relationship::None).full_json())
                .unwrap();
        assert_eq!(removed["relationshipToPartner"], "none");
        assert_eq!(removed["allowDelegatedAccess"], false);
    }
}
