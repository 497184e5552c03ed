//! A command's failure, shared by every command module. Imports only `exit`.

use crate::exit::Exit;

/// A command's failure: what to say and how to exit.
pub struct Failure {
    /// What to print after `partnercenter: error: `.
    pub message: String,
    /// How the command ends.
    pub exit: Exit,
    /// End without a message (a closed stdout pipe is not an error to report).
    pub quiet: bool,
}

impl Failure {
    /// A failure with a message and an exit code.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            exit,
            quiet: false,
        }
    }
}

impl From<partnercenter::Error> for Failure {
    fn from(e: partnercenter::Error) -> Self {
        Failure {
            exit: Exit::of(e.kind()),
            message: e.to_string(),
            quiet: false,
        }
    }
}
