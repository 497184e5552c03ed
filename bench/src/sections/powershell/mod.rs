//! PowerShell: the PartnerCenterNative module in real `pwsh` against what a PowerShell user
//! would write instead (Invoke-RestMethod with the same headers), on the same emulator, in
//! three tables: a fresh pwsh importing, signing in and getting the link; calls in one pwsh
//! process; every seeded customer listed. pwsh or the module missing: every row is skipped,
//! saying why (so `--require-all` fails).

pub mod calls;
pub mod listing;
pub mod start;

use super::Context;
use crate::pwsh::PowerShell;
use crate::report::{Row, Table};

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

/// The prepared pwsh, or `None` after every row of `table` has been skipped saying why.
fn ready<'a>(
    table: &mut Table,
    names: &[&str],
    ps: Result<&'a PowerShell, &str>,
) -> Option<&'a PowerShell> {
    ps.inspect_err(|why| skip_all(table, names, why)).ok()
}

/// The rows of a part that could not run, each saying why.
fn skip_all(table: &mut Table, names: &[&str], why: &str) {
    for name in names {
        table
            .rows
            .push(Row::skipped(*name, format!("not run: {why}")));
    }
}

/// `text` as a single-quoted PowerShell string.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_doubled() {
        assert_eq!(quote("it's"), "'it''s'");
    }
}
