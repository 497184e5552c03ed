//! What the service said about a failure, kept and cleaned (issue 12, items 8, 11-14 and the
//! token parts of 19): the client's own secrets never come back in an error, every
//! service-supplied field is bounded, a final 401 keeps the service's description and code,
//! an unreadable answer keeps every id, ApiFault `data[]` and every Entra ID code are kept,
//! expired refresh tokens and missing MFA say what to do, and token answers that cannot be sent
//! or handed out are bad responses. Each test talks to a tiny loopback server that answers the
//! token endpoint and the API with canned bytes, or to the emulator.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

use partnercenter::blocking::Client;
use partnercenter::{ClientOptions, Error, ErrorKind};

const REFRESH_TOKEN: &str = "0.AAAA-refresh/token+with=special";
const CLIENT_SECRET: &str = "cs~client-secret/value+1=";
const ACCESS_TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.access-token-value";
const CUSTOMER: &str = "c0000000-0000-4000-8000-000000000001";

fn form(s: &str) -> String {
    url_encode(s)
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A raw HTTP/1.1 answer, closing the connection.
fn answer(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A loopback server answering `answers` connections: the token endpoint (a path with
/// `/oauth2/`) with `token`, anything else with `api`.
fn routed(token: Vec<u8>, api: Vec<u8>, answers: usize) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for _ in 0..answers {
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            let mut head = String::new();
            while seen.len() < 64 * 1024 {
                let Ok(n) = conn.read(&mut buf) else { break };
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                    head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let first = head.lines().next().unwrap_or("");
            let raw = if first.contains("/oauth2/") {
                &token
            } else {
                &api
            };
            let _ = conn.write_all(raw);
            let _ = conn.flush();
        }
    });
    (base, handle)
}

fn options(json: &str) -> ClientOptions {
    ClientOptions::from_json(json).expect("options parse")
}

fn app_user(base: &str) -> Client {
    Client::new(options(&format!(
        r#"{{"base_url":"{base}","authority":"{base}","tenant":"contoso.onmicrosoft.com","client_id":"00000000-0000-0000-0000-0000000000c1","refresh_token":"{REFRESH_TOKEN}","client_secret":"{CLIENT_SECRET}","max_retries":0,"timeout_ms":10000}}"#
    )))
    .expect("client")
}

fn with_token(base: &str) -> Client {
    Client::new(options(&format!(
        r#"{{"base_url":"{base}","access_token":"{ACCESS_TOKEN}","max_retries":0,"timeout_ms":10000}}"#
    )))
    .expect("client")
}

/// Every text of `e` a caller, a log or the C ABI may show.
fn texts(e: &Error) -> Vec<String> {
    let mut all = vec![e.message().to_owned()];
    all.extend(e.service_codes().iter().cloned());
    all.extend(e.details().iter().cloned());
    all.extend(e.request_id().map(str::to_owned));
    all.extend(e.correlation_id().map(str::to_owned));
    all.push(format!("{e:?}"));
    all
}

fn assert_clean(e: &Error, secrets: &[&str]) {
    for text in texts(e) {
        for secret in secrets {
            for form in [secret.to_string(), form(secret)] {
                assert!(!text.contains(&form), "a secret in {text:?}");
            }
        }
    }
}

fn token_grant() -> Vec<u8> {
    answer(
        "200 OK",
        "",
        r#"{"token_type":"Bearer","access_token":"granted-access-token","expires_in":3600}"#,
    )
}

#[test]
fn a_token_endpoint_echoing_the_form_gives_back_no_secret() {
    let echoed = format!(
        "grant_type=refresh_token&refresh_token={}&client_secret={}",
        form(REFRESH_TOKEN),
        form(CLIENT_SECRET)
    );
    let body = serde_json::json!({
        "error": "invalid_request",
        "error_description": format!("AADSTS900144: bad form {echoed} raw {REFRESH_TOKEN} {CLIENT_SECRET}"),
        "error_codes": [900144],
        "trace_id": REFRESH_TOKEN,
        "correlation_id": CLIENT_SECRET,
    })
    .to_string();
    let (base, server) = routed(answer("400 Bad Request", "", &body), Vec::new(), 1);
    let e = app_user(&base).sign_in().expect_err("refused");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(e.message().contains("[redacted]"), "{e}");
    assert_clean(&e, &[REFRESH_TOKEN, CLIENT_SECRET]);
    server.join().unwrap();
}

#[test]
fn an_api_echoing_authorization_gives_back_no_access_token() {
    let body = serde_json::json!({
        "code": format!("Bearer {ACCESS_TOKEN}"),
        "description": format!("you sent Authorization: Bearer {ACCESS_TOKEN}"),
        "data": [format!("header was Bearer {ACCESS_TOKEN}")],
    })
    .to_string();
    let headers =
        format!("MS-RequestId: {ACCESS_TOKEN}\r\nMS-CorrelationId: Bearer {ACCESS_TOKEN}\r\n");
    let (base, server) = routed(Vec::new(), answer("400 Bad Request", &headers, &body), 1);
    let e = with_token(&base)
        .get_customer(CUSTOMER)
        .expect_err("refused");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    assert_clean(&e, &[ACCESS_TOKEN]);
    server.join().unwrap();
}

#[test]
fn service_supplied_fields_are_bounded() {
    let long = "x".repeat(100_000);
    let body = serde_json::json!({
        "code": long,
        "description": long,
        "data": vec![long.clone(); 100],
    })
    .to_string();
    let headers = format!("MS-RequestId: {long}\r\nMS-CorrelationId: {long}\r\n");
    let (base, server) = routed(Vec::new(), answer("400 Bad Request", &headers, &body), 1);
    let e = with_token(&base)
        .get_customer(CUSTOMER)
        .expect_err("refused");
    eprintln!("message {} chars", e.message().chars().count());
    assert!(
        e.message().chars().count() < 16_000,
        "{}",
        e.message().len()
    );
    for field in [e.request_id(), e.correlation_id(), e.service_code()] {
        let field = field.expect("kept, bounded");
        assert!(field.chars().count() <= 129, "{}", field.len());
    }
    assert!(e.details().len() <= 8);
    assert!(e.details().iter().all(|d| d.chars().count() <= 1001));
    server.join().unwrap();
}

#[test]
fn a_final_401_keeps_the_service_description_and_code() {
    let body = r#"{"code":800001,"description":"Partner Token missing in request context","data":[],"source":"PartnerFD"}"#;
    // token, API 401, token, API 401.
    let (base, server) = routed(token_grant(), answer("401 Unauthorized", "", body), 4);
    let e = app_user(&base).get_customer(CUSTOMER).expect_err("refused");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(e.service_code(), Some("800001"));
    assert!(e.message().contains("even after a fresh sign-in"), "{e}");
    assert!(
        e.message()
            .contains("Partner Token missing in request context"),
        "{e}"
    );
    assert!(e.message().contains("800001"), "{e}");
    server.join().unwrap();
}

#[test]
fn a_given_access_tokens_401_keeps_the_service_description_and_code() {
    let body = r#"{"code":800001,"description":"Partner Token missing in request context","data":[],"source":"PartnerFD"}"#;
    // No token request: the given token is refused once, and that is final.
    let (base, server) = routed(Vec::new(), answer("401 Unauthorized", "", body), 1);
    let e = with_token(&base)
        .get_customer(CUSTOMER)
        .expect_err("refused");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(e.service_code(), Some("800001"));
    assert!(e.message().contains("the given access token"), "{e}");
    assert!(
        e.message()
            .contains("Partner Token missing in request context"),
        "{e}"
    );
    assert!(e.request_id().is_some(), "{e}");
    server.join().unwrap();
}

#[test]
fn an_unreadable_answer_keeps_every_id() {
    let headers = "MS-RequestId: rid-from-service\r\nMS-CorrelationId: cid-from-service\r\n";
    let check = |name: &str, e: Error| {
        eprintln!("{name}: {e}");
        assert_eq!(e.kind(), ErrorKind::BadResponse, "{name}");
        assert_eq!(e.http_status(), Some(200), "{name}");
        assert_eq!(e.request_id(), Some("rid-from-service"), "{name}");
        assert_eq!(e.correlation_id(), Some("cid-from-service"), "{name}");
    };
    let (base, server) = routed(Vec::new(), answer("200 OK", headers, "{not json"), 3);
    let client = with_token(&base);
    check(
        "customer get",
        client.get_customer(CUSTOMER).expect_err("bad"),
    );
    check(
        "billing profile get",
        client.get_billing_profile(CUSTOMER).expect_err("bad"),
    );
    let mut pages = client
        .customer_pages(partnercenter::CustomerFilter::All, 10)
        .expect("a listing");
    check("customer list", pages.next_page().expect_err("bad"));
    server.join().unwrap();
}

#[test]
fn api_fault_data_is_kept() {
    let body = r#"{"code":600058,"description":"The request could not be completed.","data":["LicenseQuotaExceededException: The tenant has no available licenses left"],"source":"PartnerFD"}"#;
    let (base, server) = routed(Vec::new(), answer("400 Bad Request", "", body), 1);
    let e = with_token(&base)
        .get_customer(CUSTOMER)
        .expect_err("refused");
    eprintln!("{e}");
    assert!(e.message().contains("LicenseQuotaExceededException"), "{e}");
    assert_eq!(
        e.details(),
        ["LicenseQuotaExceededException: The tenant has no available licenses left"]
    );
    server.join().unwrap();
}

#[test]
fn every_entra_code_is_kept_and_an_expired_refresh_token_says_what_to_do() {
    let body = r#"{"error":"invalid_grant","error_description":"AADSTS70002: Error validating credentials. AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\r\nTrace ID: t\r\nCorrelation ID: c","error_codes":[70002,70008],"trace_id":"t-1","correlation_id":"c-1"}"#;
    let (base, server) = routed(answer("400 Bad Request", "", body), Vec::new(), 1);
    let e = app_user(&base).sign_in().expect_err("refused");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.service_code(), Some("AADSTS70002"));
    assert_eq!(e.service_codes(), ["AADSTS70002", "AADSTS70008"]);
    assert!(
        e.message()
            .contains("refresh token has expired or was revoked"),
        "{e}"
    );
    assert!(e.message().contains("device code"), "{e}");
    assert_eq!(e.request_id(), Some("t-1"));
    server.join().unwrap();
}

