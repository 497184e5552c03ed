//! The log of received requests: bounded, secrets redacted, form bodies never kept (filled by
//! the recording middleware, `middleware/record.rs`).

use std::collections::VecDeque;

use serde::Serialize;

/// How many requests the log keeps (the oldest are dropped first).
pub const LOG_CAPACITY: usize = 10_000;

/// One request the emulator received (admin paths are not recorded).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Headers in arrival order; the `Authorization` value is replaced by `Bearer [REDACTED]`.
    pub headers: Vec<(String, String)>,
    /// For token requests, the `grant_type` only (form bodies hold secrets and are never kept).
    pub grant_type: Option<String>,
}

/// A ring buffer of the last [`LOG_CAPACITY`] requests.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<RecordedRequest>,
}

impl RequestLog {
    /// Appends `request`, dropping the oldest entry when full.
    pub fn push(&mut self, request: RecordedRequest) {
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(request);
    }

    /// A copy of the entries, oldest first.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Whether `path` is one of the reserved admin paths.
pub fn is_admin_path(path: &str) -> bool {
    path == "/_emulator" || path.starts_with("/_emulator/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: path.into(),
            query: None,
            headers: Vec::new(),
            grant_type: None,
        }
    }

    #[test]
    fn the_log_is_bounded() {
        let mut log = RequestLog::default();
        for i in 0..LOG_CAPACITY + 5 {
            log.push(entry(&format!("/{i}")));
        }
        let snapshot = log.snapshot();
        assert_eq!(snapshot.len(), LOG_CAPACITY);
        assert_eq!(snapshot[0].path, "/5");
    }

    #[test]
    fn admin_paths_are_recognised() {
        assert!(is_admin_path("/_emulator/faults"));
        assert!(!is_admin_path("/_emulatorx"));
        assert!(!is_admin_path("/v1/customers"));
    }
}
