//! Contenders in a process of their own, as the C driver, curl and Python are: the harness runs
//! itself again with `--child KIND`, pointed at its emulator by `PC_BENCH_BASE_URL`, and reads
//! one `lat <ns>` line per timed call, as from the C driver.

use std::io::Write;

use clap::ValueEnum;

use crate::fixture::Fixture;
use crate::rawhttp;
use crate::sections::{block_on, steady};

/// What a child runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChildKind {
    /// The library's blocking Rust API (what the C ABI wraps).
    RustApi,
    /// The raw reqwest loop on a current-thread runtime (the floor).
    RawReqwest,
}

/// Runs `warmup` untimed and `calls` timed relationship requests and prints their latencies.
pub fn run(kind: ChildKind, calls: u32, warmup: u32) -> Result<(), String> {
    let base_url = std::env::var("PC_BENCH_BASE_URL")
        .map_err(|_| "--child needs PC_BENCH_BASE_URL (the harness sets it)")?;
    let fixture = Fixture::attach(base_url);
    let latencies = match kind {
        ChildKind::RustApi => steady::rust_api(&fixture, warmup, calls)?,
        ChildKind::RawReqwest => block_on(false, async {
            let http = rawhttp::client()?;
            rawhttp::sequential(&http, &fixture, warmup, calls).await
        })?,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for ns in latencies {
        writeln!(out, "lat {ns}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}
