//! Microsoft Graph GDAP admin relationships over real HTTP (`docs/gdap.md`): the whole flow,
//! every refusal of the contract, paging and filters, the error shape and ids, token audiences,
//! and the controls, faults, rate limit and request log on `/v1.0`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig, FaultRule, credentials};
use reqwest::Response;
use serde_json::{Value, json};

const GRAPH_GDAP: &str = "https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All";
const GRAPH_DEFAULT: &str = "https://graph.microsoft.com/.default";
const RELATIONSHIPS: &str = "/tenantRelationships/delegatedAdminRelationships";
const DIRECTORY_READERS: &str = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
const HELPDESK_ADMIN: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
const CUSTOMER: &str = "4b827261-d21f-4aa9-b7db-7fa1f56fb163";
const GROUP: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const CLIENT_REQUEST_ID: &str = "7d9b4f4c-7b1c-4e4b-9d43-9c1c8f2f0a11";

thread_local! {
    /// One client per test (a `#[tokio::test]` runs on its own thread): building one per request
    /// costs more than the request.
    static CLIENT: reqwest::Client = client();
}

fn shared_client() -> reqwest::Client {
    CLIENT.with(Clone::clone)
}

/// An App+User Graph token bought with the well-known refresh token.
async fn graph_token(emulator: &Emulator) -> String {
    let scope = format!("{GRAPH_GDAP} offline_access");
    let response = refresh_grant(emulator, credentials::REFRESH_TOKEN, &scope).await;
    assert_eq!(response.status(), 200);
    let body = json(response).await;
    assert_eq!(body["scope"], GRAPH_GDAP);
    body["access_token"].as_str().unwrap().to_owned()
}

/// Starts an emulator and buys it a Graph token: how most tests begin.
async fn emulator_with_token() -> (Emulator, String) {
    let emulator = Emulator::start();
    let token = graph_token(&emulator).await;
    (emulator, token)
}

/// A Graph request: `path` relative to the Graph base URL (or absolute), with a
/// `client-request-id`, optional extra headers and JSON body.
async fn graph(
    emulator: &Emulator,
    method: &str,
    path: &str,
    token: &str,
    extra: &[(&str, &str)],
    body: Option<&Value>,
) -> Response {
    let url = if path.starts_with("http") {
        path.to_owned()
    } else {
        format!("{}{path}", emulator.graph_url())
    };
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let request = shared_client()
        .request(method, url)
        .bearer_auth(token)
        .header("client-request-id", CLIENT_REQUEST_ID);
    send_with(request, extra, body).await
}

/// A GET with no extra headers: the read nearly every check makes.
async fn get(emulator: &Emulator, path: &str, token: &str) -> Response {
    graph(emulator, "GET", path, token, &[], None).await
}

/// The body of a plain GET, whatever its status.
async fn get_json(emulator: &Emulator, path: &str, token: &str) -> Value {
    json(get(emulator, path, token).await).await
}

/// The status of a plain GET: what the checks that a token is (not) accepted compare.
async fn get_status(emulator: &Emulator, path: &str, token: &str) -> u16 {
    get(emulator, path, token).await.status().as_u16()
}

/// A POST of a JSON `body` with no extra headers: how relationships and assignments are made.
async fn post(emulator: &Emulator, path: &str, token: &str, body: &Value) -> Response {
    graph(emulator, "POST", path, token, &[], Some(body)).await
}

/// A PATCH of `body` with `If-Match: etag`: the conditional update the contract asks for.
async fn patch(emulator: &Emulator, path: &str, token: &str, etag: &str, body: &Value) -> Response {
    graph(
        emulator,
        "PATCH",
        path,
        token,
        &[("If-Match", etag)],
        Some(body),
    )
    .await
}

/// An answer's status and body, for the checks that look at both.
async fn status_and_body(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, json(response).await)
}

/// A header of an answer as text (it must be there).
fn header(response: &Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

/// The `id` of a Graph object.
fn id_of(object: &Value) -> &str {
    object["id"].as_str().unwrap()
}

/// `key` of every item of a listing's `value`, in order.
fn each<'a>(page: &'a Value, key: &str) -> Vec<&'a str> {
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[key].as_str().unwrap())
        .collect()
}

fn new_relationship(name: &str, roles: &[&str]) -> Value {
    json!({
        "displayName": name,
        "duration": "P730D",
        "customer": { "tenantId": CUSTOMER },
        "accessDetails": {
            "unifiedRoles": roles.iter().map(|r| json!({ "roleDefinitionId": r })).collect::<Vec<_>>(),
        },
        "autoExtendDuration": "P180D",
    })
}

