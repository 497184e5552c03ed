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

/// A client-credentials grant for `scope` (200): its body, so one grant serves every resource.
pub async fn client_credentials(emulator: &Emulator, scope: &str) -> Value {
    let response = post_form(
        emulator,
        &token_path(),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", credentials::CLIENT_ID),
            ("client_secret", credentials::CLIENT_SECRET),
            ("scope", scope),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    json(response).await
}

pub async fn app_only_token(emulator: &Emulator) -> String {
    client_credentials(emulator, SCOPE_DEFAULT).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A refresh-token grant for `scope`, unchecked: one form for the grants that pass and fail.
pub async fn refresh_grant(emulator: &Emulator, refresh_token: &str, scope: &str) -> Response {
    post_form(
        emulator,
        &token_path(),
        &[
            ("grant_type", "refresh_token"),
            ("client_id", credentials::CLIENT_ID),
            ("refresh_token", refresh_token),
            ("scope", scope),
        ],
    )
    .await
}

pub async fn refresh(emulator: &Emulator, refresh_token: &str) -> Value {
    let response = refresh_grant(emulator, refresh_token, SCOPE_USER).await;
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

pub const CONTINUATION: &str = "MS-ContinuationToken";

/// A `/v1` request with the usual headers; `extra` headers and a JSON `body` are optional.
pub async fn api_call(
    emulator: &Emulator,
    method: &str,
    path: &str,
    token: &str,
    extra: &[(&str, &str)],
    body: Option<&Value>,
) -> Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let request = client()
        .request(method, format!("{}{path}", emulator.base_url()))
        .bearer_auth(token)
        .header("accept", "application/json")
        .header("MS-RequestId", uuid_like())
        .header("MS-CorrelationId", GUID);
    send_with(request, extra, body).await
}

/// Adds `extra` headers and an optional JSON `body`, then sends: the tail that the `/v1` and the
/// Graph requests share.
pub async fn send_with(
    mut request: reqwest::RequestBuilder,
    extra: &[(&str, &str)],
    body: Option<&Value>,
) -> Response {
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("send")
}

/// A fresh GUID-shaped request id (tests need no real randomness here).
pub fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "0f8fad5b-d9cb-469f-a165-{:012x}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A `links.next` as given: uri, method, headers.
type NextLink = (String, String, Vec<(String, String)>);

/// Lists every customer from `first` (a path with query), following `links.next` exactly as
/// given: its uri, its method and its headers. Returns the ids in order and the page count.
pub async fn list_all(emulator: &Emulator, token: &str, first: &str) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut next: Option<NextLink> = Some((first.to_owned(), "GET".to_owned(), Vec::new()));
    while let Some((uri, method, headers)) = next.take() {
        let extra: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let response = api_call(emulator, &method, &uri, token, &extra, None).await;
        assert_eq!(response.status(), 200, "{uri}");
        let page = json(response).await;
        pages += 1;
        let items = page["items"].as_array().expect("items");
        assert_eq!(page["totalCount"], items.len());
        assert_eq!(page["attributes"]["objectType"], "Collection");
        ids.extend(items.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        if let Some(link) = page["links"].get("next") {
            let headers = link["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h["key"].as_str().unwrap().to_owned(),
                        h["value"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            next = Some((
                link["uri"].as_str().unwrap().to_owned(),
                link["method"].as_str().unwrap().to_owned(),
                headers,
            ));
        }
    }
    (ids, pages)
}

/// `filter` query value for a `starts_with` filter, URL-encoded.
pub fn filter_query(field: &str, value: &str) -> String {
    let json = serde_json::json!({ "Field": field, "Value": value, "Operator": "starts_with" });
    form_encode(&json.to_string())
}

pub fn form_encode(text: &str) -> String {
    encode(text)
}

pub async fn admin_post(emulator: &Emulator, path: &str, body: &Value) -> Response {
    client()
        .post(format!("{}{path}", emulator.base_url()))
        .json(body)
        .send()
        .await
        .expect("send")
}

/// Closes the stdin of `child` (an emulator started with `--exit-on-stdin-eof`) and waits, at
/// most 3 s, for it to exit: its exit status.
pub fn close_stdin_and_wait(child: &mut std::process::Child) -> std::process::ExitStatus {
    drop(child.stdin.take());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after stdin EOF"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
