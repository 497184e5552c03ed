//! Steady state: N sequential relationship requests over one kept-alive connection, the same
//! work for every contender, in rounds where contenders take turns in a new order each round.

use std::fmt::Write as _;

use super::{Context, NS_TO_US};
use crate::runtime::block_on;
use clap::ValueEnum;

use crate::child::ChildKind;
use crate::fixture::CHILD_TIMEOUT;
use crate::process::{self, Reported};
use crate::rawhttp;
use crate::report::{Better, Row, Table};
use crate::stats::Summary;

/// Row names, also used by the target checks.
pub const C_ABI: &str = "C ABI (C driver)";
/// The library's Rust blocking API (what the C ABI wraps).
pub const RUST_API: &str = "Rust blocking API";
/// The library's async API, each call spawned on a 2-worker runtime while the caller waits: what
/// the blocking API would measure if it handed whole calls to a worker.
pub const RUST_SPAWNED: &str = "Rust async API, spawn + wait";
/// The library's async API on a current-thread runtime driven by the calling thread: what the
/// blocking API would measure if each calling thread drove its own I/O.
pub const RUST_CURRENT: &str = "Rust async API, current-thread rt";
/// The floor on the runtime shape the library uses.
pub const REQWEST_MULTI: &str = "raw reqwest loop, multi-thread rt";
/// The floor on the cheapest runtime shape.
pub const REQWEST_CURRENT: &str = "raw reqwest loop, current-thread rt";
/// curl reusing one connection.
pub const CURL: &str = "curl, one process, N URLs";
/// Python requests.Session.
pub const PYTHON: &str = "Python requests.Session";

#[derive(Clone, Copy, Debug)]
enum Contender {
    CAbi,
    /// A Rust contender, run by this harness as `--child kind` in a fresh process.
    Rust(ChildKind),
    Curl,
    Python,
}

const ALL: [Contender; 8] = [
    Contender::CAbi,
    Contender::Rust(ChildKind::RustApi),
    Contender::Rust(ChildKind::RustSpawned),
    Contender::Rust(ChildKind::RustCurrent),
    Contender::Rust(ChildKind::RawReqwestMulti),
    Contender::Rust(ChildKind::RawReqwestCurrent),
    Contender::Curl,
    Contender::Python,
];

impl Contender {
    fn name(self) -> &'static str {
        match self {
            Contender::CAbi => C_ABI,
            Contender::Rust(ChildKind::RustApi) => RUST_API,
            Contender::Rust(ChildKind::RustSpawned) => RUST_SPAWNED,
            Contender::Rust(ChildKind::RustCurrent) => RUST_CURRENT,
            Contender::Rust(ChildKind::RawReqwestMulti) => REQWEST_MULTI,
            Contender::Rust(ChildKind::RawReqwestCurrent) => REQWEST_CURRENT,
            Contender::Curl => CURL,
            Contender::Python => PYTHON,
        }
    }

    fn how(self) -> &'static str {
        match self {
            Contender::CAbi => "pc_new_relationship_request, timed in C",
            Contender::Rust(ChildKind::RustApi) => "blocking::Client::new_relationship_request",
            Contender::Rust(ChildKind::RustSpawned) => {
                "runtime.spawn(call), caller blocks on the JoinHandle"
            }
            Contender::Rust(ChildKind::RustCurrent) => {
                "Client::new_relationship_request, block_on per call"
            }
            Contender::Rust(ChildKind::RawReqwestMulti | ChildKind::RawReqwestCurrent) => {
                "async loop, same headers, JSON parsed"
            }
            Contender::Curl => "-K config, one block per URL; %{time_total} per transfer",
            Contender::Python => "Session.get + .json(), timed in Python",
        }
    }

    /// One round: `warmup` untimed calls, then `calls` timed ones; latencies in ns.
    fn round(self, ctx: &Context, warmup: u32, calls: u32) -> Result<Vec<f64>, String> {
        let fixture = ctx.fixture;
        match self {
            Contender::CAbi => {
                let mode = ["steady".into(), calls.to_string(), warmup.to_string()];
                Ok(ctx.driver(fixture, &mode)?.1.latencies_ns)
            }
            Contender::Rust(kind) => own_process(ctx, kind, warmup, calls),
            Contender::Curl => curl(ctx, warmup, calls),
            Contender::Python => {
                let python = ctx.python.as_ref().ok_or("no python3 with requests")?;
                let mut command = ctx.command(fixture, python);
                command
                    .arg(ctx.artifacts.script("python/steady.py"))
                    .args([calls.to_string(), warmup.to_string()]);
                let finished = process::run(&mut command, CHILD_TIMEOUT)?;
                Ok(Reported::parse(&finished.stdout).latencies_ns)
            }
        }
    }
}

