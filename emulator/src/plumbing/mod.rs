//! The bottom floor, shared by every service: imports nothing above it (no service, no `app`).
//!
//! State and what it holds (options, tokens, device codes, fault rules, the request log, the rate
//! limiter, the customer store, the admin relationships of Graph), the wire helpers (JSON and
//! errors in the services' shapes, Graph's in `graph_wire`, form bodies, misbehaving bodies, the
//! connection control) and the middleware every request meets.

pub mod admin_relationships;
pub mod bodies;
pub mod config;
pub mod conn;
pub mod credentials;
pub mod customers;
pub mod device_codes;
pub mod faults;
pub mod form;
pub mod graph_wire;
pub mod middleware;
pub mod ratelimit;
pub mod record;
pub mod state;
pub mod tls;
pub mod tokens;
pub mod wire;
