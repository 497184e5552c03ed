//! Transport security end to end (issue 6 §5): TLS verification against the emulator's TLS
//! mode, the `ca_certificate_pem` option as the only way to trust more, plain http refused for
//! non-loopback hosts before any connection, redirects that never carry credentials to another
//! origin, and proxies taken from the environment.
//!
//! Proxies (what these tests establish about reqwest 0.13 + hyper-util 0.1 as the library uses
//! them, i.e. `reqwest::Client::builder()` without `.proxy()`/`.no_proxy()`):
//! - `HTTP_PROXY`/`http_proxy` are used for `http://` URLs, `HTTPS_PROXY`/`https_proxy` for
//!   `https://` URLs (a `CONNECT` tunnel: the proxy sees only host and port, TLS stays end to
//!   end and is verified as usual), `ALL_PROXY`/`all_proxy` for both. Upper case wins.
//! - `NO_PROXY`/`no_proxy` lists hosts, domains (with their subdomains), IPs and CIDRs that go
//!   direct; `*` means everything.
//! - Loopback is NOT bypassed by itself: hyper-util's matcher (`client/proxy/matcher.rs`,
//!   `Matcher::intercept`) only consults `NO_PROXY`, so `http://127.0.0.1` goes through an
//!   `HTTP_PROXY` unless `NO_PROXY` names it.
//! - When `REQUEST_METHOD` is set (a CGI environment), all proxy variables are ignored
//!   (httpoxy protection in `Builder::build`).
//! - The variables are read once, when a client is created (`ClientBuilder::build`): changing
//!   them later does not affect an existing client.
//!
//! The proxy tests change the process environment. nextest runs each test in its own process;
//! under `cargo test` every test of this file takes [`serial`] so none of them builds a client
//! while another has proxy variables set.

mod common;

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::*;
use partnercenter::blocking::Client;
use partnercenter::{ClientOptions, ErrorKind};
use partnercenter_emulator::{Emulator, EmulatorConfig, FaultRule, credentials as dev};

/// An address that is not loopback and answers nothing (a connection would hang).
const BLACKHOLE: &str = "10.255.255.1";
/// The relationship-request path.
const RELATIONSHIP: &str = "/v1/customers/relationshiprequests";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Serializes the tests of this file (see the module docs); tolerant of a panicked holder.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

fn tls_emulator() -> Emulator {
    Emulator::start_with(EmulatorConfig {
        tls: true,
        ..EmulatorConfig::default()
    })
    .expect("TLS emulator starts")
}

/// The `"ca_certificate_pem": "..."` option (JSON-escaped).
fn ca_option(pem: &str) -> String {
    format!(
        r#""ca_certificate_pem":{}"#,
        serde_json::to_string(pem).unwrap()
    )
}

fn ca_of(emu: &Emulator) -> String {
    emu.ca_certificate_pem().expect("a TLS emulator has a CA")
}

fn token_path() -> String {
    format!("/{}/oauth2/v2.0/token", dev::TENANT)
}

