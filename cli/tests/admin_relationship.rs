//! `partnercenter admin-relationship …` (GDAP through Microsoft Graph) as a user runs it: the
//! real binary against the real emulator.

use std::io::{Read, Write};
use std::process::{Command, Output};
use std::time::Duration;

use partnercenter::gdap::APPROVAL_URL_PREFIX;
use partnercenter_emulator::{Emulator, credentials as dev};
use serde_json::Value;

const CUSTOMER_TENANT: &str = "4b827261-d21f-4aa9-b7db-7fa1f56fb163";
const GROUP: &str = "b2a4f1c6-3d5e-4f70-8a91-0c2d3e4f5a6b";

fn partnercenter(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnercenter"));
    // Test harnesses export their own PARTNERCENTER_* names; any such name makes the
    // configuration non-empty, so none is passed on.
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

fn run_with(emu: &Emulator, args: &[&str]) -> Output {
    let graph = format!("{}/v1.0", emu.base_url());
    let env = [
        ("PARTNERCENTER_BASE_URL", emu.base_url()),
        ("PARTNERCENTER_AUTHORITY", emu.base_url()),
        ("PARTNERCENTER_GRAPH_BASE_URL", graph.as_str()),
        ("PARTNERCENTER_TENANT", dev::TENANT),
        ("PARTNERCENTER_CLIENT_ID", dev::CLIENT_ID),
        ("PARTNERCENTER_REFRESH_TOKEN", dev::REFRESH_TOKEN),
    ];
    partnercenter(args, &env)
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

/// A plain HTTP/1.1 POST with an empty body to the emulator (its control endpoints); the
/// status code.
fn post(emu: &Emulator, path: &str) -> u16 {
    let host = emu.base_url().trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {answer:?}"))
}

/// Graph requests the emulator has seen (method, path), control and token requests left out.
fn graph_requests(emu: &Emulator) -> Vec<(String, String)> {
    emu.requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v1.0/"))
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect()
}

/// Asserts the exit code, that stdout is empty and that stderr ends with an error line holding
/// every needle; returns that line.
fn refused(out: &Output, code: i32, needles: &[&str]) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        text(&out.stdout)
    );
    // Progress lines may come first; the error is the last line.
    let error = stderr.lines().last().unwrap_or_default().to_owned();
    assert!(error.starts_with("partnercenter: error: "), "{stderr}");
    for needle in needles {
        assert!(
            error.contains(needle),
            "the error lacks {needle:?}: {stderr}"
        );
    }
    eprintln!("exit {code}: {error}");
    error
}

/// `admin-relationship create` with a name, a duration, one role and `extra`: one spelling for
/// every create, against the emulator or the built-in one.
fn create_args<'a>(
    name: &'a str,
    duration: &'a str,
    role: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "admin-relationship",
        "create",
        "--name",
        name,
        "--duration",
        duration,
        "--role",
        role,
    ];
    args.extend_from_slice(extra);
    args
}

fn create(emu: &Emulator, name: &str, extra: &[&str]) -> Output {
    run_with(emu, &create_args(name, "P730D", "Directory Readers", extra))
}

/// `admin-relationship assign` of `role` to the test group on relationship `id`, with `extra`:
/// one spelling for every assign.
fn assign_args<'a>(id: &'a str, role: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "admin-relationship",
        "assign",
        id,
        "--group",
        GROUP,
        "--role",
        role,
    ];
    args.extend_from_slice(extra);
    args
}

/// The `id` of the relationship a `--json` command printed.
fn id_of(out: &Output) -> String {
    json(out)["id"].as_str().unwrap().to_owned()
}

