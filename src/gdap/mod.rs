//! GDAP: granular delegated admin relationships through Microsoft Graph, the step after the
//! reseller link (create, lock for approval, the customer's approval link, wait until active,
//! assign a security group, terminate). See `docs/gdap.md` for the wire contract.
//!
//! Floors: `roles` imports only the error type; `models` also `roles`; `relationships` also the
//! client, paging and the request types; `json_requests` the models and `json_args`. This file
//! only declares and re-exports.

pub mod roles;

pub(crate) mod json_requests;
mod models;
mod relationships;

pub use models::{
    APPROVAL_URL_PREFIX, AccessAssignment, AdminRelationship, AdminRelationshipFilter,
    FINAL_STATUSES, NewAdminRelationship,
};
pub use relationships::{AdminRelationshipPages, MAX_PAGE_SIZE};