fn assignment(roles: &[&str]) -> Value {
    json!({
        "accessContainer": { "accessContainerId": GROUP, "accessContainerType": "securityGroup" },
        "accessDetails": {
            "unifiedRoles": roles.iter().map(|r| json!({ "roleDefinitionId": r })).collect::<Vec<_>>(),
        },
    })
}

/// Creates a relationship (201): its body.
async fn create(emulator: &Emulator, token: &str, body: &Value) -> Value {
    let response = post(emulator, RELATIONSHIPS, token, body).await;
    assert_eq!(response.status(), 201);
    json(response).await
}

/// Creates a relationship named `name` with Directory Readers (201), the role most tests need:
/// its body.
async fn create_named(emulator: &Emulator, token: &str, name: &str) -> Value {
    let body = new_relationship(name, &[DIRECTORY_READERS]);
    create(emulator, token, &body).await
}

/// Sends a request (`lockForApproval` or `terminate`) to relationship `id`: status and body.
async fn act(emulator: &Emulator, token: &str, id: &str, action: &str) -> (u16, Value) {
    let path = format!("{RELATIONSHIPS}/{id}/requests");
    status_and_body(post(emulator, &path, token, &json!({ "action": action })).await).await
}

async fn control(emulator: &Emulator, id: &str, what: &str) -> (u16, Value) {
    let response = admin_post(
        emulator,
        &format!("/_emulator/admin-relationships/{id}/{what}"),
        &json!({}),
    )
    .await;
    status_and_body(response).await
}

/// Applies a control that must succeed (200): the relationship it answers with.
async fn control_ok(emulator: &Emulator, id: &str, what: &str) -> Value {
    let (status, body) = control(emulator, id, what).await;
    assert_eq!(status, 200, "{what} {id}: {body}");
    body
}

