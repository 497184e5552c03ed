//! Retries, deadlines, caps and input validation against the emulator's faults.

mod common;

use std::time::{Duration, Instant};

use common::*;
use partnercenter::blocking::Client;
use partnercenter::{ClientOptions, ErrorKind};
use partnercenter_emulator::Emulator;

#[test]
fn a_429_with_retry_after_is_waited_out() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    client.sign_in().unwrap();
    let mut rule = relationship_fault();
    rule.status = Some(429);
    rule.retry_after = Some(1);
    emu.add_fault(rule);
    let started = Instant::now();
    client.new_relationship_request().unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited the Retry-After"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    let seen = api_requests(&emu);
    assert_eq!(seen.len(), 2);
    let id = |i: usize| {
        seen[i]
            .headers
            .iter()
            .find(|(k, _)| k == "ms-requestid")
            .unwrap()
            .1
            .clone()
    };
    assert_ne!(
        id(0),
        id(1),
        "an answered request is retried under a new MS-RequestId"
    );
}

#[test]
fn a_retry_after_longer_than_the_cap_ends_the_call_as_throttled() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, r#""max_retry_after_ms": 2000"#);
    let mut rule = relationship_fault();
    rule.status = Some(429);
    rule.retry_after = Some(57);
    emu.add_fault(rule);
    let started = Instant::now();
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Throttled);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(57)));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "did not sit out 57 s"
    );
    assert!(e.message().contains("Rate limit"), "{}", e.message());
}

#[test]
fn a_503_then_success() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    let mut rule = relationship_fault();
    rule.status = Some(503);
    rule.retry_after = Some(0);
    rule.count = Some(2);
    emu.add_fault(rule);
    client.new_relationship_request().unwrap();
    assert_eq!(api_requests(&emu).len(), 3);
}

#[test]
fn a_500_past_the_budget_is_a_service_error_with_the_request_id() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, r#""max_retries": 2"#);
    let mut rule = relationship_fault();
    rule.status = Some(500);
    rule.count = Some(0);
    emu.add_fault(rule);
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.http_status(), Some(500));
    let seen = api_requests(&emu);
    assert_eq!(seen.len(), 3, "first try plus two retries, no storm");
    let last_id = seen[2]
        .headers
        .iter()
        .find(|(k, _)| k == "ms-requestid")
        .unwrap()
        .1
        .clone();
    assert_eq!(e.request_id(), Some(last_id.as_str()));
    assert!(e.message().contains(&last_id));
}

#[test]
fn client_errors_are_never_retried() {
    for status in [400u16, 403, 404, 409, 412] {
        let emu = Emulator::start();
        let client = app_user_client(&emu, "");
        let mut rule = relationship_fault();
        rule.status = Some(status);
        rule.count = Some(0);
        emu.add_fault(rule);
        let e = client.new_relationship_request().unwrap_err();
        assert_eq!(e.http_status(), Some(status));
        assert_eq!(api_requests(&emu).len(), 1, "{status} was retried");
    }
}

#[test]
fn a_stall_ends_as_timeout_within_the_deadline() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, r#""timeout_ms": 1500, "attempt_timeout_ms": 600"#);
    client.sign_in().unwrap();
    let mut rule = relationship_fault();
    rule.stall_ms = Some(10_000);
    rule.count = Some(0);
    emu.add_fault(rule);
    let started = Instant::now();
    let e = client.new_relationship_request().unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e:?}");
    assert!(took < Duration::from_millis(1500 + 400), "took {took:?}");
    assert!(took >= Duration::from_millis(600));
    assert!(
        api_requests(&emu).len() >= 2,
        "the stalled attempt was retried within the deadline"
    );
}

#[test]
fn a_malformed_body_is_a_bad_response() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    let mut rule = relationship_fault();
    rule.malformed = true;
    emu.add_fault(rule);
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadResponse);
    assert!(e.request_id().is_some());
}

#[test]
fn an_oversized_body_is_refused() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, r#""max_response_bytes": 4096"#);
    let mut rule = relationship_fault();
    rule.oversized_bytes = Some(1_000_000);
    emu.add_fault(rule);
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseTooLarge);
    assert!(e.message().contains("4096"));
}

#[test]
fn a_connection_reset_is_retried() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    client.sign_in().unwrap();
    let mut rule = relationship_fault();
    rule.reset = true;
    emu.add_fault(rule);
    client.new_relationship_request().unwrap();
    assert_eq!(api_requests(&emu).len(), 2);
}

#[test]
fn nothing_listening_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let json =
        format!(r#"{{"base_url":"http://127.0.0.1:{port}","access_token":"t","max_retries":1}}"#);
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e:?}");
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused_before_connecting() {
    for url in [
        "http://10.1.2.3",
        "http://api.partnercenter.microsoft.com",
        "http://192.168.0.1:8080",
    ] {
        let json = format!(r#"{{"base_url":"{url}","access_token":"t"}}"#);
        let e = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InsecureUrl, "{url}");
        assert!(e.message().contains("https"), "{}", e.message());
    }
    let json = r#"{"authority":"http://login.example.com","tenant":"t.example","client_id":"a","client_secret":"s"}"#;
    let e = Client::new(ClientOptions::from_json(json).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsecureUrl);
}

#[test]
fn an_unknown_option_is_refused_by_name() {
    let e = ClientOptions::from_json(r#"{"acess_token":"hunter2-secret"}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidOptions);
    assert!(e.message().contains("'acess_token'"));
    assert!(!e.message().contains("hunter2"));
}

#[test]
fn missing_credentials_are_explained() {
    let e =
        Client::new(ClientOptions::from_json(r#"{"tenant":"t.example"}"#).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidOptions);
    assert!(e.message().contains("refresh_token"));
}
