//! Listing: every seeded customer paged through the C ABI, customers per second and the
//! driver's peak resident memory; a raw reqwest pager gives the floor on the same emulator.

use super::Context;
use crate::fixture::Fixture;
use crate::rawhttp;
use crate::report::{Better, Row, Table};
use crate::runtime::block_on;
use crate::stats::Summary;

/// The largest page Partner Center serves.
const PAGE_SIZE: u32 = partnercenter::customers::MAX_PAGE_SIZE;

/// Row names, also used by the target checks.
pub const C_ABI: &str = "C ABI pc_customer_pages_next";
/// The floor.
pub const RAW: &str = "raw reqwest pager (floor)";

/// Seeds a second emulator with `--customers` customers and pages through them.
pub fn run(ctx: &Context) -> Table {
    let customers = ctx.args.customers;
    let runs = ctx.args.listing_runs;
    let mut table = Table::new(
        "listing",
        format!("Listing: {customers} seeded customers, {PAGE_SIZE} per page, {runs} runs"),
        "customers per second",
        "median throughput (higher is better)",
        Better::Higher,
    )
    .column("peak_rss_mb", "peak RSS MB")
    .column("pages", "pages");
    let fixture = match ctx.seeded(customers) {
        Ok(fixture) => fixture,
        Err(why) => {
            table.rows.push(Row::skipped(C_ABI, why));
            return table;
        }
    };
    table
        .rows
        .push(c_abi(ctx, &fixture, runs).unwrap_or_else(|why| Row::skipped(C_ABI, why)));
    table
        .rows
        .push(raw(&fixture, runs, customers).unwrap_or_else(|why| Row::skipped(RAW, why)));
    table.note = format!(
        "Peak RSS is the driver process's VmHWM, sign-in and runtime included. \
         The emulator serialises every page; it runs {}.",
        ctx.args.emulator.describe()
    );
    table
}

fn c_abi(ctx: &Context, fixture: &Fixture, runs: u32) -> Result<Row, String> {
    let expected = f64::from(ctx.args.customers);
    let (mut rates, mut peak_kb, mut pages) = (Vec::new(), 0.0f64, 0.0);
    for run in 0..runs {
        eprintln!("bench: listing C ABI run {}/{runs}", run + 1);
        let (_, reported) = ctx.driver(fixture, &["listing".into(), PAGE_SIZE.to_string()])?;
        let listed = reported.value("customers")?;
        if listed != expected {
            return Err(format!("listed {listed} customers, expected {expected}"));
        }
        rates.push(listed / (reported.value("wall_ns")? * 1e-9));
        peak_kb = peak_kb.max(reported.value("peak_kb")?);
        pages = reported.value("pages")?;
    }
    let summary = Summary::of(&rates).ok_or("no runs")?;
    Ok(Row::new(C_ABI)
        .summary(summary)
        .extra("peak_rss_mb", peak_kb / 1024.0)
        .extra("pages", pages)
        .notes("pages as JSON strings, objects counted in C"))
}

fn raw(fixture: &Fixture, runs: u32, expected: u32) -> Result<Row, String> {
    let mut rates = Vec::new();
    let mut pages = 0;
    for run in 0..runs {
        eprintln!("bench: listing raw reqwest run {}/{runs}", run + 1);
        let (listed, wall, page_count) = block_on(true, async {
            let http = rawhttp::client()?;
            let bearer = format!("Bearer {}", rawhttp::token(&http, fixture).await?);
            let start = std::time::Instant::now();
            let (listed, page_count) =
                rawhttp::list_customers(&http, fixture, &bearer, PAGE_SIZE).await?;
            Ok((listed, start.elapsed(), page_count))
        })?;
        if listed != u64::from(expected) {
            return Err(format!("listed {listed} customers, expected {expected}"));
        }
        rates.push(listed as f64 / wall.as_secs_f64());
        pages = page_count;
    }
    let summary = Summary::of(&rates).ok_or("no runs")?;
    Ok(Row::new(RAW)
        .summary(summary)
        .extra("pages", pages as f64)
        .notes("in the harness, pages parsed to serde_json::Value"))
}
