//! `admin-relationship …`: GDAP admin relationships through Microsoft Graph (create and lock for
//! the customer's approval, get, list, wait until active, assign a security group, terminate).
//! Imports `exit`, `failure`, `output` and `settings`.

use std::time::Duration;

use clap::{ArgAction, Args, Subcommand};
use partnercenter::WaitOptions;
use partnercenter::gdap::roles::role_name;
use partnercenter::gdap::{
    AccessAssignment, AdminRelationship, AdminRelationshipFilter, MAX_PAGE_SIZE,
    NewAdminRelationship,
};
use serde_json::Value;

use crate::exit::Exit;
use crate::failure::Failure;
use crate::output::{escape_text, line, pretty, print_line};
use crate::settings::Session;

#[derive(Subcommand, Debug)]
pub enum AdminRelationshipCommand {
    /// Create an admin relationship and lock it for approval; print the customer's approval link.
    ///
    /// Prints the approval link to send to the customer (one line), or the relationship with
    /// --json ("id", "status", "approvalUrl", …, and "emulator": true when the built-in
    /// emulator made it up). With --draft it is only created (status created, no link yet).
    /// Roles are Microsoft Entra built-in roles, by name ("Directory Readers") or template id;
    /// an unknown name is refused before anything is sent (exit 3), listing the nearest names.
    /// A name already used (exit 7, duplicateDisplayName), a duration outside P1D..P2Y
    /// (exit 12, invalidDuration) and Global Administrator with --auto-extend (exit 3) are
    /// refused.
    Create(CreateArgs),
    /// Lock a relationship made with --draft for approval; print the customer's approval link.
    ///
    /// Prints the link (one line), or the relationship with --json. Only a relationship in
    /// status created can be locked (exit 7, invalidStatusTransition, otherwise).
    Lock {
        /// The relationship id.
        id: String,
    },
    /// Show one admin relationship by id (its approval link while it awaits approval).
    Get {
        /// The relationship id.
        id: String,
    },
    /// List the partner's admin relationships, every page.
    ///
    /// One line per relationship: "id<TAB>status<TAB>displayName<TAB>customerTenantId", or one
    /// JSON object per line (JSON Lines) with --json.
    List {
        /// Only relationships in this status (e.g. active, approvalPending, terminated).
        #[arg(long)]
        status: Option<String>,
        /// Only relationships with this customer tenant id.
        #[arg(long, value_name = "ID")]
        customer_tenant: Option<String>,
        /// Relationships per request (1-300).
        #[arg(long, default_value_t = MAX_PAGE_SIZE,
              value_parser = clap::value_parser!(u32).range(1..=MAX_PAGE_SIZE as i64))]
        page_size: u32,
    },
    /// Wait until the customer has approved and the relationship is active, then print it.
    ///
    /// Progress goes to stderr. A relationship that ends otherwise (expired, terminated) is
    /// exit 7; running out of time is exit 10.
    Wait {
        /// The relationship id.
        id: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 600, value_name = "SECONDS")]
        timeout: u64,
        /// First wait between checks, in seconds (grows by half up to 60).
        #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
        interval: f64,
    },
    /// Give a security group of the partner some of an active relationship's roles.
    ///
    /// The relationship must be active (else exit 7, relationshipNotActive) and the roles among
    /// its roles (else exit 12, roleNotInRelationship).
    Assign {
        /// The relationship id.
        id: String,
        /// The partner's security group id (a GUID).
        #[arg(long, value_name = "GROUP_ID")]
        group: String,
        /// A role to give the group, by name or template id; repeat for more.
        #[arg(long = "role", value_name = "ROLE", required = true, action = ArgAction::Append)]
        roles: Vec<String>,
    },
    /// End an active admin relationship (needs --yes).
    ///
    /// The partner loses its admin access to the customer; this cannot be undone, so without
    /// --yes it is refused (exit 2) and nothing is sent.
    Terminate {
        /// The relationship id.
        id: String,
        /// Confirm the termination.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// The relationship's name, unique among the partner's relationships (at most 50
    /// characters); the customer sees it.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// How long the relationship lasts once approved: ISO 8601 days, P1D to P730D (two years).
    #[arg(long, value_name = "P730D")]
    duration: String,
    /// A role to request, by name ("Directory Readers") or template id; repeat for more.
    #[arg(long = "role", value_name = "ROLE", required = true, action = ArgAction::Append)]
    roles: Vec<String>,
    /// The customer's tenant id, when known (otherwise any customer can approve the link).
    #[arg(long, value_name = "ID")]
    customer_tenant: Option<String>,
    /// Extend the relationship by 180 days when it ends (not with Global Administrator).
    #[arg(long)]
    auto_extend: bool,
    /// Only create it (status created); do not lock it for approval, so no link yet.
    #[arg(long)]
    draft: bool,
}

