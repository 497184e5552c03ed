//! The admin relationships in creation order, bounded ([`MAX_RELATIONSHIPS`], oldest ended ones
//! forgotten first; [`MAX_ASSIGNMENTS`] access assignments in all), with what callers do to them.
//! Every method takes the time `now`, and brings what it reads up to it first.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use axum::http::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use crate::plumbing::admin_relationships::fields::{
    CustomerRef, Draft, check_auto_extend_roles, parse_assignment, parse_auto_extend, parse_draft,
};
use crate::plumbing::admin_relationships::query::ListQuery;
use crate::plumbing::admin_relationships::relationship::{Assignment, Relationship, Status};
use crate::plumbing::graph_wire::GraphError;

/// Most relationships kept: past it the oldest ended one is forgotten, or a create is refused
/// when none has ended.
pub const MAX_RELATIONSHIPS: usize = 10_000;
/// Most access assignments kept, over every relationship.
pub const MAX_ASSIGNMENTS: usize = 20_000;

/// One page of a listing.
#[derive(Debug)]
pub struct Page {
    /// The objects of the page.
    pub items: Vec<Value>,
    /// Where the next page starts (for its `$skiptoken`), when there is one.
    pub next: Option<u64>,
}

/// What `POST …/{id}/requests` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Offer the relationship to the customer (from `created`).
    LockForApproval,
    /// End it (from `active`).
    Terminate,
}

impl Action {
    /// The action named `text`.
    pub fn parse(text: &str) -> Option<Action> {
        match text {
            "lockForApproval" => Some(Action::LockForApproval),
            "terminate" => Some(Action::Terminate),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::LockForApproval => "lockForApproval",
            Action::Terminate => "terminate",
        }
    }
}

/// The names of customers the emulator knows, by tenant id.
pub trait CustomerNames {
    /// The display name of the customer with `tenant_id`, if known.
    fn name_of(&self, tenant_id: Uuid) -> Option<String>;
}

impl<F: Fn(Uuid) -> Option<String>> CustomerNames for F {
    fn name_of(&self, tenant_id: Uuid) -> Option<String> {
        self(tenant_id)
    }
}

/// Every admin relationship since start or the last reset.
#[derive(Debug, Default)]
pub struct AdminRelationships {
    by_position: BTreeMap<u64, Relationship>,
    /// Lower-case id → position.
    positions: HashMap<String, u64>,
    /// Lower-case display name → position.
    names: HashMap<String, u64>,
    next_position: u64,
    assignment_count: usize,
}

fn not_found(id: &str) -> GraphError {
    GraphError::not_found(format!(
        "The delegatedAdminRelationship '{id}' was not found."
    ))
}

fn conflict(code: &'static str, message: String) -> GraphError {
    GraphError::new(StatusCode::CONFLICT, code, message)
}

fn customer_ref(tenant_id: Option<Uuid>, names: &dyn CustomerNames) -> Option<CustomerRef> {
    tenant_id.map(|tenant_id| CustomerRef {
        tenant_id,
        display_name: names.name_of(tenant_id),
    })
}

impl AdminRelationships {
    /// Forgets every relationship.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// How many relationships are kept.
    pub fn len(&self) -> usize {
        self.by_position.len()
    }

    fn find(&mut self, id: &str, now: SystemTime) -> Result<&mut Relationship, GraphError> {
        let position = *self
            .positions
            .get(&id.to_ascii_lowercase())
            .ok_or_else(|| not_found(id))?;
        let relationship = self
            .by_position
            .get_mut(&position)
            .ok_or_else(|| not_found(id))?;
        relationship.settle(now);
        Ok(relationship)
    }

    fn name_taken(&self, name: &str, except: Option<u64>) -> Result<(), GraphError> {
        match self.names.get(&name.to_lowercase()) {
            Some(&position) if Some(position) != except => Err(conflict(
                "duplicateDisplayName",
                format!("The displayName '{name}' is already used by another relationship."),
            )),
            _ => Ok(()),
        }
    }

