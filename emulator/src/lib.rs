//! A Microsoft Entra ID and Partner Center emulator on loopback, for tests and offline runbooks.
//!
//! One base URL plays the sign-in authority (`/{tenant}/oauth2/...`), the Partner Center REST API
//! (`/v1/...`) and the GDAP part of Microsoft Graph (`/v1.0/...`). It is strict like the real
//! services (token kind, audience and expiry, required headers, methods) and answers with the real
//! error shapes. The reserved `/_emulator/...` admin
//! paths inject faults, approve device codes, reset state, play customers accepting the reseller
//! invitation, and show what was received.
//!
//! The customer resource (`/v1/customers`: paging with continuation tokens, `filter`, get,
//! remove-relationship, billing profiles with ETags) is served from a deterministic seeded store
//! ([`EmulatorConfig::customers`], [`EmulatorConfig::seed`]) and rate limited per tenant like the
//! real service ([`EmulatorConfig::customer_rate_limit`]).
//!
//! Microsoft Graph's GDAP admin relationships are served under `/v1.0`
//! ([`Emulator::graph_url`]): `/tenantRelationships/delegatedAdminRelationships` with their
//! requests (lock for approval, terminate) and access assignments, a status machine that moves by
//! time, and `POST /_emulator/admin-relationships/{id}/approve` (and `/expire`) to play the
//! customer. Graph tokens come from the same token endpoint, for a scope naming
//! `https://graph.microsoft.com/`; each service refuses the other's tokens.
//!
//! With [`EmulatorConfig::tls`] it serves https with a CA and server certificate generated at
//! start; [`Emulator::ca_certificate_pem`] is what a client must be told to trust.
//!
//! ```no_run
//! use partnercenter_emulator::{Emulator, FaultRule, credentials};
//!
//! let emulator = Emulator::start();
//! let token_url = format!("{}/{}/oauth2/v2.0/token", emulator.base_url(), credentials::TENANT);
//! emulator.add_fault(FaultRule { path: "/v1/*".into(), status: Some(503), ..Default::default() });
//! # let _ = token_url;
//! ```

#![deny(missing_docs)]

// Floors, bottom up: `plumbing` (state, wire helpers, middleware) imports nothing above it; the
// services (`entra`, `partner_center`, `graph`, `control`) import only `plumbing`, never each
// other; `app` composes their routers; `server` serves `app`; `handle` runs `server` on its own thread.
mod app;
mod control;
mod entra;
mod graph;
mod handle;
mod partner_center;
mod plumbing;
mod server;

pub use handle::Emulator;
pub use plumbing::config::EmulatorConfig;
pub use plumbing::credentials;
pub use plumbing::customers::invitation::Invitation;
pub use plumbing::faults::FaultRule;
pub use plumbing::record::RecordedRequest;
pub use plumbing::tls::TlsIdentity;
pub use server::{base_url_for, base_url_with, serve, serve_with};
