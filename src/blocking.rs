//! Blocking wrappers over the async API: each calling thread runs its calls on a current-thread
//! runtime of its own.
//!
//! The C ABI, the CLI and scripts call these. A call and the connection it uses are driven by the
//! calling thread alone, with no hand-off to an I/O thread and back, which is what a blocking
//! caller pays most for. Threads share a client's token cache (one renewal in flight for all)
//! and each keeps its own connections to the service (see `pool`). The runtime is made on a
//! thread's first call and goes when the thread ends; no background thread is ever started.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use secrecy::SecretString;

use crate::auth::{CredentialKind, DeviceCodeFlow, DeviceCodeInfo};
use crate::billing::BillingProfile;
use crate::client::ConnectionInfo;
use crate::config::ClientOptions;
use crate::customers::{Customer, CustomerFilter, CustomerMatch, WaitOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::gdap::{
    AccessAssignment, AdminRelationship, AdminRelationshipFilter, NewAdminRelationship,
};
use crate::relationship::RelationshipRequest;

thread_local! {
    static RUNTIME: once_cell::unsync::OnceCell<tokio::runtime::Runtime> =
        const { once_cell::unsync::OnceCell::new() };
}

/// Runs `future` to completion on this thread's runtime. Must not be called from inside an async
/// context (that would block a runtime thread): it answers an error instead.
pub fn run<T>(future: impl Future<Output = Result<T>>) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "blocking call made from inside an async runtime; use the async API there",
        ));
    }
    RUNTIME.with(|cell| {
        let runtime = cell.get_or_try_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Internal,
                        format!("cannot start the I/O runtime: {e}"),
                    )
                })
        })?;
        // All of a blocking call's socket writes happen on this thread, inside this block_on:
        // that is where SIGPIPE must be kept from the host (see `sigpipe`).
        let _no_sigpipe = sigpipe::Suppressed::new();
        runtime.block_on(future)
    })
}

/// Keeps SIGPIPE from the host while a call writes to a socket.
///
/// hyper writes requests with vectored writes (`writev`), and rustls writes TLS records the same
/// way; unlike std's `send`, `writev` takes no `MSG_NOSIGNAL`, so a write to a connection the
/// peer has closed raises SIGPIPE, which kills a C host that keeps the default disposition (a
/// Rust binary ignores SIGPIPE before `main`, a cdylib's host does not). reqwest does not let a
/// caller wrap its sockets, so the fix is the one libpq uses: block SIGPIPE in the calling
/// thread for the call, take a SIGPIPE the call raised before unblocking, and restore the
/// thread's mask. The process-wide disposition is never touched, other threads are not
/// affected, and a host that already blocks SIGPIPE is left to handle its own.
///
/// Side effect (see RELIABILITY.md): a callback the library makes during a call (the
/// progress callback of a wait) runs with SIGPIPE blocked, and a SIGPIPE it raises is taken.
#[cfg(unix)]
mod sigpipe {
    use std::mem::MaybeUninit;

    /// SIGPIPE blocked in this thread while it lives (when it was not blocked before).
    pub(super) struct Suppressed {
        /// The mask to restore; `None` when SIGPIPE was already blocked (nothing to undo).
        previous: Option<libc::sigset_t>,
    }

    fn pipe_only() -> libc::sigset_t {
        let mut set = MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: sigemptyset initialises the set it is given; sigaddset with a valid signal on
        // an initialised set cannot fail.
        unsafe {
            libc::sigemptyset(set.as_mut_ptr());
            libc::sigaddset(set.as_mut_ptr(), libc::SIGPIPE);
            set.assume_init()
        }
    }

    impl Suppressed {
        /// Blocks SIGPIPE in the calling thread.
        pub(super) fn new() -> Self {
            let pipe = pipe_only();
            let mut previous = MaybeUninit::<libc::sigset_t>::uninit();
            // SAFETY: both pointers are valid for the call; pthread_sigmask fills `previous`
            // when it answers 0.
            let previous = unsafe {
                if libc::pthread_sigmask(libc::SIG_BLOCK, &pipe, previous.as_mut_ptr()) != 0 {
                    return Suppressed { previous: None };
                }
                previous.assume_init()
            };
            // SAFETY: `previous` is initialised.
            let was_blocked = unsafe { libc::sigismember(&previous, libc::SIGPIPE) } == 1;
            Suppressed {
                previous: (!was_blocked).then_some(previous),
            }
        }
    }

