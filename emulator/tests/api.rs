//! The Partner Center API: token kind, required headers, BOM, echoed ids, 404/405/406.

mod common;

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig};

#[tokio::test]
async fn app_user_tokens_get_the_invitation_link_with_bom_and_echoed_ids() {
    let emulator = Emulator::start_with(EmulatorConfig {
        partner_id: "p-123".into(),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let token = app_user_token(&emulator).await;
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    assert_eq!(headers["ms-requestid"], GUID);
    assert_eq!(
        headers["ms-correlationid"],
        "7d9b4f4c-7b1c-4e4b-9d43-9c1c8f2f0a11"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM expected");
    let body: serde_json::Value = serde_json::from_slice(&bytes[3..]).unwrap();
    assert_eq!(
        body["attributes"]["objectType"],
        "CustomerRelationshipRequest"
    );
    let url = body["url"].as_str().unwrap();
    assert!(url.contains("partnerId=p-123") && url.contains("invType=ResellerRelationship"));
}

#[tokio::test]
async fn app_only_tokens_are_refused_with_403() {
    let emulator = Emulator::start();
    let token = app_only_token(&emulator).await;
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 403);
    let body = json(response).await;
    assert_eq!(body["code"], 900403);
    assert_eq!(body["source"], "PartnerFD");
    assert!(body["description"].as_str().unwrap().contains("App+User"));
}

#[tokio::test]
async fn missing_and_unknown_tokens_get_401_naming_the_problem() {
    let emulator = Emulator::start();
    let url = format!("{}{RELATIONSHIP}", emulator.base_url());
    let response = client()
        .get(&url)
        .header("MS-RequestId", GUID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    assert!(
        json(response).await["description"]
            .as_str()
            .unwrap()
            .contains("missing")
    );
    let response = api_get(&emulator, RELATIONSHIP, "made-up").await;
    assert_eq!(response.status(), 401);
    assert!(
        json(response).await["description"]
            .as_str()
            .unwrap()
            .contains("unknown")
    );
}

#[tokio::test]
async fn ms_request_id_is_required_and_must_be_a_guid() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;
    let url = format!("{}{RELATIONSHIP}", emulator.base_url());
    let missing = client().get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(missing.status(), 400);
    assert!(
        missing.headers().contains_key("ms-requestid"),
        "a generated id is echoed"
    );
    assert!(
        json(missing).await["description"]
            .as_str()
            .unwrap()
            .contains("MS-RequestId")
    );
    let bad = client()
        .get(&url)
        .bearer_auth(&token)
        .header("MS-RequestId", "not-a-guid")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(
        json(bad).await["description"]
            .as_str()
            .unwrap()
            .contains("MS-RequestId")
    );
}

#[tokio::test]
async fn wrong_accept_method_and_path_get_406_405_404() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;
    let url = format!("{}{RELATIONSHIP}", emulator.base_url());
    let xml = client()
        .get(&url)
        .bearer_auth(&token)
        .header("MS-RequestId", GUID)
        .header("accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(xml.status(), 406);
    let post = client()
        .post(&url)
        .bearer_auth(&token)
        .header("MS-RequestId", GUID)
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    let missing = api_get(&emulator, "/v1/nothing/here", &token).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(json(missing).await["code"], 900404);
}

#[tokio::test]
async fn the_request_log_redacts_secrets_and_skips_admin_paths() {
    let emulator = Emulator::start();
    let token = app_only_token(&emulator).await;
    api_get(&emulator, RELATIONSHIP, &token).await;
    client()
        .get(format!("{}/_emulator/requests", emulator.base_url()))
        .send()
        .await
        .unwrap();
    let requests = emulator.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].grant_type.as_deref(),
        Some("client_credentials")
    );
    assert_eq!(requests[1].path, RELATIONSHIP);
    let authorization = requests[1]
        .headers
        .iter()
        .find(|(name, _)| name == "authorization")
        .map(|(_, value)| value.as_str());
    assert_eq!(authorization, Some("Bearer [REDACTED]"));
    let everything = format!("{requests:?}");
    assert!(!everything.contains(&token));
    assert!(!everything.contains(partnercenter_emulator::credentials::CLIENT_SECRET));

    let over_http: serde_json::Value = client()
        .get(format!("{}/_emulator/requests", emulator.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(over_http.as_array().unwrap().len(), 2);
    assert_eq!(over_http[0]["grantType"], "client_credentials");
    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
}
