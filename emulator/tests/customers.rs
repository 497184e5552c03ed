//! The customer resource over real HTTP: paging, filters, tokens, get, 404, remove-relationship
//! and invitation acceptance.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig, Invitation};
use serde_json::json;

fn with_customers(customers: usize) -> Emulator {
    Emulator::start_with(EmulatorConfig {
        customers,
        customer_rate_limit: 0,
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn assert_complete(ids: &[String], expected: &[String]) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicates");
    assert_eq!(ids, expected, "gaps or wrong order");
}

#[tokio::test]
async fn pages_of_500_list_2501_customers_completely() {
    let emulator = with_customers(2501);
    let token = app_user_token(&emulator).await;
    let (ids, pages) = list_all(&emulator, &token, "/v1/customers?size=500").await;
    assert_eq!(pages, 6);
    assert_eq!(ids.len(), 2501);
    assert_complete(&ids, &emulator.customer_ids());
}

#[tokio::test]
async fn pages_of_7_with_an_app_only_token_and_additions_during_the_listing() {
    let emulator = with_customers(60);
    let token = app_only_token(&emulator).await;
    let first = api_call(&emulator, "GET", "/v1/customers?size=7", &token, &[], None).await;
    assert_eq!(first.status(), 200);
    let first = json(first).await;
    let next = &first["links"]["next"];
    assert_eq!(next["uri"], "/v1/customers?size=7&seekOperation=Next");
    assert_eq!(next["method"], "GET");
    assert_eq!(next["headers"][0]["key"], CONTINUATION);
    assert_eq!(first["links"]["self"]["uri"], "/v1/customers?size=7");
    let item = &first["items"][0];
    assert_eq!(item["companyProfile"]["tenantId"], item["id"]);
    assert_eq!(item["relationshipToPartner"], "reseller");
    assert!(item.get("allowDelegatedAccess").is_none());
    assert!(
        item["companyProfile"]["domain"]
            .as_str()
            .unwrap()
            .ends_with("0001.onmicrosoft.com")
    );

    let added = emulator.accept_invitation(Invitation {
        domain: "midway.onmicrosoft.com".into(),
        company_name: "Midway Ltd".into(),
        ..Invitation::default()
    });
    let (ids, pages) = list_all(&emulator, &token, "/v1/customers?size=7").await;
    assert_eq!(ids.len(), 61);
    assert_eq!(pages, 9);
    assert_eq!(ids.last(), Some(&added), "additions come last");
    assert_complete(&ids, &emulator.customer_ids());
}

#[tokio::test]
async fn the_default_size_is_200_and_bad_sizes_are_refused() {
    let emulator = with_customers(250);
    let token = app_user_token(&emulator).await;
    let page = json(api_call(&emulator, "GET", "/v1/customers", &token, &[], None).await).await;
    assert_eq!(page["totalCount"], 200);
    assert_eq!(
        page["links"]["next"]["uri"],
        "/v1/customers?size=200&seekOperation=Next"
    );
    for bad in ["0", "501", "-1", "ten"] {
        let response = api_call(
            &emulator,
            "GET",
            &format!("/v1/customers?size={bad}"),
            &token,
            &[],
            None,
        )
        .await;
        assert_eq!(response.status(), 400, "{bad}");
        assert!(
            json(response).await["description"]
                .as_str()
                .unwrap()
                .contains("size")
        );
    }
}

#[tokio::test]
async fn continuation_tokens_are_required_and_checked() {
    let emulator = with_customers(30);
    let token = app_user_token(&emulator).await;
    let next_uri = "/v1/customers?size=10&seekOperation=Next";
    let missing = api_call(&emulator, "GET", next_uri, &token, &[], None).await;
    assert_eq!(missing.status(), 400);
    assert!(
        json(missing).await["description"]
            .as_str()
            .unwrap()
            .contains(CONTINUATION)
    );
    let page =
        json(api_call(&emulator, "GET", "/v1/customers?size=10", &token, &[], None).await).await;
    let value = page["links"]["next"]["headers"][0]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut tampered = value.clone().into_bytes();
    tampered[4] = if tampered[4] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let last = {
        let mut bytes = value.clone().into_bytes();
        let end = bytes.len() - 1;
        bytes[end] = if bytes[end] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    };
    for bad in [tampered.as_str(), last.as_str(), "garbled!!", ""] {
        let response = api_call(
            &emulator,
            "GET",
            next_uri,
            &token,
            &[(CONTINUATION, bad)],
            None,
        )
        .await;
        assert_eq!(response.status(), 400, "{bad}");
        assert!(
            json(response).await["description"]
                .as_str()
                .unwrap()
                .contains(CONTINUATION)
        );
    }
    let other = with_customers(30);
    let other_token = app_user_token(&other).await;
    let foreign = api_call(
        &other,
        "GET",
        next_uri,
        &other_token,
        &[(CONTINUATION, &value)],
        None,
    )
    .await;
    assert_eq!(foreign.status(), 400, "tokens are per emulator");

    // Without size in the uri the token's size is used.
    let rest = api_call(
        &emulator,
        "GET",
        "/v1/customers?seekOperation=Next",
        &token,
        &[(CONTINUATION, &value)],
        None,
    )
    .await;
    assert_eq!(json(rest).await["totalCount"], 10);
    let bad_seek = api_call(
        &emulator,
        "GET",
        "/v1/customers?seekOperation=Previous",
        &token,
        &[],
        None,
    )
    .await;
    assert_eq!(bad_seek.status(), 400);
}

#[tokio::test]
async fn filters_match_prefixes_ignoring_case_and_page() {
    let emulator = with_customers(600);
    let token = app_user_token(&emulator).await;
    let all: Vec<serde_json::Value> = {
        let page = json(
            api_call(
                &emulator,
                "GET",
                "/v1/customers?size=500",
                &token,
                &[],
                None,
            )
            .await,
        )
        .await;
        page["items"].as_array().unwrap().clone()
    };
    let fabrikam: Vec<String> = all
        .iter()
        .filter(|c| {
            c["companyProfile"]["domain"]
                .as_str()
                .unwrap()
                .starts_with("fabrikam")
        })
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(fabrikam.len() > 3);

    let by_domain = format!(
        "/v1/customers?size=3&filter={}",
        filter_query("Domain", "FabriKAM")
    );
    let (ids, pages) = list_all(&emulator, &token, &by_domain).await;
    assert!(pages > 1, "a filter pages too");
    assert_eq!(ids[..fabrikam.len()], fabrikam[..], "first 500 in order");
    assert_eq!(
        HashSet::<&String>::from_iter(&ids).len(),
        ids.len(),
        "no duplicates"
    );

    let one = all[42]["companyProfile"]["companyName"].as_str().unwrap();
    let by_name = format!(
        "/v1/customers?filter={}",
        filter_query("CompanyName", &one.to_uppercase())
    );
    let (ids, _) = list_all(&emulator, &token, &by_name).await;
    assert_eq!(ids, vec![all[42]["id"].as_str().unwrap().to_owned()]);

    let nothing = format!(
        "/v1/customers?filter={}",
        filter_query("Domain", "zzz-nobody")
    );
    let (ids, pages) = list_all(&emulator, &token, &nothing).await;
    assert_eq!((ids.len(), pages), (0, 1));

    for bad in [
        form_encode(r#"{"Field":"Country","Value":"x","Operator":"starts_with"}"#),
        form_encode(r#"{"Field":"Domain","Value":"x","Operator":"contains"}"#),
        form_encode("not json"),
    ] {
        let response = api_call(
            &emulator,
            "GET",
            &format!("/v1/customers?filter={bad}"),
            &token,
            &[],
            None,
        )
        .await;
        assert_eq!(response.status(), 400, "{bad}");
        assert!(
            json(response).await["description"]
                .as_str()
                .unwrap()
                .contains("filter")
        );
    }
}

#[tokio::test]
async fn get_by_id_404_and_bad_ids() {
    let emulator = with_customers(5);
    let token = app_only_token(&emulator).await;
    let id = emulator.customer_ids()[2].clone();
    let response = api_call(
        &emulator,
        "GET",
        &format!("/v1/customers/{id}"),
        &token,
        &[],
        None,
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["ms-correlationid"], GUID);
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let customer: serde_json::Value = serde_json::from_slice(&bytes[3..]).unwrap();
    assert_eq!(customer["id"], id.as_str());
    assert_eq!(customer["allowDelegatedAccess"], true);
    assert_eq!(customer["links"]["self"]["uri"], format!("/customers/{id}"));
    assert_eq!(customer["attributes"]["objectType"], "Customer");
    assert!(customer["commerceId"].is_string());

    let unknown = "11111111-2222-4333-8444-555555555555";
    let response = api_call(
        &emulator,
        "GET",
        &format!("/v1/customers/{unknown}"),
        &token,
        &[],
        None,
    )
    .await;
    assert_eq!(response.status(), 404);
    let body = json(response).await;
    assert_eq!(
        body["description"],
        format!("Customer {unknown} was not found")
    );
    assert_eq!(body["source"], "PartnerFD");
    assert_eq!(body["data"], json!([]));

    let response = api_call(
        &emulator,
        "GET",
        "/v1/customers/not-a-guid",
        &token,
        &[],
        None,
    )
    .await;
    assert_eq!(response.status(), 400);

    let response = api_call(
        &emulator,
        "DELETE",
        &format!("/v1/customers/{id}"),
        &token,
        &[],
        None,
    )
    .await;
    assert_eq!(response.status(), 405);
    let response = api_call(&emulator, "POST", "/v1/customers", &token, &[], None).await;
    assert_eq!(response.status(), 405);
    let unauthenticated = client()
        .get(format!("{}/v1/customers", emulator.base_url()))
        .header("MS-RequestId", GUID)
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
}

#[tokio::test]
async fn removing_the_relationship_unlists_the_customer() {
    let emulator = with_customers(12);
    let token = app_user_token(&emulator).await;
    let id = emulator.customer_ids()[4].clone();
    let path = format!("/v1/customers/{id}");
    let remove =
        json!({ "relationshipToPartner": "none", "attributes": { "objectType": "Customer" } });

    for bad in [
        json!({ "relationshipToPartner": "advisor" }),
        json!({ "attributes": {} }),
        json!(["none"]),
    ] {
        let response = api_call(&emulator, "PATCH", &path, &token, &[], Some(&bad)).await;
        assert_eq!(response.status(), 400, "{bad}");
    }
    let unknown = api_call(
        &emulator,
        "PATCH",
        "/v1/customers/11111111-2222-4333-8444-555555555555",
        &token,
        &[],
        Some(&remove),
    )
    .await;
    assert_eq!(unknown.status(), 404);

    let response = api_call(&emulator, "PATCH", &path, &token, &[], Some(&remove)).await;
    assert_eq!(response.status(), 200);
    let body = json(response).await;
    assert_eq!(body["relationshipToPartner"], "none");
    assert_eq!(body["allowDelegatedAccess"], false);

    let (ids, _) = list_all(&emulator, &token, "/v1/customers?size=5").await;
    assert_eq!(ids.len(), 11);
    assert!(!ids.contains(&id));
    assert_eq!(emulator.customer_count(), 11);
    let again = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    assert_eq!(again["relationshipToPartner"], "none");
    assert_eq!(again["allowDelegatedAccess"], false);
}

#[tokio::test]
async fn accepted_invitations_appear_at_once_or_after_their_delay() {
    let emulator = with_customers(3);
    let token = app_user_token(&emulator).await;
    let accept = format!("{}/_emulator/invitations/accept", emulator.base_url());
    let created = client()
        .post(&accept)
        .json(&json!({ "domain": "newco.onmicrosoft.com", "companyName": "NewCo Ltd" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created = json(created).await;
    assert_eq!(created["relationshipToPartner"], "reseller");
    let new_id = created["id"].as_str().unwrap().to_owned();
    let (ids, _) = list_all(&emulator, &token, "/v1/customers").await;
    assert_eq!(ids.last(), Some(&new_id));
    let billing = api_call(
        &emulator,
        "GET",
        &format!("/v1/customers/{new_id}/profiles/billing"),
        &token,
        &[],
        None,
    )
    .await;
    assert_eq!(json(billing).await["attributes"]["etag"], "1");

    let tenant = "22222222-3333-4444-8555-666666666666";
    let delayed = client()
        .post(&accept)
        .json(&json!({ "tenantId": tenant, "domain": "later.onmicrosoft.com", "companyName": "Later AB", "delayMs": 300 }))
        .send()
        .await
        .unwrap();
    assert_eq!(delayed.status(), 201);
    assert_eq!(json(delayed).await["id"], tenant);
    let path = format!("/v1/customers/{tenant}");
    let early = api_call(&emulator, "GET", &path, &token, &[], None).await;
    assert_eq!(early.status(), 404, "not visible before the delay");
    assert_eq!(emulator.customer_count(), 4);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let late = api_call(&emulator, "GET", &path, &token, &[], None).await;
    assert_eq!(late.status(), 200);
    assert_eq!(
        emulator.customer_ids().last().map(String::as_str),
        Some(tenant)
    );

    for bad in [
        json!({ "companyName": "No Domain" }),
        json!({ "domain": "no-name.onmicrosoft.com" }),
        json!({ "domain": "d", "companyName": "c", "tenantId": "nope" }),
    ] {
        let response = client().post(&accept).json(&bad).send().await.unwrap();
        assert_eq!(response.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn accepting_again_restores_a_removed_relationship() {
    let emulator = with_customers(4);
    let token = app_user_token(&emulator).await;
    let id = emulator.customer_ids()[1].clone();
    let remove =
        json!({ "relationshipToPartner": "none", "attributes": { "objectType": "Customer" } });
    let path = format!("/v1/customers/{id}");
    api_call(&emulator, "PATCH", &path, &token, &[], Some(&remove)).await;
    assert_eq!(emulator.customer_count(), 3);
    let customer = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    let domain = customer["companyProfile"]["domain"].as_str().unwrap();

    let restored = admin_post(
        &emulator,
        "/_emulator/invitations/accept",
        &json!({ "domain": domain.to_uppercase(), "companyName": "whatever" }),
    )
    .await;
    assert_eq!(restored.status(), 200);
    assert_eq!(json(restored).await["id"], id.as_str());
    assert_eq!(emulator.customer_count(), 4);
    assert_eq!(emulator.customer_ids()[1], id, "it keeps its place");
    let again = json(api_call(&emulator, "GET", &path, &token, &[], None).await).await;
    assert_eq!(again["relationshipToPartner"], "reseller");

    let by_tenant = emulator.accept_invitation(Invitation {
        tenant_id: Some(id.to_uppercase()),
        domain: domain.into(),
        company_name: "x".into(),
        ..Invitation::default()
    });
    assert_eq!(by_tenant, id);
    assert_eq!(emulator.customer_count(), 4);
}

#[tokio::test]
async fn reset_restores_the_seeded_customers() {
    let emulator = with_customers(8);
    let before = emulator.customer_ids();
    emulator.accept_invitation(Invitation {
        domain: "gone.onmicrosoft.com".into(),
        company_name: "Gone".into(),
        ..Invitation::default()
    });
    assert_eq!(emulator.customer_count(), 9);
    let response = client()
        .post(format!("{}/_emulator/reset", emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(emulator.customer_ids(), before);
    let same_seed = with_customers(8);
    assert_eq!(
        same_seed.customer_ids(),
        before,
        "same seed, same customers"
    );
    assert!(Emulator::start().customer_ids().is_empty());
}
