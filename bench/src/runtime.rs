//! Tokio runtimes for the harness's own async jobs. Imports nothing of the harness.

/// Runs a small async job on a fresh runtime of the given shape.
pub fn block_on<T>(
    multi_thread: bool,
    job: impl std::future::Future<Output = Result<T, String>>,
) -> Result<T, String> {
    let runtime = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    }
    .map_err(|e| format!("cannot start a runtime: {e}"))?;
    runtime.block_on(job)
}
