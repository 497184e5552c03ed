//! The customer store: customers in creation order (the listing order) with an id index, billing
//! profiles that were updated, and acceptances that take effect later.
//!
//! Readers share one `RwLock` and hold it only to pick a page's records (cheap `Arc` clones);
//! rendering happens after it is released. Delayed acceptances are applied lazily, by whichever
//! operation first notices they are due, and are appended then: additions always land at the end.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::plumbing::customers::billing::{self, BillingProfile};
use crate::plumbing::customers::customer::{Customer, Relationship};
use crate::plumbing::customers::invitation::Invitation;
use crate::plumbing::customers::paging::Cursor;
use crate::plumbing::customers::seed;

/// One page of a listing.
#[derive(Debug)]
pub struct Page {
    /// The customers on the page, in listing order.
    pub items: Vec<Arc<Customer>>,
    /// Where the next page starts, when there is one.
    pub next: Option<usize>,
}

/// What an acceptance did.
#[derive(Debug)]
pub struct Accepted {
    /// A new customer (rather than a re-established relationship).
    pub created: bool,
    /// The customer as it is (or, when delayed, will be) once the acceptance takes effect.
    pub customer: Customer,
}

/// Why an acceptance was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum AcceptError {
    /// The invitation itself is incomplete or malformed.
    Invalid(String),
    /// The domain belongs to another tenant.
    Conflict(String),
}

/// Why a billing-profile update was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum UpdateError {
    /// No customer has that id.
    NotFound,
    /// `If-Match` does not name the current ETag (which is given).
    Stale(u64),
}

#[derive(Debug)]
enum Action {
    Create(Customer),
    Restore(Uuid),
}

#[derive(Debug)]
struct Pending {
    due: Instant,
    action: Action,
}

#[derive(Debug, Default)]
struct Inner {
    entries: Vec<Arc<Customer>>,
    by_id: HashMap<Uuid, usize>,
    profiles: HashMap<Uuid, BillingProfile>,
    pending: Vec<Pending>,
}

impl Inner {
    fn seeded(count: usize, seed: u64) -> Self {
        let entries: Vec<Arc<Customer>> = seed::customers(count, seed)
            .into_iter()
            .map(Arc::new)
            .collect();
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(index, customer)| (customer.id, index))
            .collect();
        Self {
            entries,
            by_id,
            ..Self::default()
        }
    }

    fn get(&self, id: Uuid) -> Option<&Arc<Customer>> {
        self.by_id.get(&id).map(|&index| &self.entries[index])
    }

    fn push(&mut self, customer: Customer) {
        self.by_id.insert(customer.id, self.entries.len());
        self.entries.push(Arc::new(customer));
    }

    fn set_relationship(&mut self, id: Uuid, relationship: Relationship) -> Option<Arc<Customer>> {
        let index = *self.by_id.get(&id)?;
        let entry = &mut self.entries[index];
        if entry.relationship != relationship {
            *entry = Arc::new(entry.with_relationship(relationship));
        }
        Some(Arc::clone(entry))
    }

    fn is_due(&self, now: Instant) -> bool {
        self.pending.iter().any(|pending| pending.due <= now)
    }

    /// Applies the acceptances due by `now`, earliest first.
    fn promote(&mut self, now: Instant) {
        let (mut due, waiting): (Vec<_>, Vec<_>) =
            self.pending.drain(..).partition(|p| p.due <= now);
        self.pending = waiting;
        due.sort_by_key(|pending| pending.due);
        for pending in due {
            match pending.action {
                Action::Create(customer) if !self.by_id.contains_key(&customer.id) => {
                    self.push(customer);
                }
                Action::Create(Customer { id, .. }) | Action::Restore(id) => {
                    self.set_relationship(id, Relationship::Reseller);
                }
            }
        }
    }

    fn position_of_domain(&self, domain: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|customer| customer.domain.eq_ignore_ascii_case(domain))
    }

    fn profile(&self, customer: &Customer) -> BillingProfile {
        self.profiles
            .get(&customer.id)
            .cloned()
            .unwrap_or_else(|| BillingProfile::initial(customer))
    }
}

/// The customers of the partner tenant, safe to share between request tasks.
#[derive(Debug)]
pub struct Customers {
    count: usize,
    seed: u64,
    inner: RwLock<Inner>,
}

impl Customers {
    /// `count` customers generated from `seed`.
    pub fn seeded(count: usize, seed: u64) -> Self {
        Self {
            count,
            seed,
            inner: RwLock::new(Inner::seeded(count, seed)),
        }
    }

