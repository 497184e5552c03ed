//! Customers: list (paged, filtered), get, wait for one to accept, remove the relationship.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{ApiCall, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Idempotency, Response};
use crate::models::{Attributes, Link};
use crate::paging::{self, Cursor, NextRequest};

/// The largest page Partner Center serves.
pub const MAX_PAGE_SIZE: u32 = 500;

/// A customer of the partner. Unknown fields are kept in `extra` and written back as they came.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// The customer id (Partner Center uses the customer's tenant id).
    #[serde(default)]
    pub id: String,
    /// The commerce id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commerce_id: Option<String>,
    /// Tenant id, domain and company name.
    #[serde(default)]
    pub company_profile: CompanyProfile,
    /// `reseller`, `advisor`, `none`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship_to_partner: Option<String>,
    /// Whether the partner has delegated admin rights (only in get-by-id answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_delegated_access: Option<bool>,
    /// `objectType` and the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
    /// Fields this library does not model (`links`, `billingProfile`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A customer's company profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyProfile {
    /// The customer's Entra ID tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// The customer's primary domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Fields this library does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Customer {
    /// True when the partner is the customer's reseller.
    pub fn is_reseller(&self) -> bool {
        self.relationship_to_partner
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("reseller"))
    }
}

/// Which customers a listing returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerFilter {
    /// Every customer.
    All,
    /// Customers whose domain starts with this text (case-insensitive, by the service).
    DomainStartsWith(String),
    /// Customers whose company name starts with this text.
    CompanyNameStartsWith(String),
}

impl CustomerFilter {
    fn query(&self) -> Option<String> {
        let (field, value) = match self {
            CustomerFilter::All => return None,
            CustomerFilter::DomainStartsWith(v) => ("Domain", v),
            CustomerFilter::CompanyNameStartsWith(v) => ("CompanyName", v),
        };
        let json = serde_json::json!({"Field": field, "Value": value, "Operator": "starts_with"});
        Some(url::form_urlencoded::byte_serialize(json.to_string().as_bytes()).collect())
    }
}

/// What a wait looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerMatch {
    /// The customer with this primary domain (case-insensitive, exact).
    Domain(String),
    /// The customer with this tenant id.
    TenantId(String),
}

/// How long and how often to poll in [`Client::wait_for_customer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long ([`ErrorKind::Timeout`]).
    pub timeout: Duration,
    /// The first wait between polls; it grows by half each time up to `max_interval`.
    pub interval: Duration,
    /// The longest wait between polls.
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(600),
            interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
        }
    }
}

/// A listing in progress: one page in memory at a time, however many customers there are.
/// Follows `links.next` by the rules of [`crate::paging`]: GET only, continuation headers only,
/// never outside the base URL, and never the same cursor twice.
#[derive(Debug)]
pub struct CustomerPages {
    client: Client,
    cursor: Cursor,
    /// When set, no page request of this listing runs past it (a wait's deadline).
    deadline: Option<Instant>,
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    items: Vec<Customer>,
    #[serde(default)]
    links: Option<PageLinks>,
}

#[derive(Deserialize)]
struct PageLinks {
    #[serde(default)]
    next: Option<Link>,
}

const LIST: &str = "customer listing";

impl CustomerPages {
    /// Bounds the whole listing by `deadline`: every page request gets at most the time left
    /// ([`ErrorKind::Timeout`] once it has passed), on top of each call's own deadline.
    pub fn until(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The next page, or `None` when the listing is complete. A next link that repeats an
    /// earlier cursor, or leaves the base URL, ends the listing with [`ErrorKind::BadResponse`]
    /// (asked again, it fails again, without a request).
    pub async fn next_page(&mut self) -> Result<Option<Vec<Customer>>> {
        // Keep the request until its page is in: a failed call (throttled, timed out) can be
        // retried with the same cursor without losing the rest of the listing.
        let Some(request) = self.cursor.pending()? else {
            return Ok(None);
        };
        let response = self
            .client
            .call_until(
                ApiCall {
                    operation: LIST,
                    // Pages are always GETs, whatever a link says (see crate::paging).
                    method: Method::GET,
                    path: &request.path,
                    fixed_path: None,
                    body: None,
                    headers: &request.headers,
                    idempotency: Idempotency::Idempotent,
                },
                self.deadline,
            )
            .await?;
        let ids = |e: Error| {
            e.with_http_status(response.status.as_u16()).with_ids(
                Some(response.request_id.clone()),
                Some(response.correlation_id.clone()),
            )
        };
        let (items, next) = parse_page(&response.body, self.client.base_url()).map_err(ids)?;
        self.cursor.advance(items.len(), next).map_err(ids)?;
        Ok(Some(items))
    }
}

/// Reads a page of customers and the request for the next page, if any.
fn parse_page(body: &[u8], base: &url::Url) -> Result<(Vec<Customer>, Option<NextRequest>)> {
    let page: Page = serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::BadResponse,
            format!("the customer page is not what was expected ({e})"),
        )
    })?;
    let next = match page.links.and_then(|l| l.next) {
        Some(link) => Some(paging::resolve(base, &link)?),
        None => None,
    };
    Ok((page.items, next))
}

