//! Command-line options: how much work, which sections, where the results go.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::child::ChildKind;
use crate::fixture::Placement;

/// The parts of the suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum Section {
    /// The emulator's own ceiling (raw reqwest, 1 and many connections).
    Ceiling,
    /// N sequential relationship requests on one kept-alive connection.
    Steady,
    /// A fresh process: load, token, one call.
    Cold,
    /// Threads sharing one client through the C ABI.
    Concurrency,
    /// Paging through seeded customers through the C ABI.
    Listing,
    /// cdylib size and the C driver's resident memory.
    Footprint,
    /// The PartnerCenterNative module in pwsh against Invoke-RestMethod: start, per call,
    /// listing (three tables).
    Powershell,
}

/// partnercenter against curl, Python requests and a raw reqwest loop, on the emulator.
///
/// Builds the library, the CLI, the emulator and the C driver (release), starts the emulator in
/// its own process (logging off), runs every section and prints one table per section; the same figures go to
/// the JSON file.
#[derive(Parser, Debug)]
#[command(name = "partnercenter-bench", version)]
pub struct Args {
    /// Sections to run (comma-separated); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub sections: Vec<Section>,
    /// Steady state: timed calls per contender per round.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(10..=1_000_000))]
    pub calls: u32,
    /// Steady state: untimed calls before each round.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub warmup: u32,
    /// Steady state: rounds; contenders take turns in a new (seeded) order each round, so that
    /// drift and what ran just before hit all alike.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rounds: u32,
    /// Cold start: runs per contender.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub cold_runs: u32,
    /// Concurrency: thread counts to try.
    #[arg(long, value_delimiter = ',', default_values_t = [1u32, 2, 4, 8, 16])]
    pub threads: Vec<u32>,
    /// Concurrency: calls per run, split evenly over the threads.
    #[arg(long, default_value_t = 4000, value_parser = clap::value_parser!(u32).range(16..=1_000_000))]
    pub concurrency_calls: u32,
    /// Listing: customers seeded in the emulator.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..=2_000_000))]
    pub customers: u32,
    /// Listing: runs (each pages through every customer).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub listing_runs: u32,
    /// Footprint: calls before the last memory reading.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub footprint_calls: u32,
    /// PowerShell listing: customers seeded (default: --customers, at most 10,000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=2_000_000))]
    pub powershell_customers: Option<u32>,
    /// PowerShell per call: seconds each process warms up (contenders in turns, at least
    /// --warmup calls each) before timing; .NET re-compiles hot code only after it has run a while.
    #[arg(long, value_name = "SECS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(0..=600))]
    pub powershell_warmup_secs: u32,
    /// Where the emulator runs: its own process (as a real service is, so every contender crosses
    /// a process boundary alike) or inside this harness.
    #[arg(long, value_enum, default_value_t = Placement::Process)]
    pub emulator: Placement,
    /// Where to write the JSON results (default: <target>/bench/results.json).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Fail (exit 1) when any contender was skipped: for the smoke run in the test suite, which
    /// checks that every contender works, not how fast.
    #[arg(long)]
    pub require_all: bool,
    /// Internal: run one steady-state contender in this process and print its latencies (the
    /// harness starts itself this way for the "own process" rows).
    #[arg(long, value_enum, hide = true)]
    pub child: Option<ChildKind>,
    /// Do not run cargo and cc: use the library, CLI and driver already built.
    #[arg(long)]
    pub no_build: bool,
}

impl Args {
    /// Whether `section` is to run.
    pub fn wants(&self, section: Section) -> bool {
        self.sections.is_empty() || self.sections.contains(&section)
    }

    /// Customers seeded for the PowerShell listing.
    pub fn powershell_customers(&self) -> u32 {
        self.powershell_customers
            .unwrap_or_else(|| self.customers.min(10_000))
    }
}
