//! The JSON requests of the GDAP operations as the C ABI (and every door over it) sends them:
//! keys checked (an unknown one is refused by name, never by value), texts, numbers, flags
//! and role lists read. Imports `json_args`, the models and the wait options.

use serde_json::Value;

use super::models::{AdminRelationshipFilter, NewAdminRelationship};
use super::relationships::MAX_PAGE_SIZE;
use crate::customers::WaitOptions;
use crate::error::{ErrorKind, Result};
use crate::json_args::JsonArgs;

/// Relationships per page when the query does not say.
const DEFAULT_PAGE_SIZE: u64 = 100;

/// A JSON document of arguments: `JsonArgs` checks the keys and reads texts and numbers; the
/// same text, parsed again, gives the booleans and string lists `JsonArgs` has no reader for.
struct Args<'a> {
    args: JsonArgs<'a>,
    what: &'a str,
    value: Value,
}

impl<'a> Args<'a> {
    fn parse(json: &str, what: &'a str, keys: &[&str]) -> Result<Self> {
        let args = JsonArgs::parse(json, ErrorKind::InvalidArgument, what, keys)?;
        let text = json.strip_prefix('\u{feff}').unwrap_or(json);
        // JsonArgs just parsed the same text, so this cannot fail.
        let value = serde_json::from_str(text)
            .map_err(|_| args.invalid(format!("the {what} are not valid JSON")))?;
        Ok(Args { args, what, value })
    }

    /// A text that must be there.
    fn required_text(&self, key: &str) -> Result<String> {
        self.args.text(key)?.ok_or_else(|| {
            self.args
                .invalid(format!("the {} needs '{key}'", self.what))
        })
    }

    /// `true`/`false`, `default` when absent or null.
    fn flag(&self, key: &str, default: bool) -> Result<bool> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.args.invalid(format!(
                "'{key}' in the {} must be true or false",
                self.what
            ))),
        }
    }

    /// An array of strings that must be there (the library judges its contents).
    fn texts(&self, key: &str) -> Result<Vec<String>> {
        let wrong = || {
            self.args.invalid(format!(
                "'{key}' in the {} must be an array of strings (role names or template ids)",
                self.what
            ))
        };
        match self.value.get(key) {
            None | Some(Value::Null) => Err(self
                .args
                .invalid(format!("the {} needs '{key}'", self.what))),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned).ok_or_else(wrong))
                .collect(),
            Some(_) => Err(wrong()),
        }
    }
}

/// `{"displayName", "duration", "roles", "customerTenantId"?, "autoExtend"?,
/// "lockForApproval"?}`: the new relationship and whether to lock it.
pub(crate) fn new_relationship(json: &str) -> Result<(NewAdminRelationship, bool)> {
    let args = Args::parse(
        json,
        "admin relationship request",
        &[
            "displayName",
            "duration",
            "roles",
            "customerTenantId",
            "autoExtend",
            "lockForApproval",
        ],
    )?;
    let new = NewAdminRelationship {
        display_name: args.required_text("displayName")?,
        duration: args.required_text("duration")?,
        roles: args.texts("roles")?,
        customer_tenant_id: args.args.text("customerTenantId")?,
        auto_extend: args.flag("autoExtend", false)?,
    };
    Ok((new, args.flag("lockForApproval", true)?))
}

/// `{"status"?, "customerTenantId"?, "pageSize"?}`, or NULL for every relationship.
pub(crate) fn listing(json: Option<&str>) -> Result<(AdminRelationshipFilter, u32)> {
    let Some(json) = json else {
        return Ok((AdminRelationshipFilter::default(), DEFAULT_PAGE_SIZE as u32));
    };
    let args = JsonArgs::parse(
        json,
        ErrorKind::InvalidArgument,
        "listing query",
        &["status", "customerTenantId", "pageSize"],
    )?;
    let filter = AdminRelationshipFilter {
        status: args.text("status")?.map(|s| s.trim().to_owned()),
        customer_tenant_id: args.text("customerTenantId")?,
    };
    let size = args
        .number("pageSize", 1, u64::from(MAX_PAGE_SIZE))?
        .unwrap_or(DEFAULT_PAGE_SIZE);
    Ok((filter, size as u32))
}

