//! What GDAP requests and answers hold: a relationship, an access assignment, what a new
//! relationship asks for. Imports only the error type and the role table.

use serde_json::{Map, Value, json};

use super::roles::{self, GLOBAL_ADMINISTRATOR};
use crate::error::{Error, ErrorKind, Result};

/// Where the customer approves a relationship locked for approval (Graph does not return it).
pub const APPROVAL_URL_PREFIX: &str =
    "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/";

/// Statuses from which a relationship never becomes active.
pub const FINAL_STATUSES: &[&str] = &["expired", "terminated"];

/// A new GDAP admin relationship: what `create` sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAdminRelationship {
    /// Unique among the partner's relationships, at most 50 characters.
    pub display_name: String,
    /// ISO 8601, `P1D` to `P2Y` (`P730D`).
    pub duration: String,
    /// Roles by built-in name or template id (see [`roles::role_id`]); at least one.
    pub roles: Vec<String>,
    /// The customer's tenant id, when known.
    pub customer_tenant_id: Option<String>,
    /// Extend by 180 days at the end (not allowed with Global Administrator).
    pub auto_extend: bool,
}

impl NewAdminRelationship {
    /// The request body, the roles resolved to template ids. Checks what the library can check
    /// before sending (roles, a customer tenant id); Graph checks the rest and says what.
    pub fn to_body(&self) -> Result<Value> {
        let role_ids = resolve_roles(&self.roles)?;
        let mut body = json!({
            "displayName": self.display_name,
            "duration": self.duration,
            "accessDetails": { "unifiedRoles": unified_roles(&role_ids) },
            "autoExtendDuration": if self.auto_extend { "P180D" } else { "PT0S" },
        });
        if let Some(tenant) = &self.customer_tenant_id {
            let tenant = guid(tenant, "the customer tenant id")?;
            body["customer"] = json!({ "tenantId": tenant });
        }
        Ok(body)
    }

    /// Whether it asks for Global Administrator with auto-extension, which GDAP refuses.
    pub fn global_admin_with_auto_extend(&self) -> bool {
        self.auto_extend
            && resolve_roles(&self.roles)
                .is_ok_and(|ids| ids.iter().any(|id| id == GLOBAL_ADMINISTRATOR))
    }
}

/// Template ids for role names or ids, in order, each once; at least one.
pub fn resolve_roles(roles: &[String]) -> Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    for role in roles {
        let id = roles::role_id(role)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "at least one role is needed (a built-in role's name or template id)",
        ));
    }
    Ok(ids)
}

/// `[{"roleDefinitionId": id}, …]`.
pub fn unified_roles(ids: &[String]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| json!({ "roleDefinitionId": id }))
            .collect(),
    )
}

/// `value` as a bare lower-case GUID, or an invalid-argument error naming `what`.
pub fn guid(value: &str, what: &str) -> Result<String> {
    uuid::Uuid::try_parse(value.trim())
        .map(|g| g.hyphenated().to_string())
        .map_err(|_| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("{what} must be a GUID such as 4b827261-d21f-4aa9-b7db-7fa1f56fb163"),
            )
        })
}