fn header<'a>(request: &'a partnercenter_emulator::RecordedRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Sets (or with `None` removes) environment variables; restores the old values on drop.
struct EnvGuard {
    saved: Vec<(&'static str, Option<OsString>)>,
}

/// Every variable that steers reqwest's proxy choice.
const PROXY_VARS: [&str; 9] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

impl EnvGuard {
    /// Clears every proxy variable, then sets `vars`.
    fn proxies(vars: &[(&'static str, &str)]) -> EnvGuard {
        let saved = PROXY_VARS
            .iter()
            .map(|name| (*name, std::env::var_os(name)))
            .collect();
        for name in PROXY_VARS {
            set_env(name, None);
        }
        for (name, value) in vars {
            set_env(name, Some(value));
        }
        EnvGuard { saved }
    }
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (name, value) in self.saved.drain(..) {
            set_env(name, value.as_deref().and_then(|v| v.to_str()));
        }
    }
}

fn set_env(name: &str, value: Option<&str>) {
    // SAFETY: every test of this file holds `serial()`, and nextest gives each test its own
    // process; no other thread reads the environment while it changes.
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

/// A tiny HTTP forward proxy on loopback that records each request line. Plain http in
/// absolute form (`GET http://127.0.0.1:PORT/path`) is forwarded with `Connection: close`;
/// `CONNECT host:port` is tunnelled. It only ever connects to loopback: any other target is
/// recorded and answered 403, so a test that uses it as a tripwire never reaches the network.
struct RecordingProxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

/// Read/write timeout of every proxied socket: bounds every loop of the proxy.
const PROXY_IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest a proxy lives, whatever the test does.
const PROXY_LIFETIME: Duration = Duration::from_secs(30);

impl RecordingProxy {
    fn start() -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (thread_seen, thread_stop) = (Arc::clone(&seen), Arc::clone(&stop));
        let accept_thread = thread::spawn(move || {
            let until = Instant::now() + PROXY_LIFETIME;
            while !thread_stop.load(Ordering::SeqCst) && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let seen = Arc::clone(&thread_seen);
                        thread::spawn(move || {
                            // A broken proxied connection is the client's problem to report.
                            let _ = proxy_connection(stream, &seen);
                        });
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => break,
                }
            }
        });
        RecordingProxy {
            addr,
            seen,
            stop,
            accept_thread: Some(accept_thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request lines received so far.
    fn seen(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

fn proxy_connection(mut client: TcpStream, seen: &Mutex<Vec<String>>) -> io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(PROXY_IO_TIMEOUT))?;
    client.set_write_timeout(Some(PROXY_IO_TIMEOUT))?;
    let (head, rest) = read_head(&mut client)?;
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    seen.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request_line.clone());
    let mut parts = request_line.split_whitespace();
    let (method, target, version) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or("HTTP/1.1"),
    );
    let (authority, path) = if method.eq_ignore_ascii_case("CONNECT") {
        (target.to_owned(), None)
    } else {
        let Some(after) = target.strip_prefix("http://") else {
            return refuse(&mut client, "400 Bad Request");
        };
        let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
        let path = if path.is_empty() { "/" } else { path };
        (authority.to_owned(), Some(path.to_owned()))
    };
    let upstream_addr: SocketAddr = match authority.parse() {
        Ok(addr) if is_loopback(addr) => addr,
        // Never leave the machine: unknown or non-loopback targets are refused.
        _ => return refuse(&mut client, "403 Forbidden"),
    };
    let mut upstream = TcpStream::connect_timeout(&upstream_addr, PROXY_IO_TIMEOUT)?;
    upstream.set_read_timeout(Some(PROXY_IO_TIMEOUT))?;
    upstream.set_write_timeout(Some(PROXY_IO_TIMEOUT))?;
    match path {
        None => {
            client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")?;
            upstream.write_all(&rest)?;
            tunnel(client, upstream)
        }
        Some(path) => {
            let mut forwarded = format!("{method} {path} {version}\r\n");
            let mut content_length = 0usize;
            for line in lines.filter(|l| !l.is_empty()) {
                let name = line.split(':').next().unwrap_or_default().trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = line[name.len() + 1..].trim().parse().unwrap_or(0);
                }
                if ["connection", "proxy-connection", "keep-alive"]
                    .iter()
                    .any(|h| name.eq_ignore_ascii_case(h))
                {
                    continue;
                }
                forwarded.push_str(line);
                forwarded.push_str("\r\n");
            }
            forwarded.push_str("Connection: close\r\n\r\n");
            upstream.write_all(forwarded.as_bytes())?;
            let mut body = rest;
            let mut chunk = [0u8; 8192];
            while body.len() < content_length {
                let n = client.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
            upstream.write_all(&body)?;
            // The answer ends when the upstream closes (Connection: close).
            io::copy(&mut upstream, &mut client)?;
            client.shutdown(Shutdown::Both)
        }
    }
}

fn is_loopback(addr: SocketAddr) -> bool {
    addr.ip().is_loopback()
}

fn refuse(client: &mut TcpStream, status: &str) -> io::Result<()> {
    write!(
        client,
        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

/// Reads up to the end of the header block: (head without the blank line, bytes after it).
fn read_head(stream: &mut TcpStream) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    while buffer.len() < 64 * 1024 {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            buffer.truncate(end);
            return Ok((buffer, rest));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "no complete request head",
    ))
}

/// Copies both ways until either side closes (or goes quiet for [`PROXY_IO_TIMEOUT`]).
fn tunnel(client: TcpStream, upstream: TcpStream) -> io::Result<()> {
    let (mut client_read, mut upstream_write) = (client.try_clone()?, upstream.try_clone()?);
    let up = thread::spawn(move || {
        let _ = io::copy(&mut client_read, &mut upstream_write);
        let _ = upstream_write.shutdown(Shutdown::Write);
    });
    let (mut upstream_read, mut client_write) = (upstream, client);
    let _ = io::copy(&mut upstream_read, &mut client_write);
    let _ = client_write.shutdown(Shutdown::Both);
    let _ = up.join();
    Ok(())
}

/// Proxy variables that send everything except loopback to `proxy`: a tripwire that records
/// any attempt to reach a non-loopback host (the proxy itself never connects to one).
fn tripwire(proxy: &RecordingProxy) -> EnvGuard {
    let url = proxy.url();
    EnvGuard::proxies(&[
        ("HTTP_PROXY", &url),
        ("HTTPS_PROXY", &url),
        ("NO_PROXY", "127.0.0.1,localhost,::1"),
    ])
}

// ---------------------------------------------------------------------------------------------
// TLS verification
// ---------------------------------------------------------------------------------------------

/// No retries: a refused certificate is final (see `tls_refusals_are_reported_as_tls...`).
const NO_RETRY: &str = r#""max_retries":0"#;

/// A certificate refusal: the message names the certificate problem and the request never
/// reached HTTP on the server.
fn assert_certificate_refused(e: &partnercenter::Error, emu: &Emulator) {
    assert!(e.message().contains("invalid peer certificate"), "{e:?}");
    assert!(
        emu.requests().is_empty(),
        "nothing, not even the sign-in, reached HTTP: {:?}",
        emu.requests()
    );
}

#[test]
fn the_tls_emulator_is_refused_by_default() {
    let _serial = serial();
    let emu = tls_emulator();
    assert!(emu.base_url().starts_with("https://"), "{}", emu.base_url());
    let e = app_user_client(&emu, NO_RETRY)
        .new_relationship_request()
        .unwrap_err();
    assert_certificate_refused(&e, &emu);
    assert!(e.message().contains("UnknownIssuer"), "{}", e.message());
}

/// hyper-util nests the rustls error two `io::Error`s deep; `find_tls_error` in src/http.rs
/// walks through them so a certificate refusal is `Tls` and final, not a retried `Network`
/// error (this test found that).
#[test]
fn tls_refusals_are_reported_as_tls_and_not_retried() {
    let _serial = serial();
    let emu = tls_emulator();
    let other = tls_emulator();
    let wrong_ca = ca_option(&ca_of(&other));
    for extra in ["", wrong_ca.as_str()] {
        let started = Instant::now();
        let e = app_user_client(&emu, extra)
            .new_relationship_request()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Tls, "{e:?}");
        assert!(e.message().contains("certificate"), "{}", e.message());
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "a TLS refusal is final, never retried: {:?}",
            started.elapsed()
        );
    }
    assert!(emu.requests().is_empty());
}

