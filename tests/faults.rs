//! The fault table: every way the service or the network can misbehave, one row each, with the
//! expected outcome, a bound on the time the call takes and on the requests it sends.

mod common;

use std::time::{Duration, Instant};

use common::*;
use partnercenter::ErrorKind;
use partnercenter_emulator::{Emulator, EmulatorConfig, FaultRule, credentials as dev};

const RELATIONSHIP: &str = "/v1/customers/relationshiprequests";

struct Row {
    name: &'static str,
    fault: FaultRule,
    /// Extra option keys (JSON fragment) for the client.
    options: &'static str,
    /// `None`: the call succeeds.
    expect: Option<ErrorKind>,
    /// Requests the faulted path may see, at most (no retry storm).
    max_requests: usize,
    /// The call ends within this (deadline plus a margin).
    within: Duration,
}

fn api(fault: FaultRule) -> FaultRule {
    FaultRule {
        method: Some("GET".into()),
        path: RELATIONSHIP.into(),
        ..fault
    }
}

fn token(fault: FaultRule) -> FaultRule {
    FaultRule {
        method: Some("POST".into()),
        path: format!("/{}/oauth2/v2.0/token", dev::TENANT),
        ..fault
    }
}

fn once() -> FaultRule {
    FaultRule {
        count: Some(1),
        ..FaultRule::default()
    }
}

fn always() -> FaultRule {
    FaultRule {
        count: Some(0),
        ..FaultRule::default()
    }
}

