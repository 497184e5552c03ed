//! One admin relationship, its access assignments, and the status machine: the steps a customer
//! approval or a termination goes through happen by time and are seen on the next read
//! ([`Relationship::settle`], with the clock the caller passes in).

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use uuid::Uuid;

use crate::plumbing::admin_relationships::fields::{CustomerRef, Days};
use crate::plumbing::wire;

/// How long a relationship stays `approved` before `activating`.
pub const APPROVED_FOR: Duration = Duration::from_millis(300);
/// How long it stays `activating` before `active`.
pub const ACTIVATING_FOR: Duration = Duration::from_millis(500);
/// How long it stays `terminationRequested` before `terminating`.
pub const TERMINATION_REQUESTED_FOR: Duration = Duration::from_millis(300);
/// How long it stays `terminating` before `terminated`.
pub const TERMINATING_FOR: Duration = Duration::from_millis(500);
/// How long an access assignment stays `pending` before `active`.
pub const ASSIGNMENT_PENDING_FOR: Duration = Duration::from_millis(500);
/// A day.
const DAY: Duration = Duration::from_secs(86_400);

/// Where a relationship stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Made, changeable, not yet offered to the customer.
    Created,
    /// Locked for approval: waiting for the customer.
    ApprovalPending,
    /// The customer approved (first step of activation).
    Approved,
    /// Being activated.
    Activating,
    /// In effect: access assignments can be made.
    Active,
    /// About to expire.
    Expiring,
    /// Ended by time (final).
    Expired,
    /// Termination asked for.
    TerminationRequested,
    /// Being terminated.
    Terminating,
    /// Ended by the partner (final).
    Terminated,
}

impl Status {
    /// Every status, in the order of the life of a relationship.
    pub const ALL: [Status; 10] = [
        Status::Created,
        Status::ApprovalPending,
        Status::Approved,
        Status::Activating,
        Status::Active,
        Status::Expiring,
        Status::Expired,
        Status::TerminationRequested,
        Status::Terminating,
        Status::Terminated,
    ];

    /// The wire name, e.g. `approvalPending`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::ApprovalPending => "approvalPending",
            Status::Approved => "approved",
            Status::Activating => "activating",
            Status::Active => "active",
            Status::Expiring => "expiring",
            Status::Expired => "expired",
            Status::TerminationRequested => "terminationRequested",
            Status::Terminating => "terminating",
            Status::Terminated => "terminated",
        }
    }

    /// The status named `text` (case-insensitive).
    pub fn parse(text: &str) -> Option<Status> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }

    /// Whether nothing more can happen to it.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Expired | Status::Terminated)
    }
}

/// Where an access assignment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignmentStatus {
    /// Being applied.
    Pending,
    /// In effect.
    Active,
    /// Being removed.
    Deleting,
    /// Removed (its relationship ended).
    Deleted,
    /// Failed.
    Error,
}

impl AssignmentStatus {
    /// Every status.
    pub const ALL: [AssignmentStatus; 5] = [
        AssignmentStatus::Pending,
        AssignmentStatus::Active,
        AssignmentStatus::Deleting,
        AssignmentStatus::Deleted,
        AssignmentStatus::Error,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentStatus::Pending => "pending",
            AssignmentStatus::Active => "active",
            AssignmentStatus::Deleting => "deleting",
            AssignmentStatus::Deleted => "deleted",
            AssignmentStatus::Error => "error",
        }
    }

    /// The status named `text` (case-insensitive).
    pub fn parse(text: &str) -> Option<AssignmentStatus> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

/// A new weak ETag.
fn new_etag() -> String {
    format!("W/\"{}\"", Uuid::new_v4().simple())
}

fn role_list(roles: &[Uuid]) -> Value {
    json!({
        "unifiedRoles": roles
            .iter()
            .map(|r| json!({ "roleDefinitionId": r.to_string() }))
            .collect::<Vec<_>>(),
    })
}

/// An access assignment: a security group given roles of the relationship.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Its id.
    pub id: Uuid,
    /// The security group.
    pub container_id: Uuid,
    /// The roles given.
    pub roles: Vec<Uuid>,
    /// Where it stands.
    pub status: AssignmentStatus,
    /// When it was made.
    pub created: SystemTime,
    /// When it last changed.
    pub last_modified: SystemTime,
    /// Its `@odata.etag`.
    pub etag: String,
}

