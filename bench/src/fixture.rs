//! The emulator every contender talks to, and how each contender is pointed at it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clap::ValueEnum;
use partnercenter_emulator::{Emulator, EmulatorConfig, credentials};

/// The delegated scope the refresh-token grant asks for.
pub const SCOPE: &str = "https://api.partnercenter.microsoft.com/user_impersonation offline_access";

/// Where the emulator runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Placement {
    /// Its own process (the `partnercenter-emulator` binary), as a real service is: every
    /// contender, in the harness or in a child, reaches it across a process boundary.
    Process,
    /// A runtime inside the harness: the in-process contenders then share its address space,
    /// which the child-process contenders (C driver, curl, Python) do not.
    InProcess,
}

impl Placement {
    /// Where, in words, for table notes.
    pub fn describe(self) -> &'static str {
        match self {
            Placement::Process => "in its own process (partnercenter-emulator)",
            Placement::InProcess => "on its own runtime inside the harness process",
        }
    }
}

/// A running emulator (logging off) with the development credentials.
pub struct Fixture {
    server: Server,
    base_url: String,
}

enum Server {
    /// Started by another process (a `--child` contender is pointed at its parent's emulator).
    Elsewhere,
    // Held for its lifetime: dropping it stops the server.
    InProcess {
        _emulator: Emulator,
    },
    Process {
        child: Child,
        // Held open: the emulator stops when it reaches end of file (so a harness that dies
        // cannot orphan it).
        stdin: Option<ChildStdin>,
    },
}

impl Fixture {
    /// Starts an emulator with `customers` seeded customers and no customer rate limit (the
    /// listing would otherwise measure the limit, not the client), placed as asked; `binary`
    /// is the emulator executable for [`Placement::Process`]. Logging stays off so the server
    /// is never slowed by its own output.
    pub fn start(placement: Placement, binary: &Path, customers: usize) -> Result<Fixture, String> {
        match placement {
            Placement::InProcess => {
                let config = EmulatorConfig {
                    customers,
                    customer_rate_limit: 0,
                    log_requests: false,
                    ..Default::default()
                };
                let emulator = Emulator::start_with(config)
                    .map_err(|e| format!("cannot start the emulator: {e}"))?;
                Ok(Fixture {
                    base_url: emulator.base_url().to_owned(),
                    server: Server::InProcess {
                        _emulator: emulator,
                    },
                })
            }
            Placement::Process => Self::spawn(binary, customers),
        }
    }

    /// The emulator at `base_url`, started by someone else (the harness, for a `--child`).
    pub fn attach(base_url: String) -> Fixture {
        Fixture {
            server: Server::Elsewhere,
            base_url,
        }
    }

    fn spawn(binary: &Path, customers: usize) -> Result<Fixture, String> {
        let mut child = Command::new(binary)
            .args(["--customers", &customers.to_string()])
            .args(["--customer-rate-limit", "0", "--exit-on-stdin-eof"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let (stdin, stdout) = (child.stdin.take(), child.stdout.take());
        // From here on, dropping the fixture stops the child, on every early return too.
        let mut fixture = Fixture {
            server: Server::Process { child, stdin },
            base_url: String::new(),
        };
        // The first line is the base URL; end of file means it failed (its stderr says why).
        // Read on a thread so that a server that never answers cannot hang the suite.
        let (sender, receiver) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            if let Some(stdout) = stdout {
                let _ = BufReader::new(stdout).read_line(&mut line);
            }
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(START_TIMEOUT).map_err(|_| {
            format!(
                "{} did not print its base URL within {START_TIMEOUT:?}",
                binary.display()
            )
        })?;
        let url = line.trim();
        if !url.starts_with("http://127.0.0.1:") {
            return Err(format!(
                "{} did not print its base URL (got {url:?})",
                binary.display()
            ));
        }
        fixture.base_url = url.to_owned();
        Ok(fixture)
    }

    /// `http://127.0.0.1:PORT`: authority and API at once.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token endpoint of the development tenant.
    pub fn token_url(&self) -> String {
        format!(
            "{}/{}/oauth2/v2.0/token",
            self.base_url(),
            credentials::TENANT
        )
    }

    /// The relationship-request URL.
    pub fn relationship_url(&self) -> String {
        format!("{}/v1/customers/relationshiprequests", self.base_url())
    }

    /// The form of the refresh-token grant.
    pub fn token_form(&self) -> [(&'static str, &'static str); 4] {
        [
            ("grant_type", "refresh_token"),
            ("client_id", credentials::CLIENT_ID),
            ("refresh_token", credentials::REFRESH_TOKEN),
            ("scope", SCOPE),
        ]
    }

    /// Client options JSON for `pc_client_new` and the Rust API (App+User, dev credentials).
    pub fn options_json(&self) -> String {
        serde_json::json!({
            "base_url": self.base_url(),
            "authority": self.base_url(),
            "tenant": credentials::TENANT,
            "client_id": credentials::CLIENT_ID,
            "refresh_token": credentials::REFRESH_TOKEN,
        })
        .to_string()
    }

    /// The environment of every child process: `PARTNERCENTER_*` (CLI, curl and Python
    /// scripts), `PC_BENCH_OPTIONS` (the C driver) and `PC_BENCH_BASE_URL` (the harness's own
    /// `--child` contenders).
    pub fn child_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PARTNERCENTER_BASE_URL", self.base_url().to_owned()),
            ("PARTNERCENTER_AUTHORITY", self.base_url().to_owned()),
            ("PARTNERCENTER_TENANT", credentials::TENANT.to_owned()),
            ("PARTNERCENTER_CLIENT_ID", credentials::CLIENT_ID.to_owned()),
            (
                "PARTNERCENTER_REFRESH_TOKEN",
                credentials::REFRESH_TOKEN.to_owned(),
            ),
            ("PC_BENCH_OPTIONS", self.options_json()),
            ("PC_BENCH_BASE_URL", self.base_url().to_owned()),
        ]
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Server::Process { child, stdin } = &mut self.server {
            drop(stdin.take());
            // Ours to end: the child we spawned, not yet reaped.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How long the emulator may take to seed its customers and print its URL.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A generous bound on any single child process, so a hung contender cannot hang the suite.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(600);
