//! The Rust contenders of the steady state, each in a fresh process of its own as the C driver,
//! curl and Python are: the harness runs itself again with `--child KIND`, pointed at its
//! emulator by `PC_BENCH_BASE_URL`, and reads one `lat <ns>` line per timed call, as from the C
//! driver. (Run inside the long-lived harness, the same loop measured up to 20 % faster than in
//! a fresh process on this 2-vCPU VM: where the scheduler places a process against the server's
//! threads matters, so every contender gets a fresh process every round.)

use std::io::Write;

use clap::ValueEnum;

use crate::fixture::Fixture;
use crate::rawhttp;
use crate::sections::block_on;
use crate::sections::steady::{self, Shape};

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
        ChildKind::RustApi => steady::rust_api(&fixture, warmup, calls)?,
        ChildKind::RustSpawned => steady::rust_async(&fixture, Shape::Spawned, warmup, calls)?,
        ChildKind::RustCurrent => {
            steady::rust_async(&fixture, Shape::CurrentThread, warmup, calls)?
        }
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