/// Reads `path` until its status is `wanted` (at most 3 s): every status seen, in order.
async fn wait_for(emulator: &Emulator, token: &str, path: &str, wanted: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut seen: Vec<String> = Vec::new();
    loop {
        let response = get(emulator, path, token).await;
        assert_eq!(response.status(), 200, "{path}");
        let status = json(response).await["status"].as_str().unwrap().to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == wanted {
            return seen;
        }
        assert!(Instant::now() < deadline, "{path}: still {seen:?}");
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

/// Asserts a Graph error: status, code, the ids in the body and the headers; the message.
async fn expect_error(response: Response, status: u16, code: &str) -> String {
    assert_eq!(response.status(), status, "expected {code}");
    let request_id = header(&response, "request-id");
    assert_eq!(response.headers()["client-request-id"], CLIENT_REQUEST_ID);
    let body = json(response).await;
    let error = &body["error"];
    assert_eq!(error["code"], code, "{body}");
    assert_eq!(error["innerError"]["request-id"], request_id.as_str());
    assert_eq!(error["innerError"]["client-request-id"], CLIENT_REQUEST_ID);
    error["message"].as_str().unwrap().to_owned()
}

/// Creates a relationship and brings it to `active`: its id.
async fn active_relationship(
    emulator: &Emulator,
    token: &str,
    name: &str,
    roles: &[&str],
) -> String {
    let created = create(emulator, token, &new_relationship(name, roles)).await;
    let id = id_of(&created).to_owned();
    assert_eq!(act(emulator, token, &id, "lockForApproval").await.0, 201);
    control_ok(emulator, &id, "approve").await;
    wait_for(emulator, token, &format!("{RELATIONSHIPS}/{id}"), "active").await;
    id
}

#[tokio::test]
async fn the_whole_flow_from_created_to_terminated() {
    let (emulator, token) = emulator_with_token().await;
    let body = new_relationship("Contoso admin relationship", &[DIRECTORY_READERS]);
    let response = post(&emulator, RELATIONSHIPS, &token, &body).await;
    assert_eq!(response.status(), 201);
    let location = header(&response, "location");
    let created = json(response).await;
    let id = id_of(&created).to_owned();
    assert_eq!(id, format!("{}-{CUSTOMER}", credentials::PARTNER_ID));
    assert_eq!(
        location,
        format!("{}{RELATIONSHIPS}/{id}", emulator.graph_url())
    );
    assert_eq!(
        created["@odata.type"],
        "#microsoft.graph.delegatedAdminRelationship"
    );
    assert_eq!(created["status"], "created");
    assert_eq!(created["duration"], "P730D");
    assert_eq!(created["autoExtendDuration"], "P180D");
    assert_eq!(created["customer"]["tenantId"], CUSTOMER);
    assert_eq!(
        created["accessDetails"]["unifiedRoles"][0]["roleDefinitionId"],
        DIRECTORY_READERS
    );
    assert!(created["activatedDateTime"].is_null() && created["endDateTime"].is_null());
    assert!(created["createdDateTime"].as_str().unwrap().ends_with('Z'));
    assert!(created["@odata.etag"].as_str().unwrap().starts_with("W/\""));
    let path = format!("{RELATIONSHIPS}/{id}");
    let got = get_json(&emulator, &path, &token).await;
    assert_eq!(got, created);

    let (status, request) = act(&emulator, &token, &id, "lockForApproval").await;
    assert_eq!(status, 201);
    assert_eq!(
        request["@odata.type"],
        "#microsoft.graph.delegatedAdminRelationshipRequest"
    );
    assert_eq!(request["action"], "lockForApproval");
    assert_eq!(request["status"], "succeeded");
    assert_eq!(
        emulator.admin_relationship_status(&id).as_deref(),
        Some("approvalPending")
    );

    let approved = control_ok(&emulator, &id, "approve").await;
    assert_eq!(approved["status"], "approved");
    let seen = wait_for(&emulator, &token, &path, "active").await;
    assert_eq!(seen.last().map(String::as_str), Some("active"));
    assert!(
        seen.iter()
            .all(|s| ["approved", "activating", "active"].contains(&s.as_str())),
        "{seen:?}"
    );
    let active = get_json(&emulator, &path, &token).await;
    let activated = active["activatedDateTime"].as_str().unwrap();
    let end = active["endDateTime"].as_str().unwrap();
    // Two years (730 days) after activation: same time of day, the year two on (no 29 February
    // in between until 2028; the date part is checked loosely).
    assert_eq!(activated[10..], end[10..], "{activated} {end}");
    assert_ne!(activated[..4], end[..4]);

    let assignments = format!("{path}/accessAssignments");
    let body = assignment(&[DIRECTORY_READERS]);
    let response = post(&emulator, &assignments, &token, &body).await;
    assert_eq!(response.status(), 201);
    let made = json(response).await;
    assert_eq!(
        made["@odata.type"],
        "#microsoft.graph.delegatedAdminAccessAssignment"
    );
    assert_eq!(made["status"], "pending");
    assert_eq!(made["accessContainer"]["accessContainerId"], GROUP);
    let assignment_path = format!("{assignments}/{}", id_of(&made));
    wait_for(&emulator, &token, &assignment_path, "active").await;
    let listed = get_json(&emulator, &assignments, &token).await;
    assert_eq!(listed["value"].as_array().unwrap().len(), 1);
    assert_eq!(listed["value"][0]["status"], "active");

    let (status, request) = act(&emulator, &token, &id, "terminate").await;
    assert_eq!(status, 201);
    assert_eq!(request["action"], "terminate");
    let seen = wait_for(&emulator, &token, &path, "terminated").await;
    assert!(
        seen.iter()
            .all(|s| ["terminationRequested", "terminating", "terminated"].contains(&s.as_str())),
        "{seen:?}"
    );
    let gone = get_json(&emulator, &assignment_path, &token).await;
    assert_eq!(gone["status"], "deleted");
}

#[tokio::test]
async fn creates_are_refused_as_the_contract_says() {
    let (emulator, token) = emulator_with_token().await;
    create_named(&emulator, &token, "Contoso").await;
    let attempt = |body: Value| {
        let emulator = &emulator;
        let token = &token;
        async move { post(emulator, RELATIONSHIPS, token, &body).await }
    };
    let duplicate = new_relationship("CONTOSO", &[DIRECTORY_READERS]);
    expect_error(attempt(duplicate).await, 409, "duplicateDisplayName").await;
    let long = new_relationship(&"x".repeat(51), &[DIRECTORY_READERS]);
    expect_error(attempt(long).await, 400, "invalidDisplayName").await;
    let fifty = new_relationship(&"y".repeat(50), &[DIRECTORY_READERS]);
    assert_eq!(attempt(fifty).await.status(), 201);
    expect_error(
        attempt(new_relationship("", &[DIRECTORY_READERS])).await,
        400,
        "invalidDisplayName",
    )
    .await;
    for duration in ["P3Y", "P0D", "PT5H", "P731D", "P1M"] {
        let mut body = new_relationship(&format!("d {duration}"), &[DIRECTORY_READERS]);
        body["duration"] = duration.into();
        let message = expect_error(attempt(body).await, 400, "invalidDuration").await;
        assert!(message.contains(duration), "{message}");
    }
    let mut two_years = new_relationship("two years", &[DIRECTORY_READERS]);
    two_years["duration"] = "P2Y".into();
    assert_eq!(attempt(two_years).await.status(), 201);
    let mut extend = new_relationship("extend", &[DIRECTORY_READERS]);
    extend["autoExtendDuration"] = "P90D".into();
    expect_error(attempt(extend).await, 400, "invalidAutoExtendDuration").await;
    let global = new_relationship("global", &[DIRECTORY_READERS, GLOBAL_ADMIN]);
    expect_error(
        attempt(global).await,
        400,
        "globalAdminAutoExtendNotAllowed",
    )
    .await;
    let mut global_no_extend = new_relationship("global", &[GLOBAL_ADMIN]);
    global_no_extend["autoExtendDuration"] = "PT0S".into();
    assert_eq!(attempt(global_no_extend).await.status(), 201);
    expect_error(
        attempt(new_relationship("no roles", &[])).await,
        400,
        "invalidRoleDefinitionId",
    )
    .await;
    expect_error(
        attempt(new_relationship("bad role", &["admin"])).await,
        400,
        "invalidRoleDefinitionId",
    )
    .await;
    let mut missing = new_relationship("missing", &[DIRECTORY_READERS]);
    missing.as_object_mut().unwrap().remove("duration");
    let message = expect_error(attempt(missing).await, 400, "BadRequest").await;
    assert!(message.contains("'duration'"), "{message}");
    let mut bad_customer = new_relationship("bad customer", &[DIRECTORY_READERS]);
    bad_customer["customer"]["tenantId"] = "contoso".into();
    let message = expect_error(attempt(bad_customer).await, 400, "BadRequest").await;
    assert!(message.contains("customer.tenantId"), "{message}");
    let not_json = client()
        .post(format!("{}{RELATIONSHIPS}", emulator.graph_url()))
        .bearer_auth(&token)
        .header("client-request-id", CLIENT_REQUEST_ID)
        .body("{not json")
        .send()
        .await
        .unwrap();
    expect_error(not_json, 400, "BadRequest").await;
    // Without a customer the id's second half is random; auto-extension defaults to none.
    let mut anonymous = new_relationship("anonymous", &[DIRECTORY_READERS]);
    let object = anonymous.as_object_mut().unwrap();
    object.remove("customer");
    object.remove("autoExtendDuration");
    let made = create(&emulator, &token, &anonymous).await;
    assert!(made["customer"].is_null());
    assert_eq!(made["autoExtendDuration"], "PT0S");
    let id = id_of(&made);
    assert!(id.starts_with(&format!("{}-", credentials::PARTNER_ID)));
    assert_eq!(id.len(), 36 * 2 + 1);
}

#[tokio::test]
async fn patch_needs_the_current_etag_and_a_created_relationship() {
    let (emulator, token) = emulator_with_token().await;
    let created = create_named(&emulator, &token, "Before").await;
    let id = id_of(&created);
    let etag = created["@odata.etag"].as_str().unwrap();
    let path = format!("{RELATIONSHIPS}/{id}");
    let rename = json!({ "displayName": "After", "duration": "P30D" });
    let response = graph(&emulator, "PATCH", &path, &token, &[], Some(&rename)).await;
    expect_error(response, 400, "ifMatchRequired").await;
    let stale = "W/\"stale\"";
    let response = patch(&emulator, &path, &token, stale, &rename).await;
    expect_error(response, 412, "PreconditionFailed").await;
    let response = patch(&emulator, &path, &token, etag, &rename).await;
    assert_eq!(response.status(), 200);
    let patched = json(response).await;
    assert_eq!(patched["displayName"], "After");
    assert_eq!(patched["duration"], "P30D");
    assert_ne!(patched["@odata.etag"], created["@odata.etag"]);
    // The old etag is stale now.
    let response = patch(&emulator, &path, &token, etag, &rename).await;
    expect_error(response, 412, "PreconditionFailed").await;
    let fresh = patched["@odata.etag"].as_str().unwrap().to_owned();
    let bad = json!({ "duration": "P3Y" });
    let response = patch(&emulator, &path, &token, &fresh, &bad).await;
    expect_error(response, 400, "invalidDuration").await;
    assert_eq!(act(&emulator, &token, id, "lockForApproval").await.0, 201);
    let locked = get_json(&emulator, &path, &token).await;
    let locked_etag = locked["@odata.etag"].as_str().unwrap();
    let response = patch(&emulator, &path, &token, locked_etag, &rename).await;
    expect_error(response, 409, "invalidStatusTransition").await;
}

#[tokio::test]
async fn transitions_and_assignments_are_refused_out_of_turn() {
    let (emulator, token) = emulator_with_token().await;
    let created = create_named(&emulator, &token, "Early").await;
    let id = id_of(&created);
    let assignments = format!("{RELATIONSHIPS}/{id}/accessAssignments");
    let body = assignment(&[DIRECTORY_READERS]);
    let response = post(&emulator, &assignments, &token, &body).await;
    expect_error(response, 409, "relationshipNotActive").await;
    let (status, error) = act(&emulator, &token, id, "terminate").await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (409, Some("invalidStatusTransition"))
    );
    let (status, _) = control(&emulator, id, "approve").await;
    assert_eq!(status, 409, "approval only from approvalPending");
    let (status, error) = act(&emulator, &token, id, "approve").await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (400, Some("BadRequest"))
    );
    assert_eq!(act(&emulator, &token, id, "lockForApproval").await.0, 201);
    let (status, _) = act(&emulator, &token, id, "lockForApproval").await;
    assert_eq!(status, 409);
    let response = post(&emulator, &assignments, &token, &body).await;
    expect_error(response, 409, "relationshipNotActive").await;

    let id = active_relationship(&emulator, &token, "Active", &[DIRECTORY_READERS]).await;
    let assignments = format!("{RELATIONSHIPS}/{id}/accessAssignments");
    let other_role = assignment(&[HELPDESK_ADMIN]);
    let response = post(&emulator, &assignments, &token, &other_role).await;
    expect_error(response, 400, "roleNotInRelationship").await;
    let mut bad_group = assignment(&[DIRECTORY_READERS]);
    bad_group["accessContainer"]["accessContainerId"] = "group".into();
    let response = post(&emulator, &assignments, &token, &bad_group).await;
    let message = expect_error(response, 400, "BadRequest").await;
    assert!(message.contains("accessContainerId"), "{message}");
    let response = post(&emulator, &assignments, &token, &assignment(&[])).await;
    expect_error(response, 400, "invalidRoleDefinitionId").await;
    let (status, _) = act(&emulator, &token, &id, "lockForApproval").await;
    assert_eq!(status, 409, "lockForApproval only from created");
}

