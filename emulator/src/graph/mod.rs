//! The Microsoft Graph service under `/v1.0` (GDAP admin relationships): imports only `plumbing`, never another service.
//!
//! `api` is its router (the guard every request passes, the rate limit, the fallbacks);
//! `relationships` the `delegatedAdminRelationships` resource (create, get, list, PATCH);
//! `requests` their `/requests` (lock for approval, terminate); `access_assignments` their
//! `/accessAssignments`; `links` what their answers share (absolute links, collections).

mod access_assignments;
mod api;
mod links;
mod relationships;
mod requests;

pub use api::router;
