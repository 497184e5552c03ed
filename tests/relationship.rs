//! The relationship request end to end against the emulator: credentials, tokens, headers.

mod common;

use std::time::{Duration, Instant};

use common::*;
use partnercenter::blocking::Client;
use partnercenter::{ClientOptions, ErrorKind};
use partnercenter_emulator::{Emulator, credentials as dev};
use secrecy::ExposeSecret;

#[test]
fn refresh_token_credentials_get_the_link() {
    let emu = Emulator::start();
    let link = app_user_client(&emu, "")
        .new_relationship_request()
        .unwrap();
    assert!(
        link.url.starts_with("https://admin.microsoft.com/"),
        "{}",
        link.url
    );
    assert!(
        link.url.contains(&format!("partnerId={}", dev::PARTNER_ID)),
        "{}",
        link.url
    );
    assert!(link.url.contains("invType=ResellerRelationship"));
    assert_eq!(link.object_type(), Some("CustomerRelationshipRequest"));
    assert!(uuid::Uuid::parse_str(&link.request_id).is_ok());
    assert!(uuid::Uuid::parse_str(&link.correlation_id).is_ok());
}

#[test]
fn the_link_is_stable_for_the_partner() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    let a = client.new_relationship_request().unwrap();
    let b = client.new_relationship_request().unwrap();
    assert_eq!(a.url, b.url);
    assert_ne!(a.request_id, b.request_id, "a new MS-RequestId per request");
}

#[test]
fn access_token_credentials_get_the_link() {
    let emu = Emulator::start();
    let token = mint_access_token(&emu);
    let json = format!(
        r#"{{"base_url":"{}","access_token":"{}"}}"#,
        emu.base_url(),
        token
    );
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    assert!(
        client
            .new_relationship_request()
            .unwrap()
            .url
            .contains(dev::PARTNER_ID)
    );
    assert!(
        token_requests(&emu).len() == 1,
        "only the mint: a given token is used as is"
    );
}

#[test]
fn an_invalidated_access_token_fails_clearly_without_a_refresh() {
    let emu = Emulator::start();
    let token = mint_access_token(&emu);
    emu.invalidate_access_tokens();
    let json = format!(
        r#"{{"base_url":"{}","access_token":"{}"}}"#,
        emu.base_url(),
        token
    );
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(e.message().contains("access token"), "{}", e.message());
    assert!(!e.message().contains(&token));
}

#[test]
fn an_access_token_a_header_cannot_carry_is_refused_before_sending() {
    let emu = Emulator::start();
    // A control character: JSON can carry it, an HTTP header cannot.
    let json = format!(
        r#"{{"base_url":"{}","access_token":"secret-part\u0001tail"}}"#,
        emu.base_url()
    );
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    for _ in 0..2 {
        let e = client.new_relationship_request().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(
            e.message().contains("not allowed in a header"),
            "{}",
            e.message()
        );
        assert!(!e.message().contains("secret-part"), "{}", e.message());
    }
    assert!(api_requests(&emu).is_empty(), "nothing was sent");
}

#[test]
fn app_only_is_refused_with_a_message_that_says_why() {
    let emu = Emulator::start();
    let e = app_only_client(&emu)
        .new_relationship_request()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(e.http_status(), Some(403));
    assert!(e.message().contains("App+User"), "{}", e.message());
    assert!(e.message().contains("app-only"), "{}", e.message());
    assert!(e.request_id().is_some());
    assert_eq!(api_requests(&emu).len(), 1, "a 403 is never retried");
}

#[test]
fn a_bad_refresh_token_fails_sign_in_with_the_aadsts_code() {
    let emu = Emulator::start();
    let json = app_user_json(&emu, "").replace(dev::REFRESH_TOKEN, "not-a-valid-refresh-token");
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(
        e.service_code().unwrap_or("").starts_with("AADSTS"),
        "{:?}",
        e
    );
    assert!(e.message().contains("invalid_grant"), "{}", e.message());
    assert!(!e.message().contains("not-a-valid-refresh-token"));
    assert!(api_requests(&emu).is_empty(), "no API call without a token");
}

