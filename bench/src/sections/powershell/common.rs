//! What the three PowerShell parts share: skipping a part's rows, PowerShell quoting. Imports
//! the harness's lower floors only (pwsh, report), never a part or the section.

use crate::pwsh::PowerShell;
use crate::report::{Row, Table};

/// The prepared pwsh, or `None` after every row of `table` has been skipped saying why.
pub fn ready<'a>(
    table: &mut Table,
    names: &[&str],
    ps: Result<&'a PowerShell, &str>,
) -> Option<&'a PowerShell> {
    ps.inspect_err(|why| skip_all(table, names, why)).ok()
}

/// The rows of a part that could not run, each saying why.
pub fn skip_all(table: &mut Table, names: &[&str], why: &str) {
    for name in names {
        table
            .rows
            .push(Row::skipped(*name, format!("not run: {why}")));
    }
}

/// `text` as a single-quoted PowerShell string.
pub fn quote(text: &str) -> String {
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