    impl Drop for Suppressed {
        fn drop(&mut self) {
            let Some(previous) = self.previous else {
                return;
            };
            let pipe = pipe_only();
            let mut pending = MaybeUninit::<libc::sigset_t>::uninit();
            // SAFETY: valid pointers; `pending` is read only after sigpending answered 0.
            // sigwait returns at once here because SIGPIPE is pending and blocked (sigwait, not
            // sigtimedwait: macOS has no sigtimedwait). Then the mask goes back as it was.
            unsafe {
                if libc::sigpending(pending.as_mut_ptr()) == 0
                    && libc::sigismember(pending.as_ptr(), libc::SIGPIPE) == 1
                {
                    let mut taken = 0;
                    libc::sigwait(&pipe, &mut taken);
                }
                libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
            }
        }
    }
}

/// No SIGPIPE exists off Unix: nothing to keep from the host.
#[cfg(not(unix))]
mod sigpipe {
    pub(super) struct Suppressed;

    impl Suppressed {
        pub(super) fn new() -> Self {
            Suppressed
        }
    }
}

/// Cancellation of the blocking calls in flight, shared by a client, its clones and its
/// listings.
#[derive(Debug, Default)]
struct Cancel {
    /// Bumped by every cancel: a call ends when it moves past the value it started with.
    generation: AtomicU64,
    wake: tokio::sync::Notify,
}

impl Cancel {
    fn cancel(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// Runs `future` on this thread's runtime (see [`run`]), ended early by a cancel.
    fn run<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        run(self.guard(future))
    }

    /// Runs `future` until it ends or a cancel comes after it started.
    fn guard<'a, T: 'a>(
        &'a self,
        future: impl Future<Output = Result<T>> + 'a,
    ) -> impl Future<Output = Result<T>> + 'a {
        // Boxed before the guard's own future exists: a call's future is large, and would
        // otherwise be copied again at every move of the guard (measured: +1.4k instructions
        // of memcpy per call).
        let future = Box::pin(future);
        async move {
            let started = self.generation.load(Ordering::SeqCst);
            let woken = self.wake.notified();
            tokio::pin!(woken);
            // Registered before the second look, so a cancel between the two is not missed.
            woken.as_mut().enable();
            if self.generation.load(Ordering::SeqCst) != started {
                return Err(cancelled());
            }
            tokio::select! {
                biased;
                outcome = future => outcome,
                () = woken => Err(cancelled()),
            }
        }
    }
}

fn cancelled() -> Error {
    Error::new(
        ErrorKind::Cancelled,
        "the call was cancelled (the client's pending calls were cancelled)",
    )
}

/// The blocking twin of [`crate::Client`]. `Send + Sync`; clones share everything.
///
/// ```no_run
/// let options = partnercenter::ClientOptions::from_json(r#"{"access_token": "..."}"#).unwrap();
/// let client = partnercenter::blocking::Client::new(options).unwrap();
/// println!("{}", client.new_relationship_request().unwrap().url);
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
    cancel: Arc<Cancel>,
}

impl Client {
    /// See [`crate::Client::new`]. No network traffic: sign-in happens on the first call.
    pub fn new(options: ClientOptions) -> Result<Client> {
        Ok(Client {
            inner: crate::Client::new(options)?,
            cancel: Arc::default(),
        })
    }

    /// See [`crate::Client::new_relationship_request`].
    pub fn new_relationship_request(&self) -> Result<RelationshipRequest> {
        self.cancel.run(self.inner.new_relationship_request())
    }

    /// See [`crate::Client::sign_in`].
    pub fn sign_in(&self) -> Result<Option<std::time::SystemTime>> {
        self.cancel.run(self.inner.sign_in())
    }

