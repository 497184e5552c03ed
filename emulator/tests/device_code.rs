//! Device-code sign-in: pending, slow_down, approval, one redemption, decline, expiry.

mod common;

use std::time::Duration;

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig, credentials};
use serde_json::Value;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn emulator(lifetime: Duration) -> Emulator {
    Emulator::start_with(EmulatorConfig {
        device_code_interval: Duration::from_secs(1),
        device_code_lifetime: lifetime,
        ..EmulatorConfig::default()
    })
    .unwrap()
}

async fn start_sign_in(emulator: &Emulator) -> Value {
    let response = post_form(
        emulator,
        &format!("/{}/oauth2/v2.0/devicecode", credentials::TENANT),
        &[("client_id", credentials::CLIENT_ID), ("scope", SCOPE_USER)],
    )
    .await;
    assert_eq!(response.status(), 200);
    json(response).await
}

async fn poll(emulator: &Emulator, device_code: &str) -> (u16, Value) {
    let response = post_form(
        emulator,
        &token_path(),
        &[
            ("grant_type", DEVICE_GRANT),
            ("client_id", credentials::CLIENT_ID),
            ("device_code", device_code),
        ],
    )
    .await;
    let status = response.status().as_u16();
    (status, json(response).await)
}

#[tokio::test]
async fn pending_then_slow_down_then_approved_then_redeemed_once() {
    let emulator = emulator(Duration::from_secs(60));
    let started = start_sign_in(&emulator).await;
    let user_code = started["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert!(
        user_code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    );
    assert_eq!(started["interval"], 1);
    assert_eq!(started["expires_in"], 60);
    let uri = started["verification_uri"].as_str().unwrap();
    assert_eq!(
        uri,
        format!("{}/_emulator/devicelogin", emulator.base_url())
    );
    assert!(started["message"].as_str().unwrap().contains(user_code));
    let device_code = started["device_code"].as_str().unwrap();

    let (status, body) = poll(&emulator, device_code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("authorization_pending"))
    );
    assert_eq!(body["error_codes"][0], 70016);
    let (status, body) = poll(&emulator, device_code).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("slow_down")));

    assert!(emulator.approve_device_code(Some(user_code)));
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (status, body) = poll(&emulator, device_code).await;
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().unwrap();
    assert!(body["refresh_token"].is_string());
    assert_eq!(api_get(&emulator, RELATIONSHIP, token).await.status(), 200);

    let (status, body) = poll(&emulator, device_code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_declined_sign_in_says_so_over_the_admin_api() {
    let emulator = emulator(Duration::from_secs(60));
    let started = start_sign_in(&emulator).await;
    let declined = client()
        .post(format!("{}/_emulator/device/decline", emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(declined.status(), 200);
    let (status, body) = poll(&emulator, started["device_code"].as_str().unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("authorization_declined"))
    );
    let none_left = client()
        .post(format!("{}/_emulator/device/approve", emulator.base_url()))
        .json(&serde_json::json!({ "userCode": "NOSUCHONE" }))
        .send()
        .await
        .unwrap();
    assert_eq!(none_left.status(), 404);
}

#[tokio::test]
async fn codes_expire_and_unknown_codes_are_invalid() {
    let emulator = emulator(Duration::from_secs(1));
    let started = start_sign_in(&emulator).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, body) = poll(&emulator, started["device_code"].as_str().unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("expired_token"))
    );
    assert_eq!(body["error_codes"][0], 70020);
    assert!(!emulator.approve_device_code(None));
    let (status, body) = poll(&emulator, "no-such-code").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}
