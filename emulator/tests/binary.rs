//! The `partnercenter-emulator` binary: first stdout line, --help, refusal, stdin EOF.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
mod common;

use common::close_stdin_and_wait;

const BIN: &str = env!("CARGO_BIN_EXE_partnercenter-emulator");

#[test]
fn prints_the_base_url_first_and_stops_when_stdin_closes() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--exit-on-stdin-eof"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first.trim_end();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    std::net::TcpStream::connect(("127.0.0.1", port)).expect("it listens");

    assert!(close_stdin_and_wait(&mut child).success());
}

#[test]
fn help_documents_the_credentials_and_admin_paths() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        partnercenter_emulator::credentials::TENANT,
        partnercenter_emulator::credentials::CLIENT_ID,
        partnercenter_emulator::credentials::CLIENT_SECRET,
        partnercenter_emulator::credentials::REFRESH_TOKEN,
        "/_emulator/faults",
        "--exit-on-stdin-eof",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn refuses_a_non_loopback_host() {
    let output = Command::new(BIN)
        .args(["--host", "0.0.0.0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--allow-remote"));
}
