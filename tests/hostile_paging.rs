//! Issue 12, sections B and C: a hostile (or broken) service steering a listing. The emulator's
//! fault rules stand in for the server: a `status: 200` rule with a `body` answers a page of our
//! choosing, and the emulator's request log shows what reached the wire.

mod common;

use std::ffi::{CStr, CString, c_char};
use std::time::{Duration, Instant};

use common::*;
use partnercenter::{ClientOptions, CustomerFilter, CustomerMatch, ErrorKind, WaitOptions};
use partnercenter_emulator::{Emulator, EmulatorConfig, FaultRule, credentials as dev};

fn seeded(customers: usize) -> Emulator {
    Emulator::start_with(EmulatorConfig {
        customers,
        ..EmulatorConfig::default()
    })
    .unwrap()
}

/// A page with one customer and `next` as its `links.next` object (JSON).
fn page_with_next(next: &str) -> String {
    format!(
        r#"{{"totalCount":1,"items":[{{"id":"c0ffee00-0000-4000-8000-000000000001","companyProfile":{{"domain":"x.example"}}}}],"links":{{"next":{next}}}}}"#
    )
}

/// A rule answering every GET of `path` with `body` (200), `count` times (0 = always).
fn page_rule(path: &str, body: String, count: u64) -> FaultRule {
    FaultRule {
        method: Some("GET".into()),
        path: path.into(),
        status: Some(200),
        body: Some(body),
        count: Some(count),
        ..FaultRule::default()
    }
}

/// Pulls pages until the end or an error, at most `limit` pages: the error, and the pages read.
fn drain(
    pages: &mut partnercenter::blocking::CustomerPages,
    limit: usize,
) -> (Option<ErrorKind>, usize) {
    for read in 0..limit {
        match pages.next_page() {
            Ok(Some(_)) => {}
            Ok(None) => return (None, read),
            Err(e) => return (Some(e.kind()), read),
        }
    }
    (None, limit)
}

// ---- Item 4: a next link (or continuation token) that repeats ----

