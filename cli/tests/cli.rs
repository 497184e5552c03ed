//! The `partnercenter` binary as a user runs it.

use std::process::{Command, Output};

use partnercenter_emulator::{Emulator, credentials as dev};

const VARS: &[&str] = &[
    "PARTNERCENTER_TENANT",
    "PARTNERCENTER_CLIENT_ID",
    "PARTNERCENTER_CLIENT_SECRET",
    "PARTNERCENTER_REFRESH_TOKEN",
    "PARTNERCENTER_ACCESS_TOKEN",
    "PARTNERCENTER_BASE_URL",
    "PARTNERCENTER_AUTHORITY",
    "PARTNERCENTER_ENVIRONMENT",
];

fn partnercenter(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnercenter"));
    for v in VARS {
        cmd.env_remove(v);
    }
    cmd.args(args)
        .envs(env.iter().copied())
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn without_credentials_it_uses_the_built_in_emulator_and_says_so() {
    let out = partnercenter(&["relationship-request"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(
        stdout.starts_with("https://admin.microsoft.com/"),
        "{stdout}"
    );
    assert!(stdout.contains(dev::PARTNER_ID));
    assert!(
        text(&out.stderr).contains("built-in emulator"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn json_prints_the_whole_object() {
    let out = partnercenter(&["relationship-request", "--json"], &[]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert!(v["url"].as_str().unwrap().contains(dev::PARTNER_ID));
    assert_eq!(v["attributes"]["objectType"], "CustomerRelationshipRequest");
    assert!(v["requestId"].is_string() && v["correlationId"].is_string());
}

#[test]
fn credentials_come_from_the_environment() {
    let emu = Emulator::start();
    let env = [
        ("PARTNERCENTER_BASE_URL", emu.base_url()),
        ("PARTNERCENTER_AUTHORITY", emu.base_url()),
        ("PARTNERCENTER_TENANT", dev::TENANT),
        ("PARTNERCENTER_CLIENT_ID", dev::CLIENT_ID),
        ("PARTNERCENTER_REFRESH_TOKEN", dev::REFRESH_TOKEN),
    ];
    let out = partnercenter(&["relationship-request"], &env);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("emulator"),
        "no emulator note when credentials are given"
    );
    assert_eq!(
        emu.requests()
            .iter()
            .filter(|r| r.path.starts_with("/v1/"))
            .count(),
        1
    );
}

#[test]
fn app_only_credentials_exit_forbidden_with_a_clear_error() {
    let emu = Emulator::start();
    let env = [
        ("PARTNERCENTER_BASE_URL", emu.base_url()),
        ("PARTNERCENTER_AUTHORITY", emu.base_url()),
        ("PARTNERCENTER_TENANT", dev::TENANT),
        ("PARTNERCENTER_CLIENT_ID", dev::CLIENT_ID),
        ("PARTNERCENTER_CLIENT_SECRET", dev::CLIENT_SECRET),
    ];
    let out = partnercenter(&["relationship-request"], &env);
    assert_eq!(out.status.code(), Some(5));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("partnercenter: error: "), "{stderr}");
    assert!(stderr.contains("App+User"));
    assert!(!stderr.contains(dev::CLIENT_SECRET));
    assert!(out.stdout.is_empty());
}

#[test]
fn an_insecure_url_exits_with_the_settings_code() {
    let env = [
        ("PARTNERCENTER_BASE_URL", "http://10.9.8.7"),
        ("PARTNERCENTER_ACCESS_TOKEN", "t"),
    ];
    let out = partnercenter(&["relationship-request"], &env);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("https"));
}

#[test]
fn secrets_are_not_accepted_on_the_command_line() {
    let out = partnercenter(&["relationship-request", "--client-secret", "x"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_lists_settings_and_exit_codes() {
    let out = partnercenter(&["--help"], &[]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for needle in [
        "PARTNERCENTER_REFRESH_TOKEN",
        "Exit codes",
        "5   forbidden",
        "relationship-request",
    ] {
        assert!(help.contains(needle), "help lacks {needle}");
    }
}

#[test]
fn verbose_output_never_shows_a_secret() {
    let emu = Emulator::start();
    for (secret_var, secret) in [
        ("PARTNERCENTER_REFRESH_TOKEN", dev::REFRESH_TOKEN),
        ("PARTNERCENTER_CLIENT_SECRET", dev::CLIENT_SECRET),
        ("PARTNERCENTER_REFRESH_TOKEN", "Rt4-wrong-REFRESH-m2Vw"),
    ] {
        let env = [
            ("PARTNERCENTER_BASE_URL", emu.base_url()),
            ("PARTNERCENTER_AUTHORITY", emu.base_url()),
            ("PARTNERCENTER_TENANT", dev::TENANT),
            ("PARTNERCENTER_CLIENT_ID", dev::CLIENT_ID),
            (secret_var, secret),
        ];
        for verbosity in ["-v", "-vvv"] {
            let out = partnercenter(&[verbosity, "relationship-request", "--json"], &env);
            let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert!(!all.is_empty());
            assert!(
                !all.contains(secret),
                "{secret_var} leaked with {verbosity}:\n{all}"
            );
            assert!(
                !all.contains("emulator-refresh-token."),
                "a rotated refresh token leaked:\n{all}"
            );
        }
    }
}

fn emulator_env(emu: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("PARTNERCENTER_BASE_URL", emu.base_url().to_owned()),
        ("PARTNERCENTER_AUTHORITY", emu.base_url().to_owned()),
        ("PARTNERCENTER_TENANT", dev::TENANT.to_owned()),
        ("PARTNERCENTER_CLIENT_ID", dev::CLIENT_ID.to_owned()),
        ("PARTNERCENTER_REFRESH_TOKEN", dev::REFRESH_TOKEN.to_owned()),
    ]
}

fn run_with(emu: &Emulator, args: &[&str]) -> Output {
    let env = emulator_env(emu);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    partnercenter(args, &env)
}

#[test]
fn customers_list_streams_text_and_json_lines() {
    let emu = Emulator::start_with(partnercenter_emulator::EmulatorConfig {
        customers: 1203,
        ..Default::default()
    })
    .unwrap();
    let out = run_with(&emu, &["customers", "list", "--page-size", "500"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 1203);
    assert!(lines.iter().all(|l| l.split('\t').count() == 4));
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        ids,
        emu.customer_ids()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );

    let out = run_with(&emu, &["customers", "list", "--json", "--page-size", "100"]);
    let objects: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON Lines"))
        .collect();
    assert_eq!(objects.len(), 1203);
    let domain = objects[7]["companyProfile"]["domain"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = run_with(&emu, &["customers", "list", "--domain", &domain]);
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

#[test]
fn customers_get_wait_remove_and_billing_profile() {
    let emu = Emulator::start_with(partnercenter_emulator::EmulatorConfig {
        customers: 3,
        ..Default::default()
    })
    .unwrap();
    let id = emu.customer_ids()[0].clone();
    let out = run_with(&emu, &["customers", "get", &id]);
    assert!(
        text(&out.stdout).contains(&format!("id: {id}")),
        "{}",
        text(&out.stdout)
    );
    let out = run_with(
        &emu,
        &["customers", "get", "0f8fad5b-d9cb-469f-a165-70867728950e"],
    );
    assert_eq!(out.status.code(), Some(6), "not found");

    // wait: the customer accepts while the command polls; progress on stderr.
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(700));
            emu.accept_invitation(partnercenter_emulator::Invitation {
                domain: "waited.onmicrosoft.com".into(),
                company_name: "Waited Ltd".into(),
                ..Default::default()
            });
        });
        let out = run_with(
            &emu,
            &[
                "customers",
                "wait",
                "--domain",
                "waited.onmicrosoft.com",
                "--interval",
                "0.2",
                "--timeout",
                "10",
                "--json",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(c["companyProfile"]["companyName"], "Waited Ltd");
        assert!(text(&out.stderr).contains("waiting for the customer"));
    });
    let out = run_with(
        &emu,
        &[
            "customers",
            "wait",
            "--tenant-id",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "--timeout",
            "1",
            "--interval",
            "0.2",
        ],
    );
    assert_eq!(out.status.code(), Some(10), "timeout");

    // remove-relationship refuses without --yes when nobody can answer the question.
    let out = run_with(&emu, &["customers", "remove-relationship", &id]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--yes"));
    let out = run_with(
        &emu,
        &["customers", "remove-relationship", &id, "--yes", "--json"],
    );
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["relationshipToPartner"], "none");

    // billing-profile get, edit, set from a file; the same file again is stale.
    let other = emu.customer_ids()[0].clone();
    let out = run_with(&emu, &["billing-profile", "get", &other]);
    let mut profile: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    profile["email"] = "ap@fabrikam.example".into();
    let file = std::env::temp_dir().join(format!("pc-profile-{}.json", std::process::id()));
    std::fs::write(&file, profile.to_string()).unwrap();
    let out = run_with(
        &emu,
        &[
            "billing-profile",
            "set",
            &other,
            "--from-json",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stored: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stored["email"], "ap@fabrikam.example");
    assert_eq!(
        stored["purchaseOrderReference"],
        profile["purchaseOrderReference"]
    );
    let out = run_with(
        &emu,
        &[
            "billing-profile",
            "set",
            &other,
            "--from-json",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(7), "stale ETag is a conflict");
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_demo_emulator_has_customers() {
    let out = partnercenter(&["customers", "list"], &[]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).lines().count(), 25);
}

#[test]
fn an_interval_too_large_for_a_duration_is_a_usage_error_not_a_panic() {
    let emu = Emulator::start();
    for interval in ["1e20", "86400.5", "inf", "NaN", "0.05"] {
        let out = run_with(
            &emu,
            &[
                "customers",
                "wait",
                "--domain",
                "waited.onmicrosoft.com",
                "--interval",
                interval,
                "--timeout",
                "1",
            ],
        );
        let stderr = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--interval {interval}: {stderr}"
        );
        assert!(
            stderr.contains("--interval"),
            "--interval {interval}: {stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "--interval {interval}: {stderr}"
        );
    }
}
