//! The emulator's own controls under `/_emulator/`: imports only `plumbing`, never a service.
//!
//! Faults, reset, the request log, device-code decisions and the sign-in page, MFA, token
//! invalidation and invitation acceptance (`admin`).

mod admin;

pub use admin::router;