#[test]
fn a_next_link_that_repeats_itself_ends_the_listing_with_bad_response() {
    let emu = seeded(0);
    let next = r#"{"uri":"/v1/customers?size=500&seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"same-token"}]}"#;
    emu.add_fault(page_rule("/v1/customers", page_with_next(next), 0));
    let client = app_user_client(&emu, "");
    let mut pages = client.customer_pages(CustomerFilter::All, 500).unwrap();
    let started = Instant::now();
    let (error, read) = drain(&mut pages, 200);
    assert_eq!(error, Some(ErrorKind::BadResponse), "after {read} pages");
    assert!(
        read <= 2,
        "caught at the first repeat, not after {read} pages"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let sent = api_requests(&emu).len();
    assert_eq!(sent, 2, "the repeated link is never requested a third time");
    // Asking again does not go round again.
    assert_eq!(
        pages.next_page().unwrap_err().kind(),
        ErrorKind::BadResponse
    );
    assert_eq!(api_requests(&emu).len(), sent);
}

#[test]
fn a_first_page_that_links_to_itself_is_caught_too() {
    let emu = seeded(0);
    // The same request as the first one: no continuation header, the first page's own query.
    let next = r#"{"uri":"/v1/customers?size=500"}"#;
    emu.add_fault(page_rule("/v1/customers", page_with_next(next), 0));
    let client = app_user_client(&emu, "");
    let mut pages = client.customer_pages(CustomerFilter::All, 500).unwrap();
    let (error, read) = drain(&mut pages, 200);
    assert_eq!(error, Some(ErrorKind::BadResponse), "after {read} pages");
    assert_eq!(api_requests(&emu).len(), 1);
}

// ---- Item 5: a wait honours its timeout inside a poll ----

// SAFETY (all three helpers): plain C ABI calls with valid NUL-terminated strings and
// out-params; every returned string is freed once.
fn ffi_client(json: &str) -> *mut partnercenter::ffi::pc_client {
    let options = CString::new(json).unwrap();
    let mut client = std::ptr::null_mut();
    let status = unsafe { partnercenter::ffi::pc_client_new(options.as_ptr(), &mut client) };
    assert_eq!(status, 0, "client builds");
    client
}

fn ffi_wait(client: *mut partnercenter::ffi::pc_client, query: &str) -> (i32, Duration) {
    let query = CString::new(query).unwrap();
    let mut out: *mut c_char = std::ptr::null_mut();
    let started = Instant::now();
    let status =
        unsafe { partnercenter::ffi::pc_wait_for_customer(client, query.as_ptr(), &mut out) };
    let took = started.elapsed();
    unsafe { partnercenter::ffi::pc_string_free(out) };
    (status, took)
}

fn ffi_last_error() -> String {
    unsafe {
        let p = partnercenter::ffi::pc_last_error_message();
        let text = if p.is_null() {
            String::new()
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        };
        partnercenter::ffi::pc_string_free(p);
        text
    }
}

const PC_ERR_TIMEOUT: i32 = partnercenter::ffi::pc_status_code::PC_ERR_TIMEOUT as i32;
const PC_ERR_BAD_RESPONSE: i32 = partnercenter::ffi::pc_status_code::PC_ERR_BAD_RESPONSE as i32;

#[test]
fn pc_wait_for_customer_returns_by_its_timeout_when_the_listing_is_slow() {
    let emu = seeded(3);
    emu.add_fault(FaultRule {
        method: Some("GET".into()),
        path: "/v1/customers".into(),
        delay_ms: Some(8_000),
        count: Some(0),
        ..FaultRule::default()
    });
    let client = ffi_client(&app_user_json(&emu, ""));
    for (timeout_ms, within) in [(1000u64, 1800u64), (300, 1000)] {
        let (status, took) = ffi_wait(
            client,
            &format!(
                r#"{{"domain":"never.example","timeoutMs":{timeout_ms},"pollIntervalMs":100}}"#
            ),
        );
        assert_eq!(status, PC_ERR_TIMEOUT, "{}", ffi_last_error());
        eprintln!("timeoutMs {timeout_ms}: returned after {took:?}");
        assert!(
            took < Duration::from_millis(within),
            "timeoutMs {timeout_ms} returned after {took:?}"
        );
        assert!(
            took >= Duration::from_millis(timeout_ms * 9 / 10),
            "not before the deadline either: {took:?}"
        );
    }
    unsafe { partnercenter::ffi::pc_client_free(client) };
}

#[test]
fn a_wait_by_tenant_id_returns_by_its_timeout_when_the_get_is_slow() {
    let emu = seeded(3);
    emu.add_fault(FaultRule {
        method: Some("GET".into()),
        path: "/v1/customers/*".into(),
        delay_ms: Some(8_000),
        count: Some(0),
        ..FaultRule::default()
    });
    let client = app_user_client(&emu, "");
    let started = Instant::now();
    let e = client
        .wait_for_customer(
            &CustomerMatch::TenantId("0f8fad5b-d9cb-469f-a165-70867728950e".into()),
            WaitOptions {
                timeout: Duration::from_millis(1000),
                interval: Duration::from_millis(100),
                max_interval: Duration::from_millis(100),
            },
            |_, _| {},
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{}", e.message());
    assert!(
        started.elapsed() < Duration::from_millis(1800),
        "{:?}",
        started.elapsed()
    );
    assert!(
        e.message().contains("within 1"),
        "the wait's own message: {}",
        e.message()
    );
}

#[test]
fn pc_wait_for_customer_ends_an_endless_listing() {
    let emu = seeded(0);
    let next = r#"{"uri":"/v1/customers?seekOperation=Next","headers":[{"key":"MS-ContinuationToken","value":"again"}]}"#;
    emu.add_fault(page_rule("/v1/customers", page_with_next(next), 0));
    let client = ffi_client(&app_user_json(&emu, ""));
    let (status, took) = ffi_wait(client, r#"{"domain":"never.example","timeoutMs":1000}"#);
    assert_eq!(status, PC_ERR_BAD_RESPONSE, "{}", ffi_last_error());
    assert!(took < Duration::from_millis(1500), "{took:?}");
    unsafe { partnercenter::ffi::pc_client_free(client) };
}

// ---- Item 6: dot segments in ids, tenants and next links ----

#[test]
fn ids_that_are_or_normalise_to_dot_segments_are_refused_before_any_request() {
    let emu = seeded(1);
    let client = app_user_client(&emu, "");
    for id in [
        ".", "..", " .. ", "%2e", "%2E%2e", ".%2e", "a/b", "a\\b", "a?b", "a#b", "a%2fb",
        "a\u{1}b", "a\nb", "a b",
    ] {
        let e = client.get_customer(id).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::InvalidArgument,
            "get {id:?}: {}",
            e.message()
        );
        let e = client.remove_reseller_relationship(id).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "remove {id:?}");
        let e = client.get_billing_profile(id).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "billing {id:?}");
    }
    let e = client.get_customer("secret/../value").unwrap_err();
    assert!(
        !e.message().contains("secret"),
        "never echoed: {}",
        e.message()
    );
    assert!(api_requests(&emu).is_empty(), "{:?}", api_requests(&emu));
    // What Partner Center ids look like still works.
    let id = emu.customer_ids().remove(0);
    client.get_customer(&id).unwrap();
}

