//! The GDAP operations on a [`Client`]: create, lock for approval, get, list, wait, assign
//! access, terminate. Imports the client, paging, the request types and this folder's models.

use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};

use super::models::{
    AccessAssignment, AdminRelationship, AdminRelationshipFilter, NewAdminRelationship, guid,
    resolve_roles, unified_roles,
};
use crate::client::{ApiCall, Client};
use crate::customers::WaitOptions;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Idempotency, Response};
use crate::paging::{self, Cursor, NextRequest};

/// The collection of the partner's admin relationships, below the Graph base URL.
const COLLECTION: &str = "/tenantRelationships/delegatedAdminRelationships";
/// Largest `$top` Graph takes for this collection.
pub const MAX_PAGE_SIZE: u32 = 300;

/// A relationship id as one path segment: Graph's ids are GUIDs joined by `-`, so only ASCII
/// letters, digits and `-` are accepted (no dot segment can slip in).
fn relationship_path(id: &str) -> Result<String> {
    let id = id.trim();
    if id.is_empty()
        || id.len() > 128
        || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "an admin relationship id is 1 to 128 letters, digits and '-' (Graph's ids are \
             GUIDs joined by '-')",
        ));
    }
    Ok(format!("{COLLECTION}/{id}"))
}

fn call<'a>(
    operation: &'static str,
    method: Method,
    path: &'a str,
    body: Option<&'a [u8]>,
    headers: &'a [(HeaderName, HeaderValue)],
    idempotency: Idempotency,
) -> ApiCall<'a> {
    ApiCall {
        operation,
        method,
        path,
        fixed_path: None,
        body,
        headers,
        idempotency,
    }
}

fn relationship_of(response: &Response, what: &str) -> Result<AdminRelationship> {
    AdminRelationship::from_value(response.json(what)?).ok_or_else(|| {
        response.error(
            ErrorKind::BadResponse,
            format!("{what}: no relationship id"),
        )
    })
}

fn assignment_of(response: &Response, what: &str) -> Result<AccessAssignment> {
    AccessAssignment::from_value(response.json(what)?)
        .ok_or_else(|| response.error(ErrorKind::BadResponse, format!("{what}: no assignment id")))
}