#[test]
fn the_emulator_ca_given_explicitly_is_trusted_for_sign_in_and_api() {
    let _serial = serial();
    let emu = tls_emulator();
    let client = app_user_client(&emu, &ca_option(&ca_of(&emu)));
    let link = client.new_relationship_request().unwrap();
    assert!(link.url.contains(dev::PARTNER_ID), "{}", link.url);
    let tokens = token_requests(&emu);
    assert_eq!(tokens.len(), 1, "signed in over https");
    assert_eq!(tokens[0].grant_type.as_deref(), Some("refresh_token"));
    let api = api_requests(&emu);
    assert_eq!(api.len(), 1);
    assert_eq!(header(&api[0], "authorization"), Some("Bearer [REDACTED]"));
}

#[test]
fn the_ca_certificate_also_works_as_a_bundle_and_for_localhost() {
    let _serial = serial();
    let emu = tls_emulator();
    let other = tls_emulator();
    // Several CAs in one option (an enterprise bundle): each is trusted.
    let bundle = format!("{}\n{}", ca_of(&other), ca_of(&emu));
    let localhost = emu.base_url().replace("127.0.0.1", "localhost");
    let json = app_user_json(&emu, &ca_option(&bundle)).replace(emu.base_url(), &localhost);
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    client.new_relationship_request().unwrap();
    assert_eq!(api_requests(&emu).len(), 1);
}