#[test]
fn missing_mfa_says_so_against_the_emulator() {
    let emu = partnercenter_emulator::Emulator::start();
    let client = common::app_user_client(&emu, "");
    client.sign_in().expect("signed in");
    emu.require_mfa(true);
    let e = client
        .customer_pages(partnercenter::CustomerFilter::All, 10)
        .and_then(|mut p| p.next_page())
        .expect_err("refused without MFA");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(e.service_code(), Some("900421"));
    assert!(e.message().contains("multi-factor authentication"), "{e}");
    assert!(e.message().contains("device code"), "{e}");
    emu.require_mfa(false);
    client
        .customer_pages(partnercenter::CustomerFilter::All, 10)
        .and_then(|mut p| p.next_page())
        .expect("accepted again");
}

#[test]
fn a_rotated_refresh_token_with_a_nul_is_a_bad_response() {
    let body = r#"{"token_type":"Bearer","access_token":"granted","expires_in":3600,"refresh_token":"rotated\u0000tail"}"#;
    let (base, server) = routed(answer("200 OK", "", body), Vec::new(), 1);
    let client = app_user(&base);
    let e = client.sign_in().expect_err("a NUL cannot be handed out");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::BadResponse);
    assert!(!e.message().contains("rotated"), "{e}");
    server.join().unwrap();
}