/// `{"timeoutMs"?, "pollIntervalMs"?, "maxPollIntervalMs"?}`, or NULL for the defaults; read
/// as `queries::customer_wait` reads them.
pub(crate) fn wait_options(json: Option<&str>) -> Result<WaitOptions> {
    let Some(json) = json else {
        return Ok(WaitOptions::default());
    };
    let args = JsonArgs::parse(
        json,
        ErrorKind::InvalidArgument,
        "wait query",
        &["timeoutMs", "pollIntervalMs", "maxPollIntervalMs"],
    )?;
    crate::queries::wait_options(&args)
}

/// `{"groupId", "roles"}`.
pub(crate) fn assignment(json: &str) -> Result<(String, Vec<String>)> {
    let args = Args::parse(json, "assignment request", &["groupId", "roles"])?;
    Ok((args.required_text("groupId")?, args.texts("roles")?))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn create_requests() {
        let (new, lock) = new_relationship(
            r#"{"displayName":"Contoso","duration":"P730D","roles":["Directory Readers"]}"#,
        )
        .unwrap();
        assert_eq!(new.display_name, "Contoso");
        assert_eq!(new.roles, ["Directory Readers"]);
        assert!(lock && !new.auto_extend && new.customer_tenant_id.is_none());
        let (new, lock) = new_relationship(
            "\u{feff}{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"r\"],\
             \"autoExtend\":true,\"lockForApproval\":false,\"customerTenantId\":\"t\"}",
        )
        .unwrap();
        assert!(!lock && new.auto_extend && new.customer_tenant_id.as_deref() == Some("t"));

        let e = new_relationship(r#"{"displayName":"x","duration":"P1D","roles":[],"secrt":"v1"}"#)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(
            e.message().contains("'secrt'") && !e.message().contains("v1"),
            "{e}"
        );
        for bad in [
            r#"{"duration":"P1D","roles":["r"]}"#,
            r#"{"displayName":"x","roles":["r"]}"#,
            r#"{"displayName":"x","duration":"P1D"}"#,
            r#"{"displayName":"x","duration":"P1D","roles":"r"}"#,
            r#"{"displayName":"x","duration":"P1D","roles":[7]}"#,
            r#"{"displayName":"x","duration":"P1D","roles":["r"],"autoExtend":"yes"}"#,
            r#"{"displayName":" ","duration":"P1D","roles":["r"]}"#,
            r#"{"displayName":"x""#,
            "[]",
        ] {
            let e = new_relationship(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn listing_and_wait_queries() {
        assert_eq!(
            listing(None).unwrap(),
            (AdminRelationshipFilter::default(), 100)
        );
        let (f, size) = listing(Some(r#"{"status":"active","pageSize":300}"#)).unwrap();
        assert_eq!((f.status.as_deref(), size), (Some("active"), 300));
        assert!(listing(Some(r#"{"pageSize":301}"#)).is_err());
        assert!(listing(Some(r#"{"pageSize":0}"#)).is_err());
        assert!(listing(Some(r#"{"domain":"x"}"#)).is_err());

        let o = wait_options(None).unwrap();
        assert_eq!(o.timeout, WaitOptions::default().timeout);
        let o = wait_options(Some(r#"{"timeoutMs":1500,"pollIntervalMs":10}"#)).unwrap();
        assert_eq!(o.timeout, Duration::from_millis(1500));
        assert_eq!(o.interval, Duration::from_millis(100));
        assert!(wait_options(Some(r#"{"tenantId":"x"}"#)).is_err());
    }

    #[test]
    fn assignment_requests() {
        let (group, roles) = assignment(r#"{"groupId":"g","roles":["a","b"]}"#).unwrap();
        assert_eq!((group.as_str(), roles.len()), ("g", 2));
        assert!(assignment(r#"{"roles":["a"]}"#).is_err());
        assert!(assignment(r#"{"groupId":"g","roles":["a"],"x":1}"#).is_err());
    }
}
