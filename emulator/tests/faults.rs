//! Fault injection over real HTTP: statuses, counts, resets, broken and odd bodies.

mod common;

use std::time::{Duration, Instant};

use common::*;
use partnercenter_emulator::{Emulator, FaultRule};

fn rule(path: &str) -> FaultRule {
    FaultRule {
        path: path.into(),
        ..FaultRule::default()
    }
}

#[tokio::test]
async fn a_429_carries_retry_after_and_the_throttling_body_for_its_count() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;
    emulator.add_fault(FaultRule {
        method: Some("GET".into()),
        status: Some(429),
        retry_after: Some(7),
        count: Some(2),
        ..rule("/v1/*")
    });
    for _ in 0..2 {
        let response = api_get(&emulator, RELATIONSHIP, &token).await;
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "7");
        assert_eq!(response.headers()["ms-requestid"], GUID);
        let body = json(response).await;
        assert_eq!(body["statusCode"], 429);
        assert_eq!(
            body["message"],
            "Rate limit is exceeded. Try again in 7 seconds."
        );
    }
    assert_eq!(api_get(&emulator, RELATIONSHIP, &token).await.status(), 200);
}

#[tokio::test]
async fn faults_posted_over_http_apply_to_token_endpoints_and_reset_clears_them() {
    let emulator = Emulator::start();
    let admin = format!("{}/_emulator/faults", emulator.base_url());
    let created = client()
        .post(&admin)
        .json(&serde_json::json!({ "path": "/emulator.onmicrosoft.com/*", "status": 503, "count": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let bad = client()
        .post(&admin)
        .json(&serde_json::json!({ "status": 503 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let listed: serde_json::Value = client()
        .get(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    for _ in 0..3 {
        let response = post_form(
            &emulator,
            &token_path(),
            &[("grant_type", "client_credentials")],
        )
        .await;
        assert_eq!(response.status(), 503);
        assert_eq!(json(response).await["code"], 900503);
    }
    let reset = client()
        .post(format!("{}/_emulator/reset", emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    assert!(emulator.faults().is_empty());
    assert!(emulator.requests().is_empty());
    app_only_token(&emulator).await;
}

#[tokio::test]
async fn custom_body_content_type_and_empty_body() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;
    emulator.add_fault(FaultRule {
        status: Some(500),
        body: Some("<html>oops</html>".into()),
        content_type: Some("text/html".into()),
        ..rule(RELATIONSHIP)
    });
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.text().await.unwrap(), "<html>oops</html>");

    emulator.add_fault(FaultRule {
        empty_body: true,
        ..rule(RELATIONSHIP)
    });
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn malformed_and_oversized_bodies() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;
    emulator.add_fault(FaultRule {
        malformed: true,
        ..rule(RELATIONSHIP)
    });
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&bytes[3..]).is_err());

    let size = 3 * 1024 * 1024 + 17;
    emulator.add_fault(FaultRule {
        oversized_bytes: Some(size),
        ..rule(RELATIONSHIP)
    });
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(size));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, size);
    assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok());
}

#[tokio::test]
async fn connection_resets_stalls_and_broken_bodies_fail_the_request() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;

    emulator.add_fault(FaultRule {
        reset: true,
        ..rule(RELATIONSHIP)
    });
    let url = format!("{}{RELATIONSHIP}", emulator.base_url());
    let failed = client()
        .get(&url)
        .bearer_auth(&token)
        .header("MS-RequestId", GUID)
        .send()
        .await;
    assert!(failed.is_err(), "a reset gives no response");

    emulator.add_fault(FaultRule {
        stall_ms: Some(300),
        ..rule(RELATIONSHIP)
    });
    let started = Instant::now();
    assert!(
        client()
            .get(&url)
            .bearer_auth(&token)
            .header("MS-RequestId", GUID)
            .send()
            .await
            .is_err()
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    emulator.add_fault(FaultRule {
        reset_after_headers: true,
        ..rule(RELATIONSHIP)
    });
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the body is cut short");

    assert_eq!(api_get(&emulator, RELATIONSHIP, &token).await.status(), 200);
}

#[tokio::test]
async fn delay_and_trickle_slow_the_answer_down() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;
    emulator.add_fault(FaultRule {
        delay_ms: Some(200),
        ..rule(RELATIONSHIP)
    });
    let started = Instant::now();
    assert_eq!(api_get(&emulator, RELATIONSHIP, &token).await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(200));

    emulator.add_fault(FaultRule {
        trickle_ms: Some(1),
        ..rule(RELATIONSHIP)
    });
    let started = Instant::now();
    let body = json(api_get(&emulator, RELATIONSHIP, &token).await).await;
    assert!(body["url"].is_string());
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn seeded_probability_is_repeatable_across_emulators() {
    async fn pattern() -> Vec<u16> {
        let emulator = Emulator::start();
        let token = app_user_token(&emulator).await;
        emulator.add_fault(FaultRule {
            status: Some(503),
            count: Some(0),
            probability: Some(0.5),
            seed: Some(42),
            ..rule("/v1/*")
        });
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(
                api_get(&emulator, RELATIONSHIP, &token)
                    .await
                    .status()
                    .as_u16(),
            );
        }
        statuses
    }
    let first = pattern().await;
    assert_eq!(first, pattern().await);
    assert!(first.contains(&200) && first.contains(&503));
}
