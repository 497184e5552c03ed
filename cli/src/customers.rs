//! `customers …` and `billing-profile …`.

use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

use clap::{Args, Subcommand};
use partnercenter::blocking::Client;
use partnercenter::{BillingProfile, Customer, CustomerFilter, CustomerMatch, WaitOptions};

use crate::exit::Exit;
use crate::failure::Failure;
use crate::output::{escape_text, line, pretty, print_line};

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// List customers as pages arrive: "id<TAB>domain<TAB>company<TAB>relationship" per line,
    /// or one JSON object per line (JSON Lines) with --json.
    List {
        /// Only customers whose domain starts with this (case-insensitive).
        #[arg(long, conflicts_with = "company_name")]
        domain: Option<String>,
        /// Only customers whose company name starts with this (case-insensitive).
        #[arg(long)]
        company_name: Option<String>,
        /// Customers per request (1-500).
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=500))]
        page_size: u32,
    },
    /// Show one customer by id.
    Get {
        /// The customer id (its tenant id).
        id: String,
    },
    /// Wait until a customer accepts the invitation and appears as a reseller customer.
    /// Progress goes to stderr; the customer is printed when it appears.
    Wait(WaitArgs),
    /// Remove the partner's reseller relationship with a customer (asks unless --yes).
    RemoveRelationship {
        /// The customer id.
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["domain", "tenant_id"])))]
pub struct WaitArgs {
    /// The customer's primary domain (exact, case-insensitive).
    #[arg(long)]
    domain: Option<String>,
    /// The customer's tenant id.
    #[arg(long)]
    tenant_id: Option<String>,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 600)]
    timeout: u64,
    /// First wait between checks, in seconds (grows by half up to 60).
    #[arg(long, default_value_t = 5.0)]
    interval: f64,
}

/// The longest `--interval` taken (a day), in seconds.
const MAX_INTERVAL_SECS: f64 = 86_400.0;

#[derive(Subcommand, Debug)]
pub enum BillingCommand {
    /// Print a customer's billing profile as JSON (with attributes.etag).
    Get {
        /// The customer id.
        id: String,
    },
    /// Replace a customer's billing profile with the JSON read from a file or '-' (stdin).
    /// The JSON must carry the attributes.etag it was read with: a profile changed since is
    /// refused (exit 7) and nothing is overwritten.
    Set {
        /// The customer id.
        id: String,
        /// The profile JSON: a file path, or '-' for stdin.
        #[arg(long, value_name = "FILE|-")]
        from_json: String,
    },
}

fn customer_line(c: &Customer) -> String {
    let p = &c.company_profile;
    format!(
        "{}\t{}\t{}\t{}",
        escape_text(&c.id),
        escape_text(p.domain.as_deref().unwrap_or("")),
        escape_text(p.company_name.as_deref().unwrap_or("")),
        escape_text(c.relationship_to_partner.as_deref().unwrap_or(""))
    )
}

fn customer_text(c: &Customer) -> String {
    let p = &c.company_profile;
    let mut out = format!("id: {}\n", escape_text(&c.id));
    let fields = [
        ("tenantId", p.tenant_id.as_deref()),
        ("domain", p.domain.as_deref()),
        ("companyName", p.company_name.as_deref()),
        (
            "relationshipToPartner",
            c.relationship_to_partner.as_deref(),
        ),
    ];
    for (name, value) in fields {
        out.push_str(&format!("{name}: {}\n", escape_text(value.unwrap_or(""))));
    }
    if let Some(d) = c.allow_delegated_access {
        out.push_str(&format!("allowDelegatedAccess: {d}\n"));
    }
    out.trim_end().to_owned()
}

fn show(c: &Customer, json: bool) -> Result<(), Failure> {
    print_line(&if json { pretty(c)? } else { customer_text(c) })
}

