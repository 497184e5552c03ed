//! The JSON forms of operation arguments that the C ABI (and so every FFI door) passes:
//! parsed here (see `json_args`), so that errors name the key and never echo a value.

use std::time::Duration;

use crate::customers::{CustomerFilter, CustomerMatch, MAX_PAGE_SIZE, WaitOptions};
use crate::error::{ErrorKind, Result};
use crate::json_args::JsonArgs;

/// A listing query: `{"domain" | "companyName", "pageSize"?, "timeoutMs"?}`, as
/// [`customer_listing_query`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingQuery {
    /// Which customers.
    pub filter: CustomerFilter,
    /// Customers per page (1..=500).
    pub page_size: u32,
    /// A bound on the whole listing, counted from when the query is read (`timeoutMs`).
    pub timeout: Option<Duration>,
}

/// A listing: `None` (every customer, 500 a page) or
/// `{"domain" | "companyName", "pageSize"?, "timeoutMs"?}`.
pub fn customer_listing(json: Option<&str>) -> Result<(CustomerFilter, u32)> {
    customer_listing_query(json).map(|q| (q.filter, q.page_size))
}

/// Like [`customer_listing`], with the whole-listing `timeoutMs` (at most a day).
pub fn customer_listing_query(json: Option<&str>) -> Result<ListingQuery> {
    let Some(json) = json else {
        return Ok(ListingQuery {
            filter: CustomerFilter::All,
            page_size: MAX_PAGE_SIZE,
            timeout: None,
        });
    };
    let args = JsonArgs::parse(
        json,
        ErrorKind::InvalidArgument,
        "listing query",
        &["domain", "companyName", "pageSize", "timeoutMs"],
    )?;
    let filter = match (args.text("domain")?, args.text("companyName")?) {
        (Some(_), Some(_)) => return Err(args.invalid("give 'domain' or 'companyName', not both")),
        (Some(d), None) => CustomerFilter::DomainStartsWith(d.trim().to_owned()),
        (None, Some(c)) => CustomerFilter::CompanyNameStartsWith(c.trim().to_owned()),
        (None, None) => CustomerFilter::All,
    };
    let size = args
        .number("pageSize", 1, u64::from(MAX_PAGE_SIZE))?
        .unwrap_or(u64::from(MAX_PAGE_SIZE));
    let timeout = match args.millis("timeoutMs")? {
        Some(t) if t.is_zero() => {
            return Err(args.invalid("'timeoutMs' in the listing query must be above zero"));
        }
        t => t,
    };
    Ok(ListingQuery {
        filter,
        page_size: size as u32,
        timeout,
    })
}

/// A wait: `{"domain" | "tenantId", "timeoutMs"?, "pollIntervalMs"?, "maxPollIntervalMs"?}`.
pub fn customer_wait(json: &str) -> Result<(CustomerMatch, WaitOptions)> {
    let args = JsonArgs::parse(
        json,
        ErrorKind::InvalidArgument,
        "wait query",
        &[
            "domain",
            "tenantId",
            "timeoutMs",
            "pollIntervalMs",
            "maxPollIntervalMs",
        ],
    )?;
    let target = match (args.text("domain")?, args.text("tenantId")?) {
        (Some(d), None) => CustomerMatch::Domain(d.trim().to_owned()),
        (None, Some(t)) => CustomerMatch::TenantId(t.trim().to_owned()),
        _ => {
            return Err(args.invalid("the wait query needs exactly one of 'domain' and 'tenantId'"));
        }
    };
    Ok((target, wait_options(&args)?))
}

/// `"timeoutMs"`, `"pollIntervalMs"` (at least 100) and `"maxPollIntervalMs"` of a wait query,
/// over the defaults: every wait of the C ABI reads them so.
pub(crate) fn wait_options(args: &JsonArgs<'_>) -> Result<WaitOptions> {
    let mut options = WaitOptions::default();
    if let Some(timeout) = args.millis("timeoutMs")? {
        options.timeout = timeout;
    }
    if let Some(interval) = args.millis("pollIntervalMs")? {
        options.interval = interval.max(Duration::from_millis(100));
        options.max_interval = options.max_interval.max(options.interval);
    }
    if let Some(max) = args.millis("maxPollIntervalMs")? {
        options.max_interval = max.max(options.interval);
    }
    Ok(options)
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
        let q = customer_listing_query(Some(r#"{"timeoutMs":1500}"#)).unwrap();
        assert_eq!(q.timeout, Some(Duration::from_millis(1500)));
        assert!(customer_listing_query(Some(r#"{"timeoutMs":0}"#)).is_err());
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