#[test]
fn tenants_must_be_a_guid_or_a_domain_name() {
    let make = |tenant: &str| {
        let json = serde_json::json!({
            "base_url": "http://127.0.0.1:9", "authority": "http://127.0.0.1:9",
            "tenant": tenant, "client_id": dev::CLIENT_ID, "refresh_token": "r",
        });
        ClientOptions::from_json(&json.to_string()).and_then(partnercenter::Client::new)
    };
    for bad in [
        ".",
        "..",
        "%2e%2e",
        "a..b",
        ".contoso.com",
        "contoso.com.",
        "-a.com",
        "a-.com",
        "a_b.com",
        "a/b",
        "",
    ] {
        let e = make(bad).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::InvalidOptions,
            "{bad:?}: {}",
            e.message()
        );
        assert!(e.message().contains("'tenant'"), "{}", e.message());
    }
    for good in [
        "contoso.onmicrosoft.com",
        "t",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "xn--bcher-kva.example",
    ] {
        assert!(make(good).is_ok(), "{good}");
    }
}

/// An emulator reached through a base URL with a path (`/api`), as behind a proxy.
fn behind_a_path(next: &str) -> (Emulator, partnercenter::blocking::Client) {
    let emu = seeded(0);
    emu.add_fault(page_rule("/api/v1/customers", page_with_next(next), 0));
    let json = format!(
        r#"{{"base_url":"{b}/api","authority":"{b}","tenant":"{t}","client_id":"{c}","refresh_token":"{r}"}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID,
        r = dev::REFRESH_TOKEN,
    );
    let client =
        partnercenter::blocking::Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    (emu, client)
}

#[test]
fn a_next_link_outside_the_base_url_and_api_version_ends_the_listing() {
    let probe = seeded(0);
    let origin = probe.base_url().to_owned();
    drop(probe);
    for uri in [
        "/v1/../../steal/here".to_owned(),
        "/v1/%2e%2e/%2E%2E/steal/here".to_owned(),
        "/v1/.%2e/.%2e/steal".to_owned(),
        "v1/../../steal".to_owned(),
        "/v1/customers/..%2f..%2f..%2fsteal".to_owned(),
        "/v1\\..\\..\\steal".to_owned(),
        "/v1/customers/../customers?x=4".to_owned(),
        "//evil.example/v1/customers".to_owned(),
        format!("{origin}/steal/v1/customers"),
        format!("{origin}/v1/customers"),
        format!("{origin}/api/../v1/customers"),
        "https://evil.example/api/v1/customers".to_owned(),
    ] {
        let next = serde_json::json!({"uri": uri}).to_string();
        let (emu, client) = behind_a_path(&next);
        let mut pages = client.customer_pages(CustomerFilter::All, 500).unwrap();
        let (error, read) = drain(&mut pages, 5);
        assert_eq!(
            error,
            Some(ErrorKind::BadResponse),
            "{uri}: after {read} pages"
        );
        let strays: Vec<_> = emu
            .requests()
            .into_iter()
            .filter(|r| !r.path.starts_with("/api/v1/") && !r.path.contains("/oauth2/"))
            .map(|r| r.path)
            .collect();
        assert!(strays.is_empty(), "{uri}: the token went to {strays:?}");
        assert_eq!(
            emu.requests()
                .iter()
                .filter(|r| r.path.starts_with("/api/v1/"))
                .count(),
            1,
            "{uri}: only the first page was asked for"
        );
    }
}

#[test]
fn next_links_under_the_base_url_are_followed() {
    // The forms Partner Center uses: relative with and without /v1, absolute on the base.
    for (uri, expected) in [
        ("/v1/customers?size=1&x=1", "/api/v1/customers"),
        ("customers?size=1&x=2", "/api/v1/customers"),
        ("/customers?x=3", "/api/v1/customers"),
    ] {
        let next = serde_json::json!({"uri": uri}).to_string();
        let (emu, client) = behind_a_path(&next);
        let mut pages = client.customer_pages(CustomerFilter::All, 500).unwrap();
        pages.next_page().unwrap().unwrap();
        // The rule answers the second request with the same page, so the listing then ends
        // as a repeat; what matters here is where the second request went.
        let _ = pages.next_page();
        let second = api_like(&emu).remove(1);
        assert_eq!(second.path, expected, "{uri}");
    }
}

