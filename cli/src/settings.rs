//! Settings from the environment, and the emulator fallback when no credentials are given.

use partnercenter::blocking::Client;
use partnercenter::{ClientOptions, Credentials, Environment};
use partnercenter_emulator::{Emulator, EmulatorConfig, credentials as dev};
use secrecy::SecretString;

use crate::Failure;
use crate::exit::Exit;

/// How many seeded customers the built-in emulator has, so `customers list` shows something.
const DEMO_CUSTOMERS: usize = 25;

/// A ready client, and the emulator it talks to when it runs in-process.
pub struct Session {
    pub client: Client,
    /// Kept alive for the command's lifetime; dropped (stopped) at exit.
    _emulator: Option<Emulator>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn settings_error(message: String) -> Failure {
    Failure {
        message,
        exit: Exit::Settings,
        quiet: false,
    }
}

impl Session {
    /// Reads `PARTNERCENTER_*`; with no credential variable set, starts the emulator.
    pub fn from_env() -> Result<Session, Failure> {
        let mut options = ClientOptions::default();
        if let Some(name) = var("PARTNERCENTER_ENVIRONMENT") {
            options.environment = Environment::parse(&name).ok_or_else(|| {
                settings_error("PARTNERCENTER_ENVIRONMENT must be global, usgov or china".into())
            })?;
        }
        options.tenant = var("PARTNERCENTER_TENANT");
        options.base_url = var("PARTNERCENTER_BASE_URL");
        options.authority = var("PARTNERCENTER_AUTHORITY");
        let client_id = var("PARTNERCENTER_CLIENT_ID");
        let secret = var("PARTNERCENTER_CLIENT_SECRET").map(SecretString::from);
        let refresh = var("PARTNERCENTER_REFRESH_TOKEN").map(SecretString::from);
        let access = var("PARTNERCENTER_ACCESS_TOKEN").map(SecretString::from);
        let mut emulator = None;
        options.credentials = match (access, refresh, secret, client_id) {
            (Some(token), None, None, _) => Some(Credentials::AccessToken(token)),
            (Some(_), _, _, _) => {
                return Err(settings_error(
                    "PARTNERCENTER_ACCESS_TOKEN cannot be combined with a refresh token or client secret".into(),
                ));
            }
            (None, Some(refresh_token), client_secret, Some(client_id)) => {
                Some(Credentials::RefreshToken {
                    client_id,
                    client_secret,
                    refresh_token,
                })
            }
            (None, None, Some(client_secret), Some(client_id)) => {
                Some(Credentials::ClientCredentials {
                    client_id,
                    client_secret,
                })
            }
            (None, Some(_), _, None) | (None, None, Some(_), None) => {
                return Err(settings_error(
                    "PARTNERCENTER_CLIENT_ID is required with a refresh token or client secret"
                        .into(),
                ));
            }
            (None, None, None, _) => {
                let emu = Emulator::start_with(EmulatorConfig {
                    customers: DEMO_CUSTOMERS,
                    ..Default::default()
                })
                .map_err(|e| settings_error(format!("cannot start the built-in emulator: {e}")))?;
                eprintln!(
                    "partnercenter: no credentials in the environment (PARTNERCENTER_*): using the \
                     built-in emulator at {} with its development credentials and {DEMO_CUSTOMERS} sample customers; nothing real is called",
                    emu.base_url()
                );
                options.base_url = Some(emu.base_url().to_owned());
                options.authority = Some(emu.base_url().to_owned());
                options.tenant = Some(dev::TENANT.to_owned());
                emulator = Some(emu);
                Some(Credentials::RefreshToken {
                    client_id: dev::CLIENT_ID.to_owned(),
                    client_secret: None,
                    refresh_token: SecretString::from(dev::REFRESH_TOKEN),
                })
            }
        };
        let client = Client::new(options)?;
        Ok(Session {
            client,
            _emulator: emulator,
        })
    }
}
