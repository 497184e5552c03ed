//! GDAP admin relationships end to end through the library (issue 13): the whole flow against
//! the emulator's Graph service, the refusals with Graph's code and request id, paging over
//! `@odata.nextLink` (and a link that leaves the Graph base), and the Graph token beside the
//! Partner Center one from the same credentials.

mod common;

use std::time::Duration;

use common::*;
use partnercenter::blocking::Client;
use partnercenter::gdap::APPROVAL_URL_PREFIX;
use partnercenter::{
    AdminRelationshipFilter, ClientOptions, ErrorKind, NewAdminRelationship, WaitOptions,
};
use partnercenter_emulator::{Emulator, FaultRule};

const GROUP: &str = "5a1f5a1f-0000-4000-8000-00000000c0de";

fn graph_client(emu: &Emulator) -> Client {
    app_user_client(
        emu,
        &format!(
            r#""graph_base_url":"{}/v1.0","max_retries":0"#,
            emu.base_url()
        ),
    )
}

fn new(name: &str, roles: &[&str]) -> NewAdminRelationship {
    NewAdminRelationship {
        display_name: name.into(),
        duration: "P730D".into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        customer_tenant_id: Some("4b827261-d21f-4aa9-b7db-7fa1f56fb163".into()),
        auto_extend: false,
    }
}

/// Plays the customer approving, through the emulator's control path.
fn approve(emu: &Emulator, id: &str) {
    let request = format!(
        "POST /_emulator/admin-relationships/{id}/approve HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let (status, _, body) = raw_http(emu.base_url(), &request);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

fn graph_requests(emu: &Emulator) -> Vec<partnercenter_emulator::RecordedRequest> {
    emu.requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v1.0/"))
        .collect()
}

fn quick() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(20),
        interval: Duration::from_millis(100),
        max_interval: Duration::from_millis(300),
    }
}

#[test]
fn the_whole_flow_create_lock_approve_wait_assign_terminate() {
    let emu = Emulator::start();
    let client = graph_client(&emu);
    let created = client
        .create_admin_relationship(&new(
            "Contoso helpdesk",
            &["Directory Readers", "Helpdesk Administrator"],
        ))
        .expect("created");
    assert_eq!(created.status, "created");
    assert_eq!(
        created.role_ids,
        [
            "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
            "729827e3-9c14-49f7-bb1b-9608f156bbb8"
        ]
    );
    let locked = client
        .lock_admin_relationship_for_approval(&created.id)
        .expect("locked");
    assert_eq!(locked.status, "approvalPending");
    assert_eq!(
        locked.approval_url,
        format!("{APPROVAL_URL_PREFIX}{}", created.id)
    );
    assert_eq!(
        locked.to_json()["approvalUrl"],
        locked.approval_url.as_str()
    );

    approve(&emu, &created.id);
    let mut seen = Vec::new();
    let active = client
        .wait_for_admin_relationship(&created.id, quick(), |_, _, status| {
            seen.push(status.to_owned())
        })
        .expect("active");
    assert_eq!(active.status, "active");
    eprintln!("statuses seen while waiting: {seen:?}");

    let assignment = client
        .assign_admin_relationship_access(&created.id, GROUP, &["Directory Readers".into()])
        .expect("assigned");
    assert_eq!(assignment.group_id.as_deref(), Some(GROUP));
    assert_eq!(
        assignment.role_ids,
        ["88d8e3e3-8f55-4a1e-953a-9b9898b8876b"]
    );
    let listed = client
        .admin_relationship_access_assignments(&created.id)
        .expect("assignments");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, assignment.id);

    client
        .terminate_admin_relationship(&created.id)
        .expect("terminated");
    let e = client
        .wait_for_admin_relationship(&created.id, quick(), |_, _, _| {})
        .expect_err("a terminated relationship never becomes active");
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    assert!(e.message().contains("terminat"), "{e}");

    // Graph's conventions on the wire: client-request-id, no Partner Center headers.
    let sent = graph_requests(&emu);
    assert!(!sent.is_empty());
    for r in &sent {
        let has = |name: &str| r.headers.iter().any(|(k, _)| k == name);
        assert!(has("client-request-id"), "{} {}", r.method, r.path);
        assert!(!has("ms-requestid"), "{} {}", r.method, r.path);
    }
}

