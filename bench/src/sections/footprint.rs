//! Footprint: the shipped cdylib's size, and the C driver's resident memory after loading the
//! library, after making a client, after the first call and after many calls.

use super::Context;
use crate::report::{Better, Row, Table};
use crate::stats::Summary;

/// Row names, also used by the target checks.
pub const CDYLIB: &str = "cdylib size (libpartnercenter.so)";
/// Resident memory after the last call.
pub fn after_calls(calls: u32) -> String {
    format!("C driver RSS after {calls} calls")
}

/// Runs the driver three times and reports the median of each reading.
pub fn run(ctx: &Context) -> Table {
    let calls = ctx.args.footprint_calls;
    let mut table = Table::new(
        "footprint",
        "Footprint: library size and the C driver's resident memory".into(),
        "MB (10^6 bytes for the file, MiB for memory)",
        "nothing (the rows measure different things)",
        Better::Lower,
    )
    .unranked();
    table
        .rows
        .push(cdylib(ctx).unwrap_or_else(|why| Row::skipped(CDYLIB, why)));
    let stages = [
        ("loaded", "C driver RSS after load (main)".to_owned()),
        ("client", "C driver RSS after pc_client_new".to_owned()),
        (
            "first_call",
            "C driver RSS after sign-in + 1 call".to_owned(),
        ),
        ("calls", after_calls(calls)),
    ];
    let mut readings: Vec<Vec<f64>> = vec![Vec::new(); stages.len() + 1];
    for _ in 0..3 {
        let outcome = ctx.driver(ctx.fixture, &["footprint".into(), calls.to_string()]);
        let reported = match outcome {
            Ok((_, reported)) => reported,
            Err(why) => {
                table.rows.push(Row::skipped("C driver RSS", why));
                return table;
            }
        };
        for (i, (stage, _)) in stages.iter().enumerate() {
            if let Ok(kb) = reported.value(&format!("rss_kb.{stage}")) {
                readings[i].push(kb / 1024.0);
            }
        }
        if let Ok(kb) = reported.value("peak_kb") {
            readings[stages.len()].push(kb / 1024.0);
        }
    }
    let names = stages
        .into_iter()
        .map(|(_, name)| name)
        .chain(["C driver peak RSS (VmHWM)".to_owned()]);
    for (name, values) in names.zip(readings) {
        table.rows.push(match Summary::of(&values) {
            Some(s) => Row::new(name).summary(s).notes("median of 3 runs"),
            None => Row::skipped(name, "not reported"),
        });
    }
    table
}

/// The file size in MB, and whether the file still has a symbol table.
fn cdylib(ctx: &Context) -> Result<Row, String> {
    let path = &ctx.artifacts.cdylib;
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // A stripped ELF file has no .symtab section, so its section-name table lacks the name.
    let has_symtab = bytes.windows(8).any(|w| w == b".symtab\0");
    let mb = bytes.len() as f64 / 1e6;
    let mut row = Row::new(CDYLIB)
        .extra("bytes", bytes.len() as f64)
        .notes(format!(
            "{} bytes, {}",
            bytes.len(),
            if has_symtab {
                "NOT stripped (.symtab present)"
            } else {
                "stripped"
            }
        ));
    row.median = Some(mb);
    row.samples = 1;
    Ok(row)
}