#[test]
fn create_approve_wait_assign_terminate() {
    let emu = Emulator::start();

    // create: locked for approval; --json is the relationship with its approval link.
    let out = create(
        &emu,
        "Contoso GDAP",
        &[
            "--role",
            "fe930be7-5e62-47db-91af-98c3a49a38b1", // User Administrator, by template id
            "--customer-tenant",
            CUSTOMER_TENANT,
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("EMULATOR"),
        "{}",
        text(&out.stderr)
    );
    let created = json(&out);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "approvalPending", "{created}");
    assert_eq!(created["displayName"], "Contoso GDAP");
    assert_eq!(created["customer"]["tenantId"], CUSTOMER_TENANT);
    assert_eq!(
        created["approvalUrl"],
        format!("{APPROVAL_URL_PREFIX}{id}").as_str()
    );
    assert_eq!(created["emulator"], false);
    let roles: Vec<&str> = created["accessDetails"]["unifiedRoles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["roleDefinitionId"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
            "fe930be7-5e62-47db-91af-98c3a49a38b1"
        ]
    );
    let graph = graph_requests(&emu);
    assert!(
        graph
            .iter()
            .any(|(m, p)| m == "POST"
                && p == "/v1.0/tenantRelationships/delegatedAdminRelationships"),
        "{graph:?}"
    );
    assert!(
        graph
            .iter()
            .any(|(m, p)| m == "POST" && p.ends_with(&format!("{id}/requests"))),
        "locked for approval: {graph:?}"
    );

    // Text mode: the approval link, one line.
    let out = create(&emu, "Fabrikam GDAP", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with(APPROVAL_URL_PREFIX), "{stdout}");

    // --draft: created, not locked.
    let out = create(&emu, "Draft GDAP", &["--draft", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(json(&out)["status"], "created");
    // lock: a draft gets its link; a second lock is refused (no longer created).
    let out = create(&emu, "Draft to lock", &["--draft", "--json"]);
    let draft = id_of(&out);
    let out = run_with(&emu, &["admin-relationship", "lock", &draft]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("{APPROVAL_URL_PREFIX}{draft}")
    );
    let out = run_with(&emu, &["admin-relationship", "lock", &draft]);
    refused(&out, 7, &["invalidStatusTransition"]);

    // get, text and JSON.
    let out = run_with(&emu, &["admin-relationship", "get", &id]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    for needle in [
        format!("id: {id}"),
        "status: approvalPending".into(),
        "displayName: Contoso GDAP".into(),
        format!("customerTenantId: {CUSTOMER_TENANT}"),
        "roles: Directory Readers, User Administrator".into(),
        format!("approvalUrl: {APPROVAL_URL_PREFIX}{id}"),
    ] {
        assert!(shown.contains(&needle), "get lacks {needle:?}: {shown}");
    }
    let out = run_with(&emu, &["admin-relationship", "get", &id, "--json"]);
    assert_eq!(json(&out)["id"], id.as_str());

    // list: every relationship, four tab-separated columns; filters.
    let out = run_with(&emu, &["admin-relationship", "list", "--page-size", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 4, "every page: {lines:?}");
    assert!(
        lines.iter().all(|l| l.split('\t').count() == 4),
        "{lines:?}"
    );
    assert!(
        lines.contains(&format!(
            "{id}\tapprovalPending\tContoso GDAP\t{CUSTOMER_TENANT}"
        )),
        "{lines:?}"
    );
    let out = run_with(
        &emu,
        &[
            "admin-relationship",
            "list",
            "--status",
            "created",
            "--json",
        ],
    );
    let listed: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON Lines"))
        .collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["displayName"], "Draft GDAP");
    let out = run_with(
        &emu,
        &[
            "admin-relationship",
            "list",
            "--customer-tenant",
            CUSTOMER_TENANT,
        ],
    );
    assert_eq!(
        text(&out.stdout).lines().count(),
        1,
        "{}",
        text(&out.stdout)
    );

    // assign before the customer approved: refused by Graph, nothing assigned.
    let out = run_with(&emu, &assign_args(&id, "Directory Readers", &[]));
    refused(
        &out,
        7,
        &[
            "relationshipNotActive",
            &format!("admin-relationship wait {id}"),
        ],
    );

    // wait: the customer approves while the command polls; progress on stderr.
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(600));
            assert_eq!(
                post(
                    &emu,
                    &format!("/_emulator/admin-relationships/{id}/approve")
                ),
                200
            );
        });
        let out = run_with(
            &emu,
            &[
                "admin-relationship",
                "wait",
                &id,
                "--interval",
                "0.2",
                "--timeout",
                "20",
                "--json",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let active = json(&out);
        assert_eq!(active["status"], "active", "{active}");
        assert!(active["activatedDateTime"].is_string(), "{active}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("waiting for the customer to approve (status approvalPending"),
            "{stderr}"
        );
    });
    let out = run_with(&emu, &["admin-relationship", "wait", &id]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("status: active"));

    // assign: a role of the relationship, by name; one it does not have is refused.
    let out = run_with(&emu, &assign_args(&id, "directory readers", &["--json"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let assignment = json(&out);
    assert_eq!(
        assignment["accessContainer"]["accessContainerId"], GROUP,
        "{assignment}"
    );
    assert_eq!(
        assignment["accessDetails"]["unifiedRoles"][0]["roleDefinitionId"],
        "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
    );
    let out = run_with(&emu, &assign_args(&id, "User Administrator", &[]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains(&format!("groupId: {GROUP}")) && shown.contains("roles: User Administrator"),
        "{shown}"
    );
    let out = run_with(&emu, &assign_args(&id, "Global Reader", &[]));
    refused(&out, 12, &["roleNotInRelationship", "assign only roles"]);

    // terminate: refused without --yes (nothing sent), done with it.
    let before = graph_requests(&emu).len();
    let out = run_with(&emu, &["admin-relationship", "terminate", &id]);
    refused(&out, 2, &["--yes"]);
    assert_eq!(graph_requests(&emu).len(), before, "nothing sent");
    let out = run_with(
        &emu,
        &["admin-relationship", "terminate", &id, "--yes", "--json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status = json(&out)["status"].as_str().unwrap().to_owned();
    assert!(
        ["terminationRequested", "terminating", "terminated"].contains(&status.as_str()),
        "{status}"
    );

    // A relationship that can no longer become active ends the wait as an error.
    std::thread::sleep(Duration::from_millis(1500));
    let out = run_with(
        &emu,
        &["admin-relationship", "wait", &id, "--interval", "0.2"],
    );
    refused(&out, 7, &["terminated", "create a new one"]);
}

#[test]
fn refusals_give_the_exit_code_the_graph_code_and_what_to_change() {
    let emu = Emulator::start();
    let out = create(&emu, "Northwind GDAP", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // The same name again (any case): a conflict.
    let out = create(&emu, "northwind gdap", &[]);
    refused(&out, 7, &["duplicateDisplayName", "choose another --name"]);

    // A duration over two years.
    let out = run_with(
        &emu,
        &create_args("Too long", "P3Y", "Directory Readers", &[]),
    );
    refused(&out, 12, &["invalidDuration", "P2Y", "from P1D to P730D"]);

    // Refused before anything is sent: Global Administrator with auto-extension, an unknown
    // role name (with the near matches), a customer tenant that is not a GUID.
    emu.clear_requests();
    let out = run_with(
        &emu,
        &create_args("GA", "P730D", "Global Administrator", &["--auto-extend"]),
    );
    refused(
        &out,
        3,
        &[
            "Global Administrator",
            "drop the role or the auto-extension",
        ],
    );
    let out = run_with(
        &emu,
        &create_args("Typo", "P730D", "Directory Reeders", &[]),
    );
    refused(
        &out,
        3,
        &[
            "unknown role 'Directory Reeders'",
            "did you mean",
            "Directory Readers",
        ],
    );
    let out = create(&emu, "Bad tenant", &["--customer-tenant", "contoso.com"]);
    refused(&out, 3, &["customer tenant id must be a GUID"]);
    let out = run_with(&emu, &assign_args("0-0", "Directory Reeders", &[]));
    refused(&out, 3, &["did you mean", "Directory Readers"]);
    assert_eq!(graph_requests(&emu), [], "no request sent");

    // An unknown id: not found, with Graph's code.
    let out = run_with(
        &emu,
        &[
            "admin-relationship",
            "get",
            "00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
        ],
    );
    refused(&out, 6, &["ResourceNotFound"]);

    // terminate without --yes: a usage error before any setting is read.
    let out = partnercenter(&["admin-relationship", "terminate", "x-y"], &[]);
    let stderr = refused(&out, 2, &["--yes", "cannot be undone"]);
    assert!(!stderr.contains("built-in emulator"), "{stderr}");

    // An expired relationship ends a wait as an error.
    let out = create(&emu, "Expiring", &["--json"]);
    let id = id_of(&out);
    assert_eq!(
        post(&emu, &format!("/_emulator/admin-relationships/{id}/expire")),
        200
    );
    let out = run_with(&emu, &["admin-relationship", "wait", &id, "--timeout", "5"]);
    refused(&out, 7, &["expired"]);

    // A wait that runs out of time.
    let out = create(&emu, "Never approved", &["--json"]);
    let id = id_of(&out);
    let out = run_with(
        &emu,
        &[
            "admin-relationship",
            "wait",
            &id,
            "--timeout",
            "1",
            "--interval",
            "0.2",
        ],
    );
    refused(&out, 10, &["not active within", "approvalPending"]);
    let out = run_with(
        &emu,
        &["admin-relationship", "wait", &id, "--interval", "1e20"],
    );
    refused(&out, 2, &["--interval"]);
}

#[test]
fn service_text_cannot_forge_list_columns() {
    let emu = Emulator::start();
    let out = create(&emu, "Evil\tforged\r\nrow\u{1b}[2J", &[]);
    if !out.status.success() {
        // The emulator may refuse control characters in a name; then there is nothing to list.
        refused(&out, 12, &["invalidDisplayName"]);
        return;
    }
    let out = run_with(&emu, &["admin-relationship", "list"]);
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    assert_eq!(
        stdout.trim_end_matches('\n').split('\t').count(),
        4,
        "{stdout:?}"
    );
    assert!(
        stdout.contains("Evil\\tforged\\r\\nrow\\u{1b}[2J"),
        "{stdout:?}"
    );
}

#[test]
fn the_built_in_emulator_creates_a_link_and_says_it_is_not_real() {
    let out = partnercenter(&create_args("Demo", "P730D", "Directory Readers", &[]), &[]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with(APPROVAL_URL_PREFIX), "{stdout}");
    assert!(stderr.contains("built-in emulator"), "{stderr}");
    assert!(stderr.contains("NOT real"), "{stderr}");

    let out = partnercenter(
        &create_args("Demo", "P730D", "Directory Readers", &["--json"]),
        &[("PARTNERCENTER_USE_EMULATOR", "1")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["emulator"], true);
    assert_eq!(v["status"], "approvalPending");
}

#[test]
fn help_names_every_subcommand_and_the_graph_setting() {
    let out = partnercenter(&["admin-relationship", "--help"], &[]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for needle in [
        "create",
        "lock",
        "get",
        "list",
        "wait",
        "assign",
        "terminate",
    ] {
        assert!(help.contains(needle), "help lacks {needle}: {help}");
    }
    let out = partnercenter(&["admin-relationship", "create", "--help"], &[]);
    let help = text(&out.stdout);
    for needle in [
        "--name",
        "--duration",
        "--role",
        "--customer-tenant",
        "--auto-extend",
        "--draft",
    ] {
        assert!(help.contains(needle), "create help lacks {needle}: {help}");
    }
    let help = text(&partnercenter(&["--help"], &[]).stdout);
    assert!(help.contains("PARTNERCENTER_GRAPH_BASE_URL"), "{help}");
    assert!(help.contains("admin-relationship"), "{help}");

    // Required arguments are usage errors.
    let out = partnercenter(&["admin-relationship", "create", "--name", "x"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = partnercenter(
        &["admin-relationship", "assign", "x-y", "--group", GROUP],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_graph_setting_is_known_and_used() {
    // Not reported as a typo, and a Graph address that is not https is refused.
    let out = partnercenter(
        &["admin-relationship", "list"],
        &[
            ("PARTNERCENTER_ACCESS_TOKEN", "t"),
            ("PARTNERCENTER_GRAPH_BASE_URL", "http://10.9.8.7/v1.0"),
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("a typo?"), "{stderr}");
    assert!(stderr.contains("https"), "{stderr}");
    assert!(stderr.contains("PARTNERCENTER_GRAPH_BASE_URL"), "{stderr}");
}

#[test]
fn a_local_partner_center_needs_the_graph_setting() {
    // The emulator's Partner Center without PARTNERCENTER_GRAPH_BASE_URL: refused before any
    // Graph request, saying which variable to set and where the emulator's Graph is.
    let emu = Emulator::start();
    let base = emu.base_url().trim_end_matches('/').to_owned();
    let out = partnercenter(
        &["admin-relationship", "get", "a-b"],
        &[
            ("PARTNERCENTER_BASE_URL", base.as_str()),
            ("PARTNERCENTER_AUTHORITY", base.as_str()),
            ("PARTNERCENTER_TENANT", dev::TENANT),
            ("PARTNERCENTER_CLIENT_ID", dev::CLIENT_ID),
            ("PARTNERCENTER_REFRESH_TOKEN", dev::REFRESH_TOKEN),
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("PARTNERCENTER_GRAPH_BASE_URL"), "{stderr}");
    assert!(stderr.contains(&format!("{base}/v1.0")), "{stderr}");
    assert!(emu.requests().is_empty(), "nothing sent");
}
