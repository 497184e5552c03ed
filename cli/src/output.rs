//! Writing results: one line at a time, JSON when asked, a closed pipe ends quietly.

use std::io::Write;

use serde::Serialize;

use crate::exit::Exit;
use crate::failure::Failure;

/// Writes a line to stdout; a closed pipe (`| head`) ends the command quietly with success.
pub fn print_line(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure {
            message: String::new(),
            exit: Exit::Ok,
            quiet: true,
        }),
        Err(e) => Err(Failure::new(
            Exit::Failure,
            format!("cannot write to stdout: {e}"),
        )),
    }
}

/// Text-mode form of data that came from the service (customer-controlled): control characters
/// (tab, CR, LF, ESC, DEL, C1), the bidirectional overrides and the backslash itself are written
/// as escapes (`\t`, `\n`, `\r`, `\\`, `\u{1b}`), so a value can neither forge a TSV column or row
/// nor send escape sequences to a terminal. `--json` output is not passed through this.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Pretty JSON of a result.
pub fn pretty<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot encode the result: {e}")))
}

/// One-line JSON of a result (JSON Lines).
pub fn line<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value)
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot encode the result: {e}")))
}

#[cfg(test)]
mod tests {
    use super::escape_text;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_text("plain Co. é"), "plain Co. é");
        assert_eq!(
            escape_text("a\tb\nc\rd\u{1b}[2Je\\f\u{7f}\u{202e}"),
            "a\\tb\\nc\\rd\\u{1b}[2Je\\\\f\\u{7f}\\u{202e}"
        );
    }
}