#[test]
fn a_wrong_client_secret_fails_sign_in() {
    let emu = Emulator::start();
    let json = format!(
        r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}","client_secret":"wrong-secret-123"}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID
    );
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    let e = client.sign_in().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.http_status(), Some(401));
    assert!(!e.message().contains("wrong-secret-123"));
}

#[test]
fn the_rotated_refresh_token_is_kept_and_works() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    assert_eq!(
        client.refresh_token().unwrap().expose_secret(),
        dev::REFRESH_TOKEN
    );
    client.new_relationship_request().unwrap();
    let rotated = client.refresh_token().unwrap().expose_secret().to_owned();
    assert_ne!(
        rotated,
        dev::REFRESH_TOKEN,
        "the service rotated it and the client kept the new one"
    );
    let json = app_user_json(&emu, "").replace(dev::REFRESH_TOKEN, &rotated);
    let second = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    second.new_relationship_request().unwrap();
    assert_ne!(
        second.refresh_token().unwrap().expose_secret(),
        rotated.as_str()
    );
}

#[test]
fn tokens_are_cached_and_renewed_before_expiry() {
    // Lifetime 2 s: the client renews at half the lifetime (the 60 s margin caps at half).
    let emu = emulator_with_lifetime(Duration::from_secs(2));
    let client = app_user_client(&emu, "");
    client.new_relationship_request().unwrap();
    client.new_relationship_request().unwrap();
    assert_eq!(
        token_requests(&emu).len(),
        1,
        "the second call reuses the cached token"
    );
    std::thread::sleep(Duration::from_millis(1200));
    client.new_relationship_request().unwrap();
    assert_eq!(token_requests(&emu).len(), 2, "renewed before it expired");
    std::thread::sleep(Duration::from_millis(2200));
    client.new_relationship_request().unwrap();
    assert_eq!(token_requests(&emu).len(), 3, "renewed after it expired");
    assert!(
        api_requests(&emu)
            .iter()
            .all(|r| r.path == "/v1/customers/relationshiprequests")
    );
    assert_eq!(
        api_requests(&emu).len(),
        4,
        "no call was refused for an expired token"
    );
}

#[test]
fn a_401_renews_the_token_once_and_retries_once() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    client.new_relationship_request().unwrap();
    emu.invalidate_access_tokens();
    client.new_relationship_request().unwrap();
    assert_eq!(token_requests(&emu).len(), 2);
    assert_eq!(api_requests(&emu).len(), 3, "one refused call, one retry");
}

#[test]
fn a_persistent_401_fails_after_one_renewal() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    let mut rule = relationship_fault();
    rule.status = Some(401);
    rule.count = Some(0);
    emu.add_fault(rule);
    let e = client.new_relationship_request().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(
        e.message().contains("even after a fresh sign-in"),
        "{}",
        e.message()
    );
    assert_eq!(token_requests(&emu).len(), 2, "renewed exactly once");
    assert_eq!(api_requests(&emu).len(), 2, "retried exactly once");
}

#[test]
fn one_renewal_in_flight_for_many_threads() {
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    std::thread::scope(|s| {
        for _ in 0..8 {
            let client = client.clone();
            s.spawn(move || {
                for _ in 0..5 {
                    client.new_relationship_request().unwrap();
                }
            });
        }
    });
    assert_eq!(
        token_requests(&emu).len(),
        1,
        "one sign-in shared by 8 threads"
    );
    assert_eq!(api_requests(&emu).len(), 40);
}

