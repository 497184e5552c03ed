//! Writing results: one line at a time, JSON when asked, a closed pipe ends quietly.

use std::io::Write;

use serde::Serialize;

use crate::Failure;
use crate::exit::Exit;

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
