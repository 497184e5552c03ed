//! The GDAP admin relationships of Microsoft Graph (part of the shared state): imports only
//! `plumbing`, nothing above it.
//!
//! `fields` parses and checks what a caller sends (display name, durations, roles, customer,
//! access containers); `relationship` is one relationship, its access assignments and the status
//! machine (timed transitions seen on the next read, by the clock the caller passes in); `store`
//! holds them, bounded, in creation order; `query` is `$filter`, `$top` and `$skiptoken`.

pub mod fields;
pub mod query;
pub mod relationship;
pub mod store;