#[test]
fn an_access_token_with_cr_lf_is_a_bad_response_and_not_cached() {
    let body =
        r#"{"token_type":"Bearer","access_token":"granted\r\nX-Injected: 1","expires_in":3600}"#;
    let (base, server) = routed(answer("200 OK", "", body), Vec::new(), 2);
    let client = app_user(&base);
    let e = client.sign_in().expect_err("cannot be sent");
    eprintln!("{e}");
    assert_eq!(e.kind(), ErrorKind::BadResponse);
    assert!(
        client.connection_info().token_expires_at.is_none(),
        "cached"
    );
    let e = client.sign_in().expect_err("asked again, not cached");
    assert_eq!(e.kind(), ErrorKind::BadResponse);
    server.join().unwrap();
}

/// The C ABI's reading of items 13 and 14: `pc_last_error_json` carries every Entra code in
/// `serviceCodes` (the first also as `serviceCode`) and an ApiFault's `data[]` in `details`.
#[test]
fn the_last_error_json_carries_every_code_and_the_details() {
    use partnercenter::ffi::{self, pc_client};
    use std::ffi::{CStr, CString, c_char};

    /// Calls `call` on a client made from `options` and returns the last error as JSON.
    fn last_error_after(
        options: &str,
        call: impl Fn(*const pc_client, *mut *mut c_char) -> i32,
    ) -> serde_json::Value {
        let options = CString::new(options).unwrap();
        let mut client: *mut pc_client = std::ptr::null_mut();
        // SAFETY: valid C strings and out-params; every returned string is freed here.
        unsafe {
            assert_eq!(ffi::pc_client_new(options.as_ptr(), &mut client), 0);
            let mut out: *mut c_char = std::ptr::null_mut();
            assert_ne!(call(client, &mut out), 0, "the call fails");
            assert!(out.is_null());
            let json = ffi::pc_last_error_json();
            assert!(!json.is_null());
            let value = serde_json::from_str(CStr::from_ptr(json).to_str().unwrap()).unwrap();
            ffi::pc_string_free(json);
            ffi::pc_client_free(client);
            value
        }
    }
    let customer = CString::new(CUSTOMER).unwrap();

    let body = r#"{"code":600058,"description":"The request could not be completed.","data":["LicenseQuotaExceededException: no licenses left"],"source":"PartnerFD"}"#;
    let (base, server) = routed(Vec::new(), answer("400 Bad Request", "", body), 1);
    let fault = last_error_after(
        &format!(r#"{{"base_url":"{base}","access_token":"{ACCESS_TOKEN}","max_retries":0}}"#),
        // SAFETY: a live client, a C string and an out-param.
        |client, out| unsafe { ffi::pc_get_customer(client, customer.as_ptr(), out) as i32 },
    );
    server.join().unwrap();
    eprintln!("{fault}");
    assert_eq!(fault["httpStatus"], 400);
    assert_eq!(fault["serviceCode"], "600058");
    assert_eq!(fault["serviceCodes"], serde_json::json!(["600058"]));
    assert_eq!(
        fault["details"],
        serde_json::json!(["LicenseQuotaExceededException: no licenses left"])
    );

    let body = r#"{"error":"invalid_grant","error_description":"AADSTS70002: Error validating credentials. AADSTS70008: The refresh token has expired.","error_codes":[70002,70008],"trace_id":"t-1","correlation_id":"c-1"}"#;
    let (base, server) = routed(answer("400 Bad Request", "", body), Vec::new(), 1);
    let entra = last_error_after(
        &format!(
            r#"{{"base_url":"{base}","authority":"{base}","tenant":"contoso.onmicrosoft.com","client_id":"00000000-0000-0000-0000-0000000000c1","refresh_token":"{REFRESH_TOKEN}","max_retries":0}}"#
        ),
        // SAFETY: a live client, a C string and an out-param.
        |client, out| unsafe { ffi::pc_get_customer(client, customer.as_ptr(), out) as i32 },
    );
    server.join().unwrap();
    eprintln!("{entra}");
    assert_eq!(entra["kind"], "Authentication");
    assert_eq!(entra["serviceCode"], "AADSTS70002");
    assert_eq!(
        entra["serviceCodes"],
        serde_json::json!(["AADSTS70002", "AADSTS70008"])
    );
    assert!(!entra.to_string().contains(REFRESH_TOKEN));
}