    /// Makes room for one more relationship: forgets the oldest ended one when full.
    fn make_room(&mut self, now: SystemTime) -> Result<(), GraphError> {
        if self.by_position.len() < MAX_RELATIONSHIPS {
            return Ok(());
        }
        let ended = self.by_position.iter_mut().find_map(|(&position, r)| {
            r.settle(now);
            r.status.is_final().then_some(position)
        });
        let Some(position) = ended else {
            return Err(conflict(
                "tooManyRelationships",
                format!(
                    "The emulator keeps at most {MAX_RELATIONSHIPS} relationships and none has ended; terminate some or reset."
                ),
            ));
        };
        if let Some(old) = self.by_position.remove(&position) {
            self.positions.remove(&old.id);
            self.names.remove(&old.display_name.to_lowercase());
            self.assignment_count -= old.assignments.len();
        }
        Ok(())
    }

    /// `POST …/delegatedAdminRelationships` with `body`, for the partner `partner_id`: the new
    /// relationship (`created`).
    pub fn create(
        &mut self,
        partner_id: &str,
        body: &[u8],
        names: &dyn CustomerNames,
        now: SystemTime,
    ) -> Result<Value, GraphError> {
        let draft = parse_draft(body, false)?;
        let Draft {
            display_name: Some(display_name),
            duration: Some(duration),
            roles: Some(roles),
            auto_extend,
            customer,
        } = draft
        else {
            return Err(GraphError::bad_request(
                "displayName, duration and accessDetails are required.",
            ));
        };
        let auto_extend = match auto_extend {
            Some(days) => days,
            None => parse_auto_extend("PT0S")?,
        };
        check_auto_extend_roles(&roles, &auto_extend)?;
        self.name_taken(&display_name, None)?;
        self.make_room(now)?;
        let customer = customer_ref(customer.flatten(), names);
        let partner = partner_id.to_ascii_lowercase();
        let mut id = match &customer {
            Some(c) => format!("{partner}-{}", c.tenant_id),
            None => format!("{partner}-{}", Uuid::new_v4()),
        };
        // A second relationship with the same customer gets a random second half.
        while self.positions.contains_key(&id) {
            id = format!("{partner}-{}", Uuid::new_v4());
        }
        let position = self.next_position;
        self.next_position += 1;
        let relationship = Relationship::new(
            id.clone(),
            display_name.clone(),
            duration,
            customer,
            roles,
            auto_extend,
            now,
        );
        let json = relationship.to_json();
        self.positions.insert(id, position);
        self.names.insert(display_name.to_lowercase(), position);
        self.by_position.insert(position, relationship);
        Ok(json)
    }

    /// `GET …/{id}`.
    pub fn get(&mut self, id: &str, now: SystemTime) -> Result<Value, GraphError> {
        Ok(self.find(id, now)?.to_json())
    }

    /// The status of relationship `id` now, if there is one.
    pub fn status(&mut self, id: &str, now: SystemTime) -> Option<Status> {
        self.find(id, now).ok().map(|r| r.status)
    }

    /// `GET …/delegatedAdminRelationships` with `query`.
    pub fn list(&mut self, query: &ListQuery, now: SystemTime) -> Page {
        let size = query.page_size();
        let mut items = Vec::new();
        let mut next = None;
        for (&position, relationship) in self.by_position.range_mut(query.start..) {
            relationship.settle(now);
            if !query.matches(relationship) {
                continue;
            }
            if items.len() == size {
                next = Some(position);
                break;
            }
            items.push(relationship.to_json());
        }
        Page { items, next }
    }

