//! # partnercenter
//!
//! A Microsoft Partner Center (CSP) client for onboarding customers from scripts: a safe async
//! Rust API ([`Client`]), blocking wrappers ([`blocking`]) and a C ABI (`include/partnercenter.h`)
//! that the PowerShell module, the CLI and any language with an FFI use.
//!
//! ```no_run
//! let options = partnercenter::ClientOptions::from_json(r#"{
//!     "tenant": "contoso.onmicrosoft.com",
//!     "client_id": "00000000-0000-0000-0000-000000000000",
//!     "refresh_token": "..."
//! }"#).unwrap();
//! let client = partnercenter::blocking::Client::new(options).unwrap();
//! let link = client.new_relationship_request().unwrap();
//! println!("send this to the customer: {}", link.url);
//! ```
//!
//! Layout: [`config`] (options), [`auth`] (credentials, token cache, Entra ID flows), `http`
//! (the one place requests are sent), `retry` (the retry policy, pure), `tls` and `pool` (how
//! connections are made), `service_error` (what a failed answer means), `paging` (the cursor
//! every listing uses), `service_text` (service text bounded and redacted), [`error`], one
//! module per resource ([`relationship`], [`customers`], [`billing`]), and `ffi` (the C ABI,
//! conversion only).
//!
//! Floors, from the ground up (a file imports only its own floor or lower; `python3
//! tests/import-floors.py` checks that no files import each other round a loop): service_text,
//! error, config and the transport (retry, tls, pool, http); service_error; auth (tokens over
//! Entra ID); the client; the resources and paging over it (the client knows no resource's
//! path); the device-code flow, which ends in a client; then blocking and ffi on top.

pub mod auth;
pub mod billing;
pub mod blocking;
mod client;
pub mod config;
pub mod customers;
pub mod error;
pub mod ffi;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod gdap;
mod http;
mod json_args;
pub mod models;
mod paging;
mod pool;
pub mod queries;
pub mod relationship;
mod retry;
mod service_error;
mod service_text;
mod tls;

pub use auth::{CredentialKind, DeviceCodeFlow, DeviceCodeInfo};
pub use billing::{Address, BillingProfile};
pub use client::{Client, ConnectionInfo, seconds_until};
pub use config::{ClientOptions, Credentials, Environment};
pub use customers::{
    CompanyProfile, Customer, CustomerFilter, CustomerMatch, CustomerPages, WaitOptions,
};
pub use error::{Error, ErrorKind, Result};
pub use gdap::{
    AccessAssignment, AdminRelationship, AdminRelationshipFilter, AdminRelationshipPages,
    NewAdminRelationship,
};
pub use http::USER_AGENT;
pub use models::ETag;
pub use relationship::RelationshipRequest;

/// The library version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
