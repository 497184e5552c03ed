//! Entry points for the fuzz targets (cargo feature `fuzzing`, never in release builds): every
//! parser that reads what the network or a caller sends, run without any network. Each returns
//! nothing: the fuzzer looks for panics, hangs and memory errors, and a few invariants are
//! asserted (a parsed model serializes back to what it read).

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::auth::entra;
use crate::billing::BillingProfile;
use crate::config::ClientOptions;
use crate::customers::{Customer, parse_page_summary};
use crate::http::Response;
use crate::{queries, relationship};

fn response(status: u16, retry_after: Option<&[u8]>, body: &[u8]) -> Response {
    let mut headers = HeaderMap::new();
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_bytes(v).ok()) {
        headers.insert("retry-after", value);
    }
    Response {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        headers,
        body: body.to_vec(),
        request_id: "00000000-0000-0000-0000-000000000000".into(),
        correlation_id: "00000000-0000-0000-0000-000000000000".into(),
    }
}

/// The options JSON of `pc_client_new`, then validation.
pub fn options(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(options) = ClientOptions::from_json(text) {
            let _ = options.validate();
            let _ = options.validate_for_device_code();
        }
    }
}

/// A Partner Center answer of any status: errors of both shapes, Retry-After, the link.
pub fn service_answer(status: u16, retry_after: &[u8], body: &[u8]) {
    let answer = response(status, Some(retry_after), body);
    let error = crate::service_error::api(&answer, "fuzz", crate::service_error::Refusal::Plain);
    assert!(!error.message().is_empty());
    let _ = relationship::parse_answer(&answer);
}

/// A token-endpoint answer: grants and Entra ID errors.
pub fn token_answer(status: u16, body: &[u8]) {
    let answer = response(status, None, body);
    let _ = entra::grant_from(&answer);
    let _ = entra::entra_error(&answer);
}

/// A page of customers and its next link, against a base URL with and without a path.
pub fn customer_page(body: &[u8]) {
    for base in [
        "https://api.partnercenter.microsoft.com",
        "http://127.0.0.1:8080/proxy/pc",
    ] {
        let base = url::Url::parse(base).expect("static URL");
        if let Ok((_, Some(path))) = parse_page_summary(body, &base) {
            assert!(
                path.starts_with('/'),
                "a next request always stays below the base: {path}"
            );
        }
    }
}

/// Models keep what they read: a customer or billing profile serializes back to the same JSON.
pub fn models(body: &[u8]) {
    let Ok(original) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    if let Ok(customer) = serde_json::from_value::<Customer>(original.clone()) {
        let again = serde_json::to_value(&customer).expect("serializes");
        let reparsed: Customer = serde_json::from_value(again).expect("reparses");
        assert_eq!(customer, reparsed);
    }
    if let Ok(profile) = serde_json::from_value::<BillingProfile>(original) {
        let again = serde_json::to_value(&profile).expect("serializes");
        let reparsed: BillingProfile = serde_json::from_value(again).expect("reparses");
        assert_eq!(profile, reparsed);
    }
}

/// The query JSON of the listing and wait entry points.
pub fn query(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = queries::customer_listing(Some(text));
        let _ = queries::customer_wait(text);
    }
}

/// The C entry points that take strings: `data` (NUL-terminated at its first NUL) as options,
/// customer id and query. No network: the client points at a closed loopback port and the calls
/// that would send are not made.
pub fn ffi_strings(data: &[u8]) {
    use std::ffi::{CString, c_char};
    let text = CString::new(data.split(|b| *b == 0).next().unwrap_or_default()).expect("no NUL");
    let free = |s: *mut c_char| {
        // SAFETY: strings returned by the library, freed once.
        unsafe { crate::ffi::pc_string_free(s) }
    };
    // SAFETY: valid NUL-terminated strings and out-params.
    unsafe {
        let mut client = std::ptr::null_mut();
        if crate::ffi::pc_client_new(text.as_ptr(), &mut client) == 0 {
            crate::ffi::pc_client_free(client);
        }
        free(crate::ffi::pc_last_error_message());
        free(crate::ffi::pc_last_error_json());
        let options =
            c"{\"base_url\":\"http://127.0.0.1:9\",\"access_token\":\"t\",\"max_retries\":0}";
        let mut client = std::ptr::null_mut();
        assert_eq!(crate::ffi::pc_client_new(options.as_ptr(), &mut client), 0);
        let mut pages = std::ptr::null_mut();
        if crate::ffi::pc_customer_pages_new(client, text.as_ptr(), &mut pages) == 0 {
            crate::ffi::pc_customer_pages_free(pages);
        }
        let mut out = std::ptr::null_mut();
        // Fails before any request: no ETag in whatever the fuzzer sent, or not a profile.
        if !data.windows(4).any(|w| w.eq_ignore_ascii_case(b"etag")) {
            crate::ffi::pc_update_billing_profile(client, c"id".as_ptr(), text.as_ptr(), &mut out);
            free(out);
        }
        crate::ffi::pc_client_free(client);
    }
}