#[test]
fn another_emulators_ca_is_refused() {
    let _serial = serial();
    let emu = tls_emulator();
    let other = tls_emulator();
    let extra = format!("{},{NO_RETRY}", ca_option(&ca_of(&other)));
    let e = app_user_client(&emu, &extra)
        .new_relationship_request()
        .unwrap_err();
    // Both CAs have the same name: the signature check is what tells them apart.
    assert_certificate_refused(&e, &emu);
    assert!(other.requests().is_empty());
}

#[test]
fn a_trusted_ca_does_not_excuse_a_wrong_host_name() {
    // Trusting the emulator's CA adds a root; it does not make a certificate valid for a name
    // it does not carry (it names localhost, 127.0.0.1 and ::1 only).
    let _serial = serial();
    let Ok(emu) = Emulator::start_with(EmulatorConfig {
        tls: true,
        host: "127.0.0.2".parse().unwrap(),
        ..EmulatorConfig::default()
    }) else {
        // Only Linux answers on all of 127.0.0.0/8 by default.
        eprintln!("skipped: cannot bind 127.0.0.2 here");
        return;
    };
    let extra = format!("{},{NO_RETRY}", ca_option(&ca_of(&emu)));
    let e = app_user_client(&emu, &extra)
        .new_relationship_request()
        .unwrap_err();
    assert_certificate_refused(&e, &emu);
    assert!(
        e.message().contains("not valid for name"),
        "{}",
        e.message()
    );
}

#[test]
fn malformed_ca_pem_is_invalid_options_and_never_echoed() {
    let _serial = serial();
    let emu = tls_emulator();
    let broken_base64 =
        "-----BEGIN CERTIFICATE-----\n%%%not base64 s3cr3t%%%\n-----END CERTIFICATE-----\n";
    let unterminated = "-----BEGIN CERTIFICATE-----\nMIIB\n";
    let only_a_key =
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
    for pem in [
        broken_base64,
        unterminated,
        only_a_key,
        "not a pem at all",
        "",
    ] {
        let json = app_user_json(&emu, &ca_option(pem));
        let e = ClientOptions::from_json(&json)
            .and_then(Client::new)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidOptions, "{pem:?}: {e:?}");
        assert!(
            e.message().contains("ca_certificate_pem"),
            "{}",
            e.message()
        );
        assert!(!e.message().contains("s3cr3t"), "{}", e.message());
    }
    assert!(emu.requests().is_empty());
}