/// Parses a customer page the way a listing does: the number of customers and the path of the
/// next request (for the fuzzers).
#[cfg(feature = "fuzzing")]
pub(crate) fn parse_page_summary(body: &[u8], base: &url::Url) -> Result<(usize, Option<String>)> {
    parse_page(body, base).map(|(items, next)| (items.len(), next.map(|n| n.path)))
}

fn customer_path(id: &str) -> Result<String> {
    Ok(format!("/v1/customers/{}", path_segment(id)?))
}

/// A customer id as one path segment, refused unless it looks like a Partner Center id.
///
/// Partner Center customer ids are GUIDs (the customer's tenant id) or domain-like strings, so
/// only ASCII letters, digits, `-`, `_`, `.` and `~` (RFC 3986 unreserved characters, which need
/// no escaping) are accepted, and never `.` or `..`. Escaping is not enough: an id `.` or `..`
/// is a dot segment that the URL parser (or a proxy) normalises away, so `GET /v1/customers/.`
/// would become `GET /v1/customers/`; and `%2e`, `/`, `\`, `?`, `#` or a control character
/// have no place in an id at all. The id is never echoed (it may be anything a caller passed).
pub(crate) fn path_segment(id: &str) -> Result<String> {
    let id = id.trim();
    if id.is_empty() || id.len() > 128 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "a customer id must be 1 to 128 characters",
        ));
    }
    if id == "." || id == ".." {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "a customer id cannot be '.' or '..' (a dot segment would change the request path)",
        ));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
    {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "a customer id may contain only letters, digits, '-', '_', '.' and '~' \
             (Partner Center ids are GUIDs or domain-like names)",
        ));
    }
    Ok(id.to_owned())
}