/// A `links.next` URI (and a continuation header) resolved against a base URL with and without
/// a path. Whatever the link says, an accepted one stays below `{base}/v1/` once the request
/// URL is built and parsed (the parser's own dot-segment removal included), is a GET path, and
/// carries only continuation headers.
pub fn next_link(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // "uri\nheader-name\nheader-value": the header part is optional.
    let mut parts = text.splitn(3, '\n');
    let uri = parts.next().unwrap_or_default();
    let mut link = crate::models::Link {
        uri: uri.to_owned(),
        ..Default::default()
    };
    if let (Some(key), Some(value)) = (parts.next(), parts.next()) {
        link.headers.push(crate::models::LinkHeader {
            key: key.to_owned(),
            value: value.to_owned(),
        });
    }
    for base in [
        "https://api.partnercenter.microsoft.com",
        "https://api.partnercenter.microsoft.com/",
        "http://127.0.0.1:8080/proxy/pc",
        "http://[::1]:8080/a/b/",
    ] {
        let base = url::Url::parse(base).expect("static URL");
        let Ok(next) = crate::paging::resolve(&base, &link) else {
            continue;
        };
        assert!(next.path.starts_with("/v1/"), "{:?}", next.path);
        let prefix = format!("{}/v1/", base.path().trim_end_matches('/'));
        // As the client joins it (src/client.rs `join`): set the path, then the query.
        let (path, query) = match next.path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (next.path.as_str(), None),
        };
        let mut built = base.clone();
        built.set_path(&format!("{}{path}", base.path().trim_end_matches('/')));
        built.set_query(query);
        // Parsed again as text, as a proxy or the server would.
        let parsed = url::Url::parse(built.as_str()).expect("a built URL parses");
        assert_eq!(parsed.origin(), base.origin(), "{built}");
        assert!(
            parsed.path().starts_with(&prefix),
            "{built} escapes {prefix}: {}",
            parsed.path()
        );
        for (name, _) in &next.headers {
            assert!(crate::paging::CONTINUATION_HEADERS.contains(&name.as_str()));
        }
    }
}

/// Service-error mapping (`src/service_error.rs`): one answer of any status and body read as a
/// Partner Center error, an Entra ID error and an unreadable token answer, then redacted of a
/// secret the body may echo. Every service-supplied field stays bounded, and no secret is left
/// in the message or any field after redaction.
pub fn service_error(status: u16, secret: &str, body: &[u8]) {
    use crate::service_error::{self as map, MAX_FIELD_CHARS, MAX_TEXT_CHARS};
    let answer = response(status, None, body);
    let mut errors = vec![
        map::api(&answer, "fuzz", map::Refusal::Plain),
        map::api(&answer, "fuzz", map::Refusal::AfterRenewal),
        map::api(&answer, "fuzz", map::Refusal::GivenToken),
        map::unreadable_token_answer(&answer),
        map::unreadable(
            &answer,
            "fuzz",
            &serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err(),
        ),
    ];
    if let Some(e) = map::entra(&answer) {
        errors.push(e.error);
    }
    // "[redacted]" itself, or a secret sharing its brackets, could make a new match.
    let checked = secret.len() >= 4
        && !secret.contains(['[', ']'])
        && !crate::service_text::REDACTED.contains(secret);
    for error in errors {
        assert!(!error.message().is_empty());
        let error = error.redact(&[secret]);
        let chars = |s: &str| s.chars().count();
        let ids = [error.request_id(), error.correlation_id()];
        for field in error
            .service_codes()
            .iter()
            .map(String::as_str)
            .chain(ids.into_iter().flatten())
        {
            // A redaction may lengthen a field by "[redacted]" per hit, never past the bound's share.
            assert!(chars(field) <= MAX_FIELD_CHARS * 11, "{field:?}");
        }
        assert!(error.service_codes().len() <= 9);
        assert!(error.details().len() <= 8);
        for d in error.details() {
            assert!(chars(d) <= MAX_TEXT_CHARS * 11);
        }
        if checked {
            assert!(!error.message().contains(secret), "{:?}", error.message());
            for field in error
                .service_codes()
                .iter()
                .chain(error.details())
                .map(String::as_str)
                .chain(ids.into_iter().flatten())
            {
                assert!(!field.contains(secret), "{field:?}");
            }
        }
    }
}
