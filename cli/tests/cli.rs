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
