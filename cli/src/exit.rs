//! The exit codes of the command, one enum, listed in `--help`.

use std::process::ExitCode;

use partnercenter::ErrorKind;

/// How the command ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    Settings = 3,
    Authentication = 4,
    Forbidden = 5,
    NotFound = 6,
    Conflict = 7,
    Throttled = 8,
    Service = 9,
    Network = 10,
    BadResponse = 11,
    /// The service refused the request as wrong (400 and other 4xx not listed above): fix the
    /// request, do not retry it.
    BadRequest = 12,
}

impl Exit {
    /// The exit code for a library error kind.
    pub fn of(kind: ErrorKind) -> Exit {
        match kind {
            ErrorKind::InvalidOptions | ErrorKind::InsecureUrl | ErrorKind::InvalidArgument => {
                Exit::Settings
            }
            ErrorKind::Authentication
            | ErrorKind::DeviceCodeDeclined
            | ErrorKind::DeviceCodeExpired
            | ErrorKind::Cancelled => Exit::Authentication,
            ErrorKind::Forbidden => Exit::Forbidden,
            ErrorKind::NotFound => Exit::NotFound,
            ErrorKind::Conflict => Exit::Conflict,
            ErrorKind::Throttled => Exit::Throttled,
            ErrorKind::Service => Exit::Service,
            ErrorKind::BadRequest => Exit::BadRequest,
            ErrorKind::Network | ErrorKind::Tls | ErrorKind::Timeout => Exit::Network,
            ErrorKind::BadResponse | ErrorKind::ResponseTooLarge => Exit::BadResponse,
            _ => Exit::Failure,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}