#[test]
fn graph_tokens_come_from_the_same_credentials_and_share_the_refresh_token() {
    let emu = Emulator::start();
    let client = graph_client(&emu);
    client.new_relationship_request().expect("partner center");
    let after_partner_center = client.refresh_token().expect("refresh token");
    client
        .admin_relationship_pages(&AdminRelationshipFilter::default(), 10)
        .expect("listing")
        .next_page()
        .expect("graph");
    // One grant per service: the Graph token is its own (the emulator refuses a Partner
    // Center token on Graph routes, so the listing above proves its audience).
    let grants = token_requests(&emu)
        .into_iter()
        .filter(|r| r.grant_type.as_deref() == Some("refresh_token"))
        .count();
    assert_eq!(grants, 2);
    // The Graph grant rotated the refresh token, and the client's (Partner Center) view has it.
    let after_graph = client.refresh_token().expect("refresh token");
    use secrecy::ExposeSecret;
    assert_ne!(
        after_partner_center.expose_secret(),
        after_graph.expose_secret(),
        "the Graph source must share the rotated refresh token"
    );
    client
        .new_relationship_request()
        .expect("partner center again");
}

#[test]
fn refusals_carry_graph_code_status_and_request_id() {
    let emu = Emulator::start();
    let client = graph_client(&emu);
    client
        .create_admin_relationship(&new("Same name", &["Directory Readers"]))
        .expect("first");
    let e = client
        .create_admin_relationship(&new("same NAME", &["Directory Readers"]))
        .expect_err("duplicate");
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    assert_eq!(e.http_status(), Some(409));
    assert_eq!(e.service_code(), Some("duplicateDisplayName"));
    assert!(e.request_id().is_some_and(|id| !id.is_empty()), "{e}");
    assert!(e.message().contains("Microsoft Graph answered 409"), "{e}");

    let e = client
        .create_admin_relationship(&NewAdminRelationship {
            duration: "P3Y".into(),
            ..new("Too long", &["Directory Readers"])
        })
        .expect_err("bad duration");
    assert_eq!(e.kind(), ErrorKind::BadRequest, "{e}");
    assert_eq!(e.service_code(), Some("invalidDuration"));

    let created = client
        .create_admin_relationship(&new("Not yet active", &["Directory Readers"]))
        .expect("created");
    let e = client
        .assign_admin_relationship_access(&created.id, GROUP, &["Directory Readers".into()])
        .expect_err("not active");
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    assert_eq!(e.service_code(), Some("relationshipNotActive"));

    let e = client
        .get_admin_relationship(
            "00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
        )
        .expect_err("unknown");
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

#[test]
fn what_the_library_can_check_is_refused_before_any_request() {
    let emu = Emulator::start();
    let client = graph_client(&emu);
    let e = client
        .create_admin_relationship(&new("x", &["Helpdesk Admin"]))
        .expect_err("unknown role");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("Helpdesk Administrator"), "{e}");
    let e = client
        .create_admin_relationship(&NewAdminRelationship {
            auto_extend: true,
            ..new("x", &["Global Administrator"])
        })
        .expect_err("global admin with auto-extend");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("Global"), "{e}");
    for id in [".", "..", "a/b", "a%2fb", ""] {
        let e = client.get_admin_relationship(id).expect_err(id);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{id}");
    }
    assert!(graph_requests(&emu).is_empty(), "nothing may reach Graph");
}

