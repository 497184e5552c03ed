//! Customers and billing profiles end to end against the emulator's customer store.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::*;
use partnercenter::{CustomerFilter, CustomerMatch, ErrorKind, WaitOptions};
use partnercenter_emulator::{Emulator, EmulatorConfig, FaultRule, Invitation};

fn seeded(customers: usize) -> Emulator {
    Emulator::start_with(EmulatorConfig {
        customers,
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn list_all(
    client: &partnercenter::blocking::Client,
    filter: CustomerFilter,
    size: u32,
) -> Vec<String> {
    let mut ids = Vec::new();
    for page in client.customer_pages(filter, size).unwrap() {
        let page = page.unwrap();
        assert!(page.len() <= size as usize);
        ids.extend(page.into_iter().map(|c| c.id));
    }
    ids
}

#[test]
fn lists_2501_customers_completely_in_pages_of_500_and_of_7() {
    let emu = seeded(2501);
    let client = app_user_client(&emu, "");
    for size in [500, 7] {
        emu.clear_requests();
        let ids = list_all(&client, CustomerFilter::All, size);
        assert_eq!(ids.len(), 2501, "no gaps with size {size}");
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            2501,
            "no duplicates with size {size}"
        );
        assert_eq!(ids, emu.customer_ids(), "the service's order");
        let pages = api_requests(&emu).len();
        assert_eq!(
            pages,
            2501usize.div_ceil(size as usize),
            "one request per page"
        );
        let continuation = api_requests(&emu)
            .into_iter()
            .skip(1)
            .all(|r| r.headers.iter().any(|(k, _)| k == "ms-continuationtoken"));
        assert!(
            continuation,
            "every next page carries the link's MS-ContinuationToken"
        );
    }
}

#[test]
fn filters_by_domain_and_company_name() {
    let emu = seeded(300);
    let client = app_user_client(&emu, "");
    let first = client
        .customer_pages(CustomerFilter::All, 1)
        .unwrap()
        .next_page()
        .unwrap()
        .unwrap()
        .remove(0);
    let domain = first.company_profile.domain.clone().unwrap();
    let hits = list_all(
        &client,
        CustomerFilter::DomainStartsWith(domain.to_uppercase()),
        500,
    );
    assert_eq!(
        hits,
        vec![first.id.clone()],
        "case-insensitive, exact domain is one customer"
    );
    let name = first.company_profile.company_name.clone().unwrap();
    let prefix: String = name.chars().take(3).collect();
    let mut pages = client
        .customer_pages(CustomerFilter::CompanyNameStartsWith(prefix.clone()), 5)
        .unwrap();
    let mut seen = 0;
    while let Some(page) = pages.next_page().unwrap() {
        for c in page {
            assert!(
                c.company_profile
                    .company_name
                    .unwrap()
                    .to_lowercase()
                    .starts_with(&prefix.to_lowercase())
            );
            seen += 1;
        }
    }
    assert!(seen >= 1);
    assert!(
        list_all(
            &client,
            CustomerFilter::DomainStartsWith("zz-nobody".into()),
            500
        )
        .is_empty()
    );
}

#[test]
fn get_one_and_not_found() {
    let emu = seeded(10);
    let client = app_user_client(&emu, "");
    let id = emu.customer_ids()[3].clone();
    let c = client.get_customer(&id).unwrap();
    assert_eq!(c.id, id);
    assert_eq!(c.company_profile.tenant_id.as_deref(), Some(id.as_str()));
    assert!(c.is_reseller());
    assert_eq!(c.allow_delegated_access, Some(true));
    let e = client
        .get_customer("0f8fad5b-d9cb-469f-a165-70867728950e")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.http_status(), Some(404));
    assert!(e.request_id().is_some());
}

#[test]
fn wait_succeeds_once_the_customer_accepts_and_times_out_otherwise() {
    let emu = seeded(5);
    let client = app_user_client(&emu, "");
    let options = WaitOptions {
        timeout: Duration::from_secs(10),
        interval: Duration::from_millis(200),
        max_interval: Duration::from_millis(500),
    };
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(600));
            emu.accept_invitation(Invitation {
                domain: "newcustomer.onmicrosoft.com".into(),
                company_name: "New Customer Ltd".into(),
                ..Invitation::default()
            });
        });
        let mut checks = 0;
        let found = client
            .wait_for_customer(
                &CustomerMatch::Domain("NewCustomer.onmicrosoft.com".into()),
                options,
                |n, _| checks = n,
            )
            .unwrap();
        assert_eq!(
            found.company_profile.company_name.as_deref(),
            Some("New Customer Ltd")
        );
        assert!(checks >= 1, "it polled before the customer appeared");
        let by_tenant = client
            .wait_for_customer(
                &CustomerMatch::TenantId(found.id.clone()),
                options,
                |_, _| {},
            )
            .unwrap();
        assert_eq!(by_tenant.id, found.id);
    });
    let started = Instant::now();
    let e = client
        .wait_for_customer(
            &CustomerMatch::Domain("never.onmicrosoft.com".into()),
            WaitOptions {
                timeout: Duration::from_millis(800),
                ..options
            },
            |_, _| {},
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("never.onmicrosoft.com"));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn billing_update_with_the_etag_then_a_stale_one_is_refused_and_changes_nothing() {
    let emu = seeded(3);
    let client = app_user_client(&emu, "");
    let id = emu.customer_ids()[0].clone();
    let mut profile = client.get_billing_profile(&id).unwrap();
    let etag = profile.etag().unwrap().to_owned();
    assert!(
        profile.extra.contains_key("purchaseOrderReference"),
        "a field the library does not model"
    );
    let address_extra = profile.default_address.as_ref().unwrap().extra.clone();
    assert!(address_extra.contains_key("addressLine3"));
    profile.email = Some("billing@contoso.example".into());
    let stored = client.update_billing_profile(&id, &profile).unwrap();
    assert_eq!(stored.email.as_deref(), Some("billing@contoso.example"));
    assert_ne!(stored.etag(), Some(etag.as_str()), "the ETag moved on");
    assert_eq!(
        stored.extra.get("purchaseOrderReference"),
        profile.extra.get("purchaseOrderReference")
    );
    assert_eq!(
        stored.default_address.as_ref().unwrap().extra,
        address_extra,
        "unknown fields survived"
    );
    let put = api_requests(&emu)
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert!(
        put.headers
            .iter()
            .any(|(k, v)| k == "if-match" && v == &etag)
    );

    // The same (now stale) profile again: refused, nothing overwritten, not retried.
    emu.clear_requests();
    profile.email = Some("attacker@example.com".into());
    let e = client.update_billing_profile(&id, &profile).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(e.http_status(), Some(412));
    assert!(
        e.message().contains("nothing was overwritten"),
        "{}",
        e.message()
    );
    assert_eq!(
        api_requests(&emu)
            .iter()
            .filter(|r| r.method == "PUT")
            .count(),
        1,
        "never sent twice"
    );
    let now = client.get_billing_profile(&id).unwrap();
    assert_eq!(now.email.as_deref(), Some("billing@contoso.example"));
}

