//! The panic guard and the thread-local last error.
//!
//! Every exported function with a status runs its body through [`guarded`]: the last error is
//! cleared, the body runs inside `catch_unwind`, an `Err` is recorded as this thread's last
//! error and a panic becomes `PC_ERR_PANIC` with the panic text recorded. No unwind ever
//! crosses into the caller's frames.
//!
//! A panic inside a guarded call prints nothing: std's default hook would write Rust's panic
//! text to the host's stderr (a PowerShell console, a daemon's log), where the host never asked
//! for it. The text goes into the last error instead. Panics elsewhere (a Rust program linking
//! the rlib, on its own threads) still reach whatever hook was there before.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use super::status::{pc_status, pc_status_code};
use crate::error::{Error, ErrorKind, Result};

thread_local! {
    static LAST_ERROR: RefCell<Option<Error>> = const { RefCell::new(None) };
    /// How many guarded calls this thread is inside (a callback may re-enter the C ABI).
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Installs, once per process, a hook that stays silent for panics on a thread inside a guarded
/// call and hands every other panic to the hook it replaced.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// `body` run under `catch_unwind`, with this thread marked as inside a guarded call.
fn catch<T>(body: impl FnOnce() -> T) -> std::thread::Result<T> {
    install_quiet_hook();
    GUARDED.with(|g| g.set(g.get().saturating_add(1)));
    let outcome = catch_unwind(AssertUnwindSafe(body));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    outcome
}

/// Runs `body` as the whole of an exported call: clears, guards, records.
pub(crate) fn guarded(body: impl FnOnce() -> Result<()>) -> pc_status {
    clear();
    let outcome = catch(body).unwrap_or_else(|panic| Err(panic_error(panic)));
    match outcome {
        Ok(()) => pc_status_code::PC_OK as pc_status,
        Err(error) => {
            let status = pc_status_code::of(error.kind()) as pc_status;
            record(error);
            status
        }
    }
}

/// Runs `body` for an export that returns a value instead of a status (NULL/0 on panic).
pub(crate) fn guarded_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch(body).unwrap_or(fallback)
}

/// Runs `body` for an export with nothing to return; a panic is recorded and swallowed.
pub(crate) fn guarded_void(body: impl FnOnce()) {
    if let Err(panic) = catch(body) {
        record(panic_error(panic));
    }
}

fn panic_error(panic: Box<dyn std::any::Any + Send>) -> Error {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_owned());
    Error::new(
        ErrorKind::Panic,
        format!("internal error (a bug, caught at the C boundary): {text}"),
    )
}

fn clear() {
    LAST_ERROR.with(|e| e.borrow_mut().take());
}

fn record(error: Error) {
    tracing::debug!(kind = ?error.kind(), message = %error.message(), "call failed");
    LAST_ERROR.with(|e| *e.borrow_mut() = Some(error));
}

/// A copy of this thread's last error.
pub(crate) fn last_error() -> Option<Error> {
    LAST_ERROR.with(|e| e.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = guarded(|| panic!("boom at the boundary"));
        assert_eq!(status, pc_status_code::PC_ERR_PANIC as pc_status);
        let e = last_error().expect("recorded");
        assert_eq!(e.kind(), ErrorKind::Panic);
        assert!(e.message().contains("boom at the boundary"));
        assert_eq!(
            guarded(|| Ok(())),
            0,
            "the next call succeeds and clears it"
        );
        assert!(last_error().is_none());
    }

    #[test]
    fn value_and_void_exports_survive_panics() {
        assert_eq!(guarded_value(7, || panic!("x")), 7);
        guarded_void(|| panic!("void boom"));
        assert!(last_error().unwrap().message().contains("void boom"));
    }
}
