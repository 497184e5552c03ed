//! Emulator options: the one place they are defined and validated.

use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::plumbing::credentials;

/// How an emulator instance behaves. `Default` gives loopback, a free port, one-hour tokens, no
/// customers (seed 1), a customer rate limit of 500 requests per 60 s, and plain http.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Address to bind; loopback unless [`EmulatorConfig::allow_remote`] is set.
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Lifetime of every issued access token (`expires_in`).
    pub token_lifetime: Duration,
    /// Partner id placed in the relationship-request link.
    pub partner_id: String,
    /// Minimum time between two device-code polls (`interval`).
    pub device_code_interval: Duration,
    /// How long a device code stays redeemable (`expires_in`).
    pub device_code_lifetime: Duration,
    /// Allow binding a non-loopback address.
    pub allow_remote: bool,
    /// Log one line per request to stderr.
    pub log_requests: bool,
    /// How many customers to generate at start (and on reset).
    pub customers: usize,
    /// Seed of the generated customers: the same seed gives the same customers.
    pub seed: u64,
    /// Requests per tenant per [`EmulatorConfig::customer_rate_window`] on the customer resource
    /// (`/v1/customers` and below, except the relationship request), and, counted apart, on
    /// Microsoft Graph (`/v1.0`); 0 turns the limit off.
    pub customer_rate_limit: u32,
    /// The window of [`EmulatorConfig::customer_rate_limit`] (a sliding window).
    pub customer_rate_window: Duration,
    /// Serve https with a CA and server certificate generated at start (for `localhost`,
    /// `127.0.0.1` and `::1`); clients must be given the CA (`Emulator::ca_certificate_pem`).
    pub tls: bool,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            token_lifetime: Duration::from_secs(3600),
            partner_id: credentials::PARTNER_ID.to_owned(),
            device_code_interval: Duration::from_secs(5),
            device_code_lifetime: Duration::from_secs(900),
            allow_remote: false,
            log_requests: false,
            customers: 0,
            seed: 1,
            customer_rate_limit: 500,
            customer_rate_window: Duration::from_secs(60),
            tls: false,
        }
    }
}

impl EmulatorConfig {
    /// Checks the options; a non-loopback host is refused unless `allow_remote` is set.
    pub fn validate(&self) -> io::Result<()> {
        if !self.host.is_loopback() && !self.allow_remote {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to bind non-loopback address {} (set allow_remote / --allow-remote)",
                    self.host
                ),
            ));
        }
        Ok(())
    }
}
