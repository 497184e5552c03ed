//! The device-code sign-in (OAuth 2.0 device authorization grant): interactive and MFA-friendly.
//!
//! [`DeviceCodeFlow::start`] asks Entra ID for a code and returns what to show the user;
//! [`DeviceCodeFlow::wait`] polls the token endpoint at the interval the service asked for
//! (longer after `slow_down`) until the user approves, declines, the code expires, or
//! [`DeviceCodeFlow::cancel`] is called from any thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde::Serialize;
use serde_json::Value;

use super::entra::TokenEndpoint;
use super::tokens::TokenSource;
use crate::client::Client;
use crate::config::{ClientOptions, Credentials};
use crate::error::{Error, ErrorKind, Result};
use crate::http::Transport;

/// What to show the user of a device-code sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodeInfo {
    /// The code the user types.
    pub user_code: String,
    /// Where the user types it.
    pub verification_uri: String,
    /// The service's ready-made instruction ("To sign in, use a web browser …").
    pub message: String,
    /// Seconds until the code expires.
    pub expires_in: u64,
    /// Seconds between polls the service asked for.
    pub interval: u64,
}

/// A device-code sign-in in progress. `wait` and `cancel` may run on different threads.
pub struct DeviceCodeFlow {
    options: ClientOptions,
    transport: Arc<Transport>,
    endpoint: TokenEndpoint,
    client_id: String,
    device_code: SecretString,
    info: DeviceCodeInfo,
    expires_at: Instant,
    cancelled: AtomicBool,
    wake: tokio::sync::Notify,
}

/// The longest a device code is waited for, whatever `expires_in` said: Entra ID's codes last
/// 15 minutes; a day is far past any real one and well inside the clock's range.
const MAX_DEVICE_CODE_LIFETIME_SECS: u64 = 86_400;

/// The longest wait between two polls, whatever `interval` (and `slow_down`) said: Entra ID asks
/// for 5 s; a larger value would leave a user who already approved waiting for nothing.
const MAX_POLL_INTERVAL_SECS: u64 = 60;

impl std::fmt::Debug for DeviceCodeFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCodeFlow")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl DeviceCodeFlow {
    /// Asks Entra ID for a device code. `options` needs `client_id` and `tenant`; its
    /// credentials, if any, are ignored: the sign-in supplies App+User credentials.
    pub async fn start(options: ClientOptions) -> Result<DeviceCodeFlow> {
        options.validate_for_device_code()?;
        let client_id = options
            .device_code_client_id()
            .unwrap_or_default()
            .to_owned();
        let transport = Transport::new(&options)?;
        let endpoint = TokenEndpoint::new(&options)?;
        let answer = endpoint
            .device_code(&transport, &client_id, transport.deadline())
            .await?;
        let text = |key: &str| answer.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| match answer.get(key) {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        };
        let missing = |key: &str| {
            Error::new(
                ErrorKind::BadResponse,
                format!("the device-code answer has no usable '{key}'"),
            )
        };
        let device_code = text("device_code").ok_or_else(|| missing("device_code"))?;
        let user_code = text("user_code").ok_or_else(|| missing("user_code"))?;
        let verification_uri = text("verification_uri")
            .or_else(|| text("verification_url"))
            .ok_or_else(|| missing("verification_uri"))?;
        // Saturated: the service's numbers meet the clock below (2^64-1 s overflowed `Instant`),
        // and the caller is shown the values the flow keeps to.
        let expires_in = number("expires_in")
            .ok_or_else(|| missing("expires_in"))?
            .min(MAX_DEVICE_CODE_LIFETIME_SECS);
        let interval = number("interval")
            .unwrap_or(5)
            .clamp(1, MAX_POLL_INTERVAL_SECS);
        let message = text("message").unwrap_or_else(|| {
            format!("To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate.")
        });
        Ok(DeviceCodeFlow {
            options,
            transport,
            endpoint,
            client_id,
            device_code: SecretString::from(device_code),
            info: DeviceCodeInfo {
                user_code,
                verification_uri,
                message,
                expires_in,
                interval,
            },
            expires_at: Instant::now() + Duration::from_secs(expires_in),
            cancelled: AtomicBool::new(false),
            wake: tokio::sync::Notify::new(),
        })
    }

    /// What to show the user.
    pub fn info(&self) -> &DeviceCodeInfo {
        &self.info
    }

    /// Stops a `wait` in progress (or the next one) with [`ErrorKind::Cancelled`].
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// Polls until the user approves (a client with App+User credentials), declines
    /// ([`ErrorKind::DeviceCodeDeclined`]), the code expires ([`ErrorKind::DeviceCodeExpired`]),
    /// or the flow is cancelled ([`ErrorKind::Cancelled`]).
    pub async fn wait(&self) -> Result<Client> {
        let mut interval = Duration::from_secs(self.info.interval);
        loop {
            let woken = self.wake.notified();
            if self.cancelled.load(Ordering::SeqCst) {
                return Err(cancelled());
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = woken => return Err(cancelled()),
            }
            if Instant::now() >= self.expires_at {
                return Err(expired());
            }
            let poll = self
                .endpoint
                .poll_device_code(
                    &self.transport,
                    &self.client_id,
                    &self.device_code,
                    self.transport.deadline(),
                )
                .await?;
            match poll {
                Ok(grant) => {
                    let Some(refresh_token) = grant.refresh_token.clone() else {
                        return Err(Error::new(
                            ErrorKind::BadResponse,
                            "the device-code sign-in returned no refresh token (was offline_access granted?)",
                        ));
                    };
                    let mut options = self.options.clone();
                    options.credentials = Some(Credentials::RefreshToken {
                        client_id: self.client_id.clone(),
                        client_secret: None,
                        refresh_token,
                    });
                    let tokens = TokenSource::new(
                        options
                            .credentials
                            .clone()
                            .unwrap_or_else(|| unreachable!()),
                        Some(self.endpoint.clone()),
                    );
                    tokens.seed(grant);
                    return Client::from_parts(&options, self.transport.clone(), tokens);
                }
                Err(e) => match e.error_code.as_str() {
                    "authorization_pending" => {}
                    // Saturating: a service that says slow_down for ever must not overflow it.
                    "slow_down" => {
                        interval = (interval + Duration::from_secs(5))
                            .min(Duration::from_secs(MAX_POLL_INTERVAL_SECS));
                    }
                    "authorization_declined" | "access_denied" => {
                        return Err(Error::new(
                            ErrorKind::DeviceCodeDeclined,
                            "the user declined the device-code sign-in",
                        )
                        .with_service_code(e.error_code));
                    }
                    "expired_token" | "code_expired" => return Err(expired()),
                    _ => return Err(e.error),
                },
            }
        }
    }
}

fn cancelled() -> Error {
    Error::new(
        ErrorKind::Cancelled,
        "the device-code sign-in was cancelled",
    )
}

fn expired() -> Error {
    Error::new(
        ErrorKind::DeviceCodeExpired,
        "the device code expired before the user finished signing in; start again",
    )
}
