//! `partnercenter-emulator`: the emulator as a stand-alone server for scripts and runbooks.

use std::io::{self, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser};
use partnercenter_emulator::{EmulatorConfig, TlsIdentity, base_url_with, credentials, serve_with};
use tokio::io::AsyncReadExt;

/// Microsoft Entra ID and Partner Center emulator on loopback, for tests and offline runbooks.
///
/// Prints its base URL (http://, or https:// with --tls) as the first line on stdout, then serves
/// until Ctrl-C or SIGTERM.
#[derive(Parser, Debug)]
#[command(name = "partnercenter-emulator", version)]
struct Args {
    /// Address to bind (loopback unless --allow-remote).
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to bind; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    token_lifetime: u64,
    /// Partner id placed in the relationship-request link.
    #[arg(long, value_name = "ID", default_value = credentials::PARTNER_ID)]
    partner_id: String,
    /// Minimum seconds between device-code polls (`interval`).
    #[arg(long, value_name = "SECS", default_value_t = 5)]
    device_code_interval: u64,
    /// Seconds a device code stays redeemable.
    #[arg(long, value_name = "SECS", default_value_t = 900)]
    device_code_lifetime: u64,
    /// Allow binding a non-loopback address.
    #[arg(long)]
    allow_remote: bool,
    /// Log one line per request to stderr.
    #[arg(long)]
    log: bool,
    /// Stop when stdin reaches end of file (so a harness that dies cannot orphan the server).
    #[arg(long)]
    exit_on_stdin_eof: bool,
    /// Number of generated customers (deterministic from --seed).
    #[arg(long, value_name = "N", default_value_t = 25)]
    customers: usize,
    /// Seed of the generated customers: the same seed gives the same customers.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Requests per tenant per window on /v1/customers and below (0 = no limit).
    #[arg(long, value_name = "N", default_value_t = 500)]
    customer_rate_limit: u32,
    /// The rate-limit window (sliding), in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    customer_rate_window: u64,
    /// Serve https with a CA and server certificate generated at start (valid for localhost,
    /// 127.0.0.1 and ::1); clients must be told to trust the CA (see --tls-ca-out).
    #[arg(long)]
    tls: bool,
    /// With --tls: write the generated CA certificate (PEM) to this file before serving.
    #[arg(long, value_name = "PATH", requires = "tls")]
    tls_ca_out: Option<PathBuf>,
}

