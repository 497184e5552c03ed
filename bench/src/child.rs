//! The Rust contenders of the steady state, each in a fresh process of its own as the C driver,
//! curl and Python are: the harness runs itself again with `--child KIND`, pointed at its
//! emulator by `PC_BENCH_BASE_URL`, and reads one `lat <ns>` line per timed call, as from the C
//! driver. (Run inside the long-lived harness, the same loop measured up to 20 % faster than in
//! a fresh process on this 2-vCPU VM: where the scheduler places a process against the server's
//! threads matters, so every contender gets a fresh process every round.)
//!
//! It sits below the sections: it imports the fixture, the raw HTTP client and the runtime
//! helper, and the steady-state section imports its [`ChildKind`].

use std::io::Write;
use std::time::Instant;

use clap::ValueEnum;
use partnercenter::ClientOptions;

use crate::fixture::Fixture;
use crate::rawhttp;
use crate::runtime::block_on;

/// What a child runs: the steady-state contenders written in Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChildKind {
    /// The library's blocking Rust API (what the C ABI wraps).
    RustApi,
    /// The library's async API, each call spawned on a 2-worker runtime.
    RustSpawned,
    /// The library's async API on a current-thread runtime, `block_on` per call.
    RustCurrent,
    /// The raw reqwest loop on a 2-worker runtime.
    RawReqwestMulti,
    /// The raw reqwest loop on a current-thread runtime.
    RawReqwestCurrent,
}

/// Runs `warmup` untimed and `calls` timed relationship requests and prints their latencies.
pub fn run(kind: ChildKind, calls: u32, warmup: u32) -> Result<(), String> {
    let base_url = std::env::var("PC_BENCH_BASE_URL")
        .map_err(|_| "--child needs PC_BENCH_BASE_URL (the harness sets it)")?;
    let fixture = Fixture::attach(base_url);
    let latencies = match kind {
        ChildKind::RustApi => rust_api(&fixture, warmup, calls)?,
        ChildKind::RustSpawned => rust_async(&fixture, Shape::Spawned, warmup, calls)?,
        ChildKind::RustCurrent => rust_async(&fixture, Shape::CurrentThread, warmup, calls)?,
        ChildKind::RawReqwestMulti | ChildKind::RawReqwestCurrent => {
            block_on(kind == ChildKind::RawReqwestMulti, async {
                let http = rawhttp::client()?;
                rawhttp::sequential(&http, &fixture, warmup, calls).await
            })?
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for ns in latencies {
        writeln!(out, "lat {ns}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// The blocking Rust API against `fixture`: latencies in ns (run by `--child rust-api`).
pub fn rust_api(fixture: &Fixture, warmup: u32, calls: u32) -> Result<Vec<f64>, String> {
    let options = ClientOptions::from_json(&fixture.options_json()).map_err(|e| e.to_string())?;
    let client = partnercenter::blocking::Client::new(options).map_err(|e| e.to_string())?;
    client.sign_in().map_err(|e| e.to_string())?;
    for _ in 0..warmup {
        client
            .new_relationship_request()
            .map_err(|e| e.to_string())?;
    }
    let mut latencies = Vec::with_capacity(calls as usize);
    for _ in 0..calls {
        let start = Instant::now();
        client
            .new_relationship_request()
            .map_err(|e| e.to_string())?;
        latencies.push(start.elapsed().as_nanos() as f64);
    }
    Ok(latencies)
}

/// How [`rust_async`] drives the library's async API.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A 2-worker runtime; each call is spawned as a task and the caller blocks on its handle.
    Spawned,
    /// A current-thread runtime: the caller's thread runs the call and the connection's I/O.
    CurrentThread,
}

/// The library's own async call path (token cache, headers, retries, parsing), driven in
/// `shape`: the two ways a blocking wrapper could run it instead of `block_on` on a shared
/// multi-thread runtime.
pub fn rust_async(
    fixture: &Fixture,
    shape: Shape,
    warmup: u32,
    calls: u32,
) -> Result<Vec<f64>, String> {
    let runtime = match shape {
        Shape::Spawned => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build(),
        Shape::CurrentThread => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
    }
    .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let options = ClientOptions::from_json(&fixture.options_json()).map_err(|e| e.to_string())?;
    let client = {
        let _inside = runtime.enter();
        partnercenter::Client::new(options).map_err(|e| e.to_string())?
    };
    let call = || {
        let outcome = match shape {
            Shape::CurrentThread => runtime.block_on(client.new_relationship_request()),
            Shape::Spawned => {
                let client = client.clone();
                let task = runtime.spawn(async move { client.new_relationship_request().await });
                runtime
                    .block_on(task)
                    .map_err(|e| format!("the call's task failed: {e}"))?
            }
        };
        outcome.map(drop).map_err(|e| e.to_string())
    };
    runtime
        .block_on(client.sign_in())
        .map_err(|e| e.to_string())?;
    for _ in 0..warmup {
        call()?;
    }
    let mut latencies = Vec::with_capacity(calls as usize);
    for _ in 0..calls {
        let start = Instant::now();
        call()?;
        latencies.push(start.elapsed().as_nanos() as f64);
    }
    Ok(latencies)
}
