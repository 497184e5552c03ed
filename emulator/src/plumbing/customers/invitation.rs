//! A customer's global admin accepting the reseller invitation link, as the admin API and
//! [`crate::Emulator::accept_invitation`] describe it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An accepted invitation: the customer tenant, its domain and name, and an optional delay before
/// the customer becomes visible (in the list and by id).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Invitation {
    /// The customer's tenant id (a GUID); a new one is made up when `None`.
    pub tenant_id: Option<String>,
    /// The customer's primary domain, e.g. `newco.onmicrosoft.com`.
    pub domain: String,
    /// The customer's company name.
    pub company_name: String,
    /// Milliseconds before the acceptance takes effect; `None` or 0 = at once.
    pub delay_ms: Option<u64>,
}

impl Invitation {
    /// The tenant id as a GUID (if given), or why the invitation cannot be accepted.
    pub fn check(&self) -> Result<Option<Uuid>, String> {
        if self.domain.trim().is_empty() {
            return Err("'domain' is required".into());
        }
        if self.company_name.trim().is_empty() {
            return Err("'companyName' is required".into());
        }
        match self.tenant_id.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => Uuid::parse_str(text)
                .map(Some)
                .map_err(|_| format!("'tenantId' {text:?} is not a GUID")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_need_a_domain_a_name_and_a_guid_if_any() {
        let good = Invitation {
            domain: "newco.onmicrosoft.com".into(),
            company_name: "NewCo".into(),
            ..Invitation::default()
        };
        assert_eq!(good.check(), Ok(None));
        assert!(
            Invitation {
                domain: String::new(),
                ..good.clone()
            }
            .check()
            .is_err()
        );
        assert!(
            Invitation {
                tenant_id: Some("nope".into()),
                ..good.clone()
            }
            .check()
            .is_err()
        );
        let parsed: Invitation =
            serde_json::from_str(r#"{"domain":"d","companyName":"c","delayMs":5}"#).unwrap();
        assert_eq!(parsed.delay_ms, Some(5));
    }
}
