//! PowerShell: the PartnerCenterNative module in real `pwsh` against what a PowerShell user
//! would write instead (Invoke-RestMethod with the same headers), on the same emulator, in
//! three tables: a fresh pwsh importing, signing in and getting the link; calls in one pwsh
//! process; every seeded customer listed. pwsh or the module missing: every row is skipped,
//! saying why (so `--require-all` fails). This module calls its parts; the parts import
//! `common` and the lower floors, never this module.

pub mod calls;
mod common;
pub mod listing;
pub mod start;

use super::Context;
use crate::pwsh::PowerShell;
use crate::report::Table;

/// Finds pwsh, stages the module once, and runs the three parts.
pub fn run(ctx: &Context) -> Vec<Table> {
    eprintln!("bench: powershell: finding pwsh, staging the module");
    let prepared = PowerShell::prepare(ctx);
    if let Err(why) = &prepared {
        eprintln!("bench: powershell: not run: {why}");
    }
    let ps = prepared.as_ref().map_err(String::as_str);
    vec![
        start::run(ctx, ps),
        calls::run(ctx, ps),
        listing::run(ctx, ps),
    ]
}
