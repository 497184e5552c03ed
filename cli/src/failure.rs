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
        let mut message = e.to_string();
        if matches!(
            e.kind(),
            partnercenter::ErrorKind::InvalidOptions | partnercenter::ErrorKind::InsecureUrl
        ) {
            message.push_str(&variables_named(&message));
        }
        Failure {
            exit: Exit::of(e.kind()),
            message,
            quiet: false,
        }
    }
}

/// The library's option names and the variables that set them here.
const OPTION_VARIABLES: [(&str, &str); 3] = [
    ("base_url", "PARTNERCENTER_BASE_URL"),
    ("authority", "PARTNERCENTER_AUTHORITY"),
    ("graph_base_url", "PARTNERCENTER_GRAPH_BASE_URL"),
];

/// " (here: PARTNERCENTER_…)" for the options a library message names as whole words, so that
/// it says what to change in this command's terms; empty when it names none.
fn variables_named(message: &str) -> String {
    let words: Vec<&str> = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    let named: Vec<&str> = OPTION_VARIABLES
        .iter()
        .filter(|(option, _)| words.contains(option))
        .map(|(_, variable)| *variable)
        .collect();
    if named.is_empty() {
        String::new()
    } else {
        format!(" (here: {})", named.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::variables_named;

    #[test]
    fn names_the_variables_of_whole_option_names_only() {
        assert_eq!(
            variables_named("set the option graph_base_url (at http://x/v1.0)"),
            " (here: PARTNERCENTER_GRAPH_BASE_URL)"
        );
        assert_eq!(
            variables_named("option 'base_url' uses plain http://"),
            " (here: PARTNERCENTER_BASE_URL)"
        );
        assert_eq!(variables_named("no option here: base_urls"), "");
    }
}
