//! Helpers shared by the integration tests: emulator, options, a raw HTTP call for the few
//! things the library itself must not be used for (minting a token, looking at raw bytes).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use partnercenter::ClientOptions;
use partnercenter::blocking::Client;
use partnercenter_emulator::{
    Emulator, EmulatorConfig, FaultRule, RecordedRequest, credentials as dev,
};

/// An emulator with a token lifetime of `lifetime`.
pub fn emulator_with_lifetime(lifetime: Duration) -> Emulator {
    Emulator::start_with(EmulatorConfig {
        token_lifetime: lifetime,
        ..EmulatorConfig::default()
    })
    .expect("emulator starts")
}

/// Options JSON for the emulator with App+User (refresh token) credentials, plus `extra` keys.
pub fn app_user_json(emu: &Emulator, extra: &str) -> String {
    format!(
        r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}","refresh_token":"{r}"{sep}{extra}}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID,
        r = dev::REFRESH_TOKEN,
        sep = if extra.is_empty() { "" } else { "," },
    )
}

/// A blocking App+User client for the emulator.
pub fn app_user_client(emu: &Emulator, extra: &str) -> Client {
    Client::new(ClientOptions::from_json(&app_user_json(emu, extra)).expect("options parse"))
        .expect("client builds")
}

/// A blocking app-only client for the emulator.
pub fn app_only_client(emu: &Emulator) -> Client {
    let json = format!(
        r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}","client_secret":"{s}"}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID,
        s = dev::CLIENT_SECRET,
    );
    Client::new(ClientOptions::from_json(&json).unwrap()).unwrap()
}

/// The API requests the emulator saw (token endpoint excluded).
pub fn api_requests(emu: &Emulator) -> Vec<RecordedRequest> {
    emu.requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v1/"))
        .collect()
}

/// The token grants the emulator saw.
pub fn token_requests(emu: &Emulator) -> Vec<RecordedRequest> {
    emu.requests()
        .into_iter()
        .filter(|r| r.path.contains("/oauth2/"))
        .collect()
}

/// A fault on the relationship request.
pub fn relationship_fault() -> FaultRule {
    FaultRule {
        method: Some("GET".into()),
        path: "/v1/customers/relationshiprequests".into(),
        ..FaultRule::default()
    }
}

/// One raw HTTP/1.1 exchange: (status, headers text, body bytes).
pub fn raw_http(base_url: &str, request_head_and_body: &str) -> (u16, String, Vec<u8>) {
    let addr = base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connect to emulator");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request_head_and_body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, head, body)
}

/// An App+User access token minted straight from the emulator's token endpoint.
pub fn mint_access_token(emu: &Emulator) -> String {
    let form = format!(
        "grant_type=refresh_token&client_id={}&refresh_token={}&scope=https%3A%2F%2Fapi.partnercenter.microsoft.com%2Fuser_impersonation%20offline_access",
        dev::CLIENT_ID,
        dev::REFRESH_TOKEN
    );
    let request = format!(
        "POST /{}/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        dev::TENANT,
        form.len(),
        form
    );
    let (status, _, body) = raw_http(emu.base_url(), &request);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&body);
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}