/// Runs a `customers` subcommand.
pub fn run_customers(
    client: &Client,
    command: &CustomersCommand,
    json: bool,
) -> Result<(), Failure> {
    match command {
        CustomersCommand::List {
            domain,
            company_name,
            page_size,
        } => {
            let filter = match (domain, company_name) {
                (Some(d), _) => CustomerFilter::DomainStartsWith(d.clone()),
                (None, Some(c)) => CustomerFilter::CompanyNameStartsWith(c.clone()),
                (None, None) => CustomerFilter::All,
            };
            let mut pages = client.customer_pages(filter, *page_size)?;
            while let Some(page) = pages.next_page()? {
                for c in &page {
                    print_line(&if json { line(c)? } else { customer_line(c) })?;
                }
            }
            Ok(())
        }
        CustomersCommand::Get { id } => show(&client.get_customer(id)?, json),
        CustomersCommand::Wait(args) => {
            let target = match (&args.domain, &args.tenant_id) {
                (Some(d), _) => CustomerMatch::Domain(d.clone()),
                (None, Some(t)) => CustomerMatch::TenantId(t.clone()),
                (None, None) => unreachable!("clap requires one"),
            };
            // Checked before any conversion: `Duration::from_secs_f64` panics on a value too
            // large for a Duration (1e20), and a wait longer than a day between checks is a typo.
            if !(args.interval.is_finite() && (0.1..=MAX_INTERVAL_SECS).contains(&args.interval)) {
                return Err(Failure::new(
                    Exit::Usage,
                    format!("--interval must be between 0.1 and {MAX_INTERVAL_SECS} seconds"),
                ));
            }
            let interval = Duration::from_secs_f64(args.interval);
            let options = WaitOptions {
                timeout: Duration::from_secs(args.timeout),
                interval,
                max_interval: Duration::from_secs(60).max(interval),
            };
            let customer = client.wait_for_customer(&target, options, |checks, elapsed| {
                eprintln!(
                    "partnercenter: waiting for the customer to accept ({checks} checks, {} s of {} s)",
                    elapsed.as_secs(),
                    args.timeout
                );
            })?;
            show(&customer, json)
        }
        CustomersCommand::RemoveRelationship { id, yes } => {
            if !yes {
                confirm_removal(client, id)?;
            }
            show(&client.remove_reseller_relationship(id)?, json)
        }
    }
}

fn confirm_removal(client: &Client, id: &str) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::new(
            Exit::Usage,
            "refusing to remove a reseller relationship without confirmation: pass --yes",
        ));
    }
    let customer = client.get_customer(id)?;
    let p = &customer.company_profile;
    eprint!(
        "Remove the reseller relationship with {} ({}, {})? [y/N] ",
        escape_text(p.company_name.as_deref().unwrap_or("?")),
        escape_text(p.domain.as_deref().unwrap_or("?")),
        escape_text(&customer.id)
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(Exit::Failure, e.to_string()))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::Failure,
            "not confirmed; nothing was changed",
        ))
    }
}

/// The largest `--from-json` input read (1 MiB); a billing profile is a few hundred bytes.
const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

/// Runs a `billing-profile` subcommand.
pub fn run_billing(client: &Client, command: &BillingCommand) -> Result<(), Failure> {
    match command {
        BillingCommand::Get { id } => print_line(&pretty(&client.get_billing_profile(id)?)?),
        BillingCommand::Set { id, from_json } => {
            let mut text = String::new();
            // At most one byte past the limit is read, so /dev/zero or an endless pipe ends
            // with a clear error instead of filling memory.
            let read = if from_json == "-" {
                std::io::stdin()
                    .take(MAX_PROFILE_BYTES + 1)
                    .read_to_string(&mut text)
            } else {
                std::fs::File::open(from_json)
                    .and_then(|f| f.take(MAX_PROFILE_BYTES + 1).read_to_string(&mut text))
            };
            read.map_err(|e| {
                Failure::new(Exit::Settings, format!("cannot read {from_json}: {e}"))
            })?;
            if text.len() as u64 > MAX_PROFILE_BYTES {
                return Err(Failure::new(
                    Exit::Settings,
                    format!(
                        "{from_json} is larger than {} KiB; a billing profile is far smaller",
                        MAX_PROFILE_BYTES / 1024
                    ),
                ));
            }
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let profile: BillingProfile = serde_json::from_str(text).map_err(|e| {
                Failure::new(
                    Exit::Settings,
                    format!(
                        "{from_json} is not a billing profile (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                )
            })?;
            print_line(&pretty(&client.update_billing_profile(id, &profile)?)?)
        }
    }
}
