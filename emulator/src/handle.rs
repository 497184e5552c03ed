//! The [`Emulator`] handle: an emulator on its own thread and runtime, and what tests do to it
//! (faults, requests, device codes, MFA, invitations, admin relationships). Above `server`:
//! imports it and `plumbing`.

use std::io;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, SystemTime};

use tokio::sync::oneshot;

use crate::plumbing::config::EmulatorConfig;
use crate::plumbing::customers::invitation::Invitation;
use crate::plumbing::faults::FaultRule;
use crate::plumbing::record::RecordedRequest;
use crate::plumbing::state::{State, lock};
use crate::plumbing::tls::TlsIdentity;
use crate::server::{self, base_url_with};
use uuid::Uuid;

/// How long the runtime gets to wind down after the server stopped.
const RUNTIME_SHUTDOWN: Duration = Duration::from_millis(200);

/// A running emulator on its own thread and its own Tokio runtime, so it works the same from
/// synchronous tests, asynchronous tests and a blocking CLI. Dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    ca_pem: Option<String>,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator with the default configuration on a free loopback port.
    ///
    /// # Panics
    /// When it cannot bind a loopback port or start its thread.
    pub fn start() -> Emulator {
        Self::start_with(EmulatorConfig::default()).unwrap_or_else(|error| {
            panic!("partnercenter-emulator: cannot start on loopback: {error}")
        })
    }

    /// Starts an emulator with `config`. Refuses a non-loopback host unless
    /// `config.allow_remote` is set; fails when the address cannot be bound. With `config.tls`
    /// it generates its CA and server certificate first.
    pub fn start_with(config: EmulatorConfig) -> io::Result<Emulator> {
        config.validate()?;
        let tls = if config.tls {
            Some(TlsIdentity::generate()?)
        } else {
            None
        };
        let listener = std::net::TcpListener::bind((config.host, config.port))?;
        listener.set_nonblocking(true)?;
        let base_url = base_url_with(listener.local_addr()?, tls.is_some());
        let ca_pem = tls.as_ref().map(|t| t.ca_certificate_pem().to_owned());
        let workers = thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("partnercenter-emulator-worker")
            .enable_all()
            .build()?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let state = State::new(config);
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server_state = Arc::clone(&state);
        let thread = thread::Builder::new()
            .name("partnercenter-emulator".into())
            .spawn(move || {
                let stop = async {
                    // Sender dropped or fired: either way, stop.
                    let _ = stopped.await;
                };
                // The accept loop itself cannot fail once bound; nothing to report here.
                let _ = runtime.block_on(server::run(listener, server_state, tls, stop));
                runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
            })?;
        Ok(Emulator {
            base_url,
            ca_pem,
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` in TLS mode; no trailing slash): the authority and
    /// API base URL at once.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `{base_url}/v1.0`: the Microsoft Graph base URL the emulator serves (GDAP admin
    /// relationships), what the library's `graph_base_url` option is given.
    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.base_url)
    }

    /// In TLS mode, the PEM of the CA that signed the server certificate (generated at start,
    /// different for every emulator): what a client must trust. `None` for plain http.
    pub fn ca_certificate_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// Adds a fault rule after the existing ones.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.state.faults).add(rule);
    }

    /// The active fault rules (`count` = applications left, 0 = unlimited).
    pub fn faults(&self) -> Vec<FaultRule> {
        lock(&self.state.faults).list()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// The requests received so far, oldest first (admin paths excluded, at most 10,000).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.log).snapshot()
    }

    /// Forgets the received requests.
    pub fn clear_requests(&self) {
        lock(&self.state.log).clear();
    }

    /// Faults, requests, tokens, device codes, customers (re-seeded from the same seed), admin
    /// relationships and the rate limits back to how they were at start.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Approves the pending device code with `user_code`, or the newest pending one when `None`.
    /// False when no pending code matches.
    pub fn approve_device_code(&self, user_code: Option<&str>) -> bool {
        lock(&self.state.devices).decide(user_code, true)
    }

    /// Declines the pending device code with `user_code`, or the newest pending one when `None`.
    /// False when no pending code matches.
    pub fn decline_device_code(&self, user_code: Option<&str>) -> bool {
        lock(&self.state.devices).decide(user_code, false)
    }

    /// Requires multi-factor authentication (or stops requiring it): App+User access tokens
    /// whose sign-in did no MFA (all but those of a device-code sign-in and their refreshes)
    /// get Partner Center's 401 with code 900421. As `POST /_emulator/mfa`.
    pub fn require_mfa(&self, required: bool) {
        lock(&self.state.tokens).require_mfa(required);
    }

    /// Revokes every access token issued so far: each now gets 401 (refresh tokens stay valid).
    pub fn invalidate_access_tokens(&self) {
        lock(&self.state.tokens).invalidate_access();
    }

    /// Plays a customer's global admin accepting the reseller invitation: creates the customer
    /// (with a billing profile at ETag 1), or re-establishes the reseller relationship of the one
    /// with that tenant id (or, without one, that domain). With `delay_ms` it takes effect (and
    /// the customer becomes visible) only after that delay. Returns the customer id.
    ///
    /// # Panics
    /// When the domain or company name is empty, the tenant id is not a GUID, or the domain
    /// belongs to a customer with another tenant id.
    pub fn accept_invitation(&self, invitation: Invitation) -> String {
        match self.state.customers.accept(&invitation) {
            Ok(accepted) => accepted.customer.id.to_string(),
            Err(error) => panic!("partnercenter-emulator: cannot accept {invitation:?}: {error:?}"),
        }
    }

    /// Plays the customer approving the GDAP admin relationship `id`, as
    /// `POST /_emulator/admin-relationships/{id}/approve`: from `approvalPending` it becomes
    /// `approved`, then `activating` and `active` within about a second (seen on the next read).
    /// False when there is no such relationship or it is not `approvalPending`.
    pub fn approve_admin_relationship(&self, id: &str) -> bool {
        let names = |tenant_id: Uuid| {
            self.state
                .customers
                .get(tenant_id)
                .map(|customer| customer.company_name.clone())
        };
        lock(&self.state.admin_relationships)
            .approve(id, None, &names, SystemTime::now())
            .is_ok()
    }

    /// Makes the GDAP admin relationship `id` `expired` now, as
    /// `POST /_emulator/admin-relationships/{id}/expire`. False when there is no such
    /// relationship or it is `terminated`.
    pub fn expire_admin_relationship(&self, id: &str) -> bool {
        lock(&self.state.admin_relationships)
            .expire(id, SystemTime::now())
            .is_ok()
    }

    /// The status of the GDAP admin relationship `id` now (`"created"`, `"approvalPending"`,
    /// `"active"`, …, as Graph names it), or `None` when there is no such relationship.
    pub fn admin_relationship_status(&self, id: &str) -> Option<String> {
        lock(&self.state.admin_relationships)
            .status(id, SystemTime::now())
            .map(|status| status.as_str().to_owned())
    }

    /// How many GDAP admin relationships the emulator keeps (at most 10,000; the oldest ended
    /// ones are forgotten first).
    pub fn admin_relationship_count(&self) -> usize {
        lock(&self.state.admin_relationships).len()
    }

    /// How many customers are listed now (reseller relationship, acceptance in effect).
    pub fn customer_count(&self) -> usize {
        self.state.customers.count()
    }

    /// The ids of the listed customers, in listing (creation) order.
    pub fn customer_ids(&self) -> Vec<String> {
        self.state
            .customers
            .ids()
            .into_iter()
            .map(|id| id.to_string())
            .collect()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already be gone; nothing to stop then.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread must not become a panic in a destructor.
            let _ = thread.join();
        }
    }
}