    /// `PATCH …/{id}` with `If-Match: if_match` and `body`: only while `created`.
    pub fn patch(
        &mut self,
        id: &str,
        if_match: Option<&str>,
        body: &[u8],
        names: &dyn CustomerNames,
        now: SystemTime,
    ) -> Result<Value, GraphError> {
        let relationship = self.find(id, now)?;
        let Some(if_match) = if_match.map(str::trim) else {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "ifMatchRequired",
                "The If-Match header is required: send the @odata.etag of the relationship.",
            ));
        };
        if if_match != "*" && if_match != relationship.etag {
            return Err(GraphError::new(
                StatusCode::PRECONDITION_FAILED,
                "PreconditionFailed",
                format!(
                    "The If-Match value {if_match} is not the current @odata.etag of the relationship: read it again."
                ),
            ));
        }
        if relationship.status != Status::Created {
            return Err(transition_refused(
                "PATCH",
                relationship.status,
                "created".into(),
            ));
        }
        let draft = parse_draft(body, true)?;
        let roles = draft.roles.as_ref().unwrap_or(&relationship.roles);
        let auto_extend = draft
            .auto_extend
            .as_ref()
            .unwrap_or(&relationship.auto_extend);
        check_auto_extend_roles(roles, auto_extend)?;
        let position = self.positions[&id.to_ascii_lowercase()];
        if let Some(name) = &draft.display_name {
            self.name_taken(name, Some(position))?;
        }
        let relationship = self
            .by_position
            .get_mut(&position)
            .ok_or_else(|| not_found(id))?;
        if let Some(name) = draft.display_name {
            self.names.remove(&relationship.display_name.to_lowercase());
            self.names.insert(name.to_lowercase(), position);
            relationship.display_name = name;
        }
        if let Some(duration) = draft.duration {
            relationship.duration = duration;
        }
        if let Some(roles) = draft.roles {
            relationship.roles = roles;
        }
        if let Some(auto_extend) = draft.auto_extend {
            relationship.auto_extend = auto_extend;
        }
        if let Some(customer) = draft.customer {
            relationship.customer = customer_ref(customer, names);
        }
        relationship.touch(now);
        Ok(relationship.to_json())
    }

    /// `POST …/{id}/requests` with `action`: the relationship after it.
    pub fn request(
        &mut self,
        id: &str,
        action: Action,
        now: SystemTime,
    ) -> Result<Value, GraphError> {
        let relationship = self.find(id, now)?;
        let (from, to) = match action {
            Action::LockForApproval => (Status::Created, Status::ApprovalPending),
            Action::Terminate => (Status::Active, Status::TerminationRequested),
        };
        if relationship.status != from {
            return Err(transition_refused(
                &format!("The action '{}'", action.as_str()),
                relationship.status,
                from.as_str().into(),
            ));
        }
        relationship.set(to, now);
        Ok(relationship.to_json())
    }

    /// Plays the customer approving relationship `id` (only from `approvalPending`): it becomes
    /// `approved`, then `activating` and `active` by time. A relationship without a customer gets
    /// `customer` (or a made-up tenant).
    pub fn approve(
        &mut self,
        id: &str,
        customer: Option<Uuid>,
        names: &dyn CustomerNames,
        now: SystemTime,
    ) -> Result<Value, GraphError> {
        let relationship = self.find(id, now)?;
        if relationship.status != Status::ApprovalPending {
            return Err(transition_refused(
                "Approval",
                relationship.status,
                "approvalPending".into(),
            ));
        }
        if relationship.customer.is_none() {
            relationship.customer =
                customer_ref(Some(customer.unwrap_or_else(Uuid::new_v4)), names);
        }
        relationship.set(Status::Approved, now);
        Ok(relationship.to_json())
    }

    /// Makes relationship `id` `expired` now (not once terminated).
    pub fn expire(&mut self, id: &str, now: SystemTime) -> Result<Value, GraphError> {
        let relationship = self.find(id, now)?;
        match relationship.status {
            Status::Expired => {}
            Status::Terminated => {
                return Err(transition_refused(
                    "Expiry",
                    Status::Terminated,
                    "any status but terminated".into(),
                ));
            }
            _ => {
                relationship.set(Status::Expired, now);
                relationship.end = Some(now);
            }
        }
        Ok(relationship.to_json())
    }

    /// `POST …/{id}/accessAssignments` with `body` (only while `active`).
    pub fn assign(&mut self, id: &str, body: &[u8], now: SystemTime) -> Result<Value, GraphError> {
        let full = self.assignment_count >= MAX_ASSIGNMENTS;
        let relationship = self.find(id, now)?;
        if relationship.status != Status::Active {
            return Err(conflict(
                "relationshipNotActive",
                format!(
                    "Access assignments need an active relationship; this one is '{}'.",
                    relationship.status.as_str()
                ),
            ));
        }
        let new = parse_assignment(body)?;
        if let Some(role) = new.roles.iter().find(|r| !relationship.roles.contains(r)) {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "roleNotInRelationship",
                format!("The role {role} is not among the roles of the relationship."),
            ));
        }
        if full {
            return Err(conflict(
                "tooManyAccessAssignments",
                format!("The emulator keeps at most {MAX_ASSIGNMENTS} access assignments."),
            ));
        }
        let assignment = Assignment::new(new.container_id, new.roles, now);
        let json = assignment.to_json();
        relationship.assignments.push(assignment);
        self.assignment_count += 1;
        Ok(json)
    }

    /// `GET …/{id}/accessAssignments` with `query`.
    pub fn assignments(
        &mut self,
        id: &str,
        query: &ListQuery,
        now: SystemTime,
    ) -> Result<Page, GraphError> {
        query.check_for_assignments()?;
        let relationship = self.find(id, now)?;
        let size = query.page_size();
        let mut items = Vec::new();
        let mut next = None;
        let start = usize::try_from(query.start).unwrap_or(usize::MAX);
        for (position, assignment) in relationship.assignments.iter().enumerate().skip(start) {
            if !query.matches_assignment(assignment) {
                continue;
            }
            if items.len() == size {
                next = Some(position as u64);
                break;
            }
            items.push(assignment.to_json());
        }
        Ok(Page { items, next })
    }

    /// `GET …/{id}/accessAssignments/{assignment_id}`.
    pub fn assignment(
        &mut self,
        id: &str,
        assignment_id: &str,
        now: SystemTime,
    ) -> Result<Value, GraphError> {
        let relationship = self.find(id, now)?;
        Uuid::parse_str(assignment_id.trim())
            .ok()
            .and_then(|wanted| relationship.assignments.iter().find(|a| a.id == wanted))
            .map(Assignment::to_json)
            .ok_or_else(|| {
                GraphError::not_found(format!(
                    "The delegatedAdminAccessAssignment '{assignment_id}' was not found."
                ))
            })
    }
}