/// The longest `--interval` taken (a day), in seconds.
const MAX_INTERVAL_SECS: f64 = 86_400.0;

impl AdminRelationshipCommand {
    /// What can be refused before any setting is read or any request sent.
    pub fn check(&self) -> Result<(), Failure> {
        match self {
            AdminRelationshipCommand::Terminate { yes: false, .. } => Err(Failure::new(
                Exit::Usage,
                "refusing to terminate an admin relationship without confirmation: the partner \
                 loses its admin access to the customer and this cannot be undone; pass --yes",
            )),
            AdminRelationshipCommand::Wait { interval, .. }
                // Checked before any conversion: `Duration::from_secs_f64` panics on a value
                // too large for a Duration.
                if !(interval.is_finite() && (0.1..=MAX_INTERVAL_SECS).contains(interval)) =>
            {
                Err(Failure::new(
                    Exit::Usage,
                    format!("--interval must be between 0.1 and {MAX_INTERVAL_SECS} seconds"),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// What to change, for the Graph codes a user can fix (see docs/gdap.md); `id` is the
/// relationship the command was about.
fn hint(code: &str, id: &str) -> Option<String> {
    Some(match code {
        "duplicateDisplayName" => {
            "choose another --name (partnercenter admin-relationship list shows the names in use)"
                .into()
        }
        "invalidDisplayName" => "give a --name of 1 to 50 characters".into(),
        "invalidDuration" => "give --duration in days, from P1D to P730D (two years)".into(),
        "globalAdminAutoExtendNotAllowed" => "drop Global Administrator or --auto-extend".into(),
        "invalidRoleDefinitionId" => {
            "give --role as a built-in role's name or its template id (a GUID)".into()
        }
        "relationshipNotActive" => format!(
            "the customer must approve it first: partnercenter admin-relationship wait {id}"
        ),
        "roleNotInRelationship" => format!(
            "assign only roles the relationship has (partnercenter admin-relationship get {id} \
             lists them)"
        ),
        "invalidStatusTransition" => format!(
            "not allowed in its current status (partnercenter admin-relationship get {id} shows it)"
        ),
        _ => return None,
    })
}

/// The library's error, with what to change added when Graph's code says.
fn failure(e: partnercenter::Error, id: &str) -> Failure {
    let hint = e.service_code().and_then(|code| hint(code, id));
    let mut failure = Failure::from(e);
    if let Some(hint) = hint {
        failure.message = format!("{}; {hint}", failure.message);
    }
    failure
}

/// The roles as names where the table knows them, else the template ids.
fn role_names(ids: &[String]) -> String {
    ids.iter()
        .map(|id| escape_text(role_name(id).unwrap_or(id)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn relationship_line(r: &AdminRelationship) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        escape_text(&r.id),
        escape_text(&r.status),
        escape_text(&r.display_name),
        escape_text(r.customer_tenant_id.as_deref().unwrap_or(""))
    )
}

fn relationship_text(r: &AdminRelationship) -> String {
    let text = |name: &str| r.raw.get(name).and_then(Value::as_str).unwrap_or("");
    let mut out = format!("id: {}\n", escape_text(&r.id));
    let fields = [
        ("displayName", r.display_name.as_str()),
        ("status", r.status.as_str()),
        ("duration", r.duration.as_str()),
        (
            "customerTenantId",
            r.customer_tenant_id.as_deref().unwrap_or(""),
        ),
        ("autoExtendDuration", text("autoExtendDuration")),
        ("activatedDateTime", text("activatedDateTime")),
        ("endDateTime", text("endDateTime")),
    ];
    for (name, value) in fields {
        out.push_str(&format!("{name}: {}\n", escape_text(value)));
    }
    out.push_str(&format!("roles: {}\n", role_names(&r.role_ids)));
    if r.status == "approvalPending" {
        out.push_str(&format!("approvalUrl: {}\n", escape_text(&r.approval_url)));
    }
    out.trim_end().to_owned()
}

fn assignment_text(a: &AccessAssignment) -> String {
    format!(
        "id: {}\nstatus: {}\ngroupId: {}\nroles: {}",
        escape_text(&a.id),
        escape_text(&a.status),
        escape_text(a.group_id.as_deref().unwrap_or("")),
        role_names(&a.role_ids)
    )
}

fn show(r: &AdminRelationship, json: bool) -> Result<(), Failure> {
    print_line(&if json {
        pretty(&r.to_json())?
    } else {
        relationship_text(r)
    })
}

/// Runs an `admin-relationship` subcommand.
pub fn run(
    session: &Session,
    command: &AdminRelationshipCommand,
    json: bool,
) -> Result<(), Failure> {
    command.check()?;
    let client = &session.client;
    match command {
        AdminRelationshipCommand::Create(args) => create(session, args, json),
        AdminRelationshipCommand::Lock { id } => {
            let r = client
                .lock_admin_relationship_for_approval(id)
                .map_err(|e| failure(e, id))?;
            if json {
                show(&r, json)
            } else {
                print_line(&escape_text(&r.approval_url))
            }
        }
        AdminRelationshipCommand::Get { id } => show(
            &client
                .get_admin_relationship(id)
                .map_err(|e| failure(e, id))?,
            json,
        ),
        AdminRelationshipCommand::List {
            status,
            customer_tenant,
            page_size,
        } => {
            let filter = AdminRelationshipFilter {
                status: status.clone(),
                customer_tenant_id: customer_tenant.clone(),
            };
            let mut pages = client.admin_relationship_pages(&filter, *page_size)?;
            while let Some(page) = pages.next_page()? {
                for r in &page {
                    print_line(&if json {
                        line(&r.to_json())?
                    } else {
                        relationship_line(r)
                    })?;
                }
            }
            Ok(())
        }
        AdminRelationshipCommand::Wait {
            id,
            timeout,
            interval,
        } => {
            let interval = Duration::from_secs_f64(*interval);
            let options = WaitOptions {
                timeout: Duration::from_secs(*timeout),
                interval,
                max_interval: Duration::from_secs(60).max(interval),
            };
            let r = client
                .wait_for_admin_relationship(id, options, |checks, elapsed, status| {
                    eprintln!(
                        "partnercenter: waiting for the customer to approve (status {}; {checks} \
                     checks, {} s of {timeout} s)",
                        escape_text(if status.is_empty() { "unknown" } else { status }),
                        elapsed.as_secs(),
                    );
                })
                .map_err(|e| failure(e, id))?;
            show(&r, json)
        }
        AdminRelationshipCommand::Assign { id, group, roles } => {
            let a = client
                .assign_admin_relationship_access(id, group, roles)
                .map_err(|e| failure(e, id))?;
            print_line(&if json {
                pretty(&a.to_json())?
            } else {
                assignment_text(&a)
            })
        }
        AdminRelationshipCommand::Terminate { id, .. } => {
            let r = client
                .terminate_admin_relationship(id)
                .map_err(|e| failure(e, id))?;
            show(&r, json)
        }
    }
}

fn create(session: &Session, args: &CreateArgs, json: bool) -> Result<(), Failure> {
    let client = &session.client;
    let new = NewAdminRelationship {
        display_name: args.name.clone(),
        duration: args.duration.clone(),
        roles: args.roles.clone(),
        customer_tenant_id: args.customer_tenant.clone(),
        auto_extend: args.auto_extend,
    };
    let created = client
        .create_admin_relationship(&new)
        .map_err(|e| failure(e, "ID"))?;
    let relationship = if args.draft {
        created
    } else {
        client
            .lock_admin_relationship_for_approval(&created.id)
            .map_err(|e| {
                let mut failure = failure(e, &created.id);
                failure.message = format!(
                    "{}; the relationship {} was created but not locked for approval",
                    failure.message, created.id
                );
                failure
            })?
    };
    if session.emulator && !args.draft {
        eprintln!(
            "partnercenter: EMULATOR: this approval link points at a relationship of the \
             built-in emulator and is NOT real; do not send it to a customer"
        );
    }
    if json {
        let mut value = relationship.to_json();
        if let Some(object) = value.as_object_mut() {
            object.insert("emulator".into(), session.emulator.into());
        }
        print_line(&pretty(&value)?)
    } else if args.draft {
        eprintln!(
            "partnercenter: created as a draft (status {}); it is not locked for approval, so \
             the customer cannot approve it yet",
            escape_text(&relationship.status)
        );
        print_line(&relationship_text(&relationship))
    } else {
        print_line(&escape_text(&relationship.approval_url))
    }
}
