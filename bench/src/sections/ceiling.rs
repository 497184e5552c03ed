//! The emulator's ceiling: the lightest client we have (raw reqwest) asking as fast as it can,
//! one connection and many. Client and emulator share the machine's cores, so this is the
//! ceiling of the pair on this machine, which bounds every contender alike.

use super::{Context, NS_TO_US};
use crate::rawhttp;
use crate::report::{Better, Row, Table};
use crate::runtime::block_on;
use crate::stats::Summary;

/// Concurrent tasks in the many-connection run.
const TASKS: u32 = 16;

/// Runs raw reqwest with 1 and [`TASKS`] tasks on a 2-worker runtime, and 1 on a current-thread
/// one; the same total calls each.
pub fn run(ctx: &Context) -> Table {
    let total = ctx.args.concurrency_calls;
    let mut table = Table::new(
        "ceiling",
        format!("Emulator ceiling: {total} relationship requests from raw reqwest"),
        "µs per call",
        "throughput (higher is better)",
        Better::Higher,
    )
    .column("throughput", "calls/s");
    for (name, multi, tasks) in [
        ("raw reqwest, 1 task, current-thread rt", false, 1),
        ("raw reqwest, 1 task, multi-thread rt", true, 1),
        ("raw reqwest, 16 tasks, multi-thread rt", true, TASKS),
    ] {
        eprintln!("bench: ceiling {name}");
        let outcome = block_on(multi, async {
            let http = rawhttp::client()?;
            // Warm the pool (and, with many tasks, open its connections) before timing.
            rawhttp::concurrent(&http, ctx.fixture, tasks, tasks * 20).await?;
            rawhttp::concurrent(&http, ctx.fixture, tasks, total).await
        });
        table.rows.push(match outcome {
            Ok((wall, latencies)) => {
                let throughput = latencies.len() as f64 / wall.as_secs_f64();
                match Summary::of(&latencies) {
                    Some(summary) => Row::new(name)
                        .summary(summary.scaled(NS_TO_US))
                        .score(throughput)
                        .extra("throughput", throughput),
                    None => Row::skipped(name, "no samples"),
                }
            }
            Err(why) => Row::skipped(name, why),
        });
    }
    table.note = format!(
        "Client and emulator share {} core(s); the emulator runs {}, logging off.",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        ctx.args.emulator.describe()
    );
    table
}