fn transition_refused(what: &str, status: Status, allowed: String) -> GraphError {
    conflict(
        "invalidStatusTransition",
        format!(
            "{what} is not allowed while the relationship is '{}' (only from {allowed}).",
            status.as_str()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::admin_relationships::relationship::AssignmentStatus;
    use std::time::Duration;

    const PARTNER: &str = "E1E1E1E1-1111-4111-8111-00000000E1E1";
    const ROLE: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";

    fn no_names(_: Uuid) -> Option<String> {
        None
    }

    fn body(name: &str) -> Vec<u8> {
        format!(
            r#"{{"displayName":"{name}","duration":"P730D","accessDetails":{{"unifiedRoles":[{{"roleDefinitionId":"{ROLE}"}}]}}}}"#
        )
        .into_bytes()
    }

    fn id_of(value: &Value) -> String {
        value["id"].as_str().unwrap().to_owned()
    }

    #[test]
    fn the_whole_life_by_an_injected_clock() {
        let mut store = AdminRelationships::default();
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let created = store.create(PARTNER, &body("A"), &no_names, t0).unwrap();
        let id = id_of(&created);
        assert!(
            id.starts_with("e1e1e1e1-1111-4111-8111-00000000e1e1-"),
            "{id}"
        );
        assert_eq!(created["status"], "created");
        assert_eq!(created["autoExtendDuration"], "PT0S");
        let error = store.assign(&id, b"{}", t0).unwrap_err();
        assert_eq!(error.code, "relationshipNotActive");
        assert_eq!(
            store.approve(&id, None, &no_names, t0).unwrap_err().code,
            "invalidStatusTransition"
        );
        store.request(&id, Action::LockForApproval, t0).unwrap();
        assert_eq!(store.status(&id, t0), Some(Status::ApprovalPending));
        let approved = store.approve(&id, None, &no_names, t0).unwrap();
        assert!(approved["customer"]["tenantId"].is_string());
        assert_eq!(
            store.status(&id, t0 + Duration::from_millis(400)),
            Some(Status::Activating)
        );
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(store.status(&id, t1), Some(Status::Active));
        let assignment = format!(
            r#"{{"accessContainer":{{"accessContainerId":"0f8fad5b-d9cb-469f-a165-70867728950e","accessContainerType":"securityGroup"}},"accessDetails":{{"unifiedRoles":[{{"roleDefinitionId":"{ROLE}"}}]}}}}"#
        );
        let made = store.assign(&id, assignment.as_bytes(), t1).unwrap();
        assert_eq!(made["status"], "pending");
        let aid = id_of(&made);
        let later = store
            .assignment(&id, &aid, t1 + Duration::from_millis(500))
            .unwrap();
        assert_eq!(later["status"], AssignmentStatus::Active.as_str());
        let other_role = assignment.replace(ROLE, "62e90394-69f5-4237-9190-012177145e10");
        assert_eq!(
            store
                .assign(&id, other_role.as_bytes(), t1)
                .unwrap_err()
                .code,
            "roleNotInRelationship"
        );
        store.request(&id, Action::Terminate, t1).unwrap();
        assert_eq!(
            store.request(&id, Action::Terminate, t1).unwrap_err().code,
            "invalidStatusTransition"
        );
        assert_eq!(
            store.status(&id, t1 + Duration::from_secs(1)),
            Some(Status::Terminated)
        );
    }

    #[test]
    fn names_are_unique_ignoring_case_and_patch_needs_the_etag() {
        let mut store = AdminRelationships::default();
        let now = SystemTime::now();
        let first = store
            .create(PARTNER, &body("Contoso"), &no_names, now)
            .unwrap();
        let error = store
            .create(PARTNER, &body("CONTOSO"), &no_names, now)
            .unwrap_err();
        assert_eq!(
            (error.status.as_u16(), error.code),
            (409, "duplicateDisplayName")
        );
        let second = store
            .create(PARTNER, &body("Other"), &no_names, now)
            .unwrap();
        let id = id_of(&first);
        let etag = first["@odata.etag"].as_str().unwrap();
        let rename = br#"{"displayName":"other"}"#;
        assert_eq!(
            store
                .patch(&id, None, rename, &no_names, now)
                .unwrap_err()
                .code,
            "ifMatchRequired"
        );
        assert_eq!(
            store
                .patch(&id, Some("W/\"stale\""), rename, &no_names, now)
                .unwrap_err()
                .code,
            "PreconditionFailed"
        );
        assert_eq!(
            store
                .patch(&id, Some(etag), rename, &no_names, now)
                .unwrap_err()
                .code,
            "duplicateDisplayName"
        );
        let renamed = store
            .patch(
                &id,
                Some(etag),
                br#"{"displayName":"contoso 2"}"#,
                &no_names,
                now,
            )
            .unwrap();
        assert_ne!(renamed["@odata.etag"], first["@odata.etag"]);
        // The old name is free again; the second relationship may take it.
        let second_id = id_of(&second);
        let second_etag = second["@odata.etag"].as_str().unwrap();
        store
            .patch(
                &second_id,
                Some(second_etag),
                br#"{"displayName":"Contoso"}"#,
                &no_names,
                now,
            )
            .unwrap();
        assert_eq!(store.get("nope", now).unwrap_err().code, "ResourceNotFound");
    }

    #[test]
    fn listings_page_in_creation_order_and_filter() {
        let mut store = AdminRelationships::default();
        let now = SystemTime::now();
        let ids: Vec<String> = (0..7)
            .map(|i| {
                id_of(
                    &store
                        .create(PARTNER, &body(&format!("r{i}")), &no_names, now)
                        .unwrap(),
                )
            })
            .collect();
        store
            .request(&ids[2], Action::LockForApproval, now)
            .unwrap();
        store
            .request(&ids[5], Action::LockForApproval, now)
            .unwrap();
        let mut query = ListQuery::parse("$top=3").unwrap();
        let mut seen = Vec::new();
        loop {
            let page = store.list(&query, now);
            seen.extend(page.items.iter().map(id_of));
            match page.next {
                Some(next) => query.start = next,
                None => break,
            }
        }
        assert_eq!(seen, ids);
        let pending = ListQuery::parse("$filter=status eq 'approvalPending'").unwrap();
        let page = store.list(&pending, now);
        assert_eq!(
            page.items.iter().map(id_of).collect::<Vec<_>>(),
            vec![ids[2].clone(), ids[5].clone()]
        );
        assert_eq!(page.next, None);
    }

    #[test]
    fn the_store_is_bounded_and_forgets_ended_relationships_first() {
        let mut store = AdminRelationships::default();
        let now = SystemTime::now();
        let first = id_of(&store.create(PARTNER, &body("r0"), &no_names, now).unwrap());
        for i in 1..MAX_RELATIONSHIPS {
            store
                .create(PARTNER, &body(&format!("r{i}")), &no_names, now)
                .unwrap();
        }
        let error = store
            .create(PARTNER, &body("more"), &no_names, now)
            .unwrap_err();
        assert_eq!(error.code, "tooManyRelationships");
        store.expire(&first, now).unwrap();
        store
            .create(PARTNER, &body("more"), &no_names, now)
            .unwrap();
        assert_eq!(store.len(), MAX_RELATIONSHIPS);
        assert_eq!(store.get(&first, now).unwrap_err().code, "ResourceNotFound");
        // Its name is free again.
        let error = store
            .create(PARTNER, &body("r0"), &no_names, now)
            .unwrap_err();
        assert_eq!(error.code, "tooManyRelationships");
    }
}
