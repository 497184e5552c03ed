//! Token endpoints: grants, errors, rotation, v1 shapes, expiry.

mod common;

use std::time::Duration;

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig, credentials};

#[tokio::test]
async fn client_credentials_issues_an_app_only_token_without_refresh_token() {
    let emulator = Emulator::start();
    let response = post_form(
        &emulator,
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
    let body = json(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body.get("refresh_token").is_none());
}

#[tokio::test]
async fn the_tenant_id_is_accepted_and_unknown_tenants_are_not() {
    let emulator = Emulator::start();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", credentials::CLIENT_ID),
        ("client_secret", credentials::CLIENT_SECRET),
        ("scope", SCOPE_DEFAULT),
    ];
    let by_id = format!("/{}/oauth2/v2.0/token", credentials::TENANT_ID);
    assert_eq!(post_form(&emulator, &by_id, &form).await.status(), 200);
    let response = post_form(
        &emulator,
        "/contoso.onmicrosoft.com/oauth2/v2.0/token",
        &form,
    )
    .await;
    assert_eq!(response.status(), 400);
    let body = json(response).await;
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(body["error_codes"][0], 90002);
    let description = body["error_description"].as_str().unwrap();
    assert!(description.starts_with("AADSTS90002:"));
    assert!(description.contains("Trace ID:") && description.contains("Correlation ID:"));
    assert!(body["trace_id"].is_string() && body["correlation_id"].is_string());
}

#[tokio::test]
async fn bad_client_id_secret_scope_and_grant_are_refused_like_entra() {
    let emulator = Emulator::start();
    type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str, u64);
    let cases: [Case; 4] = [
        (
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "nope"),
                ("client_secret", credentials::CLIENT_SECRET),
                ("scope", SCOPE_DEFAULT),
            ],
            400,
            "unauthorized_client",
            700016,
        ),
        (
            &[
                ("grant_type", "client_credentials"),
                ("client_id", credentials::CLIENT_ID),
                ("client_secret", "wrong"),
                ("scope", SCOPE_DEFAULT),
            ],
            401,
            "invalid_client",
            7000215,
        ),
        (
            &[
                ("grant_type", "client_credentials"),
                ("client_id", credentials::CLIENT_ID),
                ("client_secret", credentials::CLIENT_SECRET),
                ("scope", "https://management.azure.com/.default"),
            ],
            400,
            "invalid_scope",
            70011,
        ),
        (
            &[
                ("grant_type", "password"),
                ("client_id", credentials::CLIENT_ID),
            ],
            400,
            "unsupported_grant_type",
            70003,
        ),
    ];
    for (form, status, error, code) in cases {
        let response = post_form(&emulator, &token_path(), form).await;
        assert_eq!(response.status(), status, "{error}");
        let body = json(response).await;
        assert_eq!(body["error"], error);
        assert_eq!(body["error_codes"][0], code);
    }
}

#[tokio::test]
async fn refresh_tokens_rotate_and_every_issued_one_stays_valid() {
    let emulator = Emulator::start();
    let first = refresh(&emulator, credentials::REFRESH_TOKEN).await;
    let first_refresh = first["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first_refresh, credentials::REFRESH_TOKEN);
    let second = refresh(&emulator, &first_refresh).await;
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(second_refresh, first_refresh);
    refresh(&emulator, &first_refresh).await;

    let response = post_form(
        &emulator,
        &token_path(),
        &[
            ("grant_type", "refresh_token"),
            ("client_id", credentials::CLIENT_ID),
            ("refresh_token", "forged"),
            ("scope", SCOPE_USER),
        ],
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(json(response).await["error"], "invalid_grant");

    let response = post_form(
        &emulator,
        &token_path(),
        &[
            ("grant_type", "refresh_token"),
            ("client_id", credentials::CLIENT_ID),
            ("client_secret", "wrong"),
            ("refresh_token", credentials::REFRESH_TOKEN),
            ("scope", SCOPE_USER),
        ],
    )
    .await;
    assert_eq!(response.status(), 401);
    assert_eq!(json(response).await["error"], "invalid_client");
}

#[tokio::test]
async fn the_v1_endpoint_uses_resource_and_string_numbers() {
    let emulator = Emulator::start();
    let path = format!("/{}/oauth2/token", credentials::TENANT);
    let response = post_form(
        &emulator,
        &path,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", credentials::CLIENT_ID),
            ("refresh_token", credentials::REFRESH_TOKEN),
            ("resource", "https://api.partnercenter.microsoft.com"),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let body = json(response).await;
    assert_eq!(body["expires_in"], "3600");
    assert!(body["expires_on"].as_str().unwrap().parse::<u64>().is_ok());
    assert_eq!(body["resource"], "https://api.partnercenter.microsoft.com");
    assert!(body["refresh_token"].is_string());

    let response = post_form(
        &emulator,
        &path,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", credentials::CLIENT_ID),
            ("client_secret", credentials::CLIENT_SECRET),
            ("resource", "https://management.azure.com"),
        ],
    )
    .await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn tokens_expire_after_their_lifetime() {
    let emulator = Emulator::start_with(EmulatorConfig {
        token_lifetime: Duration::from_secs(1),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let token = app_user_token(&emulator).await;
    assert_eq!(api_get(&emulator, RELATIONSHIP, &token).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 401);
    assert!(
        json(response).await["description"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

#[tokio::test]
async fn invalidated_tokens_get_401_and_a_refresh_recovers() {
    let emulator = Emulator::start();
    let token = app_user_token(&emulator).await;
    emulator.invalidate_access_tokens();
    let response = api_get(&emulator, RELATIONSHIP, &token).await;
    assert_eq!(response.status(), 401);
    let fresh = app_user_token(&emulator).await;
    assert_eq!(api_get(&emulator, RELATIONSHIP, &fresh).await.status(), 200);
}

#[test]
fn non_loopback_hosts_are_refused_unless_allowed() {
    let error = Emulator::start_with(EmulatorConfig {
        host: "0.0.0.0".parse().unwrap(),
        ..EmulatorConfig::default()
    })
    .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn works_from_a_plain_synchronous_test() {
    let emulator = Emulator::start();
    assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
    assert!(!emulator.base_url().ends_with('/'));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let token = runtime.block_on(app_only_token(&emulator));
    assert!(!token.is_empty());
}
