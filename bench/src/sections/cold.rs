//! Cold start: a fresh process that loads its client, gets a token and makes one call. Timed
//! from spawn to exit by the harness, the same way for every contender; contenders take turns.

use std::path::PathBuf;
use std::process::Command;

use super::{Context, NS_TO_MS};
use crate::fixture::CHILD_TIMEOUT;
use crate::process::{self, Reported};
use crate::report::{Better, Row, Table};
use crate::stats::Summary;

/// Row names, also used by the target checks.
pub const C_DRIVER: &str = "C driver (libpartnercenter.so)";
/// The CLI binary.
pub const CLI: &str = "partnercenter CLI";
/// sh + two curls.
pub const CURL_PAIR: &str = "curl pair (sh script)";
/// Python requests.
pub const PYTHON: &str = "Python requests script";

/// One contender: a name, how it runs, and the command (or why it cannot run).
struct Contender {
    name: &'static str,
    how: &'static str,
    command: Result<Command, String>,
}

fn contenders(ctx: &Context) -> Vec<Contender> {
    let fixture = ctx.fixture;
    let artifacts = ctx.artifacts;
    let mut driver = ctx.command(fixture, &artifacts.driver);
    driver.arg("cold");
    let mut cli = ctx.command(fixture, &artifacts.cli);
    cli.arg("relationship-request");
    let mut curl = ctx.command(fixture, "/bin/sh");
    curl.arg(artifacts.script("scripts/cold_curl.sh"));
    let python = ctx.python.as_ref().map(|python| {
        let mut command = ctx.command(fixture, python);
        command.arg(artifacts.script("python/cold.py"));
        command
    });
    vec![
        Contender {
            name: C_DRIVER,
            how: "dynamic load, pc_client_new, token + 1 call",
            command: Ok(driver),
        },
        Contender {
            name: CLI,
            how: "relationship-request, PARTNERCENTER_* env",
            command: Ok(cli),
        },
        Contender {
            name: CURL_PAIR,
            how: "sh: curl token, sed, curl API",
            command: Ok(curl),
        },
        Contender {
            name: PYTHON,
            how: "import requests, token + 1 call",
            command: python.ok_or_else(|| "no python3 with requests".to_owned()),
        },
    ]
}

/// What the C driver reports about its own cold start, in ms: (key, column heading).
const BREAKDOWN: [(&str, &str); 2] = [("client_new_ns", "new ms"), ("first_call_ns", "call ms")];

/// Times `runs` fresh processes per contender (in turns) in ms.
pub fn run(ctx: &Context) -> Table {
    let runs = ctx.args.cold_runs;
    let mut contenders = contenders(ctx);
    let mut samples: Vec<Result<Vec<f64>, String>> =
        contenders.iter().map(|_| Ok(Vec::new())).collect();
    let mut breakdown: Vec<Vec<f64>> = vec![Vec::new(); BREAKDOWN.len()];
    eprintln!("bench: cold start, {runs} runs per contender");
    for _ in 0..runs {
        for (contender, pooled) in contenders.iter_mut().zip(samples.iter_mut()) {
            let (Ok(command), Ok(pool)) = (contender.command.as_mut(), pooled.as_mut()) else {
                continue;
            };
            match process::run(command, CHILD_TIMEOUT) {
                Ok(finished) => {
                    pool.push(finished.elapsed.as_nanos() as f64 * NS_TO_MS);
                    let reported = Reported::parse(&finished.stdout);
                    for ((key, _), values) in BREAKDOWN.iter().zip(breakdown.iter_mut()) {
                        if let Ok(ns) = reported.value(key) {
                            values.push(ns * NS_TO_MS);
                        }
                    }
                }
                Err(why) => *pooled = Err(why),
            }
        }
    }
    let mut table = Table::new(
        "cold",
        format!("Cold start: fresh process, token, one relationship request ({runs} runs each)"),
        "ms from spawn to exit",
        "median (lower is better)",
        Better::Lower,
    );
    for (key, heading) in BREAKDOWN {
        table = table.column(key, heading);
    }
    for (contender, pooled) in contenders.into_iter().zip(samples) {
        let pooled = contender.command.and(pooled);
        table.rows.push(match pooled.map(|s| Summary::of(&s)) {
            Ok(Some(summary)) => {
                let mut row = Row::new(contender.name)
                    .summary(summary)
                    .notes(contender.how);
                if contender.name == C_DRIVER {
                    for ((key, _), values) in BREAKDOWN.iter().zip(&breakdown) {
                        if let Some(part) = Summary::of(values) {
                            row = row.extra(key, part.median);
                        }
                    }
                }
                row
            }
            Ok(None) => Row::skipped(contender.name, "no samples"),
            Err(why) => Row::skipped(contender.name, why),
        });
    }
    table.note = spawn_baseline(runs);
    table
}

/// What merely starting a process costs here (`/bin/true`), as context for the table.
fn spawn_baseline(runs: u32) -> String {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let mut command = Command::new(PathBuf::from("/bin/true"));
        if let Ok(finished) = process::run(&mut command, CHILD_TIMEOUT) {
            samples.push(finished.elapsed.as_nanos() as f64 * NS_TO_MS);
        }
    }
    match Summary::of(&samples) {
        Some(s) => format!(
            "Baseline: spawning /bin/true takes {:.2} ms (median), p99 {:.2} ms.",
            s.median, s.p99
        ),
        None => String::new(),
    }
}
