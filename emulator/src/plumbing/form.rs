//! Form-encoded request bodies (token requests, the device sign-in page).

use std::collections::HashMap;

/// A form body as key/value pairs (a repeated key keeps its last value).
pub type Form = HashMap<String, String>;

/// Parses a form-encoded body.
pub fn parse_form(body: &[u8]) -> Form {
    form_urlencoded::parse(body).into_owned().collect()
}