/// The `roleDefinitionId`s of an object's `accessDetails.unifiedRoles`.
fn role_ids_of(raw: &Map<String, Value>) -> Vec<String> {
    raw.get("accessDetails")
        .and_then(|a| a.get("unifiedRoles"))
        .and_then(Value::as_array)
        .map(|roles| {
            roles
                .iter()
                .filter_map(|r| r.get("roleDefinitionId").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A GDAP admin relationship as Graph returned it, with the approval link added.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminRelationship {
    /// Graph's id (two GUIDs joined by `-`).
    pub id: String,
    /// The display name.
    pub display_name: String,
    /// `created`, `approvalPending`, `approved`, `activating`, `active`, `expiring`, `expired`,
    /// `terminationRequested`, `terminating` or `terminated`.
    pub status: String,
    /// ISO 8601 duration.
    pub duration: String,
    /// The customer's tenant id, when known.
    pub customer_tenant_id: Option<String>,
    /// The requested roles' template ids.
    pub role_ids: Vec<String>,
    /// `@odata.etag`, sent back as `If-Match`.
    pub etag: Option<String>,
    /// Where the customer approves it (meaningful once locked for approval).
    pub approval_url: String,
    /// The whole object as Graph sent it (`approvalUrl` added), unknown fields included.
    pub raw: Map<String, Value>,
}

impl AdminRelationship {
    /// Reads Graph's object; `None` when it has no `id`.
    pub fn from_value(value: Value) -> Option<Self> {
        let Value::Object(mut raw) = value else {
            return None;
        };
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let id = text(raw.get("id")).filter(|id| !id.is_empty())?;
        let approval_url = format!("{APPROVAL_URL_PREFIX}{id}");
        let role_ids = role_ids_of(&raw);
        let relationship = AdminRelationship {
            display_name: text(raw.get("displayName")).unwrap_or_default(),
            status: text(raw.get("status")).unwrap_or_default(),
            duration: text(raw.get("duration")).unwrap_or_default(),
            customer_tenant_id: text(raw.get("customer").and_then(|c| c.get("tenantId"))),
            etag: text(raw.get("@odata.etag")),
            role_ids,
            approval_url: approval_url.clone(),
            id,
            raw: Map::new(),
        };
        raw.insert("approvalUrl".into(), Value::String(approval_url));
        Some(AdminRelationship {
            raw,
            ..relationship
        })
    }

    /// Whether it can no longer become active.
    pub fn is_final(&self) -> bool {
        FINAL_STATUSES.contains(&self.status.as_str())
    }

    /// The object as JSON (Graph's fields and `approvalUrl`).
    pub fn to_json(&self) -> Value {
        Value::Object(self.raw.clone())
    }
}

/// An access assignment: a security group of the partner given some of a relationship's roles.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessAssignment {
    /// Graph's id.
    pub id: String,
    /// `pending`, `active`, `deleting`, `deleted` or `error`.
    pub status: String,
    /// The security group's id.
    pub group_id: Option<String>,
    /// The roles' template ids.
    pub role_ids: Vec<String>,
    /// The whole object as Graph sent it.
    pub raw: Map<String, Value>,
}

impl AccessAssignment {
    /// Reads Graph's object; `None` when it has no `id`.
    pub fn from_value(value: Value) -> Option<Self> {
        let Value::Object(raw) = value else {
            return None;
        };
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        Some(AccessAssignment {
            id: text(raw.get("id")).filter(|id| !id.is_empty())?,
            status: text(raw.get("status")).unwrap_or_default(),
            group_id: text(
                raw.get("accessContainer")
                    .and_then(|c| c.get("accessContainerId")),
            ),
            role_ids: role_ids_of(&raw),
            raw,
        })
    }

    /// The object as JSON, as Graph sent it.
    pub fn to_json(&self) -> Value {
        Value::Object(self.raw.clone())
    }
}

/// Which relationships a listing returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminRelationshipFilter {
    /// Only this status (e.g. `active`).
    pub status: Option<String>,
    /// Only this customer tenant id.
    pub customer_tenant_id: Option<String>,
}

impl AdminRelationshipFilter {
    /// The `$filter` expression, or `None` for all. Values are checked, so nothing a caller
    /// passes can change the expression's shape.
    pub fn expression(&self) -> Result<Option<String>> {
        let mut terms = Vec::new();
        if let Some(status) = &self.status {
            if status.is_empty() || !status.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "a status filter is one word such as active or approvalPending",
                ));
            }
            terms.push(format!("status eq '{status}'"));
        }
        if let Some(tenant) = &self.customer_tenant_id {
            let tenant = guid(tenant, "the customer tenant id")?;
            terms.push(format!("customer/tenantId eq '{tenant}'"));
        }
        Ok((!terms.is_empty()).then(|| terms.join(" and ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_resolves_roles_and_checks_the_tenant() {
        let new = NewAdminRelationship {
            display_name: "Contoso".into(),
            duration: "P730D".into(),
            roles: vec![
                "Directory Readers".into(),
                "88D8E3E3-8F55-4A1E-953A-9B9898B8876B".into(),
            ],
            customer_tenant_id: Some("4B827261-D21F-4AA9-B7DB-7FA1F56FB163".into()),
            auto_extend: false,
        };
        let body = new.to_body().unwrap();
        assert_eq!(
            body["accessDetails"]["unifiedRoles"],
            json!([{ "roleDefinitionId": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b" }])
        );
        assert_eq!(
            body["customer"]["tenantId"],
            "4b827261-d21f-4aa9-b7db-7fa1f56fb163"
        );
        assert_eq!(body["autoExtendDuration"], "PT0S");
        let bad = NewAdminRelationship {
            customer_tenant_id: Some("contoso.com".into()),
            ..new.clone()
        };
        assert_eq!(
            bad.to_body().unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        let none = NewAdminRelationship {
            roles: vec![],
            ..new
        };
        assert!(none.to_body().is_err());
    }

    #[test]
    fn a_relationship_keeps_every_field_and_gains_the_approval_link() {
        let r = AdminRelationship::from_value(json!({
            "id": "a-b", "status": "approvalPending", "displayName": "x", "duration": "P1D",
            "@odata.etag": "W/\"1\"", "futureField": 7,
            "accessDetails": { "unifiedRoles": [{ "roleDefinitionId": "r1" }] }
        }))
        .unwrap();
        assert_eq!(r.approval_url, format!("{APPROVAL_URL_PREFIX}a-b"));
        assert_eq!(r.role_ids, ["r1"]);
        assert_eq!(r.to_json()["futureField"], 7);
        assert_eq!(r.to_json()["approvalUrl"], r.approval_url.as_str());
        assert!(AdminRelationship::from_value(json!({ "status": "x" })).is_none());
    }

    #[test]
    fn filters_cannot_change_the_expression() {
        let f = AdminRelationshipFilter {
            status: Some("active".into()),
            customer_tenant_id: Some("4b827261-d21f-4aa9-b7db-7fa1f56fb163".into()),
        };
        assert_eq!(
            f.expression().unwrap().unwrap(),
            "status eq 'active' and customer/tenantId eq '4b827261-d21f-4aa9-b7db-7fa1f56fb163'"
        );
        let hostile = AdminRelationshipFilter {
            status: Some("active' or 1 eq 1 or status eq '".into()),
            ..AdminRelationshipFilter::default()
        };
        assert!(hostile.expression().is_err());
        assert_eq!(
            AdminRelationshipFilter::default().expression().unwrap(),
            None
        );
    }
}