#[tokio::test]
async fn unknown_ids_are_404_everywhere() {
    let (emulator, token) = emulator_with_token().await;
    let id = active_relationship(&emulator, &token, "Known", &[DIRECTORY_READERS]).await;
    let unknown = format!("{}-{GROUP}", credentials::PARTNER_ID);
    let path = format!("{RELATIONSHIPS}/{unknown}");
    expect_error(get(&emulator, &path, &token).await, 404, "ResourceNotFound").await;
    let response = patch(&emulator, &path, &token, "*", &json!({})).await;
    expect_error(response, 404, "ResourceNotFound").await;
    let (status, body) = act(&emulator, &token, &unknown, "lockForApproval").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("ResourceNotFound"))
    );
    let assignments = format!("{path}/accessAssignments");
    let response = get(&emulator, &assignments, &token).await;
    expect_error(response, 404, "ResourceNotFound").await;
    let body = assignment(&[DIRECTORY_READERS]);
    let response = post(&emulator, &assignments, &token, &body).await;
    expect_error(response, 404, "ResourceNotFound").await;
    let unknown_assignment = format!("{RELATIONSHIPS}/{id}/accessAssignments/{GROUP}");
    let response = get(&emulator, &unknown_assignment, &token).await;
    expect_error(response, 404, "ResourceNotFound").await;
    assert_eq!(control(&emulator, &unknown, "approve").await.0, 404);
    assert_eq!(control(&emulator, &unknown, "expire").await.0, 404);
}

