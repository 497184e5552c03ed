//! Hostile answers that must not crash the host: a body length that would size an allocation
//! (issue 12, A.2) and lifetimes that would overflow the clock (A.3). Each test talks to a tiny
//! canned-answer server on loopback that gives every request the same raw bytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use partnercenter::{ClientOptions, DeviceCodeFlow, ErrorKind};

/// The system allocator, remembering the largest single request made through it, so a test can
/// show that no allocation was sized by a number the peer sent.
struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

/// A server on loopback that answers each of its first `answers` connections with `raw`, then
/// closes it; ends after that many (the listener goes with it).
fn canned(raw: Vec<u8>, answers: usize) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for _ in 0..answers {
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            // Read the request head and its body (the token form), bounded at 64 KiB.
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while seen.len() < 64 * 1024 {
                let Ok(n) = conn.read(&mut buf) else { break };
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
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
            let _ = conn.write_all(&raw);
            let _ = conn.flush();
        }
    });
    (base, handle)
}

/// A 200 JSON answer with `body`, closing the connection.
fn json_answer(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn options(json: &str) -> ClientOptions {
    ClientOptions::from_json(json).expect("options parse")
}

/// App+User options whose token endpoint is `base`.
fn app_user(base: &str) -> ClientOptions {
    options(&format!(
        r#"{{"base_url":"{base}","authority":"{base}","tenant":"contoso.onmicrosoft.com","client_id":"00000000-0000-0000-0000-0000000000c1","refresh_token":"r","max_retries":0,"timeout_ms":10000}}"#
    ))
}

#[test]
fn a_body_length_from_the_peer_never_sizes_an_allocation() {
    // 1 GiB announced (as much as the cap allows), 10 bytes sent, then the connection closes.
    const ANNOUNCED: u64 = 1 << 30;
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {ANNOUNCED}\r\nConnection: close\r\n\r\n{{\"id\":\"x\"}}"
    );
    let (base, server) = canned(raw.into_bytes(), 1);
    let client = partnercenter::blocking::Client::new(options(&format!(
        r#"{{"base_url":"{base}","access_token":"t","max_retries":0,"timeout_ms":10000,"max_response_bytes":{ANNOUNCED}}}"#
    )))
    .expect("client");
    LARGEST.store(0, Ordering::Relaxed);
    let e = client
        .get_customer("c0000000-0000-4000-8000-000000000001")
        .expect_err("a cut-short body is an error");
    let largest = LARGEST.load(Ordering::Relaxed);
    eprintln!("largest allocation while reading the answer: {largest} bytes");
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(
        largest < 4 << 20,
        "the largest allocation while reading 10 bytes was {largest} bytes"
    );
    server.join().unwrap();
}

#[test]
fn a_length_over_the_cap_is_refused_before_reading() {
    // The answer of the issue: 1 TiB announced, 10 bytes sent (the cap is at most 1 GiB).
    let raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1099511627776\r\nConnection: close\r\n\r\n{\"id\":\"x\"}";
    let (base, server) = canned(raw.as_bytes().to_vec(), 1);
    let client = partnercenter::blocking::Client::new(options(&format!(
        r#"{{"base_url":"{base}","access_token":"t","max_retries":0,"timeout_ms":10000,"max_response_bytes":1073741824}}"#
    )))
    .expect("client");
    let e = client
        .get_customer("c0000000-0000-4000-8000-000000000001")
        .expect_err("too large");
    assert_eq!(e.kind(), ErrorKind::ResponseTooLarge, "{e}");
    server.join().unwrap();
}

#[test]
fn token_lifetimes_too_large_for_the_clock_saturate() {
    for expires_in in [
        "9223372036854775807",
        "18446744073709551615",
        "\"18446744073709551615\"",
    ] {
        let body = format!(
            r#"{{"token_type":"Bearer","access_token":"granted","expires_in":{expires_in}}}"#
        );
        let (base, server) = canned(json_answer(&body), 1);
        let client = partnercenter::blocking::Client::new(app_user(&base)).expect("client");
        let expires = client
            .sign_in()
            .unwrap_or_else(|e| panic!("expires_in {expires_in}: {e}"))
            .expect("an expiry is known");
        // Saturated at the longest lifetime Entra ID can give (a day), never renewed later.
        let left = expires
            .duration_since(SystemTime::now())
            .expect("in the future");
        assert!(
            left <= Duration::from_secs(86_400) && left > Duration::from_secs(86_000),
            "expires_in {expires_in}: the token is kept for {left:?}"
        );
        assert!(partnercenter::seconds_until(expires) <= 86_400);
        server.join().unwrap();
    }
}

#[test]
fn a_device_code_lifetime_too_large_for_the_clock_saturates() {
    let body = r#"{"device_code":"d","user_code":"U","verification_uri":"https://microsoft.com/devicelogin","expires_in":18446744073709551615,"interval":18446744073709551615}"#;
    let (base, server) = canned(json_answer(body), 1);
    let options = options(&format!(
        r#"{{"base_url":"{base}","authority":"{base}","tenant":"contoso.onmicrosoft.com","client_id":"00000000-0000-0000-0000-0000000000c1","max_retries":0,"timeout_ms":10000}}"#
    ));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let flow = runtime
        .block_on(DeviceCodeFlow::start(options))
        .expect("a device code is granted, not a panic");
    // What the caller is told is what the library keeps to: bounded, not 2^64-1.
    assert!(
        flow.info().expires_in <= 86_400,
        "{}",
        flow.info().expires_in
    );
    assert!(flow.info().interval <= 60, "{}", flow.info().interval);
    server.join().unwrap();
}

/// Issue 12 A.1: a peer that drops the connection while a large body is still being written
/// (a front end refusing its size without reading it) is reported as that, with the size, not
/// as a bare "Broken pipe". The server reads the request head and closes with the body unread,
/// which resets the connection.
#[test]
fn a_connection_dropped_mid_body_says_the_body_may_be_too_large() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let Ok((mut conn, _)) = listener.accept() else {
            return;
        };
        let mut head = [0u8; 1024];
        let _ = conn.read(&mut head);
        drop(conn);
    });
    let client = partnercenter::blocking::Client::new(options(&format!(
        r#"{{"base_url":"{base}","access_token":"t","max_retries":0,"timeout_ms":10000}}"#
    )))
    .expect("client");
    let profile: partnercenter::BillingProfile = serde_json::from_value(serde_json::json!({
        "firstName": "x".repeat(8 << 20),
        "attributes": { "etag": "1" },
    }))
    .expect("profile");
    let e = client
        .update_billing_profile("c0000000-0000-4000-8000-000000000001", &profile)
        .expect_err("the peer dropped the connection");
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    let message = e.to_string();
    assert!(
        message.contains("request body was being sent")
            && message.contains("413")
            && message.contains("-byte"),
        "{message}"
    );
    server.join().unwrap();
}