fn api_like(emu: &Emulator) -> Vec<partnercenter_emulator::RecordedRequest> {
    emu.requests()
        .into_iter()
        .filter(|r| !r.path.contains("/oauth2/"))
        .collect()
}

// ---- Item 7: next links choose neither the method nor arbitrary headers ----

#[test]
fn next_links_are_followed_with_get_and_only_continuation_headers() {
    let emu = seeded(5);
    let next = r#"{"uri":"/v1/customers?size=2","method":"DELETE","headers":[
        {"key":"MS-ContinuationToken","value":"tok-1"},
        {"key":"Content-Length","value":"5"},
        {"key":"Proxy-Authorization","value":"Basic c3RlYWw="},
        {"key":"Cookie","value":"session=stolen"},
        {"key":"Authorization","value":"Bearer other"},
        {"key":"Host","value":"evil.example"},
        {"key":"Transfer-Encoding","value":"chunked"},
        {"key":"X-Anything","value":"1"}]}"#;
    // The first page only; the second comes from the emulator's own listing.
    emu.add_fault(page_rule("/v1/customers", page_with_next(next), 1));
    let client = app_user_client(&emu, "");
    let mut pages = client.customer_pages(CustomerFilter::All, 500).unwrap();
    pages.next_page().unwrap().unwrap();
    let second = pages.next_page();
    let requests = api_requests(&emu);
    assert_eq!(requests.len(), 2, "{requests:?}");
    let followed = &requests[1];
    assert_eq!(followed.method, "GET", "never the link's DELETE");
    let names: Vec<&str> = followed.headers.iter().map(|(k, _)| k.as_str()).collect();
    for banned in [
        "content-length",
        "proxy-authorization",
        "cookie",
        "transfer-encoding",
        "x-anything",
    ] {
        assert!(
            !names.contains(&banned),
            "{banned} reached the wire: {names:?}"
        );
    }
    let value = |name: &str| {
        followed
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(value("ms-continuationtoken").as_deref(), Some("tok-1"));
    assert_eq!(value("authorization").as_deref(), Some("Bearer [REDACTED]"));
    assert_ne!(value("host").as_deref(), Some("evil.example"));
    assert!(second.is_ok(), "{second:?}");
}

// ---- Leftover (b): the whole-listing deadline reaches the blocking wrapper and the C ABI ----

/// Every page of the listing answers after `delay_ms` (the emulator's own pages).
fn slow_pages(emu: &Emulator, delay_ms: u64) {
    emu.add_fault(FaultRule {
        method: Some("GET".into()),
        path: "/v1/customers".into(),
        delay_ms: Some(delay_ms),
        count: Some(0),
        ..FaultRule::default()
    });
}

#[test]
fn a_blocking_listing_honours_its_deadline() {
    let emu = seeded(20);
    slow_pages(&emu, 300);
    let client = app_user_client(&emu, "");
    let started = Instant::now();
    let mut pages = client
        .customer_pages(CustomerFilter::All, 1)
        .unwrap()
        .until(started + Duration::from_millis(1000));
    let (error, read) = drain(&mut pages, 100);
    let took = started.elapsed();
    assert_eq!(error, Some(ErrorKind::Timeout), "after {read} pages");
    assert!((1..20).contains(&read), "{read} pages");
    assert!(took < Duration::from_millis(3000), "{took:?}");
}

#[test]
fn a_c_listing_with_timeout_ms_ends_by_it() {
    let emu = seeded(20);
    slow_pages(&emu, 300);
    let client = ffi_client(&app_user_json(&emu, ""));
    let query = CString::new(r#"{"pageSize":1,"timeoutMs":1000}"#).unwrap();
    let mut pages = std::ptr::null_mut();
    let started = Instant::now();
    let status =
        unsafe { partnercenter::ffi::pc_customer_pages_new(client, query.as_ptr(), &mut pages) };
    assert_eq!(status, 0, "{}", ffi_last_error());
    let mut last = 0;
    let mut read = 0;
    while read < 100 {
        let mut page: *mut c_char = std::ptr::null_mut();
        last = unsafe { partnercenter::ffi::pc_customer_pages_next(pages, &mut page) };
        if last != 0 || page.is_null() {
            break;
        }
        unsafe { partnercenter::ffi::pc_string_free(page) };
        read += 1;
    }
    let took = started.elapsed();
    unsafe {
        partnercenter::ffi::pc_customer_pages_free(pages);
        partnercenter::ffi::pc_client_free(client);
    }
    assert_eq!(last, PC_ERR_TIMEOUT, "after {read} pages");
    assert!(took < Duration::from_millis(3000), "{took:?}");
}
