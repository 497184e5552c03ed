//! Hand-parsed JSON arguments (client options, operation queries): every error names the key and
//! the document, and never echoes a value, so a mistyped secret cannot end up in a log.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

/// A JSON object whose keys were checked against the known ones.
pub(crate) struct JsonArgs<'a> {
    map: Map<String, Value>,
    kind: ErrorKind,
    what: &'a str,
}

impl<'a> JsonArgs<'a> {
    /// Parses `json` (a leading BOM allowed) as an object holding only `keys`. Errors are of
    /// `kind` and call the document `what` ("options", "listing query", …).
    pub fn parse(json: &str, kind: ErrorKind, what: &'a str, keys: &[&str]) -> Result<Self> {
        let invalid = |message: String| Error::new(kind, message);
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        // serde_json's syntax messages quote no input, only its position.
        let value: Value = serde_json::from_str(json).map_err(|e| {
            invalid(format!(
                "the {what} are not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let Value::Object(map) = value else {
            return Err(invalid(format!("the {what} must be a JSON object")));
        };
        if let Some(k) = map.keys().find(|k| !keys.contains(&k.as_str())) {
            // A key is the caller's text too: keep it short and printable.
            let shown: String = k.chars().filter(|c| !c.is_control()).take(40).collect();
            return Err(invalid(format!(
                "unknown key '{shown}' in the {what} (known keys: {})",
                keys.join(", ")
            )));
        }
        Ok(JsonArgs { map, kind, what })
    }

    /// An error of this document's kind.
    pub fn invalid(&self, message: impl Into<String>) -> Error {
        Error::new(self.kind, message)
    }

    /// A string that is not blank, as given; `None` when absent or null.
    pub fn text(&self, key: &str) -> Result<Option<String>> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
            Some(Value::String(_)) => {
                Err(self.invalid(format!("'{key}' in the {} must not be empty", self.what)))
            }
            Some(_) => Err(self.invalid(format!("'{key}' in the {} must be a string", self.what))),
        }
    }

    /// A whole number from `min` to `max`; `None` when absent or null.
    pub fn number(&self, key: &str, min: u64, max: u64) -> Result<Option<u64>> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(v) if (min..=max).contains(&v) => Ok(Some(v)),
                _ => Err(self.invalid(format!(
                    "'{key}' in the {} must be a whole number from {min} to {max}",
                    self.what
                ))),
            },
            Some(_) => Err(self.invalid(format!("'{key}' in the {} must be a number", self.what))),
        }
    }

    /// Milliseconds, at most a day (far past any sensible deadline; keeps `Instant` math safe).
    pub fn millis(&self, key: &str) -> Result<Option<Duration>> {
        Ok(self.number(key, 0, 86_400_000)?.map(Duration::from_millis))
    }
}
