//! PowerShell per call: in one pwsh process, a loop of N `New-PCRelationshipRequest` against a
//! loop of N Invoke-RestMethod calls with the library's headers, and the loop alone, after a
//! warm-up (bench/powershell/calls.ps1). Every round is a fresh pwsh running all three in a new
//! (seeded) order.

use std::collections::BTreeMap;

use super::common::{ready, skip_all};
use crate::fixture::CHILD_TIMEOUT;
use crate::process;
use crate::pwsh::PowerShell;
use crate::report::{Better, Row, Table};
use crate::sections::{Context, NS_TO_US};
use crate::stats::Summary;

/// Row names, also used by the target checks.
pub const CMDLET: &str = "New-PCRelationshipRequest";
/// What a user without the module would write.
pub const IRM: &str = "Invoke-RestMethod, same headers";
/// The timer and the loop with nothing in them.
pub const EMPTY: &str = "loop + timer alone (empty body)";

/// The script's name for each row, and how it runs.
const CONTENDERS: [(&str, &str, &str); 3] = [
    ("cmdlet", CMDLET, "$null = (New-PCRelationshipRequest).url"),
    (
        "irm",
        IRM,
        "-WebSession (one connection), body parsed (BOM), .url",
    ),
    ("empty", EMPTY, "$null = $i; shown for context, not ranked"),
];

/// What one contender reported in one round.
#[derive(Debug, Default, PartialEq)]
struct Reported {
    /// Each timed call, ns.
    latencies: Vec<f64>,
    /// The loop of N calls timed as a whole, ns.
    loop_ns: f64,
    /// The process's first `--warmup` calls timed as a whole, ns.
    first_ns: f64,
}

/// Parses calls.ps1's output: `lat|loop_ns|first_ns <contender> <ns>` lines, by contender.
fn parse(text: &str) -> BTreeMap<String, Reported> {
    let mut by_contender: BTreeMap<String, Reported> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let (Some(kind), Some(name), Some(value)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(ns) = value.parse::<f64>() else {
            continue;
        };
        let reported = by_contender.entry(name.to_owned()).or_default();
        match kind {
            "lat" => reported.latencies.push(ns),
            "loop_ns" => reported.loop_ns = ns,
            "first_ns" => reported.first_ns = ns,
            _ => {}
        }
    }
    by_contender
}

/// Everything a contender reported over the rounds.
#[derive(Default)]
struct Pooled {
    latencies: Vec<f64>,
    loop_ns: f64,
    first_ns: Vec<f64>,
}

/// Runs `--rounds` fresh pwsh processes of `--calls` calls per contender and tabulates µs per
/// call.
pub fn run(ctx: &Context, ps: Result<&PowerShell, &str>) -> Table {
    let args = ctx.args;
    let (calls, warmup, secs) = (args.calls, args.warmup, args.powershell_warmup_secs);
    let first_heading = format!("first {warmup}");
    let mut table = Table::new(
        "powershell-calls",
        format!(
            "PowerShell per call: {calls} relationship requests per contender in one pwsh, \
             {} rounds ({secs} s warm-up each)",
            args.rounds
        ),
        "µs per call",
        "median (lower is better)",
        Better::Lower,
    )
    .column("mean", "mean")
    .column("foreach", "foreach")
    .column("first", &first_heading);
    let names = CONTENDERS.map(|(_, name, _)| name);
    let Some(ps) = ready(&mut table, &names, ps) else {
        return table;
    };
    match rounds(ctx, ps) {
        Ok(pooled) => {
            for ((_, name, how), pool) in CONTENDERS.iter().zip(pooled) {
                let row = row(name, how, &pool, warmup);
                // The empty loop is what the others' figures include, not a contender.
                table
                    .rows
                    .push(if *name == EMPTY { row.unscored() } else { row });
            }
        }
        Err(why) => skip_all(&mut table, &names, &why),
    }
    table.note = format!(
        "{}. Each round is a fresh pwsh (module imported, signed in, token got) that warms up for \
         {secs} s, the contenders in turns and at least {warmup} calls each, then runs each \
         contender's loops in the round's order. median/p99/mean: each call timed alone \
         (Stopwatch timestamps around it, in the loop); foreach: a second loop of {calls} \
         calls, foreach ($i in 1..N) {{ $null = ... }}, timed as a whole, per call; first \
         {warmup}: the process's first {warmup} calls, per call, before .NET has optimised \
         the hot code. The ratio of Invoke-RestMethod is the cmdlet's speed-up.",
        ps.version
    );
    table
}

/// The rounds, each a fresh pwsh; what every contender reported, in [`CONTENDERS`] order.
fn rounds(ctx: &Context, ps: &PowerShell) -> Result<Vec<Pooled>, String> {
    let args = ctx.args;
    let mut pooled: Vec<Pooled> = CONTENDERS.iter().map(|_| Pooled::default()).collect();
    // A new order every round: what ran just before (its garbage, its JIT work) weighs on the
    // next contender. Seeded, so a re-run takes the same turns.
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut order: Vec<&str> = CONTENDERS.iter().map(|(key, _, _)| *key).collect();
    for round in 0..args.rounds {
        rng.shuffle(&mut order);
        eprintln!(
            "bench: powershell calls round {}/{} ({})",
            round + 1,
            args.rounds,
            order.join(",")
        );
        let mut command = ps.script(ctx, ctx.fixture, "calls.ps1");
        command
            .args(["-Calls", &args.calls.to_string()])
            .args(["-Warmup", &args.warmup.to_string()])
            .args(["-WarmupSeconds", &args.powershell_warmup_secs.to_string()])
            .args(["-Order", &order.join(",")]);
        let mut reported = parse(&process::run(&mut command, CHILD_TIMEOUT)?.stdout);
        for ((key, _, _), pool) in CONTENDERS.iter().zip(pooled.iter_mut()) {
            let one = reported.remove(*key).unwrap_or_default();
            if one.latencies.len() != args.calls as usize {
                return Err(format!(
                    "calls.ps1 reported {} {key} calls, expected {}",
                    one.latencies.len(),
                    args.calls
                ));
            }
            pool.latencies.extend(one.latencies);
            pool.loop_ns += one.loop_ns;
            pool.first_ns.push(one.first_ns);
        }
    }
    Ok(pooled)
}

/// A contender's row: per-call figures in µs.
fn row(name: &str, how: &str, pool: &Pooled, warmup: u32) -> Row {
    let Some(summary) = Summary::of(&pool.latencies) else {
        return Row::skipped(name, "no samples");
    };
    let summary = summary.scaled(NS_TO_US);
    let mut row = Row::new(name)
        .summary(summary)
        .extra("mean", summary.mean)
        .extra(
            "foreach",
            pool.loop_ns * NS_TO_US / (pool.latencies.len() as f64),
        )
        .notes(how);
    if warmup > 0 {
        if let Some(first) = Summary::of(&pool.first_ns) {
            row = row.extra("first", first.median * NS_TO_US / f64::from(warmup));
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_by_contender() {
        let text = "first_ns cmdlet 900\nwarmup_ms 12000\nlat cmdlet 3\nlat irm 7\nlat cmdlet 4\n\
                    loop_ns cmdlet 8\nnoise\n";
        let parsed = parse(text);
        assert_eq!(
            parsed["cmdlet"],
            Reported {
                latencies: vec![3.0, 4.0],
                loop_ns: 8.0,
                first_ns: 900.0,
            }
        );
        assert_eq!(parsed["irm"].latencies, vec![7.0]);
        assert!(!parsed.contains_key("12000"));
    }
}