    /// Back to the seeded customers: acceptances, removals and profile updates are forgotten.
    pub fn reset(&self) {
        let fresh = Inner::seeded(self.count, self.seed);
        *self.inner.write().unwrap_or_else(PoisonError::into_inner) = fresh;
    }

    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        let now = Instant::now();
        let guard = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        if !guard.is_due(now) {
            return guard;
        }
        drop(guard);
        self.write().promote(now);
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        let mut guard = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if guard.is_due(Instant::now()) {
            guard.promote(Instant::now());
        }
        guard
    }

    /// The page that `cursor` points at: up to `cursor.size` listed customers matching its
    /// filter, from its offset on.
    pub fn page(&self, cursor: &Cursor) -> Page {
        let wanted = |customer: &Arc<Customer>| {
            customer.is_listed() && cursor.filter.as_ref().is_none_or(|f| f.matches(customer))
        };
        let inner = self.read();
        let rest = inner.entries.get(cursor.offset..).unwrap_or_default();
        let mut items = Vec::with_capacity(usize::from(cursor.size).min(rest.len()));
        let mut scanned = 0;
        for customer in rest {
            if items.len() == usize::from(cursor.size) {
                break;
            }
            scanned += 1;
            if wanted(customer) {
                items.push(Arc::clone(customer));
            }
        }
        let next = rest[scanned..]
            .iter()
            .position(wanted)
            .map(|found| cursor.offset + scanned + found);
        Page { items, next }
    }

    /// The customer with `id`, whatever its relationship (not while its acceptance is delayed).
    pub fn get(&self, id: Uuid) -> Option<Arc<Customer>> {
        self.read().get(id).cloned()
    }

    /// Sets the relationship of customer `id` to `none`; `None` when there is no such customer.
    pub fn remove_relationship(&self, id: Uuid) -> Option<Arc<Customer>> {
        self.write().set_relationship(id, Relationship::None)
    }

    /// A customer admin accepts the invitation: a new customer, or the reseller relationship
    /// re-established on the one with that tenant id (or, without one, that domain).
    pub fn accept(&self, invitation: &Invitation) -> Result<Accepted, AcceptError> {
        let tenant = invitation.check().map_err(AcceptError::Invalid)?;
        let domain = invitation.domain.trim();
        let company_name = invitation.company_name.trim();
        let now = Instant::now();
        let due = invitation
            .delay_ms
            .filter(|&ms| ms > 0)
            .map(|ms| now + Duration::from_millis(ms));
        let mut inner = self.write();
        let by_domain = inner.position_of_domain(domain);
        let existing = match tenant {
            Some(id) => inner.by_id.get(&id).copied(),
            None => by_domain,
        };
        if let (Some(id), None, Some(other)) = (tenant, existing, by_domain) {
            return Err(AcceptError::Conflict(format!(
                "the domain '{domain}' belongs to customer {}, not to tenant {id}",
                inner.entries[other].id
            )));
        }
        if let Some(index) = existing {
            let id = inner.entries[index].id;
            let customer = inner.entries[index].with_relationship(Relationship::Reseller);
            match due {
                None => {
                    inner.set_relationship(id, Relationship::Reseller);
                }
                Some(due) => inner.pending.push(Pending {
                    due,
                    action: Action::Restore(id),
                }),
            }
            return Ok(Accepted {
                created: false,
                customer,
            });
        }
        let waiting = inner
            .pending
            .iter_mut()
            .find(|pending| match &pending.action {
                Action::Create(customer) => tenant
                    .map_or(customer.domain.eq_ignore_ascii_case(domain), |id| {
                        customer.id == id
                    }),
                Action::Restore(_) => false,
            });
        if let Some(pending) = waiting {
            pending.due = pending.due.min(due.unwrap_or(now));
            let Action::Create(customer) = &pending.action else {
                unreachable!("only creations are matched")
            };
            let customer = customer.clone();
            inner.promote(now);
            return Ok(Accepted {
                created: false,
                customer,
            });
        }
        let customer = Customer::new(
            tenant.unwrap_or_else(Uuid::new_v4),
            Uuid::new_v4(),
            domain.to_owned(),
            company_name.to_owned(),
            Relationship::Reseller,
            fastrand::u64(..),
        );
        match due {
            None => inner.push(customer.clone()),
            Some(due) => inner.pending.push(Pending {
                due,
                action: Action::Create(customer.clone()),
            }),
        }
        Ok(Accepted {
            created: true,
            customer,
        })
    }

    /// The billing profile of customer `id` as answered, with its ETag.
    pub fn billing(&self, id: Uuid) -> Option<(u64, Value)> {
        let inner = self.read();
        let customer = inner.get(id)?;
        let profile = inner.profile(customer);
        Some((profile.etag, profile.render(customer)))
    }

    /// Replaces the billing profile of customer `id` with `fields` if `if_match` names its
    /// current ETag; answers the stored profile with its new ETag.
    pub fn update_billing(
        &self,
        id: Uuid,
        if_match: &str,
        fields: Map<String, Value>,
    ) -> Result<(u64, Value), UpdateError> {
        let mut inner = self.write();
        let customer = Arc::clone(inner.get(id).ok_or(UpdateError::NotFound)?);
        let current = inner.profiles.get(&id).map_or(1, |profile| profile.etag);
        if !billing::etag_matches(if_match, current) {
            return Err(UpdateError::Stale(current));
        }
        let profile = BillingProfile {
            etag: current + 1,
            fields,
        };
        let body = profile.render(&customer);
        inner.profiles.insert(id, profile);
        Ok((current + 1, body))
    }

    /// How many customers are listed (reseller relationship, visible now).
    pub fn count(&self) -> usize {
        self.read()
            .entries
            .iter()
            .filter(|customer| customer.is_listed())
            .count()
    }

    /// The ids of the listed customers, in listing order.
    pub fn ids(&self) -> Vec<Uuid> {
        self.read()
            .entries
            .iter()
            .filter(|customer| customer.is_listed())
            .map(|customer| customer.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::customers::paging::{Field, Filter};

    fn cursor(offset: usize, size: u16) -> Cursor {
        Cursor {
            offset,
            size,
            filter: None,
        }
    }

    fn invitation(domain: &str) -> Invitation {
        Invitation {
            domain: domain.into(),
            company_name: "NewCo".into(),
            ..Invitation::default()
        }
    }

    #[test]
    fn pages_skip_removed_customers_and_point_at_the_next_match() {
        let store = Customers::seeded(10, 1);
        let ids = store.ids();
        store.remove_relationship(ids[3]).unwrap();
        let first = store.page(&cursor(0, 3));
        assert_eq!(first.items.len(), 3);
        assert_eq!(first.next, Some(4), "position 3 was removed");
        let last = store.page(&cursor(7, 3));
        assert_eq!(last.items.len(), 3);
        assert_eq!(last.next, None);
        assert_eq!(store.count(), 9);
        assert!(store.page(&cursor(99, 3)).items.is_empty());
    }

    #[test]
    fn filtered_pages_only_hold_matches() {
        let store = Customers::seeded(200, 1);
        let filter = Filter {
            field: Field::Domain,
            value: "CONTOSO".into(),
        };
        let page = store.page(&Cursor {
            offset: 0,
            size: 500,
            filter: Some(filter),
        });
        assert!(!page.items.is_empty());
        assert!(page.items.iter().all(|c| c.domain.starts_with("contoso")));
        assert_eq!(page.next, None);
    }

    #[test]
    fn acceptances_create_restore_and_conflict() {
        let store = Customers::seeded(3, 1);
        let created = store.accept(&invitation("newco.onmicrosoft.com")).unwrap();
        assert!(created.created);
        assert_eq!(store.ids().last(), Some(&created.customer.id));
        store.remove_relationship(created.customer.id);
        assert_eq!(store.count(), 3);
        let again = store.accept(&invitation("NEWCO.onmicrosoft.com")).unwrap();
        assert!(!again.created);
        assert_eq!(again.customer.id, created.customer.id);
        assert_eq!(store.count(), 4);
        let conflict = store.accept(&Invitation {
            tenant_id: Some(Uuid::new_v4().to_string()),
            ..invitation("newco.onmicrosoft.com")
        });
        assert!(matches!(conflict, Err(AcceptError::Conflict(_))));
        assert!(matches!(
            store.accept(&invitation(" ")),
            Err(AcceptError::Invalid(_))
        ));
    }

    #[test]
    fn delayed_acceptances_appear_later_at_the_end() {
        let store = Customers::seeded(2, 1);
        let accepted = store
            .accept(&Invitation {
                delay_ms: Some(40),
                ..invitation("later.onmicrosoft.com")
            })
            .unwrap();
        assert!(store.get(accepted.customer.id).is_none());
        assert_eq!(store.count(), 2);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(store.count(), 3);
        assert_eq!(store.ids()[2], accepted.customer.id);
    }

    #[test]
    fn billing_updates_need_the_current_etag() {
        let store = Customers::seeded(1, 1);
        let id = store.ids()[0];
        let (etag, body) = store.billing(id).unwrap();
        assert_eq!((etag, body["attributes"]["etag"].as_str()), (1, Some("1")));
        let mut fields = body.as_object().unwrap().clone();
        fields.insert("city".into(), "Oslo".into());
        let (etag, _) = store.update_billing(id, "1", fields.clone()).unwrap();
        assert_eq!(etag, 2);
        assert_eq!(
            store.update_billing(id, "1", fields.clone()),
            Err(UpdateError::Stale(2))
        );
        assert_eq!(store.billing(id).unwrap().1["city"], "Oslo");
        assert_eq!(
            store.update_billing(Uuid::nil(), "1", fields),
            Err(UpdateError::NotFound)
        );
        store.reset();
        assert_eq!(store.billing(id).unwrap().0, 1);
    }
}
