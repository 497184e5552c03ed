//! The JSON forms of operation arguments that the C ABI (and so every FFI door) passes:
//! parsed here, by hand, so that errors name the key and never echo a value.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::customers::{CustomerFilter, CustomerMatch, MAX_PAGE_SIZE, WaitOptions};
use crate::error::{Error, ErrorKind, Result};

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

fn object(json: &str, what: &str, keys: &[&str]) -> Result<Map<String, Value>> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let value: Value = serde_json::from_str(json).map_err(|e| {
        invalid(format!(
            "the {what} is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(invalid(format!("the {what} must be a JSON object")));
    };
    if let Some(k) = map.keys().find(|k| !keys.contains(&k.as_str())) {
        let shown: String = k.chars().filter(|c| !c.is_control()).take(40).collect();
        return Err(invalid(format!(
            "unknown key '{shown}' in the {what} (known keys: {})",
            keys.join(", ")
        )));
    }
    Ok(map)
}

fn text(map: &Map<String, Value>, key: &str, what: &str) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
        Some(Value::String(_)) => Err(invalid(format!("'{key}' in the {what} must not be empty"))),
        Some(_) => Err(invalid(format!("'{key}' in the {what} must be a string"))),
    }
}

fn number(map: &Map<String, Value>, key: &str, what: &str, max: u64) -> Result<Option<u64>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v <= max => Ok(Some(v)),
            _ => Err(invalid(format!(
                "'{key}' in the {what} must be a whole number from 0 to {max}"
            ))),
        },
        Some(_) => Err(invalid(format!("'{key}' in the {what} must be a number"))),
    }
}

/// A customer listing: `{"domain"?: prefix, "companyName"?: prefix, "pageSize"?: 1..500}`.
/// `None` or `{}` lists everything, 500 per page.
pub fn customer_listing(json: Option<&str>) -> Result<(CustomerFilter, u32)> {
    let Some(json) = json else {
        return Ok((CustomerFilter::All, MAX_PAGE_SIZE));
    };
    const WHAT: &str = "listing query";
    let map = object(json, WHAT, &["domain", "companyName", "pageSize"])?;
    let filter = match (
        text(&map, "domain", WHAT)?,
        text(&map, "companyName", WHAT)?,
    ) {
        (Some(_), Some(_)) => return Err(invalid("give 'domain' or 'companyName', not both")),
        (Some(d), None) => CustomerFilter::DomainStartsWith(d),
        (None, Some(c)) => CustomerFilter::CompanyNameStartsWith(c),
        (None, None) => CustomerFilter::All,
    };
    let size = number(&map, "pageSize", WHAT, u64::from(MAX_PAGE_SIZE))?
        .unwrap_or(u64::from(MAX_PAGE_SIZE));
    if size == 0 {
        return Err(invalid(format!(
            "'pageSize' must be from 1 to {MAX_PAGE_SIZE}"
        )));
    }
    Ok((filter, size as u32))
}

/// A wait: `{"domain" | "tenantId", "timeoutMs"?, "pollIntervalMs"?, "maxPollIntervalMs"?}`.
pub fn customer_wait(json: &str) -> Result<(CustomerMatch, WaitOptions)> {
    const WHAT: &str = "wait query";
    let map = object(
        json,
        WHAT,
        &[
            "domain",
            "tenantId",
            "timeoutMs",
            "pollIntervalMs",
            "maxPollIntervalMs",
        ],
    )?;
    let target = match (text(&map, "domain", WHAT)?, text(&map, "tenantId", WHAT)?) {
        (Some(d), None) => CustomerMatch::Domain(d),
        (None, Some(t)) => CustomerMatch::TenantId(t),
        _ => {
            return Err(invalid(
                "the wait query needs exactly one of 'domain' and 'tenantId'",
            ));
        }
    };
    let mut options = WaitOptions::default();
    const DAY_MS: u64 = 86_400_000;
    if let Some(ms) = number(&map, "timeoutMs", WHAT, DAY_MS)? {
        options.timeout = Duration::from_millis(ms);
    }
    if let Some(ms) = number(&map, "pollIntervalMs", WHAT, DAY_MS)? {
        options.interval = Duration::from_millis(ms.max(100));
        options.max_interval = options.max_interval.max(options.interval);
    }
    if let Some(ms) = number(&map, "maxPollIntervalMs", WHAT, DAY_MS)? {
        options.max_interval = Duration::from_millis(ms).max(options.interval);
    }
    Ok((target, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_queries() {
        assert_eq!(customer_listing(None).unwrap(), (CustomerFilter::All, 500));
        assert_eq!(
            customer_listing(Some(r#"{"domain":"fab","pageSize":7}"#)).unwrap(),
            (CustomerFilter::DomainStartsWith("fab".into()), 7)
        );
        let e = customer_listing(Some(r#"{"domian":"secret"}"#)).unwrap_err();
        assert!(e.message().contains("'domian'") && !e.message().contains("secret"));
        assert!(customer_listing(Some(r#"{"pageSize":501}"#)).is_err());
        assert!(customer_listing(Some(r#"{"pageSize":0}"#)).is_err());
    }

    #[test]
    fn wait_queries() {
        let (t, o) =
            customer_wait(r#"{"tenantId":"x","timeoutMs":1500,"pollIntervalMs":200}"#).unwrap();
        assert_eq!(t, CustomerMatch::TenantId("x".into()));
        assert_eq!(o.timeout, Duration::from_millis(1500));
        assert_eq!(o.interval, Duration::from_millis(200));
        assert!(customer_wait(r#"{"timeoutMs":1}"#).is_err());
        assert!(customer_wait(r#"{"domain":"a","tenantId":"b"}"#).is_err());
    }
}
