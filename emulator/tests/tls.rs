//! TLS mode and the redirect fault, over real connections: the generated CA is the only thing
//! that makes the server trusted, faults still reach the connection, `Location` is sent.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use partnercenter_emulator::{Emulator, EmulatorConfig, FaultRule, TlsIdentity};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

const BIN: &str = env!("CARGO_BIN_EXE_partnercenter-emulator");

fn tls_emulator() -> Emulator {
    Emulator::start_with(EmulatorConfig {
        tls: true,
        ..EmulatorConfig::default()
    })
    .expect("TLS emulator starts")
}

/// A reqwest client that trusts exactly the CAs in `ca_pem` (none when empty), no redirects.
fn client_trusting(ca_pem: &str) -> reqwest::Client {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.expect("PEM")).expect("a CA certificate");
    }
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

fn token_form() -> String {
    format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope=https%3A%2F%2Fapi.partnercenter.microsoft.com%2F.default",
        partnercenter_emulator::credentials::CLIENT_ID,
        partnercenter_emulator::credentials::CLIENT_SECRET,
    )
}

async fn post_token(client: &reqwest::Client, base: &str) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{base}{}", token_path()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(token_form())
        .send()
        .await
}

#[test]
fn plain_http_is_the_default_and_has_no_ca() {
    let emulator = Emulator::start();
    assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
    assert!(emulator.ca_certificate_pem().is_none());
    assert!(!EmulatorConfig::default().tls);
}

#[tokio::test]
async fn tls_mode_serves_https_trusted_through_its_own_ca_only() {
    let emulator = tls_emulator();
    assert!(
        emulator.base_url().starts_with("https://127.0.0.1:"),
        "{}",
        emulator.base_url()
    );
    let ca = emulator.ca_certificate_pem().expect("a CA in TLS mode");
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");

    let response = post_token(&client_trusting(&ca), emulator.base_url())
        .await
        .expect("trusted with the CA");
    assert_eq!(response.status(), 200);
    assert!(json(response).await["access_token"].is_string());

    // The same names a client may use: localhost and ::1 are in the certificate too.
    let port = emulator.base_url().rsplit(':').next().unwrap();
    let localhost = format!("https://localhost:{port}");
    let response = post_token(&client_trusting(&ca), &localhost).await;
    assert_eq!(response.expect("localhost is a SAN").status(), 200);

    let error = post_token(&client_trusting(""), emulator.base_url())
        .await
        .expect_err("no CA, no trust");
    assert!(error.is_connect(), "{error:?}");

    let other = TlsIdentity::generate().unwrap();
    assert_ne!(other.ca_certificate_pem(), ca, "a new CA every time");
    post_token(
        &client_trusting(other.ca_certificate_pem()),
        emulator.base_url(),
    )
    .await
    .expect_err("another emulator's CA is not this one's");
    assert_eq!(
        emulator.requests().len(),
        2,
        "refused handshakes never reach HTTP"
    );
}

#[tokio::test]
async fn plain_http_to_the_tls_port_gets_no_answer() {
    let emulator = tls_emulator();
    let http = emulator.base_url().replace("https://", "http://");
    let result = post_token(&client_trusting(""), &http).await;
    assert!(result.is_err(), "{result:?}");
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn faults_reach_the_connection_over_tls() {
    let emulator = tls_emulator();
    let client = client_trusting(&emulator.ca_certificate_pem().unwrap());
    emulator.add_fault(FaultRule {
        path: "/emulator.onmicrosoft.com/*".into(),
        reset: true,
        ..FaultRule::default()
    });
    let started = Instant::now();
    let error = post_token(&client, emulator.base_url())
        .await
        .expect_err("reset");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(!error.is_status(), "{error:?}");

    emulator.add_fault(FaultRule {
        path: "/emulator.onmicrosoft.com/*".into(),
        stall_ms: Some(100),
        ..FaultRule::default()
    });
    assert!(post_token(&client, emulator.base_url()).await.is_err());

    emulator.add_fault(FaultRule {
        path: "/emulator.onmicrosoft.com/*".into(),
        status: Some(503),
        ..FaultRule::default()
    });
    let response = post_token(&client, emulator.base_url()).await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(
        post_token(&client, emulator.base_url())
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn a_location_fault_redirects_with_307_by_default_or_its_status() {
    let emulator = Emulator::start();
    emulator.add_fault(FaultRule {
        path: RELATIONSHIP.into(),
        location: Some("http://127.0.0.1:9/elsewhere".into()),
        ..FaultRule::default()
    });
    emulator.add_fault(FaultRule {
        path: RELATIONSHIP.into(),
        status: Some(302),
        location: Some("https://example.invalid/x".into()),
        ..FaultRule::default()
    });
    let client = client_trusting("");
    let url = format!("{}{RELATIONSHIP}", emulator.base_url());
    let first = client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 307);
    assert_eq!(first.headers()["location"], "http://127.0.0.1:9/elsewhere");
    let second = client.get(&url).send().await.unwrap();
    assert_eq!(second.status(), 302);
    assert_eq!(second.headers()["location"], "https://example.invalid/x");
    let third = client.get(&url).send().await.unwrap();
    assert_eq!(
        third.status(),
        401,
        "rules used up: the real endpoint again"
    );
    assert!(!third.headers().contains_key("location"));
}

#[tokio::test]
async fn location_faults_can_be_posted_and_bad_values_are_refused() {
    let emulator = Emulator::start();
    let admin = format!("{}/_emulator/faults", emulator.base_url());
    let client = client();
    let created = client
        .post(&admin)
        .json(&serde_json::json!({ "path": "/v1/*", "location": "https://127.0.0.1:1/v1/x" }))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());
    let listed = json(client.get(&admin).send().await.unwrap()).await;
    assert_eq!(listed[0]["location"], "https://127.0.0.1:1/v1/x");
    let refused = client
        .post(&admin)
        .json(&serde_json::json!({ "path": "/v1/*", "location": "bad\nvalue" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}

#[test]
fn the_binary_serves_https_and_writes_its_ca() {
    let ca_path = std::env::temp_dir().join(format!(
        "partnercenter-emulator-ca-{}-{}.pem",
        std::process::id(),
        uuid_like()
    ));
    let mut child = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--exit-on-stdin-eof",
            "--tls",
            "--tls-ca-out",
        ])
        .arg(&ca_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first.trim_end().to_owned();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let ca = std::fs::read_to_string(&ca_path).expect("the CA was written before the URL");
    let _ = std::fs::remove_file(&ca_path);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime
        .block_on(async {
            post_token(&client_trusting(&ca), &base)
                .await
                .map(|r| r.status())
        })
        .expect("trusted with the written CA");
    assert_eq!(status, 200);

    close_stdin_and_wait(&mut child);
}

#[test]
fn the_binary_documents_tls_and_refuses_a_ca_path_without_it() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("--tls"), "{help}");
    assert!(help.contains("--tls-ca-out"), "{help}");
    assert!(help.contains("ca_certificate_pem"), "{help}");
    let output = Command::new(BIN)
        .args(["--tls-ca-out", "/nonexistent/ca.pem"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--tls"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