impl Assignment {
    /// A new `pending` assignment made at `now`.
    pub fn new(container_id: Uuid, roles: Vec<Uuid>, now: SystemTime) -> Self {
        Self {
            id: Uuid::new_v4(),
            container_id,
            roles,
            status: AssignmentStatus::Pending,
            created: now,
            last_modified: now,
            etag: new_etag(),
        }
    }

    fn set(&mut self, status: AssignmentStatus, at: SystemTime) {
        self.status = status;
        self.last_modified = at;
        self.etag = new_etag();
    }

    /// Brings the status up to `now`: `pending` is `active` after [`ASSIGNMENT_PENDING_FOR`].
    pub fn settle(&mut self, now: SystemTime) {
        let due = self.created + ASSIGNMENT_PENDING_FOR;
        if self.status == AssignmentStatus::Pending && now >= due {
            self.set(AssignmentStatus::Active, due);
        }
    }

    /// Graph's `delegatedAdminAccessAssignment`.
    pub fn to_json(&self) -> Value {
        json!({
            "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
            "@odata.etag": self.etag,
            "id": self.id.to_string(),
            "status": self.status.as_str(),
            "accessContainer": {
                "accessContainerId": self.container_id.to_string(),
                "accessContainerType": "securityGroup",
            },
            "accessDetails": role_list(&self.roles),
            "createdDateTime": wire::iso8601(self.created),
            "lastModifiedDateTime": wire::iso8601(self.last_modified),
        })
    }
}

/// One admin relationship.
#[derive(Clone, Debug)]
pub struct Relationship {
    /// `<partner-guid>-<customer-or-random-guid>`, lower case.
    pub id: String,
    /// Its display name (unique, case-insensitive).
    pub display_name: String,
    /// How long it lasts once active.
    pub duration: Days,
    /// The customer, when named.
    pub customer: Option<CustomerRef>,
    /// The roles it grants.
    pub roles: Vec<Uuid>,
    /// The auto-extension.
    pub auto_extend: Days,
    /// Where it stands (as of the last [`Relationship::settle`]).
    pub status: Status,
    /// When the current status began (the clock of the timed steps).
    pub status_since: SystemTime,
    /// When it was made.
    pub created: SystemTime,
    /// When it last changed.
    pub last_modified: SystemTime,
    /// When it became active.
    pub activated: Option<SystemTime>,
    /// When it ends (activated + duration, later when auto-extended).
    pub end: Option<SystemTime>,
    /// Its `@odata.etag`: new at every change.
    pub etag: String,
    /// Its access assignments, in creation order.
    pub assignments: Vec<Assignment>,
}

impl Relationship {
    /// A new `created` relationship made at `now`.
    pub fn new(
        id: String,
        display_name: String,
        duration: Days,
        customer: Option<CustomerRef>,
        roles: Vec<Uuid>,
        auto_extend: Days,
        now: SystemTime,
    ) -> Self {
        Self {
            id,
            display_name,
            duration,
            customer,
            roles,
            auto_extend,
            status: Status::Created,
            status_since: now,
            created: now,
            last_modified: now,
            activated: None,
            end: None,
            etag: new_etag(),
            assignments: Vec::new(),
        }
    }

    /// Moves to `status` at `at` (a change: new etag).
    pub fn set(&mut self, status: Status, at: SystemTime) {
        self.status = status;
        self.status_since = at;
        self.touch(at);
        if status.is_final() {
            for assignment in &mut self.assignments {
                if assignment.status != AssignmentStatus::Deleted {
                    assignment.set(AssignmentStatus::Deleted, at);
                }
            }
        }
    }

    /// Marks a change at `at`: new etag and modification time.
    pub fn touch(&mut self, at: SystemTime) {
        self.last_modified = at;
        self.etag = new_etag();
    }

    /// Brings the status up to `now`: the timed steps of approval and termination, the end of an
    /// active relationship (auto-extended, or expired), and the assignments.
    pub fn settle(&mut self, now: SystemTime) {
        loop {
            let since = self.status_since;
            let (next, due) = match self.status {
                Status::Approved => (Status::Activating, since + APPROVED_FOR),
                Status::Activating => (Status::Active, since + ACTIVATING_FOR),
                Status::TerminationRequested => {
                    (Status::Terminating, since + TERMINATION_REQUESTED_FOR)
                }
                Status::Terminating => (Status::Terminated, since + TERMINATING_FOR),
                Status::Active | Status::Expiring => match self.end {
                    Some(end) if now >= end => {
                        if self.auto_extend.days > 0 {
                            let step = DAY * self.auto_extend.days;
                            let mut extended = end;
                            while extended <= now {
                                extended += step;
                            }
                            self.end = Some(extended);
                            self.touch(end);
                            continue;
                        }
                        (Status::Expired, end)
                    }
                    _ => break,
                },
                _ => break,
            };
            if now < due {
                break;
            }
            self.set(next, due);
            if next == Status::Active {
                self.activated = Some(due);
                self.end = Some(due + DAY * self.duration.days);
            }
        }
        for assignment in &mut self.assignments {
            assignment.settle(now);
        }
    }