impl Client {
    /// Starts a listing of the partner's customers, `page_size` (1..=500) per page.
    ///
    /// ```no_run
    /// # async fn demo(client: partnercenter::Client) -> partnercenter::Result<()> {
    /// use partnercenter::customers::CustomerFilter;
    /// let mut pages = client.customer_pages(CustomerFilter::All, 500)?;
    /// while let Some(page) = pages.next_page().await? {
    ///     for c in page { println!("{} {:?}", c.id, c.company_profile.domain); }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn customer_pages(&self, filter: CustomerFilter, page_size: u32) -> Result<CustomerPages> {
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("the page size must be from 1 to {MAX_PAGE_SIZE}"),
            ));
        }
        let mut path = format!("/v1/customers?size={page_size}");
        if let Some(filter) = filter.query() {
            path.push_str("&filter=");
            path.push_str(&filter);
        }
        Ok(CustomerPages {
            client: self.clone(),
            cursor: Cursor::new(NextRequest::first(path)),
            deadline: None,
        })
    }

    /// Gets one customer by id (`GET /v1/customers/{id}`); [`ErrorKind::NotFound`] if unknown.
    pub async fn get_customer(&self, customer_id: &str) -> Result<Customer> {
        self.get_customer_until(customer_id, None).await
    }

    async fn get_customer_until(
        &self,
        customer_id: &str,
        deadline: Option<Instant>,
    ) -> Result<Customer> {
        let path = customer_path(customer_id)?;
        let response = self
            .call_until(ApiCall::get("customer get", &path), deadline)
            .await?;
        parse(&response, "customer")
            .map_err(|e| e.with_ids(Some(response.request_id.clone()), None))
    }

    /// Removes the partner's reseller relationship with a customer
    /// (`PATCH /v1/customers/{id}` with `relationshipToPartner: none`). Returns the customer.
    pub async fn remove_reseller_relationship(&self, customer_id: &str) -> Result<Customer> {
        let path = customer_path(customer_id)?;
        let body = serde_json::json!({"relationshipToPartner": "none", "attributes": {"objectType": "Customer"}});
        let body = body.to_string();
        let response = self
            .call(ApiCall {
                operation: "remove relationship",
                method: Method::PATCH,
                path: &path,
                fixed_path: None,
                body: Some(body.as_bytes()),
                headers: &[],
                // Setting "none" twice has the effect of setting it once.
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        parse(&response, "customer")
    }

    /// Polls until the customer appears with a reseller relationship (it accepted the
    /// invitation), or `options.timeout` passes ([`ErrorKind::Timeout`]). `progress` is called
    /// before each wait with the number of polls so far and the time spent.
    ///
    /// The timeout bounds the whole wait, polls included: every request inside a poll (and the
    /// sign-in it may need) gets at most the time that is left, so a slow or endless listing
    /// cannot hold the wait past its deadline.
    pub async fn wait_for_customer(
        &self,
        target: &CustomerMatch,
        options: WaitOptions,
        mut progress: impl FnMut(u32, Duration),
    ) -> Result<Customer> {
        let started = Instant::now();
        // `checked_add`: a timeout too large for the clock means "no deadline of its own".
        let deadline = started.checked_add(options.timeout);
        let mut interval = options.interval.max(Duration::from_millis(100));
        let mut polls = 0u32;
        let timed_out = |polls: u32| {
            let what = match target {
                CustomerMatch::Domain(d) => format!("domain {d}"),
                CustomerMatch::TenantId(t) => format!("tenant id {t}"),
            };
            Error::new(
                ErrorKind::Timeout,
                format!(
                    "no customer with {what} accepted the reseller relationship within {} s ({polls} checks)",
                    options.timeout.as_secs_f64()
                ),
            )
        };
        loop {
            polls += 1;
            match self.find_customer(target, deadline).await {
                Ok(Some(found)) => return Ok(found),
                Ok(None) => {}
                // The poll ran out of the wait's time: that is the wait's timeout, not a
                // failure of the service.
                Err(e)
                    if e.kind() == ErrorKind::Timeout
                        && deadline.is_some_and(|d| Instant::now() >= d) =>
                {
                    return Err(timed_out(polls));
                }
                Err(e) => return Err(e),
            }
            let elapsed = started.elapsed();
            if elapsed >= options.timeout {
                return Err(timed_out(polls));
            }
            progress(polls, elapsed);
            tokio::time::sleep(interval.min(options.timeout - elapsed)).await;
            interval = (interval * 3 / 2).min(options.max_interval);
        }
    }

    /// One poll of a wait, every request of it ending by `deadline`.
    async fn find_customer(
        &self,
        target: &CustomerMatch,
        deadline: Option<Instant>,
    ) -> Result<Option<Customer>> {
        match target {
            CustomerMatch::TenantId(id) => match self.get_customer_until(id, deadline).await {
                Ok(c) if c.is_reseller() => Ok(Some(c)),
                Ok(_) => Ok(None),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            CustomerMatch::Domain(domain) => {
                let mut pages = self.customer_pages(
                    CustomerFilter::DomainStartsWith(domain.clone()),
                    MAX_PAGE_SIZE,
                )?;
                pages.deadline = deadline;
                // Bounded: by the deadline, and by the cursor's refusal to repeat itself.
                while let Some(page) = pages.next_page().await? {
                    let hit = page.into_iter().find(|c| {
                        c.is_reseller()
                            && c.company_profile
                                .domain
                                .as_deref()
                                .is_some_and(|d| d.eq_ignore_ascii_case(domain))
                    });
                    if hit.is_some() {
                        return Ok(hit);
                    }
                }
                Ok(None)
            }
        }
    }
}

/// The body of a successful answer as a `T`; when it cannot be read, a bad-response error with
/// the answer's status, `MS-RequestId` and `MS-CorrelationId` (issue 12, item 12).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(response: &Response, what: &str) -> Result<T> {
    response.parse(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = r#"{"id":"c1","companyProfile":{"domain":"a.example","newField":1},"links":{"self":{"uri":"/customers/c1"}},"attributes":{"objectType":"Customer","x":true},"surprise":[1,2]}"#;
        let c: Customer = serde_json::from_str(json).unwrap();
        let back: Value = serde_json::to_value(&c).unwrap();
        let orig: Value = serde_json::from_str(json).unwrap();
        assert_eq!(back, orig);
    }

    #[test]
    fn filters_are_url_encoded_json() {
        let q = CustomerFilter::DomainStartsWith("contoso".into())
            .query()
            .unwrap();
        assert!(q.starts_with("%7B%22Field%22%3A%22Domain%22"), "{q}");
        assert!(CustomerFilter::All.query().is_none());
    }

    #[test]
    fn ids_are_one_plain_segment_or_refused() {
        assert_eq!(
            customer_path(" 0f8fad5b-d9cb-469f-a165-70867728950e ").unwrap(),
            "/v1/customers/0f8fad5b-d9cb-469f-a165-70867728950e"
        );
        assert_eq!(
            customer_path("contoso.onmicrosoft.com").unwrap(),
            "/v1/customers/contoso.onmicrosoft.com"
        );
        for bad in [
            "  ",
            ".",
            "..",
            "%2e",
            "%2E%2E",
            "a/b?c",
            "a\\b",
            "a#b",
            "not a guid+",
            "a\u{0}b",
            "é",
        ] {
            let e = customer_path(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
        assert!(customer_path(&"a".repeat(129)).is_err());
    }
}