fn after_help() -> String {
    format!(
        "Well-known development credentials (public on purpose, like Azurite's devstoreaccount1):
  tenant          {tenant} (or {tenant_id})
  client id       {client_id}
  client secret   {secret}
  refresh token   {refresh}
  partner id      {partner} (default)

Endpoints (one base URL):
  POST /{{tenant}}/oauth2/v2.0/token        Entra ID v2 token (client_credentials, refresh_token, device_code)
  POST /{{tenant}}/oauth2/token             Entra ID v1 token (resource instead of scope)
  POST /{{tenant}}/oauth2/v2.0/devicecode   start a device-code sign-in
  GET  /v1/customers/relationshiprequests   reseller invitation link (App+User tokens only)
  GET  /v1/customers?size=N[&filter=JSON]   customers in pages of up to 500 (follow links.next)
  GET  /v1/customers/{{id}}                   one customer (400 when the id is not a GUID)
  PATCH /v1/customers/{{id}}                  {{\"relationshipToPartner\": \"none\"}} removes the relationship
  GET|PUT /v1/customers/{{id}}/profiles/billing  billing profile; PUT needs If-Match (ETag)
  (the customer resource is rate limited per tenant: --customer-rate-limit per --customer-rate-window)

Microsoft Graph, GDAP (tokens for a scope naming https://graph.microsoft.com/; rate limited apart):
  POST|GET /v1.0/tenantRelationships/delegatedAdminRelationships   create / list ($top, $filter, follow @odata.nextLink)
  GET|PATCH /v1.0/tenantRelationships/delegatedAdminRelationships/{{id}}  one relationship; PATCH needs If-Match
  POST .../{{id}}/requests                    {{\"action\": \"lockForApproval\"|\"terminate\"}}
  POST|GET .../{{id}}/accessAssignments[/{{assignmentId}}]  access assignments (only on an active relationship)

Admin paths (JSON, no auth, not recorded):
  GET|POST|DELETE /_emulator/faults          list / add (a FaultRule, camelCase) / clear fault rules
  POST            /_emulator/reset           faults, requests, tokens, device codes, customers, relationships back to start
  POST            /_emulator/admin-relationships/{{id}}/approve  the customer approves (from approvalPending)
  POST            /_emulator/admin-relationships/{{id}}/expire   the relationship expires now
  POST            /_emulator/invitations/accept  {{\"domain\", \"companyName\", \"tenantId\"?, \"delayMs\"?}}: a customer accepts
  GET|DELETE      /_emulator/requests        the request log (secrets redacted) / clear it
  POST            /_emulator/device/approve  {{\"userCode\": \"...\"}} or empty for the newest pending code
  POST            /_emulator/device/decline  same, declines
  POST            /_emulator/tokens/invalidate  every issued access token now gets 401
  POST            /_emulator/mfa             {{\"required\": true|false}}: App+User tokens without MFA get 401, code 900421
  GET             /_emulator/devicelogin     the verification page

TLS (--tls):
  The base URL becomes https://127.0.0.1:PORT. The CA and the server certificate are generated at
  every start (ECDSA P-256, valid 90 days) and trusted by nobody: pass the CA to the client, e.g.
  the library option \"ca_certificate_pem\", after writing it with --tls-ca-out PATH (written
  before the URL is printed). Verification is never switched off.",
        tenant = credentials::TENANT,
        tenant_id = credentials::TENANT_ID,
        client_id = credentials::CLIENT_ID,
        secret = credentials::CLIENT_SECRET,
        refresh = credentials::REFRESH_TOKEN,
        partner = credentials::PARTNER_ID,
    )
}

fn main() -> ExitCode {
    let matches = Args::command().after_help(after_help()).get_matches();
    let args = match Args::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(error) => error.exit(),
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("partnercenter-emulator: error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> io::Result<()> {
    let config = EmulatorConfig {
        host: args.host,
        port: args.port,
        token_lifetime: Duration::from_secs(args.token_lifetime),
        partner_id: args.partner_id,
        device_code_interval: Duration::from_secs(args.device_code_interval),
        device_code_lifetime: Duration::from_secs(args.device_code_lifetime),
        allow_remote: args.allow_remote,
        log_requests: args.log,
        customers: args.customers,
        seed: args.seed,
        customer_rate_limit: args.customer_rate_limit,
        customer_rate_window: Duration::from_secs(args.customer_rate_window),
        tls: args.tls,
    };
    config.validate()?;
    let tls = if args.tls {
        let identity = TlsIdentity::generate()?;
        if let Some(path) = &args.tls_ca_out {
            std::fs::write(path, identity.ca_certificate_pem()).map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("cannot write --tls-ca-out {}: {error}", path.display()),
                )
            })?;
        }
        Some(identity)
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((config.host, config.port)).await?;
        let mut stdout = io::stdout().lock();
        writeln!(
            stdout,
            "{}",
            base_url_with(listener.local_addr()?, config.tls)
        )?;
        stdout.flush()?;
        drop(stdout);
        serve_with(listener, config, tls, stop_signal(args.exit_on_stdin_eof)).await
    });
    // A blocking stdin read may still be parked; do not wait for it.
    runtime.shutdown_background();
    result
}

/// Completes on Ctrl-C, on SIGTERM, or (when asked) when stdin reaches end of file.
async fn stop_signal(exit_on_stdin_eof: bool) {
    let stdin_eof = async {
        if !exit_on_stdin_eof {
            return std::future::pending().await;
        }
        let mut stdin = tokio::io::stdin();
        let mut buffer = [0u8; 1024];
        while let Ok(read) = stdin.read(&mut buffer).await {
            if read == 0 {
                break;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate() => {}
        () = stdin_eof => {}
    }
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            term.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending().await
}