    /// Ends every call of this client (its clones and listings included) that is in flight now
    /// with [`ErrorKind::Cancelled`], promptly, whatever it was waiting for; calls made after
    /// it run normally. Callable from any thread (not from a signal handler); cancelling with
    /// nothing in flight does nothing. A request already sent may still have reached the
    /// service (a token renewal's rotated refresh token is then not kept; the previous one
    /// stays usable).
    pub fn cancel_pending(&self) {
        self.cancel.cancel();
    }

    /// See [`crate::Client::refresh_token`].
    pub fn refresh_token(&self) -> Option<SecretString> {
        self.inner.refresh_token()
    }

    /// See [`crate::Client::credential_kind`].
    pub fn credential_kind(&self) -> CredentialKind {
        self.inner.credential_kind()
    }

    /// See [`crate::Client::connection_info`].
    pub fn connection_info(&self) -> ConnectionInfo {
        self.inner.connection_info()
    }

    /// See [`crate::Client::customer_pages`]. Iterate pages with [`CustomerPages::next_page`].
    pub fn customer_pages(&self, filter: CustomerFilter, page_size: u32) -> Result<CustomerPages> {
        Ok(CustomerPages {
            inner: self.inner.customer_pages(filter, page_size)?,
            cancel: self.cancel.clone(),
        })
    }

    /// See [`crate::Client::get_customer`].
    pub fn get_customer(&self, customer_id: &str) -> Result<Customer> {
        self.cancel.run(self.inner.get_customer(customer_id))
    }

    /// See [`crate::Client::remove_reseller_relationship`].
    pub fn remove_reseller_relationship(&self, customer_id: &str) -> Result<Customer> {
        self.cancel
            .run(self.inner.remove_reseller_relationship(customer_id))
    }

    /// See [`crate::Client::wait_for_customer`].
    pub fn wait_for_customer(
        &self,
        target: &CustomerMatch,
        options: WaitOptions,
        progress: impl FnMut(u32, std::time::Duration),
    ) -> Result<Customer> {
        self.cancel
            .run(self.inner.wait_for_customer(target, options, progress))
    }

    /// See [`crate::Client::get_billing_profile`].
    pub fn get_billing_profile(&self, customer_id: &str) -> Result<BillingProfile> {
        self.cancel.run(self.inner.get_billing_profile(customer_id))
    }

    /// See [`crate::Client::update_billing_profile`].
    pub fn update_billing_profile(
        &self,
        customer_id: &str,
        profile: &BillingProfile,
    ) -> Result<BillingProfile> {
        self.cancel
            .run(self.inner.update_billing_profile(customer_id, profile))
    }

    /// See [`crate::Client::create_admin_relationship`].
    pub fn create_admin_relationship(
        &self,
        new: &NewAdminRelationship,
    ) -> Result<AdminRelationship> {
        self.cancel.run(self.inner.create_admin_relationship(new))
    }

    /// See [`crate::Client::lock_admin_relationship_for_approval`].
    pub fn lock_admin_relationship_for_approval(&self, id: &str) -> Result<AdminRelationship> {
        self.cancel
            .run(self.inner.lock_admin_relationship_for_approval(id))
    }

    /// See [`crate::Client::get_admin_relationship`].
    pub fn get_admin_relationship(&self, id: &str) -> Result<AdminRelationship> {
        self.cancel.run(self.inner.get_admin_relationship(id))
    }

    /// See [`crate::Client::admin_relationship_pages`]. Iterate with
    /// [`AdminRelationshipPages::next_page`].
    pub fn admin_relationship_pages(
        &self,
        filter: &AdminRelationshipFilter,
        page_size: u32,
    ) -> Result<AdminRelationshipPages> {
        Ok(AdminRelationshipPages {
            inner: self.inner.admin_relationship_pages(filter, page_size)?,
            cancel: self.cancel.clone(),
        })
    }

