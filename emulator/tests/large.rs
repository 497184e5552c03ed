//! 100,000 customers: seeding time and a full listing in pages of 500 through one client.
//! Prints the figures (run with `--nocapture` to see them).

mod common;

use std::collections::HashSet;
use std::time::Instant;

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig};
use serde::Deserialize;

const CUSTOMERS: usize = 100_000;

#[derive(Deserialize)]
struct Page {
    items: Vec<Item>,
    links: Links,
}

#[derive(Deserialize)]
struct Item {
    id: String,
}

#[derive(Deserialize)]
struct Links {
    next: Option<Link>,
}

#[derive(Deserialize)]
struct Link {
    uri: String,
    headers: Vec<Header>,
}

#[derive(Deserialize)]
struct Header {
    key: String,
    value: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_customers_seed_and_list_fast() {
    let started = Instant::now();
    let emulator = Emulator::start_with(EmulatorConfig {
        customers: CUSTOMERS,
        customer_rate_limit: 0,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let seeded = started.elapsed();
    let token = app_user_token(&emulator).await;
    let client = client();
    let started = Instant::now();
    let mut ids = Vec::with_capacity(CUSTOMERS);
    let mut next = Some(("/v1/customers?size=500".to_owned(), Vec::new()));
    let mut pages = 0;
    let mut server_wait = std::time::Duration::ZERO;
    while let Some((uri, headers)) = next.take() {
        let mut request = client
            .get(format!("{}{uri}", emulator.base_url()))
            .bearer_auth(&token)
            .header("accept", "application/json")
            .header("MS-RequestId", uuid_like());
        for Header { key, value } in &headers {
            request = request.header(key, value);
        }
        let sent = Instant::now();
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.unwrap();
        server_wait += sent.elapsed();
        let page: Page = serde_json::from_slice(&bytes[3..]).unwrap();
        pages += 1;
        ids.extend(page.items.into_iter().map(|item| item.id));
        next = page.links.next.map(|link| (link.uri, link.headers));
    }
    let listed = started.elapsed();
    let rate = CUSTOMERS as f64 / listed.as_secs_f64();
    eprintln!(
        "100k customers: seeding {seeded:?}; listing {listed:?} in {pages} pages ({rate:.0} customers/s through the client; {server_wait:?} waiting for responses)"
    );
    assert_eq!(pages, CUSTOMERS / 500);
    assert_eq!(ids.len(), CUSTOMERS);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), CUSTOMERS);
    assert_eq!(ids, emulator.customer_ids());
}