#[test]
fn there_is_no_switch_to_skip_verification() {
    let _serial = serial();
    let emu = tls_emulator();
    for key in [
        "danger_accept_invalid_certs",
        "danger_accept_invalid_hostnames",
        "accept_invalid_certs",
        "insecure",
        "skip_tls_verify",
        "tls_verify",
        "verify",
        "verify_tls",
        "ssl_verify",
        "no_verify",
    ] {
        for value in ["true", "false", "0", "\"yes\""] {
            let json = app_user_json(&emu, &format!(r#""{key}":{value}"#));
            let e = ClientOptions::from_json(&json).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidOptions, "{key}");
            assert!(
                e.message().contains(&format!("unknown key '{key}'")),
                "{}",
                e.message()
            );
        }
    }
    for key in partnercenter::config::OPTION_KEYS {
        for word in ["insecure", "verify", "danger", "skip", "invalid"] {
            assert!(!key.contains(word), "option '{key}' looks like a switch");
        }
    }
    assert!(emu.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Plain http only for loopback
// ---------------------------------------------------------------------------------------------

#[test]
fn plain_http_to_a_non_loopback_base_url_is_refused_before_any_connection() {
    let _serial = serial();
    let proxy = RecordingProxy::start();
    let _env = tripwire(&proxy);
    let emu = Emulator::start();
    for target in [
        format!("http://{BLACKHOLE}"),
        format!("http://{BLACKHOLE}:8080/pc"),
        "http://localhost.example.com".to_owned(),
        "http://127.0.0.1.example.com".to_owned(),
        "HTTP://10.255.255.1".to_owned(),
    ] {
        let json = app_user_json(&emu, r#""connect_timeout_ms":5000"#).replacen(
            emu.base_url(),
            &target,
            1,
        );
        let started = Instant::now();
        let result = ClientOptions::from_json(&json)
            .and_then(Client::new)
            .and_then(|client| client.new_relationship_request());
        let elapsed = started.elapsed();
        let e = result.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InsecureUrl, "{target}: {e:?}");
        assert!(e.message().contains("base_url"), "{}", e.message());
        assert!(
            elapsed < Duration::from_millis(100),
            "{target}: {elapsed:?}"
        );
    }
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert!(
        emu.requests().is_empty(),
        "not even the sign-in was attempted"
    );
}

#[test]
fn plain_http_to_a_non_loopback_authority_is_refused_before_any_connection() {
    let _serial = serial();
    let proxy = RecordingProxy::start();
    let _env = tripwire(&proxy);
    let emu = Emulator::start();
    let json = format!(
        r#"{{"base_url":"{b}","authority":"http://{BLACKHOLE}","tenant":"{t}","client_id":"{c}","refresh_token":"{r}","connect_timeout_ms":5000}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID,
        r = dev::REFRESH_TOKEN,
    );
    let started = Instant::now();
    let result = ClientOptions::from_json(&json)
        .and_then(Client::new)
        .and_then(|client| client.new_relationship_request());
    let elapsed = started.elapsed();
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsecureUrl, "{e:?}");
    assert!(e.message().contains("authority"), "{}", e.message());
    assert!(!e.message().contains(dev::REFRESH_TOKEN));
    assert!(elapsed < Duration::from_millis(100), "{elapsed:?}");
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert!(emu.requests().is_empty());
}

#[test]
fn plain_http_is_allowed_for_every_loopback_spelling() {
    let _serial = serial();
    let emu = Emulator::start();
    let port = emu.base_url().rsplit(':').next().unwrap().to_owned();
    for host in ["127.0.0.1", "localhost", "LOCALHOST"] {
        let base = format!("http://{host}:{port}");
        let json = app_user_json(&emu, "").replace(emu.base_url(), &base);
        Client::new(ClientOptions::from_json(&json).unwrap())
            .unwrap()
            .new_relationship_request()
            .unwrap_or_else(|e| panic!("{base}: {e:?}"));
    }
    // ::1 is loopback too: accepted as an option (the emulator listens on IPv4 only).
    let json = app_user_json(&emu, "").replace(emu.base_url(), &format!("http://[::1]:{port}"));
    Client::new(ClientOptions::from_json(&json).unwrap()).expect("[::1] is loopback");
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

fn redirect(path: &str, location: String, count: u64) -> FaultRule {
    FaultRule {
        path: path.into(),
        status: Some(307),
        location: Some(location),
        count: Some(count),
        ..FaultRule::default()
    }
}

/// Every request `other` saw came without credentials.
fn assert_no_credentials_reached(other: &Emulator) {
    for request in other.requests() {
        assert_eq!(
            header(&request, "authorization"),
            None,
            "{} {} carried the bearer token to another origin",
            request.method,
            request.path
        );
        assert_eq!(
            request.grant_type, None,
            "{} {} carried a token grant (a secret) to another origin",
            request.method, request.path
        );
    }
}

#[test]
fn an_api_redirect_to_another_origin_never_carries_the_bearer_token() {
    let _serial = serial();
    let emu = Emulator::start();
    let other = Emulator::start();
    assert_ne!(
        emu.base_url(),
        other.base_url(),
        "another port: another origin"
    );
    let client = app_user_client(&emu, "");
    client.new_relationship_request().unwrap(); // signed in, token cached
    emu.add_fault(redirect(
        RELATIONSHIP,
        format!("{}{RELATIONSHIP}", other.base_url()),
        1,
    ));
    let result = client.new_relationship_request();
    let seen = other.requests();
    assert!(seen.len() <= 1, "{seen:?}");
    assert_no_credentials_reached(&other);
    match result {
        // Followed: the other origin answered 401 without a token, the client signed in
        // again and retried at the API, where the fault was used up.
        Ok(link) => assert!(link.url.contains(dev::PARTNER_ID)),
        Err(e) => assert!(
            matches!(
                e.kind(),
                ErrorKind::Authentication | ErrorKind::Service | ErrorKind::BadResponse
            ),
            "{e:?}"
        ),
    }
}

#[test]
fn a_persistent_redirect_to_another_origin_fails_cleanly_without_leaking() {
    let _serial = serial();
    let emu = Emulator::start();
    let other = Emulator::start();
    let client = app_user_client(&emu, "");
    emu.add_fault(redirect(
        RELATIONSHIP,
        format!("{}{RELATIONSHIP}", other.base_url()),
        0,
    ));
    let started = Instant::now();
    let e = client.new_relationship_request().unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(e.kind(), ErrorKind::Authentication | ErrorKind::Service),
        "{e:?}"
    );
    // Followed without credentials (the other origin answers 401 each time), or not followed
    // at all (a same-origin-only policy): both are clean.
    assert_no_credentials_reached(&other);
}

#[test]
fn an_https_redirect_to_another_https_origin_never_carries_the_bearer_token() {
    let _serial = serial();
    let emu = tls_emulator();
    let other = tls_emulator();
    // Trust both, so only the origin check can keep the token from the other one.
    let bundle = format!("{}{}", ca_of(&emu), ca_of(&other));
    let client = app_user_client(&emu, &ca_option(&bundle));
    client.new_relationship_request().unwrap();
    emu.add_fault(redirect(
        RELATIONSHIP,
        format!("{}{RELATIONSHIP}", other.base_url()),
        1,
    ));
    let _ = client.new_relationship_request();
    assert_no_credentials_reached(&other);
}

/// A 307 from the token endpoint keeps method and body: following it to another origin hands
/// that origin the form body with the refresh token (or client secret).
///
/// reqwest strips only headers (Authorization, Cookie, ...) on a cross-origin redirect, never a
/// 307/308 body, so the library follows same-origin redirects only (this test found that).
#[test]
fn a_sign_in_redirect_to_another_origin_never_carries_the_refresh_token() {
    let _serial = serial();
    let emu = Emulator::start();
    let other = Emulator::start();
    emu.add_fault(redirect(
        &token_path(),
        format!("{}{}", other.base_url(), token_path()),
        0,
    ));
    let result = app_user_client(&emu, "").new_relationship_request();
    assert_no_credentials_reached(&other);
    assert!(result.is_err(), "{result:?}");
}

#[test]
fn a_redirect_to_plain_http_on_a_non_loopback_host_is_not_followed() {
    let _serial = serial();
    let proxy = RecordingProxy::start();
    let _env = tripwire(&proxy);
    let emu = Emulator::start();
    let client = app_user_client(&emu, r#""connect_timeout_ms":5000"#);
    client.new_relationship_request().unwrap();
    emu.add_fault(redirect(
        RELATIONSHIP,
        format!("http://{BLACKHOLE}{RELATIONSHIP}"),
        0,
    ));
    let started = Instant::now();
    let e = client.new_relationship_request().unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.http_status(), Some(307), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::Service, "{e:?}");

    // The sign-in is not followed there either.
    let emu = Emulator::start();
    emu.add_fault(redirect(
        &token_path(),
        format!("http://{BLACKHOLE}{}", token_path()),
        0,
    ));
    let e = app_user_client(&emu, r#""connect_timeout_ms":5000"#)
        .new_relationship_request()
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Authentication | ErrorKind::Service),
        "{e:?}"
    );
    assert!(api_requests(&emu).is_empty());
    assert!(
        proxy.seen().is_empty(),
        "no attempt to reach {BLACKHOLE}: {:?}",
        proxy.seen()
    );
}