impl Client {
    /// Creates a GDAP admin relationship (status `created`). Not retried after a failure that
    /// may have reached the service: a second create would fail on the unique name.
    pub async fn create_admin_relationship(
        &self,
        new: &NewAdminRelationship,
    ) -> Result<AdminRelationship> {
        const OPERATION: &str = "admin relationship create";
        if new.global_admin_with_auto_extend() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{OPERATION}: GDAP does not auto-extend a relationship with Global \
                     Administrator; drop the role or the auto-extension"
                ),
            ));
        }
        let body = new.to_body()?.to_string();
        let response = self
            .graph_call_until(
                call(
                    OPERATION,
                    Method::POST,
                    COLLECTION,
                    Some(body.as_bytes()),
                    &[],
                    Idempotency::NotIdempotent,
                ),
                None,
            )
            .await?;
        relationship_of(&response, OPERATION)
    }

    /// Locks a `created` relationship for the customer's approval (status `approvalPending`)
    /// and returns it as it is now: send its `approval_url` to the customer.
    pub async fn lock_admin_relationship_for_approval(
        &self,
        id: &str,
    ) -> Result<AdminRelationship> {
        self.relationship_request(
            id,
            "lockForApproval",
            "admin relationship lock for approval",
        )
        .await
    }

    /// Ends an active relationship (status `terminationRequested`, then `terminated`).
    pub async fn terminate_admin_relationship(&self, id: &str) -> Result<AdminRelationship> {
        self.relationship_request(id, "terminate", "admin relationship terminate")
            .await
    }

    async fn relationship_request(
        &self,
        id: &str,
        action: &str,
        operation: &'static str,
    ) -> Result<AdminRelationship> {
        let path = format!("{}/requests", relationship_path(id)?);
        let body = json!({ "action": action }).to_string();
        self.graph_call_until(
            call(
                operation,
                Method::POST,
                &path,
                Some(body.as_bytes()),
                &[],
                // The same action twice ends where once does; the second is refused as a
                // transition from the new status, which the caller sees.
                Idempotency::Idempotent,
            ),
            None,
        )
        .await?;
        self.get_admin_relationship_until(id, None, operation).await
    }

    /// One relationship.
    pub async fn get_admin_relationship(&self, id: &str) -> Result<AdminRelationship> {
        self.get_admin_relationship_until(id, None, "admin relationship get")
            .await
    }

    async fn get_admin_relationship_until(
        &self,
        id: &str,
        until: Option<Instant>,
        operation: &'static str,
    ) -> Result<AdminRelationship> {
        let path = relationship_path(id)?;
        let response = self
            .graph_call_until(
                call(
                    operation,
                    Method::GET,
                    &path,
                    None,
                    &[],
                    Idempotency::Idempotent,
                ),
                until,
            )
            .await?;
        relationship_of(&response, operation)
    }

    /// Starts a listing of the partner's relationships, `page_size` (1..=300) per page.
    pub fn admin_relationship_pages(
        &self,
        filter: &AdminRelationshipFilter,
        page_size: u32,
    ) -> Result<AdminRelationshipPages> {
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("the page size must be 1 to {MAX_PAGE_SIZE}"),
            ));
        }
        let mut path = format!("{COLLECTION}?$top={page_size}");
        if let Some(expression) = filter.expression()? {
            let encoded: String =
                url::form_urlencoded::byte_serialize(expression.as_bytes()).collect();
            path.push_str(&format!("&$filter={}", encoded.replace('+', "%20")));
        }
        Ok(AdminRelationshipPages {
            client: self.clone(),
            cursor: Cursor::new(NextRequest::first(path)),
            operation: "admin relationship listing",
        })
    }

    /// Polls a relationship until it is `active` (after the customer approved), and returns it.
    /// A final status (`expired`, `terminated`) ends the wait with [`ErrorKind::Conflict`]; the
    /// timeout with [`ErrorKind::Timeout`]. `progress(polls, elapsed, status)` runs before each
    /// pause. Every request of a poll ends within the time left.
    pub async fn wait_for_admin_relationship(
        &self,
        id: &str,
        options: WaitOptions,
        mut progress: impl FnMut(u32, Duration, &str),
    ) -> Result<AdminRelationship> {
        const OPERATION: &str = "admin relationship wait";
        let started = Instant::now();
        let deadline = started.checked_add(options.timeout);
        let mut interval = options.interval.max(Duration::from_millis(100));
        let mut polls = 0u32;
        let mut status = String::new();
        let timed_out = |polls: u32, status: &str| {
            Error::new(
                ErrorKind::Timeout,
                format!(
                    "{OPERATION}: the admin relationship was not active within {} s ({polls} \
                     checks; last status: {})",
                    options.timeout.as_secs_f64(),
                    if status.is_empty() { "unknown" } else { status }
                ),
            )
        };
        loop {
            polls += 1;
            match self
                .get_admin_relationship_until(id, deadline, OPERATION)
                .await
            {
                Ok(r) if r.status == "active" => return Ok(r),
                Ok(r) if r.is_final() => {
                    return Err(Error::new(
                        ErrorKind::Conflict,
                        format!(
                            "{OPERATION}: the admin relationship is {} and will not become \
                             active; create a new one",
                            r.status
                        ),
                    ));
                }
                Ok(r) => status = r.status,
                Err(e)
                    if e.kind() == ErrorKind::Timeout
                        && deadline.is_some_and(|d| Instant::now() >= d) =>
                {
                    return Err(timed_out(polls, &status));
                }
                Err(e) => return Err(e),
            }
            let elapsed = started.elapsed();
            if elapsed >= options.timeout {
                return Err(timed_out(polls, &status));
            }
            progress(polls, elapsed, &status);
            tokio::time::sleep(interval.min(options.timeout - elapsed)).await;
            interval = (interval * 3 / 2).min(options.max_interval);
        }
    }

    /// Gives a partner security group (`group_id`) some of an active relationship's roles.
    pub async fn assign_admin_relationship_access(
        &self,
        id: &str,
        group_id: &str,
        roles: &[String],
    ) -> Result<AccessAssignment> {
        const OPERATION: &str = "admin relationship access assignment";
        let path = format!("{}/accessAssignments", relationship_path(id)?);
        let group = guid(group_id, "the security group id")?;
        let body = json!({
            "accessContainer": { "accessContainerId": group, "accessContainerType": "securityGroup" },
            "accessDetails": { "unifiedRoles": unified_roles(&resolve_roles(roles)?) },
        })
        .to_string();
        let response = self
            .graph_call_until(
                call(
                    OPERATION,
                    Method::POST,
                    &path,
                    Some(body.as_bytes()),
                    &[],
                    Idempotency::NotIdempotent,
                ),
                None,
            )
            .await?;
        assignment_of(&response, OPERATION)
    }

    /// Every access assignment of a relationship (all pages).
    pub async fn admin_relationship_access_assignments(
        &self,
        id: &str,
    ) -> Result<Vec<AccessAssignment>> {
        const OPERATION: &str = "admin relationship access assignment listing";
        let first = format!("{}/accessAssignments", relationship_path(id)?);
        let mut cursor = Cursor::new(NextRequest::first(first));
        let mut all = Vec::new();
        while let Some(request) = cursor.pending()? {
            let (items, next) = self.graph_page(OPERATION, &request.path).await?;
            cursor.advance(items.len(), next)?;
            all.extend(items.into_iter().filter_map(AccessAssignment::from_value));
        }
        Ok(all)
    }

    /// One page of a Graph collection: its `value` and the request for the next page.
    async fn graph_page(
        &self,
        operation: &'static str,
        path: &str,
    ) -> Result<(Vec<Value>, Option<NextRequest>)> {
        let response = self
            .graph_call_until(
                call(
                    operation,
                    Method::GET,
                    path,
                    None,
                    &[],
                    Idempotency::Idempotent,
                ),
                None,
            )
            .await?;
        let ids = |e: Error| {
            e.with_http_status(response.status.as_u16()).with_ids(
                Some(response.request_id.clone()),
                Some(response.correlation_id.clone()),
            )
        };
        let mut page = response.json(operation)?;
        let items = match page.get_mut("value").map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(ids(Error::new(
                    ErrorKind::BadResponse,
                    format!("{operation}: the page has no 'value' array"),
                )));
            }
        };
        let next = match page.get("@odata.nextLink").and_then(Value::as_str) {
            Some(link) => Some(paging::resolve_graph(self.graph_base_url(), link).map_err(ids)?),
            None => None,
        };
        Ok((items, next))
    }
}

/// A listing of admin relationships in progress: one page in memory at a time. Follows
/// `@odata.nextLink` by the rules of `paging`: below the Graph base URL, never the same cursor
/// twice.
#[derive(Debug)]
pub struct AdminRelationshipPages {
    client: Client,
    cursor: Cursor,
    operation: &'static str,
}

impl AdminRelationshipPages {
    /// The next page, or `None` when the listing is complete. A failed page can be asked for
    /// again (the cursor stays); a repeated or foreign next link ends the listing with
    /// [`ErrorKind::BadResponse`].
    pub async fn next_page(&mut self) -> Result<Option<Vec<AdminRelationship>>> {
        let Some(request) = self.cursor.pending()? else {
            return Ok(None);
        };
        let path = request.path.clone();
        let (items, next) = self.client.graph_page(self.operation, &path).await?;
        self.cursor.advance(items.len(), next)?;
        Ok(Some(
            items
                .into_iter()
                .filter_map(AdminRelationship::from_value)
                .collect(),
        ))
    }
}