    /// See [`crate::Client::wait_for_admin_relationship`].
    pub fn wait_for_admin_relationship(
        &self,
        id: &str,
        options: WaitOptions,
        progress: impl FnMut(u32, std::time::Duration, &str),
    ) -> Result<AdminRelationship> {
        self.cancel.run(
            self.inner
                .wait_for_admin_relationship(id, options, progress),
        )
    }

    /// See [`crate::Client::assign_admin_relationship_access`].
    pub fn assign_admin_relationship_access(
        &self,
        id: &str,
        group_id: &str,
        roles: &[String],
    ) -> Result<AccessAssignment> {
        self.cancel.run(
            self.inner
                .assign_admin_relationship_access(id, group_id, roles),
        )
    }

    /// See [`crate::Client::admin_relationship_access_assignments`].
    pub fn admin_relationship_access_assignments(&self, id: &str) -> Result<Vec<AccessAssignment>> {
        self.cancel
            .run(self.inner.admin_relationship_access_assignments(id))
    }

    /// See [`crate::Client::terminate_admin_relationship`].
    pub fn terminate_admin_relationship(&self, id: &str) -> Result<AdminRelationship> {
        self.cancel.run(self.inner.terminate_admin_relationship(id))
    }

    /// The async client inside.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }
}

/// A customer listing in progress (blocking): one page in memory at a time.
#[derive(Debug)]
pub struct CustomerPages {
    inner: crate::customers::CustomerPages,
    cancel: Arc<Cancel>,
}

impl CustomerPages {
    /// Bounds the whole listing by `deadline`, as [`crate::customers::CustomerPages::until`]:
    /// no page request runs past it, and once it has passed a page fails with
    /// [`crate::ErrorKind::Timeout`].
    pub fn until(mut self, deadline: std::time::Instant) -> Self {
        self.inner = self.inner.until(deadline);
        self
    }

    /// The next page, or `None` when the listing is complete.
    pub fn next_page(&mut self) -> Result<Option<Vec<Customer>>> {
        self.cancel.run(self.inner.next_page())
    }
}

impl Iterator for CustomerPages {
    type Item = Result<Vec<Customer>>;

    /// Pages until the end or the first error (which ends the iteration).
    fn next(&mut self) -> Option<Self::Item> {
        self.next_page().transpose()
    }
}

/// An admin relationship listing in progress (blocking): one page in memory at a time.
#[derive(Debug)]
pub struct AdminRelationshipPages {
    inner: crate::gdap::AdminRelationshipPages,
    cancel: Arc<Cancel>,
}

impl AdminRelationshipPages {
    /// The next page, or `None` when the listing is complete.
    pub fn next_page(&mut self) -> Result<Option<Vec<AdminRelationship>>> {
        self.cancel.run(self.inner.next_page())
    }
}

impl Iterator for AdminRelationshipPages {
    type Item = Result<Vec<AdminRelationship>>;

    /// Pages until the end or the first error (which ends the iteration).
    fn next(&mut self) -> Option<Self::Item> {
        self.next_page().transpose()
    }
}

/// The blocking twin of [`DeviceCodeFlow`]: `wait` blocks, `cancel` may come from another thread.
#[derive(Debug, Clone)]
pub struct DeviceCode {
    flow: Arc<DeviceCodeFlow>,
}

impl DeviceCode {
    /// See [`DeviceCodeFlow::start`].
    pub fn start(options: ClientOptions) -> Result<DeviceCode> {
        let flow = run(async { DeviceCodeFlow::start(options).await })?;
        Ok(DeviceCode {
            flow: Arc::new(flow),
        })
    }

    /// What to show the user.
    pub fn info(&self) -> &DeviceCodeInfo {
        self.flow.info()
    }

    /// See [`DeviceCodeFlow::wait`].
    pub fn wait(&self) -> Result<Client> {
        let client = run(self.flow.wait())?;
        Ok(Client {
            inner: client,
            cancel: Arc::default(),
        })
    }

    /// See [`DeviceCodeFlow::cancel`].
    pub fn cancel(&self) {
        self.flow.cancel();
    }
}