// ---------------------------------------------------------------------------------------------
// Proxies from the environment
// ---------------------------------------------------------------------------------------------

#[test]
fn http_proxy_from_the_environment_carries_plain_http_even_to_loopback() {
    let _serial = serial();
    let emu = Emulator::start();
    let proxy = RecordingProxy::start();
    let _env = EnvGuard::proxies(&[("HTTP_PROXY", &proxy.url()), ("http_proxy", &proxy.url())]);
    let link = app_user_client(&emu, "")
        .new_relationship_request()
        .unwrap();
    assert!(link.url.contains(dev::PARTNER_ID));
    let seen = proxy.seen();
    let token = format!("POST {}{} HTTP/1.1", emu.base_url(), token_path());
    let api = format!("GET {}{RELATIONSHIP} HTTP/1.1", emu.base_url());
    assert!(seen.contains(&token), "{seen:?}");
    assert!(seen.contains(&api), "{seen:?}");
    assert_eq!(api_requests(&emu).len(), 1, "forwarded to the emulator");
}

#[test]
fn lower_case_http_proxy_and_all_proxy_are_honoured_too() {
    let _serial = serial();
    for variable in ["http_proxy", "ALL_PROXY"] {
        let emu = Emulator::start();
        let proxy = RecordingProxy::start();
        let _env = EnvGuard::proxies(&[(variable, &proxy.url())]);
        app_user_client(&emu, "")
            .new_relationship_request()
            .unwrap();
        assert_eq!(proxy.seen().len(), 2, "{variable}: {:?}", proxy.seen());
    }
}

