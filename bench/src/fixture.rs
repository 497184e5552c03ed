//! The emulator every contender talks to, and how each contender is pointed at it.

use std::time::Duration;

use partnercenter_emulator::{Emulator, EmulatorConfig, credentials};

/// The delegated scope the refresh-token grant asks for.
pub const SCOPE: &str = "https://api.partnercenter.microsoft.com/user_impersonation offline_access";

/// A running emulator (logging off) with the development credentials.
pub struct Fixture {
    emulator: Emulator,
}

impl Fixture {
    /// Starts an emulator with `customers` seeded customers and no customer rate limit (the
    /// listing would otherwise measure the limit, not the client). Logging stays off so the
    /// server is never slowed by its own output.
    pub fn start(customers: usize) -> Result<Fixture, String> {
        let config = EmulatorConfig {
            customers,
            customer_rate_limit: 0,
            log_requests: false,
            ..Default::default()
        };
        let emulator =
            Emulator::start_with(config).map_err(|e| format!("cannot start the emulator: {e}"))?;
        Ok(Fixture { emulator })
    }

    /// `http://127.0.0.1:PORT`: authority and API at once.
    pub fn base_url(&self) -> &str {
        self.emulator.base_url()
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
    /// scripts) and `PC_BENCH_OPTIONS` (the C driver).
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
        ]
    }
}

/// A generous bound on any single child process, so a hung contender cannot hang the suite.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(600);
