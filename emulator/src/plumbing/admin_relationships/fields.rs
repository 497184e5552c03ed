//! What a caller sends for a relationship or an access assignment, parsed and checked, with the
//! errors of the GDAP contract (`docs/gdap.md`).

use axum::http::StatusCode;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::plumbing::graph_wire::GraphError;

/// The Global Administrator role, which may not be auto-extended.
pub const GLOBAL_ADMINISTRATOR: Uuid = Uuid::from_u128(0x62e90394_69f5_4237_9190_012177145e10);
/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 50;
/// Longest relationship: two years.
pub const MAX_DURATION_DAYS: u32 = 730;
/// The only auto-extension there is.
pub const AUTO_EXTEND_DAYS: u32 = 180;
/// A year in a `P<n>Y` duration (P2Y = P730D).
const DAYS_PER_YEAR: u32 = 365;

/// An ISO 8601 duration as sent (echoed as is) and its length in days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Days {
    /// As sent, e.g. `P730D` or `P2Y`.
    pub text: String,
    /// Its length in days.
    pub days: u32,
}

/// The customer of a relationship.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRef {
    /// The customer's tenant id.
    pub tenant_id: Uuid,
    /// The customer's name, when the emulator knows it (a customer of the partner).
    pub display_name: Option<String>,
}

/// The fields of a relationship a caller sent: all required on create (but `customer` and
/// `autoExtendDuration`), any on PATCH.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// `displayName`, checked.
    pub display_name: Option<String>,
    /// `duration`.
    pub duration: Option<Days>,
    /// `accessDetails.unifiedRoles[].roleDefinitionId`.
    pub roles: Option<Vec<Uuid>>,
    /// `autoExtendDuration`.
    pub auto_extend: Option<Days>,
    /// `customer`: `Some(None)` is an explicit `null`.
    pub customer: Option<Option<Uuid>>,
}

/// The fields PATCH may change.
const PATCHABLE: [&str; 5] = [
    "displayName",
    "duration",
    "accessDetails",
    "autoExtendDuration",
    "customer",
];

/// Parses a relationship body: for a create (`patch` false) the required fields must be there;
/// for a PATCH only the changeable fields may be.
pub fn parse_draft(body: &[u8], patch: bool) -> Result<Draft, GraphError> {
    let object = parse_object(body)?;
    if patch
        && let Some(other) = object
            .keys()
            .find(|k| !k.starts_with("@odata.") && !PATCHABLE.contains(&k.as_str()))
    {
        return Err(GraphError::bad_request(format!(
            "The property '{other}' cannot be changed; PATCH may change {}.",
            PATCHABLE.join(", ")
        )));
    }
    let mut draft = Draft::default();
    match object.get("displayName") {
        None if !patch => return Err(missing("displayName")),
        None => {}
        Some(value) => {
            let text = value
                .as_str()
                .ok_or_else(|| wrong_type("displayName", "a string"))?;
            draft.display_name = Some(check_display_name(text)?);
        }
    }
    match object.get("duration") {
        None if !patch => return Err(missing("duration")),
        None => {}
        Some(value) => {
            let text = value
                .as_str()
                .ok_or_else(|| wrong_type("duration", "a string"))?;
            draft.duration = Some(parse_duration(text)?);
        }
    }
    if let Some(value) = object.get("autoExtendDuration") {
        let text = value
            .as_str()
            .ok_or_else(|| wrong_type("autoExtendDuration", "a string"))?;
        draft.auto_extend = Some(parse_auto_extend(text)?);
    }
    match object.get("accessDetails") {
        None if !patch => return Err(missing("accessDetails")),
        None => {}
        Some(value) => draft.roles = Some(parse_roles(value)?),
    }
    match object.get("customer") {
        None => {}
        Some(Value::Null) => draft.customer = Some(None),
        Some(value) => draft.customer = Some(Some(parse_customer(value)?)),
    }
    Ok(draft)
}

/// An access assignment as sent: the security group and the roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAssignment {
    /// `accessContainer.accessContainerId`.
    pub container_id: Uuid,
    /// `accessDetails.unifiedRoles[].roleDefinitionId`.
    pub roles: Vec<Uuid>,
}

/// Parses an access assignment body.
pub fn parse_assignment(body: &[u8]) -> Result<NewAssignment, GraphError> {
    let object = parse_object(body)?;
    let container = object
        .get("accessContainer")
        .ok_or_else(|| missing("accessContainer"))?
        .as_object()
        .ok_or_else(|| wrong_type("accessContainer", "an object"))?;
    let id = container
        .get("accessContainerId")
        .ok_or_else(|| missing("accessContainer.accessContainerId"))?
        .as_str()
        .and_then(|text| Uuid::parse_str(text.trim()).ok())
        .ok_or_else(|| wrong_type("accessContainer.accessContainerId", "a GUID"))?;
    match container.get("accessContainerType") {
        None => return Err(missing("accessContainer.accessContainerType")),
        Some(Value::String(kind)) if kind == "securityGroup" => {}
        Some(_) => {
            return Err(GraphError::bad_request(
                "The property 'accessContainer.accessContainerType' must be 'securityGroup'.",
            ));
        }
    }
    let roles = parse_roles(
        object
            .get("accessDetails")
            .ok_or_else(|| missing("accessDetails"))?,
    )?;
    Ok(NewAssignment {
        container_id: id,
        roles,
    })
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>, GraphError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(GraphError::bad_request(
            "The request body must be a JSON object.",
        )),
        Err(error) => Err(GraphError::bad_request(format!(
            "The request body is not valid JSON: {error}."
        ))),
    }
}

