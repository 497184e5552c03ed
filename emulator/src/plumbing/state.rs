//! Everything the emulator remembers, behind short-lived locks (never held across an await).
//! New resources get one more field here.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::plumbing::admin_relationships::store::AdminRelationships;
use crate::plumbing::config::EmulatorConfig;
use crate::plumbing::customers::paging::TokenKey;
use crate::plumbing::customers::store::Customers;
use crate::plumbing::device_codes::DeviceStore;
use crate::plumbing::faults::FaultStore;
use crate::plumbing::ratelimit::RateLimiter;
use crate::plumbing::record::RequestLog;
use crate::plumbing::tokens::TokenStore;

/// The shared state of one emulator instance.
#[derive(Debug)]
pub struct State {
    /// The options it was started with.
    pub config: EmulatorConfig,
    /// Issued access and refresh tokens.
    pub tokens: Mutex<TokenStore>,
    /// Device-code sign-ins in progress.
    pub devices: Mutex<DeviceStore>,
    /// Active fault rules.
    pub faults: Mutex<FaultStore>,
    /// The bounded log of received requests.
    pub log: Mutex<RequestLog>,
    /// The partner's customers and their billing profiles.
    pub customers: Customers,
    /// The key of continuation tokens (kept across resets, so no token is silently reinterpreted
    /// by another emulator).
    pub paging: TokenKey,
    /// The per-tenant rate limit on the customer resource and on Graph.
    pub rate_limit: Mutex<RateLimiter>,
    /// The GDAP admin relationships (Microsoft Graph).
    pub admin_relationships: Mutex<AdminRelationships>,
}

impl State {
    /// Fresh state for `config`.
    pub fn new(config: EmulatorConfig) -> Arc<Self> {
        let customers = Customers::seeded(config.customers, config.seed);
        let rate_limit = RateLimiter::new(config.customer_rate_limit, config.customer_rate_window);
        Arc::new(Self {
            config,
            tokens: Mutex::default(),
            devices: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
            customers,
            paging: TokenKey::default(),
            rate_limit: Mutex::new(rate_limit),
            admin_relationships: Mutex::default(),
        })
    }

    /// Faults, requests, tokens, device codes, customers (re-seeded), admin relationships and the
    /// rate limit back to how they were at start.
    pub fn reset(&self) {
        *lock(&self.tokens) = TokenStore::default();
        *lock(&self.devices) = DeviceStore::default();
        *lock(&self.faults) = FaultStore::default();
        lock(&self.log).clear();
        self.customers.reset();
        lock(&self.rate_limit).clear();
        lock(&self.admin_relationships).clear();
    }
}

/// Locks `mutex`, carrying on after a panic elsewhere (the data stays usable for a test server).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
