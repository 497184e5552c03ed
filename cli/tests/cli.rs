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
    "PARTNERCENTER_GRAPH_BASE_URL",
    "PARTNERCENTER_ENVIRONMENT",
    "PARTNERCENTER_USE_EMULATOR",
    "PARTNERCENTER_REFRESH_TOKN",
];

fn partnercenter(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnercenter"));
    for v in VARS {
        cmd.env_remove(v);
    }
    // Test harnesses export their own PARTNERCENTER_* names (the emulator's path, …); any such
    // name makes the configuration non-empty, so none is passed on.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PARTNERCENTER_") {
            cmd.env_remove(name);
        }
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

// Issue 12, item 10: the emulator only for an empty configuration or when asked for.

#[test]
fn an_empty_refresh_token_is_a_settings_error_not_the_emulator() {
    let out = partnercenter(
        &["relationship-request"],
        &[
            ("PARTNERCENTER_TENANT", "contoso.onmicrosoft.com"),
            (
                "PARTNERCENTER_CLIENT_ID",
                "11111111-2222-3333-4444-555555555555",
            ),
            (
                "PARTNERCENTER_BASE_URL",
                "https://api.partnercenter.microsoft.com",
            ),
            ("PARTNERCENTER_REFRESH_TOKEN", ""),
        ],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(out.stdout.is_empty(), "no link: {}", text(&out.stdout));
    assert!(!err.contains("built-in emulator at"), "{err}");
    assert!(
        err.contains("set but empty: PARTNERCENTER_REFRESH_TOKEN"),
        "{err}"
    );
}

#[test]
fn a_misspelt_variable_is_a_settings_error_naming_it() {
    let out = partnercenter(
        &["relationship-request", "--json"],
        &[("PARTNERCENTER_REFRESH_TOKN", "Rt-typo-SECRET-value")],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(out.stdout.is_empty(), "no link: {}", text(&out.stdout));
    assert!(
        err.contains("a typo?): PARTNERCENTER_REFRESH_TOKN"),
        "{err}"
    );
    assert!(
        !err.contains("Rt-typo-SECRET-value"),
        "never the value: {err}"
    );
}

#[test]
fn the_emulator_link_is_marked_as_not_real() {
    for env in [&[][..], &[("PARTNERCENTER_USE_EMULATOR", "1")][..]] {
        let out = partnercenter(&["relationship-request", "--json"], env);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["emulator"], serde_json::json!(true), "{v}");
        let url = v["url"].as_str().unwrap();
        assert!(
            url.contains("&emulator=true#/"),
            "the link itself says so: {url}"
        );
        let out = partnercenter(&["relationship-request"], env);
        assert!(out.status.success());
        assert!(
            text(&out.stderr).contains("NOT real"),
            "{}",
            text(&out.stderr)
        );
    }
    let out = partnercenter(
        &["relationship-request"],
        &[
            ("PARTNERCENTER_USE_EMULATOR", "1"),
            ("PARTNERCENTER_TENANT", "x"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "explicit emulator with other settings"
    );

    let emu = Emulator::start();
    let out = run_with(&emu, &["relationship-request", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["emulator"], serde_json::json!(false), "{v}");
    assert!(!text(&out.stderr).contains("NOT real"));
}

// Issue 12, item 9: customer-controlled text cannot forge rows or reach the terminal raw.

#[test]
fn control_characters_in_text_output_are_escaped_and_json_stays_exact() {
    let emu = Emulator::start();
    let evil = "Evil\tforged-domain\tforged\r\nforged-row\u{1b}[2J";
    emu.accept_invitation(partnercenter_emulator::Invitation {
        domain: "evil.onmicrosoft.com".into(),
        company_name: evil.into(),
        ..Default::default()
    });
    let out = run_with(&emu, &["customers", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    assert_eq!(
        stdout.lines().next().unwrap().split('\t').count(),
        4,
        "{stdout:?}"
    );
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\r'),
        "{stdout:?}"
    );
    assert!(
        stdout.contains("Evil\\tforged-domain\\tforged\\r\\nforged-row\\u{1b}[2J"),
        "{stdout:?}"
    );
    let id = stdout.split('\t').next().unwrap().to_owned();
    let out = run_with(&emu, &["customers", "get", &id]);
    assert!(
        !text(&out.stdout).contains('\u{1b}'),
        "{:?}",
        text(&out.stdout)
    );
    let shown = text(&out.stdout);
    assert!(
        shown.lines().all(|l| l
            .split_once(": ")
            .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_alphabetic()))),
        "every line is one field: {shown:?}"
    );

    let out = run_with(&emu, &["customers", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["companyProfile"]["companyName"], serde_json::json!(evil));
}

// Issue 12, item 18: a bad request is not a service failure.

#[test]
fn a_bad_request_exits_12_and_a_service_failure_9() {
    for (status, code) in [(400, 12), (422, 12), (500, 9)] {
        let emu = Emulator::start();
        emu.add_fault(partnercenter_emulator::FaultRule {
            method: Some("GET".into()),
            path: "/v1/customers/relationshiprequests".into(),
            status: Some(status),
            count: Some(100),
            ..Default::default()
        });
        let out = run_with(&emu, &["relationship-request"]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{status}: {}",
            text(&out.stderr)
        );
    }
    let help = text(&partnercenter(&["--help"], &[]).stdout);
    assert!(help.contains("12  bad request"), "{help}");
}

// Issue 12, item 19 (part): --from-json is bounded.

#[test]
fn from_json_dev_zero_is_refused_not_read_forever() {
    let emu = Emulator::start_with(partnercenter_emulator::EmulatorConfig {
        customers: 1,
        ..Default::default()
    })
    .unwrap();
    let id = emu.customer_ids()[0].clone();
    let env = emulator_env(&emu);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnercenter"));
    for v in VARS {
        cmd.env_remove(v);
    }
    let mut child = cmd
        .args(["billing-profile", "set", &id, "--from-json", "/dev/zero"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("--from-json /dev/zero still reading after 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("larger than"),
        "{}",
        text(&out.stderr)
    );
}