    /// Graph's `delegatedAdminRelationship`.
    pub fn to_json(&self) -> Value {
        let customer = self.customer.as_ref().map_or(
            Value::Null,
            |c| json!({ "tenantId": c.tenant_id.to_string(), "displayName": c.display_name }),
        );
        json!({
            "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
            "@odata.etag": self.etag,
            "id": self.id,
            "displayName": self.display_name,
            "duration": self.duration.text,
            "customer": customer,
            "accessDetails": role_list(&self.roles),
            "status": self.status.as_str(),
            "autoExtendDuration": self.auto_extend.text,
            "createdDateTime": wire::iso8601(self.created),
            "lastModifiedDateTime": wire::iso8601(self.last_modified),
            "activatedDateTime": self.activated.map(wire::iso8601),
            "endDateTime": self.end.map(wire::iso8601),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::admin_relationships::fields::{parse_auto_extend, parse_duration};

    fn relationship(now: SystemTime, auto_extend: &str) -> Relationship {
        Relationship::new(
            "p-c".into(),
            "name".into(),
            parse_duration("P2D").unwrap(),
            None,
            vec![Uuid::nil()],
            parse_auto_extend(auto_extend).unwrap(),
            now,
        )
    }

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn approval_goes_through_approved_and_activating_by_time() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut r = relationship(start, "PT0S");
        r.set(Status::Approved, start);
        r.settle(start + MS * 299);
        assert_eq!(r.status, Status::Approved);
        r.settle(start + MS * 300);
        assert_eq!(r.status, Status::Activating);
        r.settle(start + MS * 799);
        assert_eq!(r.status, Status::Activating);
        assert_eq!(r.activated, None);
        r.settle(start + MS * 800);
        assert_eq!(r.status, Status::Active);
        assert_eq!(r.activated, Some(start + MS * 800));
        assert_eq!(r.end, Some(start + MS * 800 + DAY * 2));
        // Two days later it has expired (no auto-extension), at its end.
        r.settle(start + DAY * 3);
        assert_eq!(r.status, Status::Expired);
        assert_eq!(r.status_since, start + MS * 800 + DAY * 2);
    }

    #[test]
    fn one_late_read_sees_every_step_at_its_time() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut r = relationship(start, "P180D");
        r.set(Status::Approved, start);
        let etag = r.etag.clone();
        r.settle(start + Duration::from_secs(5));
        assert_eq!(r.status, Status::Active);
        assert_eq!(r.last_modified, start + MS * 800);
        assert_ne!(r.etag, etag);
        // Auto-extended past its end instead of expiring.
        r.settle(start + DAY * 3);
        assert_eq!(r.status, Status::Active);
        assert_eq!(r.end, Some(start + MS * 800 + DAY * 182));
    }

    #[test]
    fn termination_ends_in_terminated_and_deletes_assignments() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut r = relationship(start, "PT0S");
        r.set(Status::Active, start);
        r.assignments
            .push(Assignment::new(Uuid::nil(), vec![Uuid::nil()], start));
        r.settle(start + MS * 499);
        assert_eq!(r.assignments[0].status, AssignmentStatus::Pending);
        r.settle(start + MS * 500);
        assert_eq!(r.assignments[0].status, AssignmentStatus::Active);
        r.set(Status::TerminationRequested, start + MS * 1000);
        r.settle(start + MS * 1299);
        assert_eq!(r.status, Status::TerminationRequested);
        r.settle(start + MS * 1300);
        assert_eq!(r.status, Status::Terminating);
        r.settle(start + MS * 1800);
        assert_eq!(r.status, Status::Terminated);
        assert_eq!(r.assignments[0].status, AssignmentStatus::Deleted);
    }

    #[test]
    fn statuses_round_trip_their_names() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("ACTIVE"), Some(Status::Active));
        assert_eq!(Status::parse("gone"), None);
        for status in AssignmentStatus::ALL {
            assert_eq!(AssignmentStatus::parse(status.as_str()), Some(status));
        }
    }
}
