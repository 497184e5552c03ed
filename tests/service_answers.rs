//! Issue 12, items 15–17 and 19: service answers keep every detail. An ETag sent as a number,
//! a 409 that is not about the ETag, PascalCase keys as in Partner Center's documented request
//! examples, a NUL in a link and a braced or `urn:uuid:` correlation id. The emulator's fault
//! rules answer the canned bodies; its request log shows what reached the wire.

mod common;

use common::*;
use partnercenter::{BillingProfile, ClientOptions, ErrorKind};
use partnercenter_emulator::{Emulator, EmulatorConfig, FaultRule, credentials};

fn seeded(customers: usize) -> Emulator {
    Emulator::start_with(EmulatorConfig {
        customers,
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn billing_path(id: &str) -> String {
    format!("/v1/customers/{id}/profiles/billing")
}

/// A rule answering `method` on `path` once with `status` and `body`.
fn answer(method: &str, path: &str, status: u16, body: &str) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path: path.into(),
        status: Some(status),
        body: Some(body.into()),
        ..FaultRule::default()
    }
}

fn if_match_sent(emu: &Emulator) -> Option<String> {
    api_requests(emu)
        .into_iter()
        .find(|r| r.method == "PUT")
        .and_then(|r| r.headers.into_iter().find(|(k, _)| k == "if-match"))
        .map(|(_, v)| v)
}

// ---- Item 15: an ETag that arrives as a JSON number ----

#[test]
fn an_etag_sent_as_a_number_is_read_and_sent_back_as_it_came() {
    let emu = seeded(1);
    let id = emu.customer_ids()[0].clone();
    // The emulator's own profile starts at ETag 1; this answer spells it as a number.
    let body = r#"{"id":"p","firstName":"Ann","email":"a@b.example","attributes":{"etag":1,"objectType":"CustomerBillingProfile"}}"#;
    emu.add_fault(answer("GET", &billing_path(&id), 200, body));
    let client = app_user_client(&emu, "");
    let mut profile = client
        .get_billing_profile(&id)
        .expect("a numeric ETag is read");
    assert_eq!(profile.etag(), Some("1"));
    let written = serde_json::to_value(&profile).unwrap();
    assert_eq!(
        written["attributes"]["etag"],
        serde_json::json!(1),
        "still a number"
    );
    profile.email = Some("new@b.example".into());
    client.update_billing_profile(&id, &profile).unwrap();
    assert_eq!(if_match_sent(&emu).as_deref(), Some("1"));
}

// ---- Item 16: only a 412 (or the service's word) is a stale ETag ----

#[test]
fn a_409_that_is_not_about_the_etag_keeps_the_services_cause() {
    let emu = seeded(1);
    let id = emu.customer_ids()[0].clone();
    let client = app_user_client(&emu, "");
    let profile = client.get_billing_profile(&id).unwrap();
    emu.add_fault(answer(
        "PUT",
        &billing_path(&id),
        409,
        r#"{"code":600061,"description":"The billing profile cannot change while an order is being processed."}"#,
    ));
    let e = client.update_billing_profile(&id, &profile).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(e.service_code(), Some("600061"));
    assert!(
        e.message().contains("while an order is being processed"),
        "{}",
        e.message()
    );
    assert!(!e.message().contains("stale ETag"), "{}", e.message());

    // A 412 is the ETag, whatever the body says.
    emu.add_fault(answer(
        "PUT",
        &billing_path(&id),
        412,
        r#"{"description":"x"}"#,
    ));
    let e = client.update_billing_profile(&id, &profile).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.message().contains("stale ETag"), "{}", e.message());
}

// ---- Item 17: PascalCase keys, as in Partner Center's documented examples ----

#[test]
fn a_profile_with_pascal_case_keys_updates_like_a_camel_case_one() {
    let emu = seeded(1);
    let id = emu.customer_ids()[0].clone();
    let client = app_user_client(&emu, "");
    // The shape of Partner Center's "Update a customer's billing profile" request example.
    let json = r#"{"Id":"p","FirstName":"Ann","LastName":"Lee","Email":"ann@b.example",
        "Culture":"en-US","Language":"en","CompanyName":"Contoso",
        "DefaultAddress":{"Country":"US","City":"Redmond","State":"WA","AddressLine1":"1 Way",
            "PostalCode":"98052","PhoneNumber":"4255550100"},
        "Attributes":{"Etag":"1","ObjectType":"CustomerBillingProfile"}}"#;
    let profile: BillingProfile = serde_json::from_str(json).expect("PascalCase keys are read");
    assert_eq!(profile.etag(), Some("1"));
    assert_eq!(profile.first_name.as_deref(), Some("Ann"));
    let address = profile.default_address.as_ref().unwrap();
    assert_eq!(address.city.as_deref(), Some("Redmond"));
    assert!(address.extra.is_empty() && profile.extra.is_empty());
    let written = serde_json::to_value(&profile).unwrap();
    assert_eq!(written["firstName"], "Ann", "written back in camelCase");
    assert_eq!(written["attributes"]["etag"], "1");
    let stored = client.update_billing_profile(&id, &profile).unwrap();
    assert_eq!(stored.first_name.as_deref(), Some("Ann"));
    assert_eq!(if_match_sent(&emu).as_deref(), Some("1"));

    // The same field twice in different case is refused: which one was meant is unknown.
    let twice = r#"{"firstName":"a","FirstName":"b","attributes":{"etag":"2"}}"#;
    let e = serde_json::from_str::<BillingProfile>(twice).unwrap_err();
    assert!(e.to_string().contains("'firstName' is given twice"), "{e}");
}

