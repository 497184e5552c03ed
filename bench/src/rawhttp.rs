//! The floor: a hand-written reqwest loop sending exactly what the library sends, with nothing
//! around it (no retries, deadlines, token cache or C boundary).

use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::fixture::Fixture;

/// The headers' fixed parts.
const ACCEPT: &str = "application/json";
const LOCALE: &str = "en-US";

/// A reqwest client like the library's (rustls with ring, kept-alive pool).
pub fn client() -> Result<reqwest::Client, String> {
    static PROVIDER: Once = Once::new();
    // The workspace builds reqwest without a default crypto provider: install ring's once.
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .user_agent("partnercenter-bench")
        .pool_idle_timeout(Duration::from_secs(90))
        .build()
        .map_err(|e| format!("cannot build a reqwest client: {e}"))
}

/// An access token by the refresh-token grant.
pub async fn token(http: &reqwest::Client, fixture: &Fixture) -> Result<String, String> {
    let answer: Value = http
        .post(fixture.token_url())
        .form(&fixture.token_form())
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("token request failed: {e}"))?
        .json_value()
        .await?;
    answer
        .get("access_token")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "the token answer has no access_token".into())
}

/// One relationship request with the library's headers; the link, parsed out of the JSON as
/// any caller would.
pub async fn relationship_request(
    http: &reqwest::Client,
    url: &str,
    bearer: &str,
    correlation_id: &str,
) -> Result<String, String> {
    let answer: Value = http
        .get(url)
        .header("Authorization", bearer)
        .header("Accept", ACCEPT)
        .header("MS-RequestId", uuid::Uuid::new_v4().to_string())
        .header("MS-CorrelationId", correlation_id)
        .header("X-Locale", LOCALE)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("relationship request failed: {e}"))?
        .json_value()
        .await?;
    answer
        .get("url")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "the relationship answer has no url".into())
}

/// `calls` sequential requests after `warmup` untimed ones: per-call latencies in ns.
pub async fn sequential(
    http: &reqwest::Client,
    fixture: &Fixture,
    warmup: u32,
    calls: u32,
) -> Result<Vec<f64>, String> {
    let bearer = format!("Bearer {}", token(http, fixture).await?);
    let correlation_id = uuid::Uuid::new_v4().to_string();
    let url = fixture.relationship_url();
    for _ in 0..warmup {
        relationship_request(http, &url, &bearer, &correlation_id).await?;
    }
    let mut latencies = Vec::with_capacity(calls as usize);
    for _ in 0..calls {
        let start = Instant::now();
        relationship_request(http, &url, &bearer, &correlation_id).await?;
        latencies.push(start.elapsed().as_nanos() as f64);
    }
    Ok(latencies)
}

/// `total` requests from `tasks` concurrent tasks on one client: wall time and latencies (ns).
pub async fn concurrent(
    http: &reqwest::Client,
    fixture: &Fixture,
    tasks: u32,
    total: u32,
) -> Result<(Duration, Vec<f64>), String> {
    let bearer = Arc::new(format!("Bearer {}", token(http, fixture).await?));
    let url = Arc::new(fixture.relationship_url());
    let correlation_id = Arc::new(uuid::Uuid::new_v4().to_string());
    let per_task = total / tasks;
    let start = Instant::now();
    let mut handles = Vec::with_capacity(tasks as usize);
    for _ in 0..tasks {
        let (http, url, bearer, correlation_id) = (
            http.clone(),
            Arc::clone(&url),
            Arc::clone(&bearer),
            Arc::clone(&correlation_id),
        );
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_task as usize);
            for _ in 0..per_task {
                let t0 = Instant::now();
                relationship_request(&http, &url, &bearer, &correlation_id).await?;
                latencies.push(t0.elapsed().as_nanos() as f64);
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut latencies = Vec::with_capacity(total as usize);
    for handle in handles {
        latencies.extend(handle.await.map_err(|e| format!("a task failed: {e}"))??);
    }
    Ok((start.elapsed(), latencies))
}

/// Reading a JSON body without reqwest's `json` feature (which the library does not enable).
trait JsonValue {
    /// The body as JSON, after a UTF-8 byte-order mark if there is one (Partner Center may
    /// send one).
    async fn json_value(self) -> Result<Value, String>;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Result<Value, String> {
        let body = self
            .bytes()
            .await
            .map_err(|e| format!("cannot read the answer: {e}"))?;
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&body);
        serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))
    }
}

/// Pages through every customer following `links.next` as given (uri, headers), parsing each
/// page as JSON as any caller would: how many customers, and how many pages. `bearer` is the
/// whole `Authorization` value.
pub async fn list_customers(
    http: &reqwest::Client,
    fixture: &Fixture,
    bearer: &str,
    page_size: u32,
) -> Result<(u64, u64), String> {
    let correlation_id = uuid::Uuid::new_v4().to_string();
    let mut next = Some((format!("/v1/customers?size={page_size}"), Vec::new()));
    let (mut customers, mut pages) = (0u64, 0u64);
    // Bounded: a listing that never ends is an error, not a hang.
    for _ in 0..1_000_000 {
        let Some((path, headers)) = next.take() else {
            return Ok((customers, pages));
        };
        let mut request = http
            .get(format!("{}{path}", fixture.base_url()))
            .header("Authorization", bearer)
            .header("Accept", ACCEPT)
            .header("MS-RequestId", uuid::Uuid::new_v4().to_string())
            .header("MS-CorrelationId", &correlation_id)
            .header("X-Locale", LOCALE);
        for (key, value) in headers {
            request = request.header(key, value);
        }
        let page: Value = request
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("customer page failed: {e}"))?
            .json_value()
            .await?;
        customers += page["items"]
            .as_array()
            .map_or(0, |items| items.len() as u64);
        pages += 1;
        next = next_link(&page);
    }
    Err("the listing did not end within a million pages".into())
}

/// `links.next` of a page: its uri and headers.
fn next_link(page: &Value) -> Option<(String, Vec<(String, String)>)> {
    let link = page.get("links")?.get("next")?;
    let uri = link.get("uri")?.as_str()?.to_owned();
    let headers = link
        .get("headers")
        .and_then(Value::as_array)
        .map(|headers| {
            headers
                .iter()
                .filter_map(|h| {
                    Some((
                        h["key"].as_str()?.to_owned(),
                        h["value"].as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Some((uri, headers))
}
