//! The Partner Center REST API service under `/v1`: imports only `plumbing`, never another service.
//!
//! `api` is its router (the guard every request passes, the relationship request, the fallbacks);
//! `customers` the customer resource (list, get, remove the relationship, billing profile).

mod api;
mod customers;

pub use api::router;