#[tokio::test]
async fn listings_page_with_top_and_absolute_next_links_and_filter() {
    let (emulator, token) = emulator_with_token().await;
    let mut ids = Vec::new();
    for i in 0..250 {
        let mut body = new_relationship(&format!("Relationship {i:03}"), &[DIRECTORY_READERS]);
        body.as_object_mut().unwrap().remove("customer");
        ids.push(id_of(&create(&emulator, &token, &body).await).to_owned());
    }
    let mut next = Some(format!("{RELATIONSHIPS}?$top=100"));
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    while let Some(link) = next.take() {
        let response = get(&emulator, &link, &token).await;
        assert_eq!(response.status(), 200, "{link}");
        let page = json(response).await;
        assert_eq!(
            page["@odata.context"],
            format!(
                "{}/$metadata#tenantRelationships/delegatedAdminRelationships",
                emulator.graph_url()
            )
        );
        let items = page["value"].as_array().unwrap();
        sizes.push(items.len());
        seen.extend(items.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        if let Some(link) = page.get("@odata.nextLink") {
            let link = link.as_str().unwrap();
            assert!(
                link.starts_with(&format!("{}{RELATIONSHIPS}?", emulator.graph_url())),
                "{link}"
            );
            assert!(link.contains("$skiptoken="), "{link}");
            assert!(link.contains("$top=100"), "{link}");
            next = Some(link.to_owned());
        }
    }
    assert_eq!(sizes, [100, 100, 50]);
    assert_eq!(seen, ids);
    // The default page is 100.
    let page = get_json(&emulator, RELATIONSHIPS, &token).await;
    assert_eq!(page["value"].as_array().unwrap().len(), 100);

    // Three become active, with a customer each.
    let customers = [
        "11111111-1111-4111-8111-111111111111",
        "22222222-2222-4222-8222-222222222222",
        "33333333-3333-4333-8333-333333333333",
    ];
    for (i, customer) in customers.iter().enumerate() {
        let id = &ids[i * 100 + 7];
        assert_eq!(act(&emulator, &token, id, "lockForApproval").await.0, 201);
        let response = admin_post(
            &emulator,
            &format!("/_emulator/admin-relationships/{id}/approve"),
            &json!({ "tenantId": customer }),
        )
        .await;
        assert_eq!(response.status(), 200);
    }
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let filter = form_encode("status eq 'active'");
    let path = format!("{RELATIONSHIPS}?$filter={filter}&$top=2");
    let page = get_json(&emulator, &path, &token).await;
    assert_eq!(each(&page, "id"), [ids[7].as_str(), ids[107].as_str()]);
    let link = page["@odata.nextLink"].as_str().unwrap();
    assert!(link.contains("$filter="), "{link}");
    let rest = get_json(&emulator, link, &token).await;
    assert_eq!(each(&rest, "status"), ["active"]);
    let both = form_encode(&format!(
        "status eq 'active' and customer/tenantId eq '{}'",
        customers[1]
    ));
    let page = get_json(
        &emulator,
        &format!("{RELATIONSHIPS}?$filter={both}"),
        &token,
    )
    .await;
    assert_eq!(each(&page, "id"), [ids[107].as_str()]);
    assert!(page.get("@odata.nextLink").is_none());
    let pending = form_encode("status eq 'approvalPending'");
    let page = get_json(
        &emulator,
        &format!("{RELATIONSHIPS}?$filter={pending}"),
        &token,
    )
    .await;
    assert_eq!(page["value"].as_array().unwrap().len(), 0);

    for bad in [
        "$top=0",
        "$top=301",
        "$skiptoken=nope",
        "$filter=displayName%20eq%20%27x%27",
    ] {
        let response = get(&emulator, &format!("{RELATIONSHIPS}?{bad}"), &token).await;
        expect_error(response, 400, "BadRequest").await;
    }
}

#[tokio::test]
async fn errors_have_graphs_shape_and_every_answer_carries_the_ids() {
    let (emulator, token) = emulator_with_token().await;
    let response = get(&emulator, &format!("{RELATIONSHIPS}/nope"), &token).await;
    assert_eq!(response.status(), 404);
    let request_id = header(&response, "request-id");
    assert!(uuid_shaped(&request_id), "{request_id}");
    assert_eq!(response.headers()["client-request-id"], CLIENT_REQUEST_ID);
    let body = json(response).await;
    let error = body["error"].as_object().unwrap();
    let mut keys: Vec<&str> = error.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["code", "innerError", "message"]);
    let inner = &body["error"]["innerError"];
    assert_eq!(inner["request-id"], request_id.as_str());
    assert_eq!(inner["client-request-id"], CLIENT_REQUEST_ID);
    let date = inner["date"].as_str().unwrap();
    assert_eq!(date.len(), 19, "{date}");
    assert_eq!((&date[4..5], &date[10..11], &date[13..14]), ("-", "T", ":"));
    assert!(!body["error"]["message"].as_str().unwrap().is_empty());

    // A success carries them too; two answers never share a request-id.
    let response = get(&emulator, RELATIONSHIPS, &token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["client-request-id"], CLIENT_REQUEST_ID);
    assert_ne!(response.headers()["request-id"], request_id.as_str());
    // Without a client-request-id the answer's is its request-id.
    let response = client()
        .get(format!("{}{RELATIONSHIPS}", emulator.graph_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["client-request-id"],
        response.headers()["request-id"]
    );
    // Unknown segments and methods answer in Graph's shape too.
    let response = get(&emulator, "/me", &token).await;
    expect_error(response, 400, "BadRequest").await;
    let response = graph(&emulator, "DELETE", RELATIONSHIPS, &token, &[], None).await;
    expect_error(response, 405, "MethodNotAllowed").await;
}

fn uuid_shaped(text: &str) -> bool {
    text.len() == 36 && text.chars().filter(|&c| c == '-').count() == 4
}

#[tokio::test]
async fn each_service_refuses_the_others_tokens() {
    let emulator = Emulator::start();
    let graph_user = graph_token(&emulator).await;
    let pc_user = app_user_token(&emulator).await;
    let pc_app = app_only_token(&emulator).await;
    for token in [&pc_user, &pc_app] {
        let response = get(&emulator, RELATIONSHIPS, token).await;
        assert!(response.headers().contains_key("www-authenticate"));
        let message = expect_error(response, 401, "InvalidAuthenticationToken").await;
        assert_eq!(
            message,
            "Access token validation failure. Invalid audience."
        );
    }
    let response = api_get(&emulator, RELATIONSHIP, &graph_user).await;
    assert_eq!(response.status(), 401);
    let body = json(response).await;
    assert_eq!(
        body["description"],
        "Access token validation failure. Invalid audience."
    );
    let response = api_get(&emulator, "/v1/customers", &graph_user).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        api_get(&emulator, RELATIONSHIP, &pc_user).await.status(),
        200
    );
    // No token, or one the emulator never issued.
    let response = client()
        .get(format!("{}{RELATIONSHIPS}", emulator.graph_url()))
        .header("client-request-id", CLIENT_REQUEST_ID)
        .send()
        .await
        .unwrap();
    expect_error(response, 401, "InvalidAuthenticationToken").await;
    let response = get(&emulator, RELATIONSHIPS, "forged").await;
    expect_error(response, 401, "InvalidAuthenticationToken").await;
    assert_eq!(get_status(&emulator, RELATIONSHIPS, &graph_user).await, 200);
}