#[test]
fn listings_page_over_next_links_and_filter() {
    let emu = Emulator::start();
    let client = graph_client(&emu);
    for i in 0..250 {
        client
            .create_admin_relationship(&new(&format!("Relationship {i}"), &["Directory Readers"]))
            .expect("created");
    }
    let first = client
        .create_admin_relationship(&new("The active one", &["Directory Readers"]))
        .expect("created");
    client
        .lock_admin_relationship_for_approval(&first.id)
        .expect("locked");
    approve(&emu, &first.id);
    client
        .wait_for_admin_relationship(&first.id, quick(), |_, _, _| {})
        .expect("active");

    let pages: Vec<_> = client
        .admin_relationship_pages(&AdminRelationshipFilter::default(), 100)
        .expect("listing")
        .collect::<Result<_, _>>()
        .expect("pages");
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        [100, 100, 51]
    );
    let active: Vec<_> = client
        .admin_relationship_pages(
            &AdminRelationshipFilter {
                status: Some("active".into()),
                ..AdminRelationshipFilter::default()
            },
            100,
        )
        .expect("listing")
        .collect::<Result<Vec<_>, _>>()
        .expect("pages")
        .concat();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].id, first.id);
}

#[test]
fn a_next_link_off_the_graph_base_ends_the_listing() {
    let emu = Emulator::start();
    let client = graph_client(&emu);
    emu.add_fault(FaultRule {
        method: Some("GET".into()),
        path: "/v1.0/tenantRelationships/delegatedAdminRelationships".into(),
        status: Some(200),
        body: Some(
            r#"{"value":[],"@odata.nextLink":"https://evil.example/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=x"}"#
                .into(),
        ),
        ..FaultRule::default()
    });
    let e = client
        .admin_relationship_pages(&AdminRelationshipFilter::default(), 10)
        .expect("listing")
        .next_page()
        .expect_err("foreign link");
    assert_eq!(e.kind(), ErrorKind::BadResponse, "{e}");
    assert!(e.message().contains("another host"), "{e}");
}

#[test]
fn a_caller_supplied_token_cannot_reach_graph() {
    let emu = Emulator::start();
    let token = mint_access_token(&emu);
    let client = Client::new(
        ClientOptions::from_json(&format!(
            r#"{{"base_url":"{b}","graph_base_url":"{b}/v1.0","access_token":"{token}"}}"#,
            b = emu.base_url()
        ))
        .expect("options"),
    )
    .expect("client");
    let e = client
        .get_admin_relationship("a-b")
        .expect_err("no graph token");
    assert_eq!(e.kind(), ErrorKind::InvalidOptions, "{e}");
    assert!(graph_requests(&emu).is_empty());
}

#[test]
fn a_local_partner_center_with_graph_left_public_is_refused_before_any_request() {
    // The emulator for Partner Center and its tokens, but no graph_base_url: nothing may go to
    // the internet's graph.microsoft.com; the message says what to set.
    let emu = Emulator::start();
    let client = app_user_client(&emu, "");
    let e = client
        .get_admin_relationship("a-b")
        .expect_err("graph left public");
    assert_eq!(e.kind(), ErrorKind::InvalidOptions, "{e}");
    let expected = format!("{}/v1.0", emu.base_url().trim_end_matches('/'));
    assert!(e.message().contains("graph_base_url"), "{e}");
    assert!(e.message().contains(&expected), "{e}");
    assert!(
        e.message().contains("https://graph.microsoft.com/v1.0"),
        "{e}"
    );
    assert!(
        emu.requests().is_empty(),
        "nothing sent, not even a token request"
    );
    // Said explicitly, the public Graph is taken at its word (refused here only as the
    // emulator's token is not valid there; the address is what matters).
    let client = app_user_client(
        &emu,
        r#""graph_base_url":"https://graph.microsoft.com/v1.0""#,
    );
    assert_eq!(
        client.connection_info().graph_base_url,
        "https://graph.microsoft.com/v1.0"
    );
}