fn rows() -> Vec<Row> {
    let s = Duration::from_secs;
    let fast = r#""timeout_ms": 4000, "attempt_timeout_ms": 1000"#;
    vec![
        Row { name: "429 with Retry-After", fault: api(FaultRule { status: Some(429), retry_after: Some(1), ..once() }), options: "", expect: None, max_requests: 2, within: s(3) },
        Row { name: "429 without Retry-After", fault: api(FaultRule { status: Some(429), ..once() }), options: "", expect: None, max_requests: 2, within: s(2) },
        Row { name: "429 throttling body only", fault: api(FaultRule { status: Some(429), body: Some(r#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}"#.into()), ..once() }), options: "", expect: None, max_requests: 2, within: s(3) },
        Row { name: "503 with Retry-After", fault: api(FaultRule { status: Some(503), retry_after: Some(1), ..once() }), options: "", expect: None, max_requests: 2, within: s(3) },
        Row { name: "500 streak shorter than the budget", fault: api(FaultRule { status: Some(500), count: Some(2), ..FaultRule::default() }), options: "", expect: None, max_requests: 3, within: s(3) },
        Row { name: "502 streak longer than the budget", fault: api(FaultRule { status: Some(502), ..always() }), options: r#""max_retries": 2"#, expect: Some(ErrorKind::Service), max_requests: 3, within: s(3) },
        Row { name: "504 streak longer than the budget", fault: api(FaultRule { status: Some(504), ..always() }), options: r#""max_retries": 1"#, expect: Some(ErrorKind::Service), max_requests: 2, within: s(2) },
        Row { name: "501 is not transient", fault: api(FaultRule { status: Some(501), ..always() }), options: "", expect: Some(ErrorKind::Service), max_requests: 1, within: s(1) },
        Row { name: "reset before headers", fault: api(FaultRule { reset: true, ..once() }), options: "", expect: None, max_requests: 2, within: s(2) },
        Row { name: "reset after headers", fault: api(FaultRule { reset_after_headers: true, ..once() }), options: "", expect: None, max_requests: 2, within: s(2) },
        Row { name: "reset every time", fault: api(FaultRule { reset: true, ..always() }), options: r#""max_retries": 2"#, expect: Some(ErrorKind::Network), max_requests: 3, within: s(3) },
        Row { name: "stall past the attempt timeout", fault: api(FaultRule { stall_ms: Some(10_000), ..once() }), options: fast, expect: None, max_requests: 2, within: s(3) },
        Row { name: "stall past the deadline", fault: api(FaultRule { stall_ms: Some(10_000), ..always() }), options: fast, expect: Some(ErrorKind::Timeout), max_requests: 4, within: Duration::from_millis(4500) },
        Row { name: "slow trickle body", fault: api(FaultRule { trickle_ms: Some(200), ..always() }), options: r#""timeout_ms": 1500, "attempt_timeout_ms": 700"#, expect: Some(ErrorKind::Timeout), max_requests: 3, within: s(2) },
        Row { name: "truncated body", fault: api(FaultRule { malformed: true, ..once() }), options: "", expect: Some(ErrorKind::BadResponse), max_requests: 1, within: s(1) },
        Row { name: "empty body", fault: api(FaultRule { empty_body: true, status: Some(200), ..once() }), options: "", expect: Some(ErrorKind::BadResponse), max_requests: 1, within: s(1) },
        Row { name: "not JSON", fault: api(FaultRule { status: Some(200), body: Some("<html>maintenance</html>".into()), content_type: Some("text/html".into()), ..once() }), options: "", expect: Some(ErrorKind::BadResponse), max_requests: 1, within: s(1) },
        Row { name: "JSON with a wrong content type is read", fault: api(FaultRule { status: Some(200), body: Some(r#"{"url":"https://admin.microsoft.com/x","attributes":{}}"#.into()), content_type: Some("text/plain".into()), ..once() }), options: "", expect: None, max_requests: 1, within: s(1) },
        Row { name: "BOM only", fault: api(FaultRule { status: Some(200), body: Some("\u{feff}".into()), ..once() }), options: "", expect: Some(ErrorKind::BadResponse), max_requests: 1, within: s(1) },
        Row { name: "oversized body", fault: api(FaultRule { oversized_bytes: Some(64 << 20), ..once() }), options: r#""max_response_bytes": 1048576"#, expect: Some(ErrorKind::ResponseTooLarge), max_requests: 1, within: s(2) },
        Row { name: "HTML error page on 502", fault: api(FaultRule { status: Some(502), body: Some("<html>Bad Gateway</html>".into()), content_type: Some("text/html".into()), ..always() }), options: r#""max_retries": 0"#, expect: Some(ErrorKind::Service), max_requests: 1, within: s(1) },
        Row { name: "token endpoint down", fault: token(FaultRule { status: Some(500), ..always() }), options: r#""max_retries": 2"#, expect: Some(ErrorKind::Service), max_requests: 3, within: s(3) },
        Row { name: "token endpoint slow", fault: token(FaultRule { delay_ms: Some(5_000), ..always() }), options: fast, expect: Some(ErrorKind::Timeout), max_requests: 4, within: Duration::from_millis(4500) },
        Row { name: "token endpoint garbage", fault: token(FaultRule { status: Some(200), body: Some("{not json".into()), ..once() }), options: "", expect: Some(ErrorKind::BadResponse), max_requests: 1, within: s(1) },
        Row { name: "token endpoint invalid_grant", fault: token(FaultRule { status: Some(400), body: Some(r#"{"error":"invalid_grant","error_description":"AADSTS70000: The grant is invalid.\r\nTrace ID: x"}"#.into()), ..once() }), options: "", expect: Some(ErrorKind::Authentication), max_requests: 1, within: s(1) },
        Row { name: "401 with a valid token", fault: api(FaultRule { status: Some(401), ..always() }), options: "", expect: Some(ErrorKind::Authentication), max_requests: 2, within: s(1) },
    ]
}

#[test]
fn every_fault_ends_as_expected_within_its_deadline_and_without_a_retry_storm() {
    let mut failures = Vec::new();
    for row in rows() {
        let emu = Emulator::start_with(EmulatorConfig::default()).unwrap();
        emu.add_fault(row.fault.clone());
        let client = app_user_client(&emu, row.options);
        let started = Instant::now();
        let outcome = client.new_relationship_request();
        let took = started.elapsed();
        let path = row.fault.path.clone();
        let sent = emu.requests().iter().filter(|r| r.path == path).count();
        let got = outcome.as_ref().err().map(|e| e.kind());
        if got != row.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                row.name,
                row.expect,
                outcome.map(|l| l.url)
            ));
        }
        if took > row.within {
            failures.push(format!(
                "{}: took {took:?}, more than {:?}",
                row.name, row.within
            ));
        }
        if sent > row.max_requests || sent == 0 {
            failures.push(format!(
                "{}: {sent} requests to {path}, expected 1..={}",
                row.name, row.max_requests
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An update is sent once, whatever happens to it: never retried after the service may have
/// acted on it.
#[test]
fn a_non_idempotent_update_is_never_sent_twice() {
    let put = |fault: FaultRule| FaultRule {
        method: Some("PUT".into()),
        path: "/v1/customers/*".into(),
        ..fault
    };
    let cases = [
        (
            "500",
            put(FaultRule {
                status: Some(500),
                ..always()
            }),
        ),
        (
            "502",
            put(FaultRule {
                status: Some(502),
                ..always()
            }),
        ),
        (
            "reset before headers",
            put(FaultRule {
                reset: true,
                ..always()
            }),
        ),
        (
            "reset after headers",
            put(FaultRule {
                reset_after_headers: true,
                ..always()
            }),
        ),
        (
            "stall",
            put(FaultRule {
                stall_ms: Some(5_000),
                ..always()
            }),
        ),
        (
            "408",
            put(FaultRule {
                status: Some(408),
                ..always()
            }),
        ),
    ];
    for (name, fault) in cases {
        let emu = Emulator::start_with(EmulatorConfig {
            customers: 1,
            ..EmulatorConfig::default()
        })
        .unwrap();
        let client = app_user_client(&emu, r#""timeout_ms": 3000, "attempt_timeout_ms": 1000"#);
        let id = emu.customer_ids()[0].clone();
        let profile = client.get_billing_profile(&id).unwrap();
        emu.add_fault(fault);
        assert!(
            client.update_billing_profile(&id, &profile).is_err(),
            "{name}"
        );
        let puts = emu.requests().iter().filter(|r| r.method == "PUT").count();
        assert_eq!(puts, 1, "{name}: the update was sent {puts} times");
    }
}

/// A refused update (429/503: the service did not act) is retried, once the wait allows.
#[test]
fn an_update_refused_with_429_is_retried() {
    let emu = Emulator::start_with(EmulatorConfig {
        customers: 1,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = app_user_client(&emu, "");
    let id = emu.customer_ids()[0].clone();
    let profile = client.get_billing_profile(&id).unwrap();
    emu.add_fault(FaultRule {
        method: Some("PUT".into()),
        path: "/v1/customers/*".into(),
        status: Some(429),
        retry_after: Some(1),
        ..once()
    });
    client.update_billing_profile(&id, &profile).unwrap();
    assert_eq!(
        emu.requests().iter().filter(|r| r.method == "PUT").count(),
        2
    );
}
