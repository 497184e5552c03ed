//! Customers: list (paged, filtered), get, wait for one to accept, remove the relationship.

use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{ApiCall, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::http::Idempotency;
use crate::models::{Attributes, Link};

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
/// Follows `links.next` exactly as the service gives it (uri, method, headers).
#[derive(Debug)]
pub struct CustomerPages {
    client: Client,
    next: Option<NextRequest>,
}

#[derive(Debug)]
struct NextRequest {
    path: String,
    method: Method,
    headers: Vec<(HeaderName, HeaderValue)>,
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
    /// The next page, or `None` when the listing is complete.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Customer>>> {
        // Keep the request until its page is in: a failed call (throttled, timed out) can be
        // retried with the same cursor without losing the rest of the listing.
        let Some(request) = self.next.as_ref() else {
            return Ok(None);
        };
        let response = self
            .client
            .call(ApiCall {
                operation: LIST,
                method: request.method.clone(),
                path: &request.path,
                body: None,
                headers: &request.headers,
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        let (items, next) = parse_page(&response.body, self.client.base_url()).map_err(|e| {
            e.with_ids(
                Some(response.request_id.clone()),
                Some(response.correlation_id.clone()),
            )
        })?;
        self.next = next;
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
        Some(link) => Some(follow(base, &link)?),
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

/// Turns a `links.next` into a request below the base URL. A relative uri is used as
/// given when it starts with `/v1/` (never prefixed twice); an absolute one must point
/// at the API's own origin, so the bearer token never goes elsewhere.
fn follow(base: &url::Url, link: &Link) -> Result<NextRequest> {
    let bad = |why: &str| {
        Error::new(
            ErrorKind::BadResponse,
            format!("the service's next-page link {why}"),
        )
    };
    let uri = link.uri.trim();
    let path = if uri.starts_with("https://") || uri.starts_with("http://") {
        let target = url::Url::parse(uri).map_err(|_| bad("is not a valid URL"))?;
        if target.origin() != base.origin() {
            return Err(bad(
                "points at another host; not following it with the access token",
            ));
        }
        let mut p = target.path().to_owned();
        let prefix = base.path().trim_end_matches('/');
        if !prefix.is_empty() {
            p = p.strip_prefix(prefix).unwrap_or(&p).to_owned();
        }
        match target.query() {
            Some(q) => format!("{p}?{q}"),
            None => p,
        }
    } else if uri.starts_with("/v1/") {
        uri.to_owned()
    } else if uri.starts_with('/') {
        format!("/v1{uri}")
    } else if !uri.is_empty() {
        format!("/v1/{uri}")
    } else {
        return Err(bad("is empty"));
    };
    let method = match link.method.as_deref() {
        None | Some("") => Method::GET,
        Some(m) => Method::from_bytes(m.to_ascii_uppercase().as_bytes())
            .map_err(|_| bad("has a bad method"))?,
    };
    let mut headers = Vec::with_capacity(link.headers.len());
    for h in &link.headers {
        let name =
            HeaderName::from_bytes(h.key.as_bytes()).map_err(|_| bad("has a bad header name"))?;
        // The link may add paging headers, never replace who we are.
        if name == reqwest::header::AUTHORIZATION || name == reqwest::header::HOST {
            continue;
        }
        let value = HeaderValue::from_str(&h.value).map_err(|_| bad("has a bad header value"))?;
        headers.push((name, value));
    }
    Ok(NextRequest {
        path,
        method,
        headers,
    })
}

fn customer_path(id: &str) -> Result<String> {
    Ok(format!("/v1/customers/{}", path_segment(id)?))
}

/// A customer id as one percent-encoded path segment (never form-encoded: `+` is literal in a
/// path), so an id can never add segments or a query.
pub(crate) fn path_segment(id: &str) -> Result<String> {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let id = id.trim();
    if id.is_empty() || id.len() > 128 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "a customer id must be 1 to 128 characters",
        ));
    }
    Ok(percent_encoding::utf8_percent_encode(id, SEGMENT).to_string())
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
            next: Some(NextRequest {
                path,
                method: Method::GET,
                headers: Vec::new(),
            }),
        })
    }

    /// Gets one customer by id (`GET /v1/customers/{id}`); [`ErrorKind::NotFound`] if unknown.
    pub async fn get_customer(&self, customer_id: &str) -> Result<Customer> {
        let path = customer_path(customer_id)?;
        let response = self.call(ApiCall::get("customer get", &path)).await?;
        parse(&response.body, "customer")
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
                body: Some(body.as_bytes()),
                headers: &[],
                // Setting "none" twice has the effect of setting it once.
                idempotency: Idempotency::Idempotent,
            })
            .await?;
        parse(&response.body, "customer")
    }

    /// Polls until the customer appears with a reseller relationship (it accepted the
    /// invitation), or `options.timeout` passes ([`ErrorKind::Timeout`]). `progress` is called
    /// before each wait with the number of polls so far and the time spent.
    pub async fn wait_for_customer(
        &self,
        target: &CustomerMatch,
        options: WaitOptions,
        mut progress: impl FnMut(u32, Duration),
    ) -> Result<Customer> {
        let started = Instant::now();
        let mut interval = options.interval.max(Duration::from_millis(100));
        let mut polls = 0u32;
        loop {
            polls += 1;
            if let Some(found) = self.find_customer(target).await? {
                return Ok(found);
            }
            let elapsed = started.elapsed();
            if elapsed >= options.timeout {
                let what = match target {
                    CustomerMatch::Domain(d) => format!("domain {d}"),
                    CustomerMatch::TenantId(t) => format!("tenant id {t}"),
                };
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "no customer with {what} accepted the reseller relationship within {} s ({polls} checks)",
                        options.timeout.as_secs()
                    ),
                ));
            }
            progress(polls, elapsed);
            tokio::time::sleep(interval.min(options.timeout - elapsed)).await;
            interval = (interval * 3 / 2).min(options.max_interval);
        }
    }

    async fn find_customer(&self, target: &CustomerMatch) -> Result<Option<Customer>> {
        match target {
            CustomerMatch::TenantId(id) => match self.get_customer(id).await {
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

pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::BadResponse,
            format!("the {what} answer is not what was expected ({e})"),
        )
    })
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
    fn ids_are_escaped_into_one_segment() {
        assert_eq!(customer_path("a/b?c").unwrap(), "/v1/customers/a%2Fb%3Fc");
        assert_eq!(
            customer_path("not a guid+").unwrap(),
            "/v1/customers/not%20a%20guid%2B"
        );
        assert!(customer_path("  ").is_err());
    }
}
