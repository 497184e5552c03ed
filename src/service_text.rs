//! Text that came from a service, made safe to keep: bounded, without control characters, and
//! without the client's own secrets. The ground floor: imports nothing of the crate.

/// Longest description or `data[]` entry kept from a service answer, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest code, request id or correlation id kept from a service answer, in characters.
pub const MAX_FIELD_CHARS: usize = 128;
/// What replaces a secret the service echoed.
pub const REDACTED: &str = "[redacted]";

/// `text` with control characters replaced by spaces and at most `max` characters, an ellipsis
/// marking a cut.
pub fn bound(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// `text` with every secret in `secrets` (as sent, form-encoded and percent-encoded) replaced by
/// [`REDACTED`]. A text cut by [`bound`] right inside a secret loses that secret's prefix too.
/// Secrets shorter than 4 characters are not searched for (they would match ordinary text).
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let percent = form.replace('+', "%20");
        for form in [*secret, form.as_str(), percent.as_str()] {
            if out.contains(form) {
                out = out.replace(form, REDACTED);
            }
        }
        // A cut at the bound: the text ends with "<prefix of a secret>…".
        if let Some(body) = out.strip_suffix('…') {
            let cut = (4..secret.len())
                .rev()
                .filter(|n| secret.is_char_boundary(*n))
                .find(|n| body.ends_with(&secret[..*n]));
            if let Some(n) = cut {
                out = format!("{}{REDACTED}…", &body[..body.len() - n]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_removes_raw_encoded_and_cut_secrets() {
        let s = "rt/abc+def==xyz";
        assert_eq!(redact(&format!("a {s} b"), &[s]), "a [redacted] b");
        let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
        assert_eq!(redact(&format!("x={form}"), &[s]), "x=[redacted]");
        assert_eq!(redact("x=rt/abc+d…", &[s]), "x=[redacted]…");
        assert_eq!(bound("ab\ncd", 3), "ab …");
    }
}