fn missing(field: &str) -> GraphError {
    GraphError::bad_request(format!("The property '{field}' is required."))
}

fn wrong_type(field: &str, expected: &str) -> GraphError {
    GraphError::bad_request(format!("The property '{field}' must be {expected}."))
}

/// A display name: 1 to 50 characters (trimmed).
pub fn check_display_name(text: &str) -> Result<String, GraphError> {
    let trimmed = text.trim();
    let count = trimmed.chars().count();
    if count == 0 || count > MAX_DISPLAY_NAME {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidDisplayName",
            format!(
                "The displayName must have 1 to {MAX_DISPLAY_NAME} characters; it has {count}."
            ),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A relationship duration: `P<n>D` or `P<n>Y`, from P1D to P2Y (P730D).
pub fn parse_duration(text: &str) -> Result<Days, GraphError> {
    iso_days(text)
        .filter(|days| (1..=MAX_DURATION_DAYS).contains(days))
        .map(|days| Days {
            text: text.to_owned(),
            days,
        })
        .ok_or_else(|| {
            GraphError::new(
                StatusCode::BAD_REQUEST,
                "invalidDuration",
                format!(
                    "The duration '{text}' is not valid: it must be ISO 8601 days (P<n>D) or years (P<n>Y), from P1D to P2Y (P{MAX_DURATION_DAYS}D)."
                ),
            )
        })
}

/// An auto-extension: `PT0S` or `P0D` (none) or `P180D`.
pub fn parse_auto_extend(text: &str) -> Result<Days, GraphError> {
    let days = match text {
        "PT0S" | "P0D" => Some(0),
        "P180D" => Some(AUTO_EXTEND_DAYS),
        _ => None,
    };
    days.map(|days| Days {
        text: text.to_owned(),
        days,
    })
    .ok_or_else(|| {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "invalidAutoExtendDuration",
            format!(
                "The autoExtendDuration '{text}' is not valid: it must be 'PT0S', 'P0D' or 'P180D'."
            ),
        )
    })
}

/// The days of `P<n>D` or `P<n>Y` (n a whole number).
fn iso_days(text: &str) -> Option<u32> {
    let rest = text.strip_prefix('P')?;
    let (number, per) = if let Some(n) = rest.strip_suffix('D') {
        (n, 1)
    } else if let Some(n) = rest.strip_suffix('Y') {
        (n, DAYS_PER_YEAR)
    } else {
        return None;
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse::<u32>().ok()?.checked_mul(per)
}

/// `{"unifiedRoles":[{"roleDefinitionId":"<guid>"},…]}`: at least one role, each a GUID.
pub fn parse_roles(access_details: &Value) -> Result<Vec<Uuid>, GraphError> {
    let roles = access_details
        .as_object()
        .ok_or_else(|| wrong_type("accessDetails", "an object"))?
        .get("unifiedRoles")
        .ok_or_else(|| missing("accessDetails.unifiedRoles"))?
        .as_array()
        .ok_or_else(|| wrong_type("accessDetails.unifiedRoles", "an array"))?;
    let invalid = |message: String| {
        GraphError::new(StatusCode::BAD_REQUEST, "invalidRoleDefinitionId", message)
    };
    if roles.is_empty() {
        return Err(invalid(
            "accessDetails.unifiedRoles must name at least one role.".into(),
        ));
    }
    let mut out = Vec::with_capacity(roles.len());
    for role in roles {
        let id = role.get("roleDefinitionId").and_then(Value::as_str);
        let parsed = id.and_then(|text| Uuid::parse_str(text.trim()).ok());
        let Some(parsed) = parsed else {
            return Err(invalid(format!(
                "The roleDefinitionId {} is not a GUID.",
                id.map_or_else(|| "(missing)".to_owned(), |t| format!("'{t}'"))
            )));
        };
        if !out.contains(&parsed) {
            out.push(parsed);
        }
    }
    Ok(out)
}

/// `{"tenantId":"<guid>"}`.
pub fn parse_customer(customer: &Value) -> Result<Uuid, GraphError> {
    let object = customer
        .as_object()
        .ok_or_else(|| wrong_type("customer", "an object"))?;
    object
        .get("tenantId")
        .ok_or_else(|| missing("customer.tenantId"))?
        .as_str()
        .and_then(|text| Uuid::parse_str(text.trim()).ok())
        .ok_or_else(|| wrong_type("customer.tenantId", "a GUID"))
}

/// Global Administrator cannot be auto-extended.
pub fn check_auto_extend_roles(roles: &[Uuid], auto_extend: &Days) -> Result<(), GraphError> {
    if auto_extend.days > 0 && roles.contains(&GLOBAL_ADMINISTRATOR) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "globalAdminAutoExtendNotAllowed",
            format!(
                "A relationship with the Global Administrator role ({GLOBAL_ADMINISTRATOR}) cannot have autoExtendDuration '{}'.",
                auto_extend.text
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_days_or_years_up_to_two_years() {
        assert_eq!(parse_duration("P730D").unwrap().days, 730);
        assert_eq!(parse_duration("P2Y").unwrap().days, 730);
        assert_eq!(parse_duration("P1D").unwrap().days, 1);
        for bad in [
            "P3Y", "P0D", "PT5H", "P731D", "P", "730D", "P-1D", "P1.5D", "P1W", "",
        ] {
            let error = parse_duration(bad).unwrap_err();
            assert_eq!(error.code, "invalidDuration", "{bad}");
        }
    }

    #[test]
    fn auto_extension_is_none_or_180_days() {
        assert_eq!(parse_auto_extend("PT0S").unwrap().days, 0);
        assert_eq!(parse_auto_extend("P0D").unwrap().days, 0);
        assert_eq!(parse_auto_extend("P180D").unwrap().days, 180);
        assert_eq!(
            parse_auto_extend("P90D").unwrap_err().code,
            "invalidAutoExtendDuration"
        );
    }

    #[test]
    fn display_names_have_1_to_50_characters() {
        assert!(check_display_name(&"é".repeat(50)).is_ok());
        assert_eq!(
            check_display_name(&"a".repeat(51)).unwrap_err().code,
            "invalidDisplayName"
        );
        assert_eq!(
            check_display_name("  ").unwrap_err().code,
            "invalidDisplayName"
        );
    }

    #[test]
    fn drafts_need_their_fields_and_name_the_bad_one() {
        let good = br#"{"displayName":"x","duration":"P1D","accessDetails":{"unifiedRoles":[{"roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10"}]}}"#;
        let draft = parse_draft(good, false).unwrap();
        assert_eq!(draft.roles, Some(vec![GLOBAL_ADMINISTRATOR]));
        assert_eq!(draft.customer, None);
        let error = parse_draft(br#"{"duration":"P1D"}"#, false).unwrap_err();
        assert_eq!(error.code, "BadRequest");
        assert!(error.message.contains("displayName"), "{}", error.message);
        assert_eq!(parse_draft(b"nope", false).unwrap_err().code, "BadRequest");
        let no_roles =
            br#"{"displayName":"x","duration":"P1D","accessDetails":{"unifiedRoles":[]}}"#;
        assert_eq!(
            parse_draft(no_roles, false).unwrap_err().code,
            "invalidRoleDefinitionId"
        );
        let bad_role = br#"{"displayName":"x","duration":"P1D","accessDetails":{"unifiedRoles":[{"roleDefinitionId":"admin"}]}}"#;
        assert_eq!(
            parse_draft(bad_role, false).unwrap_err().code,
            "invalidRoleDefinitionId"
        );
        let patch = parse_draft(br#"{"displayName":"y"}"#, true).unwrap();
        assert_eq!(patch.display_name.as_deref(), Some("y"));
        let error = parse_draft(br#"{"status":"active"}"#, true).unwrap_err();
        assert!(error.message.contains("status"));
        let bad_customer = br#"{"customer":{"tenantId":"x"}}"#;
        assert!(
            parse_draft(bad_customer, true)
                .unwrap_err()
                .message
                .contains("customer.tenantId")
        );
    }

    #[test]
    fn global_admin_is_not_auto_extended() {
        let extend = parse_auto_extend("P180D").unwrap();
        assert_eq!(
            check_auto_extend_roles(&[GLOBAL_ADMINISTRATOR], &extend)
                .unwrap_err()
                .code,
            "globalAdminAutoExtendNotAllowed"
        );
        assert!(check_auto_extend_roles(&[Uuid::nil()], &extend).is_ok());
        let none = parse_auto_extend("PT0S").unwrap();
        assert!(check_auto_extend_roles(&[GLOBAL_ADMINISTRATOR], &none).is_ok());
    }

    #[test]
    fn assignments_need_a_security_group_and_roles() {
        let good = br#"{"accessContainer":{"accessContainerId":"0f8fad5b-d9cb-469f-a165-70867728950e","accessContainerType":"securityGroup"},"accessDetails":{"unifiedRoles":[{"roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10"}]}}"#;
        assert_eq!(
            parse_assignment(good).unwrap().roles,
            vec![GLOBAL_ADMINISTRATOR]
        );
        let bad = br#"{"accessContainer":{"accessContainerId":"g","accessContainerType":"securityGroup"},"accessDetails":{"unifiedRoles":[{"roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10"}]}}"#;
        assert!(
            parse_assignment(bad)
                .unwrap_err()
                .message
                .contains("accessContainerId")
        );
    }
}