/// This harness again, as `--child kind`: the contender in a process of its own.
fn own_process(
    ctx: &Context,
    kind: ChildKind,
    warmup: u32,
    calls: u32,
) -> Result<Vec<f64>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let kind = kind
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .ok_or("a child kind without a name")?;
    let mut command = ctx.command(ctx.fixture, exe);
    command.args([
        "--child",
        &kind,
        "--calls",
        &calls.to_string(),
        "--warmup",
        &warmup.to_string(),
    ]);
    let finished = process::run(&mut command, CHILD_TIMEOUT)?;
    let latencies = Reported::parse(&finished.stdout).latencies_ns;
    if latencies.len() != calls as usize {
        return Err(format!(
            "the child reported {} calls, expected {calls}",
            latencies.len()
        ));
    }
    Ok(latencies)
}

/// curl fetches every URL of a config file in one process, reusing the connection; each URL
/// gets its own `MS-RequestId`. The token comes from the harness (steady state excludes it).
fn curl(ctx: &Context, warmup: u32, calls: u32) -> Result<Vec<f64>, String> {
    let fixture = ctx.fixture;
    let token = block_on(false, async {
        rawhttp::token(&rawhttp::client()?, fixture).await
    })?;
    let correlation_id = uuid::Uuid::new_v4();
    let mut config = String::new();
    for i in 0..warmup + calls {
        if i > 0 {
            config.push_str("next\n");
        }
        let _ = write!(
            config,
            "url = \"{}\"\nheader = \"Authorization: Bearer {token}\"\n\
             header = \"Accept: application/json\"\nheader = \"MS-RequestId: {}\"\n\
             header = \"MS-CorrelationId: {correlation_id}\"\nheader = \"X-Locale: en-US\"\n\
             output = \"/dev/null\"\nwrite-out = \"%{{time_total}} %{{num_connects}}\\n\"\n",
            fixture.relationship_url(),
            uuid::Uuid::new_v4(),
        );
    }
    let path = ctx.artifacts.bench_dir.join("curl-steady.cfg");
    std::fs::write(&path, config).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut command = std::process::Command::new("curl");
    command.args(["-s", "-S", "-f", "-K"]).arg(&path);
    let outcome = process::run(&mut command, CHILD_TIMEOUT);
    // The file holds an access token (the emulator's, short-lived): do not leave it around.
    let _ = std::fs::remove_file(&path);
    let finished = outcome?;
    let mut latencies = Vec::with_capacity(calls as usize);
    let mut connects = 0.0;
    for line in finished.stdout.lines() {
        let mut fields = line.split_whitespace();
        let seconds: f64 = fields
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or("curl wrote no time")?;
        connects += fields
            .next()
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0);
        latencies.push(seconds * 1e9);
    }
    if latencies.len() != (warmup + calls) as usize {
        return Err(format!(
            "curl reported {} transfers, expected {}",
            latencies.len(),
            warmup + calls
        ));
    }
    if connects > 1.0 {
        return Err(format!(
            "curl opened {connects} connections instead of reusing one"
        ));
    }
    Ok(latencies.split_off(warmup as usize))
}

/// Runs every contender `rounds` times, taking turns, and tabulates µs per call.
pub fn run(ctx: &Context) -> Table {
    let args = ctx.args;
    let mut samples: Vec<Result<Vec<f64>, String>> = ALL.iter().map(|_| Ok(Vec::new())).collect();
    // A new order every round: on a VM a contender's figure depends on what ran just before it
    // (the same contender measured 15-20% apart first and last in a round), so no contender may
    // keep one place. Seeded, so a re-run takes the same turns.
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut order: Vec<usize> = (0..ALL.len()).collect();
    for round in 0..args.rounds {
        rng.shuffle(&mut order);
        for &index in &order {
            let (contender, pooled) = (&ALL[index], &mut samples[index]);
            let Ok(pool) = pooled else { continue };
            eprintln!(
                "bench: steady {} round {}/{}",
                contender.name(),
                round + 1,
                args.rounds
            );
            match contender.round(ctx, args.warmup, args.calls) {
                Ok(latencies) => pool.extend(latencies),
                Err(why) => *pooled = Err(why),
            }
        }
    }
    let mut table = Table::new(
        "steady",
        format!(
            "Steady state: {} sequential relationship requests on one kept-alive connection, {} rounds ({} warm-up calls each)",
            args.calls, args.rounds, args.warmup
        ),
        "µs per call",
        "median (lower is better)",
        Better::Lower,
    )
    .column("mean", "mean");
    for (contender, pooled) in ALL.iter().zip(samples) {
        let row = match pooled.map(|s| Summary::of(&s)) {
            Ok(Some(summary)) => {
                let summary = summary.scaled(NS_TO_US);
                Row::new(contender.name())
                    .summary(summary)
                    .extra("mean", summary.mean)
                    .notes(contender.how())
            }
            Ok(None) => Row::skipped(contender.name(), "no samples"),
            Err(why) => Row::skipped(contender.name(), why),
        };
        table.rows.push(row);
    }
    table.note = format!(
        "The emulator runs {}. Every contender runs in a fresh process of its own each round \
         (the Rust rows as partnercenter-bench --child KIND).",
        args.emulator.describe()
    );
    table
}
