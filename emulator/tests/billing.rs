//! Billing profiles over real HTTP: ETags, If-Match, 412 without a change, unknown fields kept.

mod common;

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

async fn setup() -> (Emulator, String, String) {
    let emulator = Emulator::start_with(EmulatorConfig {
        customers: 3,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let token = app_user_token(&emulator).await;
    let path = format!(
        "/v1/customers/{}/profiles/billing",
        emulator.customer_ids()[0]
    );
    (emulator, token, path)
}

#[tokio::test]
async fn a_get_then_set_with_the_etag_bumps_it_and_keeps_unknown_fields() {
    let (emulator, token, path) = setup().await;
    let response = api_call(&emulator, "GET", &path, &token, &[], None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "1");
    let mut profile = json(response).await;
    assert_eq!(profile["attributes"]["etag"], "1");
    assert_eq!(
        profile["attributes"]["objectType"],
        "CustomerBillingProfile"
    );
    for field in [
        "id",
        "firstName",
        "lastName",
        "email",
        "culture",
        "language",
        "companyName",
        "purchaseOrderReference",
    ] {
        assert!(profile[field].is_string(), "{field}");
    }
    for field in [
        "country",
        "city",
        "addressLine1",
        "addressLine2",
        "postalCode",
        "phoneNumber",
        "addressLine3",
    ] {
        assert!(profile["defaultAddress"][field].is_string(), "{field}");
    }
    let id = profile["id"].clone();
    let links = profile["links"].clone();

    profile["defaultAddress"]["city"] = json!("Oslo");
    profile["futureField"] = json!({ "nested": [1, 2] });
    profile["id"] = json!("client-made-up");
    let response = api_call(
        &emulator,
        "PUT",
        &path,
        &token,
        &[("If-Match", "1")],
        Some(&profile),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "2");
    let stored = json(response).await;
    assert_eq!(stored["attributes"]["etag"], "2");
    assert_eq!(stored["id"], id, "the server owns the id");
    assert_eq!(stored["links"], links);
    assert_eq!(stored["defaultAddress"]["city"], "Oslo");
    assert_eq!(
        stored["defaultAddress"]["addressLine3"],
        profile["defaultAddress"]["addressLine3"]
    );
    assert_eq!(
        stored["purchaseOrderReference"],
        profile["purchaseOrderReference"]
    );
    assert_eq!(stored["futureField"], json!({ "nested": [1, 2] }));
    let read_back = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    assert_eq!(read_back, stored);

    let quoted = api_call(
        &emulator,
        "PUT",
        &path,
        &token,
        &[("If-Match", "\"2\"")],
        Some(&read_back),
    )
    .await;
    assert_eq!(quoted.status(), 200);
    assert_eq!(json(quoted).await["attributes"]["etag"], "3");
}

#[tokio::test]
async fn a_stale_etag_gets_412_and_changes_nothing() {
    let (emulator, token, path) = setup().await;
    let mut profile = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    profile["firstName"] = json!("First");
    let first = api_call(
        &emulator,
        "PUT",
        &path,
        &token,
        &[("If-Match", "1")],
        Some(&profile),
    )
    .await;
    assert_eq!(first.status(), 200);
    let current = json(first).await;

    profile["firstName"] = json!("Second");
    let stale = api_call(
        &emulator,
        "PUT",
        &path,
        &token,
        &[("If-Match", "1")],
        Some(&profile),
    )
    .await;
    assert_eq!(stale.status(), 412);
    let body = json(stale).await;
    assert_eq!(body["source"], "PartnerFD");
    let description = body["description"].as_str().unwrap();
    assert!(description.contains("stale") && description.contains("changed"));
    let after = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    assert_eq!(after, current, "unchanged");
    assert_eq!(after["firstName"], "First");
}

#[tokio::test]
async fn missing_if_match_bad_bodies_and_unknown_customers() {
    let (emulator, token, path) = setup().await;
    let profile = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    let missing = api_call(&emulator, "PUT", &path, &token, &[], Some(&profile)).await;
    assert_eq!(missing.status(), 400);
    assert!(
        json(missing).await["description"]
            .as_str()
            .unwrap()
            .contains("If-Match")
    );
    let mut bad_email = profile.clone();
    bad_email["email"] = json!("no-at-sign");
    for bad in [json!([1, 2]), json!("text"), bad_email] {
        let response = api_call(
            &emulator,
            "PUT",
            &path,
            &token,
            &[("If-Match", "1")],
            Some(&bad),
        )
        .await;
        assert_eq!(response.status(), 400, "{bad}");
    }
    let after: Value = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    assert_eq!(after, profile, "refused updates change nothing");

    let unknown = "/v1/customers/11111111-2222-4333-8444-555555555555/profiles/billing";
    assert_eq!(
        api_call(&emulator, "GET", unknown, &token, &[], None)
            .await
            .status(),
        404
    );
    let response = api_call(
        &emulator,
        "PUT",
        unknown,
        &token,
        &[("If-Match", "1")],
        Some(&profile),
    )
    .await;
    assert_eq!(response.status(), 404);
    let post = api_call(&emulator, "POST", &path, &token, &[], Some(&profile)).await;
    assert_eq!(post.status(), 405);

    let app_only = app_only_token(&emulator).await;
    assert_eq!(
        api_call(&emulator, "GET", &path, &app_only, &[], None)
            .await
            .status(),
        200
    );
}