#[tokio::test]
async fn graph_tokens_come_from_every_grant() {
    let emulator = Emulator::start_with(EmulatorConfig {
        device_code_interval: Duration::from_millis(10),
        ..EmulatorConfig::default()
    })
    .unwrap();
    // App-only: client credentials with Graph's .default.
    let body = client_credentials(&emulator, GRAPH_DEFAULT).await;
    assert_eq!(body["scope"], GRAPH_DEFAULT);
    let app_only = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(get_status(&emulator, RELATIONSHIPS, &app_only).await, 200);
    assert_eq!(
        api_get(&emulator, "/v1/customers", &app_only)
            .await
            .status(),
        401
    );

    // Device code with the GDAP scope.
    let response = post_form(
        &emulator,
        &format!("/{}/oauth2/v2.0/devicecode", credentials::TENANT),
        &[
            ("client_id", credentials::CLIENT_ID),
            ("scope", &format!("{GRAPH_GDAP} offline_access")),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let device_code = json(response).await["device_code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(emulator.approve_device_code(None));
    let response = post_form(
        &emulator,
        &token_path(),
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", credentials::CLIENT_ID),
            ("device_code", &device_code),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let body = json(response).await;
    assert_eq!(body["scope"], GRAPH_GDAP);
    let device_token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        get_status(&emulator, RELATIONSHIPS, &device_token).await,
        200
    );
    // Its refresh token buys Partner Center tokens as well as Graph ones.
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let pc = common::refresh(&emulator, &refresh).await;
    assert_eq!(
        api_get(
            &emulator,
            RELATIONSHIP,
            pc["access_token"].as_str().unwrap()
        )
        .await
        .status(),
        200
    );

    // Both resources at once, or an unknown Graph scope: invalid_scope.
    for scope in [
        format!("{GRAPH_GDAP} {SCOPE_USER}"),
        "https://graph.microsoft.com/User.Read".to_owned(),
    ] {
        let response = refresh_grant(&emulator, credentials::REFRESH_TOKEN, &scope).await;
        assert_eq!(response.status(), 400, "{scope}");
        assert_eq!(json(response).await["error"], "invalid_scope");
    }
    // v1: the Graph resource.
    let response = post_form(
        &emulator,
        &format!("/{}/oauth2/token", credentials::TENANT),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", credentials::CLIENT_ID),
            ("client_secret", credentials::CLIENT_SECRET),
            ("resource", "https://graph.microsoft.com"),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let body = json(response).await;
    assert_eq!(body["resource"], "https://graph.microsoft.com");
    let v1 = body["access_token"].as_str().unwrap();
    assert_eq!(get_status(&emulator, RELATIONSHIPS, v1).await, 200);
}

#[tokio::test]
async fn controls_expire_and_reset_forgets() {
    let (emulator, token) = emulator_with_token().await;
    let created = create_named(&emulator, &token, "Handle").await;
    let id = id_of(&created).to_owned();
    assert!(
        !emulator.approve_admin_relationship(&id),
        "not approvalPending yet"
    );
    assert_eq!(act(&emulator, &token, &id, "lockForApproval").await.0, 201);
    assert!(emulator.approve_admin_relationship(&id));
    let path = format!("{RELATIONSHIPS}/{id}");
    wait_for(&emulator, &token, &path, "active").await;
    assert_eq!(
        emulator.admin_relationship_status(&id).as_deref(),
        Some("active")
    );
    let expired = control_ok(&emulator, &id, "expire").await;
    assert_eq!(expired["status"], "expired");
    let (status, _) = act(&emulator, &token, &id, "terminate").await;
    assert_eq!(status, 409, "an expired relationship cannot be terminated");
    assert_eq!(emulator.admin_relationship_count(), 1);
    let response = admin_post(&emulator, "/_emulator/reset", &json!({})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(emulator.admin_relationship_count(), 0);
    assert_eq!(emulator.admin_relationship_status(&id), None);
    // Reset forgot the tokens too.
    let token = graph_token(&emulator).await;
    let response = get(&emulator, &path, &token).await;
    expect_error(response, 404, "ResourceNotFound").await;
    // The name is free again.
    create_named(&emulator, &token, "Handle").await;
}

#[tokio::test]
async fn faults_the_request_log_and_the_rate_limit_cover_graph() {
    let emulator = Emulator::start_with(EmulatorConfig {
        customer_rate_limit: 5,
        customer_rate_window: Duration::from_secs(30),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let token = graph_token(&emulator).await;
    emulator.add_fault(FaultRule {
        path: "/v1.0/tenantRelationships/*".into(),
        status: Some(503),
        ..FaultRule::default()
    });
    let response = get(&emulator, RELATIONSHIPS, &token).await;
    expect_error(response, 503, "ServiceUnavailable").await;
    emulator.add_fault(FaultRule {
        path: "/v1.0/*".into(),
        status: Some(429),
        retry_after: Some(3),
        ..FaultRule::default()
    });
    let response = get(&emulator, RELATIONSHIPS, &token).await;
    assert_eq!(response.headers()["retry-after"], "3");
    expect_error(response, 429, "TooManyRequests").await;
    let logged = emulator.requests();
    let graph_requests: Vec<_> = logged
        .iter()
        .filter(|r| r.path.starts_with("/v1.0/"))
        .collect();
    assert_eq!(graph_requests.len(), 2);
    assert_eq!(graph_requests[0].path, format!("/v1.0{RELATIONSHIPS}"));
    assert!(
        graph_requests[0]
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == "Bearer [REDACTED]")
    );

    // The faults were spent (count 1 each), and faulted requests counted nothing: five are
    // admitted in the window, the sixth is Graph's 429 with Retry-After.
    for i in 0..5 {
        let response = get(&emulator, RELATIONSHIPS, &token).await;
        assert_eq!(response.status(), 200, "request {i}");
    }
    let response = get(&emulator, RELATIONSHIPS, &token).await;
    let retry_after: u64 = header(&response, "retry-after").parse().unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    let message = expect_error(response, 429, "TooManyRequests").await;
    assert!(message.contains(&retry_after.to_string()), "{message}");
    // Graph's budget is its own: Partner Center's customer resource is still admitted.
    let pc = app_user_token(&emulator).await;
    assert_eq!(api_get(&emulator, "/v1/customers", &pc).await.status(), 200);
}
