//! `partnercenter`: Partner Center onboarding from the shell.
//!
//! Data goes to stdout, diagnostics to stderr as `partnercenter: error: …`. Secrets come only
//! from environment variables, never from argv. With no `PARTNERCENTER_*` variable at all (or
//! `PARTNERCENTER_USE_EMULATOR=1`) it starts the built-in emulator in-process and says so, so that the
//! command works on a fresh machine; any other incomplete configuration is exit 3.

mod admin_relationships;
mod customers;
mod exit;
mod failure;
mod output;
mod settings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use exit::Exit;
use failure::Failure;

const AFTER_HELP: &str = "\
Settings (environment variables; secrets are never accepted as arguments):
  PARTNERCENTER_TENANT          the partner's tenant (domain or id)
  PARTNERCENTER_CLIENT_ID       the application id
  PARTNERCENTER_CLIENT_SECRET   the application secret (app-only, or a confidential App+User app)
  PARTNERCENTER_REFRESH_TOKEN   an App+User refresh token (secure application model)
  PARTNERCENTER_ACCESS_TOKEN    a ready access token
  PARTNERCENTER_ENVIRONMENT     global (default), usgov or china
  PARTNERCENTER_BASE_URL        API base URL override (https://, or http:// on loopback only)
  PARTNERCENTER_AUTHORITY       sign-in authority override
  PARTNERCENTER_GRAPH_BASE_URL  Microsoft Graph base URL override, /v1.0 included (admin-relationship)
  PARTNERCENTER_USE_EMULATOR    1: use the built-in emulator (no other PARTNERCENTER_* allowed)
With no PARTNERCENTER_* variable set at all (or PARTNERCENTER_USE_EMULATOR=1), the built-in emulator
is started in-process with its development credentials; stderr says so, and its links are not
real (--json adds \"emulator\": true). Any other incomplete setting (an empty secret, a misspelt
name) is exit 3, naming what is missing.

Exit codes:
  0   success
  1   unexpected failure
  2   usage error (bad arguments)
  3   invalid settings (bad value, insecure URL)
  4   authentication failed
  5   forbidden (e.g. app-only credentials on an App+User operation)
  6   not found
  7   conflict
  8   throttled
  9   service error
  10  network, TLS or timeout
  11  bad response from the service
  12  bad request (the service refused the request, 400 or other 4xx: fix it, do not retry)";

/// Microsoft Partner Center (CSP) onboarding from the shell.
#[derive(Parser, Debug)]
#[command(name = "partnercenter", version, about, after_help = AFTER_HELP)]
struct Cli {
    /// Print results as JSON instead of plain text.
    #[arg(long, global = true)]
    json: bool,
    /// Log what the library does to stderr (repeat for more). Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the reseller-relationship invitation link to send to customers.
    ///
    /// With --json: {"url", "attributes": {"objectType"}, "requestId", "correlationId",
    /// "emulator"}; "emulator" is true when the link came from the built-in emulator (not real).
    RelationshipRequest,
    /// List, find, wait for and manage customers.
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// Read and update a customer's bill-to (billing) profile.
    #[command(subcommand)]
    BillingProfile(customers::BillingCommand),
    /// Create, wait for, assign and terminate GDAP admin relationships (Microsoft Graph).
    #[command(subcommand)]
    AdminRelationship(admin_relationships::AdminRelationshipCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    match run(&cli) {
        Ok(()) => Exit::Ok.into(),
        Err(failure) => {
            if !failure.quiet {
                eprintln!(
                    "partnercenter: error: {}",
                    output::escape_text(&failure.message)
                );
            }
            failure.exit.into()
        }
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    init_logging(cli.verbose);
    if let Command::AdminRelationship(ref command) = cli.command {
        command.check()?;
    }
    let session = settings::Session::from_env()?;
    match cli.command {
        Command::RelationshipRequest => {
            let link = session.client.new_relationship_request()?;
            if session.emulator {
                eprintln!(
                    "partnercenter: EMULATOR: this invitation link is made up by the built-in \
                     emulator and is NOT real; do not send it to a customer"
                );
            }
            if cli.json {
                let mut value = serde_json::to_value(&link).map_err(|e| {
                    Failure::new(Exit::Failure, format!("cannot encode the result: {e}"))
                })?;
                if let Some(object) = value.as_object_mut() {
                    object.insert("emulator".into(), session.emulator.into());
                }
                output::print_line(&output::pretty(&value)?)
            } else {
                output::print_line(&output::escape_text(&link.url))
            }
        }
        Command::Customers(ref command) => {
            customers::run_customers(&session.client, command, cli.json)
        }
        Command::BillingProfile(ref command) => customers::run_billing(&session.client, command),
        Command::AdminRelationship(ref command) => {
            admin_relationships::run(&session, command, cli.json)
        }
    }
}

/// `-v` logs the library's info lines to stderr, `-vv` debug, `-vvv` everything; colour only
/// on a terminal and never with `NO_COLOR`.
fn init_logging(verbose: u8) {
    use std::io::IsTerminal;
    let filter = match verbose {
        0 => return,
        1 => "partnercenter=info",
        2 => "partnercenter=debug",
        _ => "debug",
    };
    let ansi = std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}
