//! Concurrency: threads sharing one client through the C ABI, the same total work split over
//! 1, 2, 4, 8, 16 threads.

use super::{Context, NS_TO_US};
use crate::report::{Better, Row, Table};
use crate::stats::Summary;

/// Row name of a thread count, also used by the target checks.
pub fn row_name(threads: u32) -> String {
    format!("C ABI, {threads} thread(s), one client")
}

/// Runs per thread count; the counts take turns so drift hits all alike.
const RUNS: u32 = 3;

/// One run's throughput (calls/s), driver CPU (ms) and latencies (ns).
type Run = (f64, f64, Vec<f64>);

fn once(ctx: &Context, threads: u32, total: u32) -> Result<Run, String> {
    let mode = [
        "concurrency".to_owned(),
        threads.to_string(),
        total.to_string(),
    ];
    let (_, reported) = ctx.driver(ctx.fixture, &mode)?;
    let throughput = reported.value("calls")? / (reported.value("wall_ns")? * 1e-9);
    Ok((throughput, reported.value("cpu_ms")?, reported.latencies_ns))
}

/// Runs the driver [`RUNS`] times per thread count: median throughput, pooled latencies.
pub fn run(ctx: &Context) -> Table {
    let total = ctx.args.concurrency_calls;
    let mut table = Table::new(
        "concurrency",
        format!(
            "Concurrency: {total} relationship requests split over N threads sharing one pc_client ({RUNS} runs each)"
        ),
        "µs per call (latency seen by each thread)",
        "median throughput (higher is better)",
        Better::Higher,
    )
    .column("throughput", "calls/s")
    .column("cpu_us_per_call", "CPU µs/call");
    let threads = &ctx.args.threads;
    let mut runs: Vec<Result<Vec<Run>, String>> = threads.iter().map(|_| Ok(Vec::new())).collect();
    for round in 0..RUNS {
        for (&count, outcome) in threads.iter().zip(runs.iter_mut()) {
            let Ok(done) = outcome else { continue };
            eprintln!(
                "bench: concurrency {count} thread(s), run {}/{RUNS}",
                round + 1
            );
            match once(ctx, count, total) {
                Ok(run) => done.push(run),
                Err(why) => *outcome = Err(why),
            }
        }
    }
    for (&count, outcome) in threads.iter().zip(runs) {
        let name = row_name(count);
        let row = outcome.and_then(|done| {
            let rates: Vec<f64> = done.iter().map(|r| r.0).collect();
            let cpu: Vec<f64> = done.iter().map(|r| r.1 * 1e3 / f64::from(total)).collect();
            let latencies: Vec<f64> = done.into_iter().flat_map(|r| r.2).collect();
            let rate = Summary::of(&rates).ok_or("no runs")?.median;
            let summary = Summary::of(&latencies).ok_or("no latencies")?;
            Ok(Row::new(name.clone())
                .summary(summary.scaled(NS_TO_US))
                .score(rate)
                .extra("throughput", rate)
                .extra(
                    "cpu_us_per_call",
                    Summary::of(&cpu).map_or(0.0, |s| s.median),
                ))
        });
        table
            .rows
            .push(row.unwrap_or_else(|why| Row::skipped(name, why)));
    }
    table.note = "CPU is the driver process's user + system time (its caller threads and the \
                  library's runtime), not the emulator's."
        .into();
    table
}