#[test]
fn an_update_is_not_resent_after_a_500() {
    let emu = seeded(1);
    let client = app_user_client(&emu, "");
    let id = emu.customer_ids()[0].clone();
    let profile = client.get_billing_profile(&id).unwrap();
    emu.add_fault(FaultRule {
        method: Some("PUT".into()),
        path: "/v1/customers/*".into(),
        status: Some(500),
        count: Some(0),
        ..FaultRule::default()
    });
    let e = client.update_billing_profile(&id, &profile).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(
        api_requests(&emu)
            .iter()
            .filter(|r| r.method == "PUT")
            .count(),
        1
    );
}

#[test]
fn the_rate_limit_is_survived_through_retry_after() {
    let emu = Emulator::start_with(EmulatorConfig {
        customers: 20,
        customer_rate_limit: 10,
        customer_rate_window: Duration::from_secs(2),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = app_user_client(&emu, "");
    let ids = emu.customer_ids();
    let started = Instant::now();
    for id in ids.iter().take(15) {
        client.get_customer(id).unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "it had to wait for the window"
    );
    let throttled = api_requests(&emu).len() - 15;
    assert!(throttled >= 1, "the tight loop hit the limit");
    assert!(
        throttled <= 5,
        "and waited rather than hammering: {throttled} refused requests"
    );
}

#[test]
fn a_throttled_page_can_be_retried_with_the_same_cursor() {
    let emu = seeded(30);
    let client = app_user_client(&emu, r#""max_retry_after_ms": 1000"#);
    let mut pages = client.customer_pages(CustomerFilter::All, 10).unwrap();
    let mut ids: Vec<String> = pages
        .next_page()
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    emu.add_fault(FaultRule {
        path: "/v1/customers".into(),
        status: Some(429),
        retry_after: Some(30),
        ..FaultRule::default()
    });
    assert_eq!(pages.next_page().unwrap_err().kind(), ErrorKind::Throttled);
    while let Some(page) = pages.next_page().unwrap() {
        ids.extend(page.into_iter().map(|c| c.id));
    }
    assert_eq!(
        ids,
        emu.customer_ids(),
        "nothing lost to the throttled call"
    );
}

#[test]
fn removing_the_relationship() {
    let emu = seeded(4);
    let client = app_user_client(&emu, "");
    let id = emu.customer_ids()[1].clone();
    let c = client.remove_reseller_relationship(&id).unwrap();
    assert_eq!(c.relationship_to_partner.as_deref(), Some("none"));
    assert_eq!(
        list_all(&client, CustomerFilter::All, 500).len(),
        3,
        "no longer listed"
    );
    assert_eq!(
        client
            .get_customer(&id)
            .unwrap()
            .relationship_to_partner
            .as_deref(),
        Some("none")
    );
    let patch = api_requests(&emu)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    assert!(patch.path.ends_with(&id));
}

#[test]
fn customers_accept_app_only_credentials() {
    let emu = seeded(3);
    let client = app_only_client(&emu);
    assert_eq!(list_all(&client, CustomerFilter::All, 500).len(), 3);
}

#[test]
fn cancel_pending_ends_a_wait_from_another_thread_and_later_calls_run() {
    let emu = seeded(3);
    let client = app_user_client(&emu, "");
    client.sign_in().unwrap();
    let options = WaitOptions {
        timeout: Duration::from_secs(60),
        interval: Duration::from_secs(5),
        max_interval: Duration::from_secs(5),
    };
    // Nothing in flight: a cancel now must not touch the calls that follow.
    client.cancel_pending();
    let done = std::sync::atomic::AtomicBool::new(false);
    let (e, first_cancel) = std::thread::scope(|s| {
        // A cancel reaches only a call already inside the library: repeated until the wait
        // ends, so a slow start of the wait on a loaded machine cannot make the test hang.
        let cancels = s.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            let first = Instant::now();
            for _ in 0..600 {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                client.cancel_pending();
                std::thread::sleep(Duration::from_millis(50));
            }
            first
        });
        let e = client
            .wait_for_customer(
                &CustomerMatch::Domain("never.onmicrosoft.com".into()),
                options,
                |_, _| {},
            )
            .unwrap_err();
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        (e, cancels.join().unwrap())
    });
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{}", e.message());
    assert!(
        first_cancel.elapsed() < Duration::from_secs(4),
        "ended by the cancel, not by a poll or the timeout: {:?}",
        first_cancel.elapsed()
    );
    assert!(client.new_relationship_request().is_ok(), "later calls run");
    let mut pages = client.customer_pages(CustomerFilter::All, 2).unwrap();
    assert_eq!(pages.next_page().unwrap().unwrap().len(), 2);
}
