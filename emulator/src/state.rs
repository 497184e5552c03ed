//! Everything the emulator remembers, behind short-lived locks (never held across an await).
//! New resources (customers, billing profiles) get one more field here.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::config::EmulatorConfig;
use crate::device::DeviceStore;
use crate::faults::FaultStore;
use crate::record::RequestLog;
use crate::tokens::TokenStore;

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
}

impl State {
    /// Fresh state for `config`.
    pub fn new(config: EmulatorConfig) -> Arc<Self> {
        Arc::new(Self {
            config,
            tokens: Mutex::default(),
            devices: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
        })
    }

    /// Faults, requests, tokens and device codes back to how they were at start.
    pub fn reset(&self) {
        *lock(&self.tokens) = TokenStore::default();
        *lock(&self.devices) = DeviceStore::default();
        *lock(&self.faults) = FaultStore::default();
        lock(&self.log).clear();
    }
}

/// Locks `mutex`, carrying on after a panic elsewhere (the data stays usable for a test server).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
