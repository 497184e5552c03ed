//! The customer store (part of the shared state): imports only `plumbing`, nothing above it.
//!
//! `store` holds the customers in listing order; `customer` is one record and its JSON; `billing`
//! the billing profiles and ETags; `paging` the `filter` query and continuation tokens; `seed` the
//! deterministic generated data; `invitation` an accepted reseller invitation.

pub mod billing;
pub mod customer;
pub mod invitation;
pub mod paging;
pub mod seed;
pub mod store;