#[test]
fn pc_update_billing_profile_takes_pascal_case_keys() {
    use std::ffi::CString;
    let emu = seeded(1);
    let id = emu.customer_ids()[0].clone();
    let options = CString::new(app_user_json(&emu, "")).unwrap();
    let mut client = std::ptr::null_mut();
    // SAFETY: valid strings and out-params; every object is freed once.
    unsafe {
        assert_eq!(
            partnercenter::ffi::pc_client_new(options.as_ptr(), &mut client),
            0
        );
        let id = CString::new(id).unwrap();
        let json =
            CString::new(r#"{"FirstName":"Bo","Email":"bo@b.example","Attributes":{"Etag":"1"}}"#)
                .unwrap();
        let status = partnercenter::ffi::pc_update_billing_profile(
            client,
            id.as_ptr(),
            json.as_ptr(),
            std::ptr::null_mut(),
        );
        partnercenter::ffi::pc_client_free(client);
        assert_eq!(status, 0, "PC_OK");
    }
    assert_eq!(if_match_sent(&emu).as_deref(), Some("1"));
}

// ---- Item 19: a NUL in a link; a correlation id in another GUID spelling ----

#[test]
fn a_nul_in_the_relationship_link_is_a_bad_response_not_an_internal_error() {
    use std::ffi::CString;
    let emu = seeded(0);
    let mut rule = relationship_fault();
    rule.status = Some(200);
    rule.body = Some(r#"{"url":"https://admin.microsoft.com/x?id=1\u0000&evil=1"}"#.into());
    emu.add_fault(rule);
    let options = CString::new(app_user_json(&emu, "")).unwrap();
    let mut client = std::ptr::null_mut();
    let mut url = std::ptr::null_mut();
    // SAFETY: valid strings and out-params; every object is freed once.
    let status = unsafe {
        assert_eq!(
            partnercenter::ffi::pc_client_new(options.as_ptr(), &mut client),
            0
        );
        let status =
            partnercenter::ffi::pc_new_relationship_request(client, &mut url, std::ptr::null_mut());
        partnercenter::ffi::pc_string_free(url);
        partnercenter::ffi::pc_client_free(client);
        status
    };
    assert_eq!(
        status, 403,
        "PC_ERR_BAD_RESPONSE (was PC_ERR_INTERNAL, 901)"
    );
    assert!(url.is_null());
}

#[test]
fn a_braced_or_urn_correlation_id_is_sent_as_a_bare_guid() {
    let bare = "0f8fad5b-d9cb-469f-a165-70867728950e";
    for given in [
        "urn:uuid:0F8FAD5B-D9CB-469F-A165-70867728950E",
        "{0f8fad5b-d9cb-469f-a165-70867728950e}",
        "0f8fad5bd9cb469fa16570867728950e",
    ] {
        let emu = seeded(0);
        let client = app_user_client(&emu, &format!(r#""correlation_id":"{given}""#));
        client.new_relationship_request().unwrap();
        let sent = api_requests(&emu)[0]
            .headers
            .iter()
            .find(|(k, _)| k == "ms-correlationid")
            .map(|(_, v)| v.clone());
        assert_eq!(sent.as_deref(), Some(bare), "{given}");
    }
    // Options built in Rust are sent as given, so only the bare form is taken there.
    let emu = seeded(0);
    let mut options = ClientOptions::from_json(&app_user_json(&emu, "")).unwrap();
    options.correlation_id = Some("{0f8fad5b-d9cb-469f-a165-70867728950e}".into());
    let e = options.validate().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidOptions);
    assert!(e.message().contains("correlation_id"), "{}", e.message());
    // Not a GUID at all: refused by the JSON reader too, as before.
    let e =
        ClientOptions::from_json(&app_user_json(&emu, r#""correlation_id":"urn:x""#)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidOptions);
}

/// Issue 12 A.1's other half: a body over the service's limit gets the service's 413 in every
/// round, not a broken pipe when the connection's reset wins the race. The emulator reads the
/// body out before it answers, as a front end's lingering close does.
#[test]
fn a_body_over_the_limit_gets_the_services_413_every_time() {
    let emu = seeded(1);
    let id = emu.customer_ids()[0].clone();
    let client = app_user_client(&emu, r#""max_retries":0"#);
    let mut profile = client.get_billing_profile(&id).expect("profile");
    profile.first_name = Some("x".repeat(8 << 20));
    for round in 0..5 {
        let e = client
            .update_billing_profile(&id, &profile)
            .expect_err("an 8 MiB profile is refused");
        assert_eq!(e.kind(), ErrorKind::BadRequest, "round {round}: {e}");
        assert_eq!(e.http_status(), Some(413), "round {round}: {e}");
        assert!(e.to_string().contains("larger than the limit"), "{e}");
    }
}

/// The same for the token form: a refresh token far over any real one meets the token
/// endpoint's 413 (its answer, not a broken pipe), and the secret is not in the error.
#[test]
fn a_token_form_over_the_limit_gets_the_413_every_time() {
    let emu = seeded(0);
    let huge = "r".repeat(1 << 20);
    for round in 0..3 {
        let client = partnercenter::blocking::Client::new(
            ClientOptions::from_json(&format!(
                r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}","refresh_token":"{huge}","max_retries":0}}"#,
                b = emu.base_url(),
                t = credentials::TENANT,
                c = credentials::CLIENT_ID,
            ))
            .expect("options"),
        )
        .expect("client");
        let e = client
            .new_relationship_request()
            .expect_err("a 1 MiB form is refused");
        assert_eq!(e.http_status(), Some(413), "round {round}: {e}");
        assert!(
            !e.to_string().contains("rrrrrrrr"),
            "the secret leaked: {e}"
        );
    }
}
