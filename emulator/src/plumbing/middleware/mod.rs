//! Middleware before the endpoints: imports only `plumbing` files, never a service or `app`.
//!
//! What every request meets in order (`record`, echoed `ids`, `oversized` bodies, `faults`), and
//! the rate limits (`ratelimit`) the Partner Center and Graph routers put after their guards.

pub mod faults;
pub mod ids;
pub mod oversized;
pub mod ratelimit;
pub mod record;