#[test]
fn the_headers_sent_are_the_services() {
    let emu = Emulator::start();
    let correlation = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let client = app_user_client(
        &emu,
        &format!(
            r#""correlation_id":"{correlation}","locale":"fr-FR","application_name":"onboarding-runbook""#
        ),
    );
    let link = client.new_relationship_request().unwrap();
    assert_eq!(link.correlation_id, correlation, "echoed by the service");
    let seen = api_requests(&emu);
    assert_eq!(seen.len(), 1);
    let header = |name: &str| {
        seen[0]
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("header {name} missing"))
    };
    assert_eq!(header("authorization"), "Bearer [REDACTED]");
    assert_eq!(header("accept"), "application/json");
    assert_eq!(header("ms-requestid"), link.request_id);
    assert!(uuid::Uuid::parse_str(&header("ms-requestid")).is_ok());
    assert_eq!(header("ms-correlationid"), correlation);
    assert_eq!(header("x-locale"), "fr-FR");
    assert_eq!(
        header("user-agent"),
        format!("partnercenter/{}", partnercenter::VERSION)
    );
    assert_eq!(header("ms-partnercenter-application"), "onboarding-runbook");
}

#[test]
fn the_service_answer_starts_with_a_bom_and_is_parsed() {
    let emu = Emulator::start();
    let token = mint_access_token(&emu);
    let request = format!(
        "GET /v1/customers/relationshiprequests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nMS-RequestId: {}\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
        uuid::Uuid::new_v4()
    );
    let (status, _, body) = raw_http(emu.base_url(), &request);
    assert_eq!(status, 200);
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "the emulator sends a BOM like the service"
    );
    let json = format!(
        r#"{{"base_url":"{}","access_token":"{}"}}"#,
        emu.base_url(),
        token
    );
    let client = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    assert!(
        client.new_relationship_request().is_ok(),
        "the library accepts it"
    );
}

#[test]
fn device_code_sign_in_approved_gets_the_link() {
    let emu = Emulator::start_with(partnercenter_emulator::EmulatorConfig {
        device_code_interval: Duration::from_secs(1),
        ..Default::default()
    })
    .unwrap();
    let json = format!(
        r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}"}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID
    );
    let flow = partnercenter::blocking::DeviceCode::start(ClientOptions::from_json(&json).unwrap())
        .unwrap();
    let info = flow.info().clone();
    assert!(info.message.contains(&info.user_code));
    assert!(info.message.contains(&info.verification_uri));
    assert_eq!(info.interval, 1);
    let waiter = {
        let flow = flow.clone();
        std::thread::spawn(move || flow.wait())
    };
    std::thread::sleep(Duration::from_millis(1500));
    assert!(emu.approve_device_code(Some(&info.user_code)));
    let client = waiter.join().unwrap().unwrap();
    assert!(client.refresh_token().is_some());
    assert!(
        client
            .new_relationship_request()
            .unwrap()
            .url
            .contains(dev::PARTNER_ID)
    );
    let polls = token_requests(&emu);
    assert!(
        polls.len() >= 2,
        "polled while pending, then redeemed: {polls:?}"
    );
}

#[test]
fn device_code_declined_and_cancelled() {
    let emu = Emulator::start_with(partnercenter_emulator::EmulatorConfig {
        device_code_interval: Duration::from_secs(1),
        ..Default::default()
    })
    .unwrap();
    let json = format!(
        r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}"}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID
    );
    let options = ClientOptions::from_json(&json).unwrap();
    let flow = partnercenter::blocking::DeviceCode::start(options.clone()).unwrap();
    assert!(emu.decline_device_code(Some(&flow.info().user_code)));
    assert_eq!(
        flow.wait().unwrap_err().kind(),
        ErrorKind::DeviceCodeDeclined
    );

    let flow = partnercenter::blocking::DeviceCode::start(options).unwrap();
    let canceller = {
        let flow = flow.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            flow.cancel();
        })
    };
    let started = Instant::now();
    assert_eq!(flow.wait().unwrap_err().kind(), ErrorKind::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(3));
    canceller.join().unwrap();
}
