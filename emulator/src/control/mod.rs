//! The emulator's own controls under `/_emulator/`: imports only `plumbing`, never a service.
//!
//! Faults, reset, the request log, device-code decisions and the sign-in page, MFA, token
//! invalidation and invitation acceptance (`admin`); customers approving and relationships
//! expiring for GDAP (`admin_relationships`).

mod admin;
mod admin_relationships;

use std::sync::Arc;

use axum::Router;

use crate::plumbing::state::State;

/// Every `/_emulator/` route.
pub fn router() -> Router<Arc<State>> {
    admin::router().merge(admin_relationships::router())
}