#[test]
fn no_proxy_naming_the_host_bypasses_the_proxy() {
    let _serial = serial();
    let emu = Emulator::start();
    let proxy = RecordingProxy::start();
    for no_proxy in [
        "127.0.0.1",
        "localhost,127.0.0.0/8",
        "example.com, 127.0.0.1",
    ] {
        let _env = EnvGuard::proxies(&[("HTTP_PROXY", &proxy.url()), ("NO_PROXY", no_proxy)]);
        app_user_client(&emu, "")
            .new_relationship_request()
            .unwrap();
        assert!(
            proxy.seen().is_empty(),
            "NO_PROXY={no_proxy}: {:?}",
            proxy.seen()
        );
    }
    let _env = EnvGuard::proxies(&[("HTTP_PROXY", &proxy.url()), ("no_proxy", "127.0.0.1")]);
    app_user_client(&emu, "")
        .new_relationship_request()
        .unwrap();
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert_eq!(api_requests(&emu).len(), 4);
}

/// `NO_PROXY=*` bypasses host names only: hyper-util's `NoProxy::contains` checks an IP
/// literal against the IP/CIDR entries alone, and `*` is kept as a domain entry. So
/// `http://localhost:PORT` goes direct but `http://127.0.0.1:PORT` still uses the proxy
/// (curl would bypass both). Name IPs explicitly (`127.0.0.1` or `127.0.0.0/8`).
#[test]
fn no_proxy_star_bypasses_host_names_but_not_ip_literals() {
    let _serial = serial();
    let emu = Emulator::start();
    let proxy = RecordingProxy::start();
    let _env = EnvGuard::proxies(&[("HTTP_PROXY", &proxy.url()), ("NO_PROXY", "*")]);
    let localhost = emu.base_url().replace("127.0.0.1", "localhost");
    let json = app_user_json(&emu, "").replace(emu.base_url(), &localhost);
    Client::new(ClientOptions::from_json(&json).unwrap())
        .unwrap()
        .new_relationship_request()
        .unwrap();
    assert!(proxy.seen().is_empty(), "localhost: {:?}", proxy.seen());
    app_user_client(&emu, "")
        .new_relationship_request()
        .unwrap();
    assert_eq!(proxy.seen().len(), 2, "127.0.0.1: {:?}", proxy.seen());
}

