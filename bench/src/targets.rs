//! The speed targets, checked against one run's tables.

use serde::Serialize;

use crate::report::Table;
use crate::sections::powershell::{calls as ps_calls, start as ps_start};
use crate::sections::{cold, concurrency, footprint, listing, steady};

/// One target and how this run fared.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The target as the issue states it.
    pub target: String,
    /// What was measured.
    pub measured: String,
    /// Met, missed, or `None` when the section did not run.
    pub met: Option<bool>,
}

impl Verdict {
    fn new(target: &str, measured: Option<(String, bool)>) -> Verdict {
        let (measured, met) = match measured {
            Some((text, met)) => (text, Some(met)),
            None => ("not measured in this run".to_owned(), None),
        };
        Verdict {
            target: target.to_owned(),
            measured,
            met,
        }
    }

    /// `MET`, `MISSED` or `n/a`.
    pub fn label(&self) -> &'static str {
        match self.met {
            Some(true) => "MET",
            Some(false) => "MISSED",
            None => "n/a",
        }
    }
}

fn table<'a>(tables: &'a [Table], section: &str) -> Option<&'a Table> {
    tables.iter().find(|t| t.section == section)
}

fn median(tables: &[Table], section: &str, contender: &str) -> Option<f64> {
    table(tables, section)?.row(contender)?.median
}

fn extra(tables: &[Table], section: &str, contender: &str, key: &str) -> Option<f64> {
    table(tables, section)?
        .row(contender)?
        .extra
        .get(key)
        .copied()
}

/// Every target of the issue, judged on `tables`.
pub fn judge(tables: &[Table], customers: u32) -> Vec<Verdict> {
    let c_abi = median(tables, "steady", steady::C_ABI);
    // The faster of the two raw loops.
    let floor = [steady::REQWEST_MULTI, steady::REQWEST_CURRENT]
        .iter()
        .filter_map(|name| median(tables, "steady", name).map(|m| (*name, m)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let python = median(tables, "steady", steady::PYTHON);
    let cold_c = median(tables, "cold", cold::C_DRIVER);
    let cold_curl = median(tables, "cold", cold::CURL_PAIR);
    let one = extra(
        tables,
        "concurrency",
        &concurrency::row_name(1),
        "throughput",
    );
    let sixteen = extra(
        tables,
        "concurrency",
        &concurrency::row_name(16),
        "throughput",
    );
    let listed_rate = median(tables, "listing", listing::C_ABI);
    let listed_rss = extra(tables, "listing", listing::C_ABI, "peak_rss_mb");
    let size = extra(tables, "footprint", footprint::CDYLIB, "bytes");
    let ps_bare = median(tables, "powershell-start", ps_start::BARE);
    let ps_module = median(tables, "powershell-start", ps_start::MODULE);
    let ps_cmdlet = median(tables, "powershell-calls", ps_calls::CMDLET);
    let ps_irm = median(tables, "powershell-calls", ps_calls::IRM);
    vec![
        Verdict::new(
            "steady-state C ABI call <= 1.15x the raw reqwest loop (median)",
            c_abi.zip(floor).map(|(c, (name, f))| {
                (
                    format!("{:.1} µs vs {:.1} µs ({name}): {:.2}x", c, f, c / f),
                    c <= 1.15 * f,
                )
            }),
        ),
        Verdict::new(
            "steady-state C ABI call >= 5x faster than Python requests (median)",
            c_abi.zip(python).map(|(c, p)| {
                (
                    format!("{:.1} µs vs {:.1} µs: {:.1}x faster", c, p, p / c),
                    p >= 5.0 * c,
                )
            }),
        ),
        Verdict::new(
            "C driver cold start faster than the curl pair (median)",
            cold_c
                .zip(cold_curl)
                .map(|(c, k)| (format!("{c:.2} ms vs {k:.2} ms: {:.2}x", c / k), c < k)),
        ),
        Verdict::new(
            "16 threads >= 1.6x the throughput of 1 thread (one client, C ABI)",
            one.zip(sixteen)
                .map(|(a, b)| (format!("{b:.0}/s vs {a:.0}/s: {:.2}x", b / a), b >= 1.6 * a)),
        ),
        Verdict::new(
            &format!("{customers} customers listed with peak RSS < 30 MB"),
            listed_rss.map(|mb| (format!("{mb:.1} MiB peak"), mb * 1_048_576.0 < 30e6)),
        ),
        Verdict::new(
            &format!("{customers} customers listed at >= 50,000 customers/s"),
            listed_rate.map(|rate| (format!("{rate:.0} customers/s"), rate >= 50_000.0)),
        ),
        Verdict::new(
            "stripped cdylib <= 5 MB",
            size.map(|bytes| {
                (
                    format!("{:.2} MB ({bytes:.0} bytes)", bytes / 1e6),
                    bytes <= 5e6,
                )
            }),
        ),
        Verdict::new(
            "pwsh Import-Module + sign-in + first link <= 1.3x a bare pwsh start (median)",
            ps_module.zip(ps_bare).map(|(m, b)| {
                (
                    format!("{m:.0} ms vs {b:.0} ms: {:.2}x", m / b),
                    m <= 1.3 * b,
                )
            }),
        ),
        Verdict::new(
            "New-PCRelationshipRequest >= 5x faster than Invoke-RestMethod, one pwsh (median)",
            ps_cmdlet.zip(ps_irm).map(|(c, i)| {
                (
                    format!("{c:.1} µs vs {i:.1} µs: {:.2}x faster", i / c),
                    i >= 5.0 * c,
                )
            }),
        ),
    ]
}
