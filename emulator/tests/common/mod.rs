//! Helpers shared by the emulator's integration tests.
#![allow(dead_code)]

use partnercenter_emulator::{Emulator, credentials};
use reqwest::{Client, Response};
use serde_json::Value;

pub const SCOPE_DEFAULT: &str = "https://api.partnercenter.microsoft.com/.default";
pub const SCOPE_USER: &str =
    "https://api.partnercenter.microsoft.com/user_impersonation offline_access";
pub const RELATIONSHIP: &str = "/v1/customers/relationshiprequests";
pub const GUID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

pub fn client() -> Client {
    // In the workspace, reqwest's features unify with the library's `rustls-no-provider`, which
    // needs a process-wide crypto provider before any client is built (plain http included).
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder().no_proxy().build().expect("client")
}

pub async fn post_form(emulator: &Emulator, path: &str, form: &[(&str, &str)]) -> Response {
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    client()
        .post(format!("{}{path}", emulator.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("send")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn token_path() -> String {
    format!("/{}/oauth2/v2.0/token", credentials::TENANT)
}

pub async fn app_only_token(emulator: &Emulator) -> String {
    let response = post_form(
        emulator,
        &token_path(),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", credentials::CLIENT_ID),
            ("client_secret", credentials::CLIENT_SECRET),
            ("scope", SCOPE_DEFAULT),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    json(response).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn refresh(emulator: &Emulator, refresh_token: &str) -> Value {
    let response = post_form(
        emulator,
        &token_path(),
        &[
            ("grant_type", "refresh_token"),
            ("client_id", credentials::CLIENT_ID),
            ("refresh_token", refresh_token),
            ("scope", SCOPE_USER),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    json(response).await
}

pub async fn app_user_token(emulator: &Emulator) -> String {
    refresh(emulator, credentials::REFRESH_TOKEN).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn api_get(emulator: &Emulator, path: &str, token: &str) -> Response {
    client()
        .get(format!("{}{path}", emulator.base_url()))
        .bearer_auth(token)
        .header("accept", "application/json")
        .header("MS-RequestId", GUID)
        .header("MS-CorrelationId", "7d9b4f4c-7b1c-4e4b-9d43-9c1c8f2f0a11")
        .send()
        .await
        .expect("send")
}

/// Parses a body, tolerating the UTF-8 byte-order mark.
pub async fn json(response: Response) -> Value {
    let bytes = response.bytes().await.expect("body");
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    serde_json::from_slice(text).expect("json body")
}
