//! PowerShell listing: every seeded customer through `Get-PCCustomer` against an
//! Invoke-RestMethod paging loop (bench/powershell/list.ps1), each run a fresh pwsh so that its
//! peak working set is its own; wall time of the listing and the process's peak.

use super::common::{ready, skip_all};
use crate::fixture::{CHILD_TIMEOUT, Fixture};
use crate::process::{self, Reported};
use crate::pwsh::PowerShell;
use crate::report::{Better, Row, Table};
use crate::sections::{Context, NS_TO_MS};
use crate::stats::Summary;

/// The largest page Partner Center serves.
const PAGE_SIZE: u32 = partnercenter::customers::MAX_PAGE_SIZE;

/// Row names.
pub const CMDLET: &str = "Get-PCCustomer | Measure-Object";
/// What a user without the module would write.
pub const IRM: &str = "Invoke-RestMethod paging loop";

/// The script's name for each row, and how it runs.
const CONTENDERS: [(&str, &str, &str); 2] = [
    (
        "cmdlet",
        CMDLET,
        "streamed to the pipeline, counted by Measure-Object",
    ),
    (
        "irm",
        IRM,
        "links.next + MS-ContinuationToken, page parsed (BOM), items counted",
    ),
];

/// Megabytes of 2^20 bytes.
const MIB: f64 = 1_048_576.0;

/// What one run measured.
struct Sample {
    wall_ms: f64,
    process_ms: f64,
    before_mb: f64,
    peak_mb: f64,
    pages: Option<f64>,
}

/// Seeds an emulator with the PowerShell listing's customers and lists them
/// `--listing-runs` times per contender, in shuffled turns.
pub fn run(ctx: &Context, ps: Result<&PowerShell, &str>) -> Table {
    let customers = ctx.args.powershell_customers();
    let runs = ctx.args.listing_runs;
    let mut table = Table::new(
        "powershell-listing",
        format!("PowerShell listing: {customers} seeded customers, {PAGE_SIZE} per page, {runs} runs each"),
        "ms for the listing (after import and sign-in)",
        "median (lower is better)",
        Better::Lower,
    )
    .column("rate", "customers/s")
    .column("before_mb", "WS before MB")
    .column("peak_mb", "peak WS MB")
    .column("process_ms", "process ms")
    .column("pages", "pages");
    let names = CONTENDERS.map(|(_, name, _)| name);
    let Some(ps) = ready(&mut table, &names, ps) else {
        return table;
    };
    let fixture = match ctx.seeded(customers) {
        Ok(fixture) => fixture,
        Err(why) => {
            skip_all(&mut table, &names, &why);
            return table;
        }
    };
    let mut samples: Vec<Result<Vec<Sample>, String>> =
        CONTENDERS.iter().map(|_| Ok(Vec::new())).collect();
    // Seeded, so a re-run takes the same turns.
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut order: Vec<usize> = (0..CONTENDERS.len()).collect();
    for run in 0..runs {
        rng.shuffle(&mut order);
        for &index in &order {
            let ((key, name, _), pooled) = (&CONTENDERS[index], &mut samples[index]);
            let Ok(pool) = pooled else { continue };
            eprintln!("bench: powershell listing {name} run {}/{runs}", run + 1);
            match list(ctx, ps, &fixture, key, customers) {
                Ok(sample) => pool.push(sample),
                Err(why) => *pooled = Err(why),
            }
        }
    }
    for ((_, name, how), pooled) in CONTENDERS.iter().zip(samples) {
        table.rows.push(match pooled {
            Ok(samples) => row(name, how, &samples, customers),
            Err(why) => Row::skipped(*name, why),
        });
    }
    table.note = format!(
        "{}. Each run is a fresh pwsh (one contender, so the peak is its own): \
         WS before is its peak working set (PeakWorkingSet64, i.e. VmHWM) after import and \
         sign-in, peak WS the peak after the listing, process ms its whole life from spawn to \
         exit. Both must count {customers} customers.",
        ps.version
    );
    table
}

/// One run of list.ps1 for `key`; an error unless it counted `expected` customers.
fn list(
    ctx: &Context,
    ps: &PowerShell,
    fixture: &Fixture,
    key: &str,
    expected: u32,
) -> Result<Sample, String> {
    let mut command = ps.script(ctx, fixture, "list.ps1");
    command
        .args(["-Contender", key])
        .args(["-PageSize", &PAGE_SIZE.to_string()]);
    let finished = process::run(&mut command, CHILD_TIMEOUT)?;
    let reported = Reported::parse(&finished.stdout);
    let listed = reported.value("customers")?;
    if listed != f64::from(expected) {
        return Err(format!("listed {listed} customers, expected {expected}"));
    }
    Ok(Sample {
        wall_ms: reported.value("wall_ns")? * NS_TO_MS,
        process_ms: finished.elapsed.as_nanos() as f64 * NS_TO_MS,
        before_mb: reported.value("before_ws_bytes")? / MIB,
        peak_mb: reported.value("peak_ws_bytes")? / MIB,
        pages: reported.value("pages").ok(),
    })
}

/// A contender's row: medians over the runs, and the highest peak.
fn row(name: &str, how: &str, samples: &[Sample], customers: u32) -> Row {
    let of =
        |figure: fn(&Sample) -> f64| Summary::of(&samples.iter().map(figure).collect::<Vec<_>>());
    let (Some(wall), Some(process), Some(before)) =
        (of(|s| s.wall_ms), of(|s| s.process_ms), of(|s| s.before_mb))
    else {
        return Row::skipped(name, "no samples");
    };
    let peak = samples.iter().map(|s| s.peak_mb).fold(0.0, f64::max);
    let mut row = Row::new(name)
        .summary(wall)
        .extra("rate", f64::from(customers) / (wall.median * 1e-3))
        .extra("before_mb", before.median)
        .extra("peak_mb", peak)
        .extra("process_ms", process.median)
        .notes(how);
    if let Some(pages) = samples.iter().find_map(|s| s.pages) {
        row = row.extra("pages", pages);
    }
    row
}
