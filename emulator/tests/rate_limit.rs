//! The per-tenant rate limit on the customer resource.

mod common;

use std::time::{Duration, Instant};

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig};

#[tokio::test]
async fn the_customer_resource_is_throttled_and_admitted_again_after_retry_after() {
    let emulator = Emulator::start_with(EmulatorConfig {
        customers: 3,
        customer_rate_limit: 10,
        // Wide enough that a loaded machine still sends the first 28 requests within one window.
        customer_rate_window: Duration::from_secs(6),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let token = app_user_token(&emulator).await;
    let id = emulator.customer_ids()[0].clone();
    let paths = [
        "/v1/customers".to_owned(),
        format!("/v1/customers/{id}"),
        format!("/v1/customers/{id}/profiles/billing"),
    ];
    for i in 0..10 {
        let response = api_call(&emulator, "GET", &paths[i % 3], &token, &[], None).await;
        assert_eq!(response.status(), 200, "request {i}");
    }
    let last_admitted = Instant::now();
    // Relationship requests are not counted, even when the budget is spent.
    for _ in 0..15 {
        assert_eq!(
            api_call(&emulator, "GET", RELATIONSHIP, &token, &[], None)
                .await
                .status(),
            200
        );
    }
    let mut retry_after = 0;
    for path in &paths {
        let response = api_call(&emulator, "GET", path, &token, &[], None).await;
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["ms-correlationid"], GUID);
        retry_after = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap();
        assert!((1..=6).contains(&retry_after), "{retry_after}");
        let body = json(response).await;
        assert_eq!(body["statusCode"], 429);
        assert_eq!(
            body["message"],
            format!("Rate limit is exceeded. Try again in {retry_after} seconds.")
        );
    }
    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    // Retry-After is when the oldest admitted request leaves the window: one is admitted then.
    let response = api_call(&emulator, "GET", &paths[0], &token, &[], None).await;
    assert_eq!(
        response.status(),
        200,
        "the first request after Retry-After"
    );
    // On a loaded machine the first ten were spread out; once the window has passed since the
    // last of them, only the one just admitted counts, and the refused requests used no budget.
    let window = Duration::from_secs(6) + Duration::from_millis(200);
    tokio::time::sleep(window.saturating_sub(last_admitted.elapsed())).await;
    for i in 1..10 {
        let response = api_call(&emulator, "GET", &paths[i % 3], &token, &[], None).await;
        assert_eq!(response.status(), 200, "request {i} after waiting");
    }
    assert_eq!(
        api_call(&emulator, "GET", &paths[0], &token, &[], None)
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn zero_turns_the_limit_off_and_the_default_is_500() {
    assert_eq!(EmulatorConfig::default().customer_rate_limit, 500);
    assert_eq!(
        EmulatorConfig::default().customer_rate_window,
        Duration::from_secs(60)
    );
    let emulator = Emulator::start_with(EmulatorConfig {
        customer_rate_limit: 0,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let token = app_only_token(&emulator).await;
    for _ in 0..600 {
        assert_eq!(
            api_call(&emulator, "GET", "/v1/customers", &token, &[], None)
                .await
                .status(),
            200
        );
    }
}