#[test]
fn https_proxy_tunnels_with_connect_and_tls_stays_verified() {
    let _serial = serial();
    let emu = tls_emulator();
    let proxy = RecordingProxy::start();
    let _env = EnvGuard::proxies(&[("HTTPS_PROXY", &proxy.url())]);
    let authority = emu.base_url().trim_start_matches("https://").to_owned();
    let connect = format!("CONNECT {authority} HTTP/1.1");

    // Through the tunnel the emulator's certificate is still checked: refused without its CA.
    let e = app_user_client(&emu, NO_RETRY)
        .new_relationship_request()
        .unwrap_err();
    assert_certificate_refused(&e, &emu);
    assert!(proxy.seen().contains(&connect), "{:?}", proxy.seen());

    app_user_client(&emu, &ca_option(&ca_of(&emu)))
        .new_relationship_request()
        .unwrap();
    let seen = proxy.seen();
    assert!(
        seen.iter().all(|line| line == &connect),
        "the proxy sees only CONNECT, never a path: {seen:?}"
    );
    assert_eq!(api_requests(&emu).len(), 1);
}

#[test]
fn the_https_proxy_is_not_used_for_plain_http_nor_the_http_proxy_for_https() {
    let _serial = serial();
    let plain = Emulator::start();
    let tls = tls_emulator();
    let proxy = RecordingProxy::start();
    {
        let _env = EnvGuard::proxies(&[("HTTPS_PROXY", &proxy.url())]);
        app_user_client(&plain, "")
            .new_relationship_request()
            .unwrap();
    }
    {
        let _env = EnvGuard::proxies(&[("HTTP_PROXY", &proxy.url())]);
        app_user_client(&tls, &ca_option(&ca_of(&tls)))
            .new_relationship_request()
            .unwrap();
    }
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}

#[test]
fn proxy_variables_are_read_when_the_client_is_created() {
    let _serial = serial();
    let emu = Emulator::start();
    let proxy = RecordingProxy::start();
    let before = {
        let _env = EnvGuard::proxies(&[]);
        app_user_client(&emu, "")
    };
    let _env = EnvGuard::proxies(&[("HTTP_PROXY", &proxy.url())]);
    before.new_relationship_request().unwrap();
    assert!(
        proxy.seen().is_empty(),
        "an existing client keeps its proxy choice"
    );
    app_user_client(&emu, "")
        .new_relationship_request()
        .unwrap();
    assert!(!proxy.seen().is_empty(), "a new client reads the variables");
}

#[test]
fn a_cgi_environment_ignores_http_proxy() {
    // httpoxy: a `Proxy:` request header becomes HTTP_PROXY under CGI, so there it is ignored.
    let _serial = serial();
    let emu = Emulator::start();
    let proxy = RecordingProxy::start();
    let _env = EnvGuard::proxies(&[("HTTP_PROXY", &proxy.url()), ("REQUEST_METHOD", "GET")]);
    app_user_client(&emu, "")
        .new_relationship_request()
        .unwrap();
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}
