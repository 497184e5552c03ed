//! Settings from the environment, and the built-in emulator: used only when no `PARTNERCENTER_*`
//! variable is set at all, or when asked for with `PARTNERCENTER_USE_EMULATOR=1`. Any other
//! incomplete configuration (an empty secret that did not arrive, a misspelt name) is an error
//! naming what is missing, never a silent fall-back to made-up links.

use partnercenter::blocking::Client;
use partnercenter::{ClientOptions, Credentials, Environment};
use partnercenter_emulator::{Emulator, EmulatorConfig, credentials as dev};
use secrecy::SecretString;

use crate::exit::Exit;
use crate::failure::Failure;

/// How many seeded customers the built-in emulator has, so `customers list` shows something.
const DEMO_CUSTOMERS: usize = 25;

/// The settings the command reads; any other `PARTNERCENTER_*` name is reported as a likely typo.
pub const KNOWN_VARS: &[&str] = &[
    "PARTNERCENTER_TENANT",
    "PARTNERCENTER_CLIENT_ID",
    "PARTNERCENTER_CLIENT_SECRET",
    "PARTNERCENTER_REFRESH_TOKEN",
    "PARTNERCENTER_ACCESS_TOKEN",
    "PARTNERCENTER_ENVIRONMENT",
    "PARTNERCENTER_BASE_URL",
    "PARTNERCENTER_AUTHORITY",
    "PARTNERCENTER_GRAPH_BASE_URL",
    "PARTNERCENTER_USE_EMULATOR",
];

/// A ready client, and the emulator it talks to when it runs in-process.
pub struct Session {
    /// The client, configured from the environment or for the built-in emulator.
    pub client: Client,
    /// True when `client` talks to the built-in emulator: nothing it returns is real.
    pub emulator: bool,
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

/// Every `PARTNERCENTER_*` variable in the environment (set, even if empty), sorted.
fn present_vars() -> Vec<String> {
    let mut names: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("PARTNERCENTER_"))
        .collect();
    names.sort();
    names
}

/// The message for settings with no usable credentials: what is missing, what is set but empty,
/// and which names are unknown (likely typos). Names only, never values.
fn missing_credentials(present: &[String], unknown: &[String]) -> String {
    let mut message = String::from(
        "incomplete settings: no credentials; set PARTNERCENTER_CLIENT_ID with \
         PARTNERCENTER_REFRESH_TOKEN (App+User) or PARTNERCENTER_CLIENT_SECRET (app-only), or \
         PARTNERCENTER_ACCESS_TOKEN (PARTNERCENTER_USE_EMULATOR=1 uses the built-in emulator)",
    );
    let empty: Vec<&str> = present
        .iter()
        .map(String::as_str)
        .filter(|name| {
            KNOWN_VARS.contains(name)
                && std::env::var_os(name).is_some_and(|v| v.to_string_lossy().trim().is_empty())
        })
        .collect();
    if !empty.is_empty() {
        message.push_str(&format!("; set but empty: {}", empty.join(", ")));
    }
    if !unknown.is_empty() {
        message.push_str(&format!("; unknown (a typo?): {}", unknown.join(", ")));
    }
    message
}

impl Session {
    /// Reads `PARTNERCENTER_*`. The emulator runs only with no such variable set at all, or with
    /// `PARTNERCENTER_USE_EMULATOR=1`; otherwise missing credentials are a settings error.
    pub fn from_env() -> Result<Session, Failure> {
        let present = present_vars();
        let unknown: Vec<String> = present
            .iter()
            .filter(|name| !KNOWN_VARS.contains(&name.as_str()))
            .map(|name| crate::output::escape_text(name))
            .collect();
        let explicit = match var("PARTNERCENTER_USE_EMULATOR").as_deref() {
            None | Some("0") => false,
            Some("1") => true,
            Some(_) => {
                return Err(settings_error(
                    "PARTNERCENTER_USE_EMULATOR must be 1 or 0".into(),
                ));
            }
        };
        if explicit {
            if let Some(other) = present
                .iter()
                .find(|name| name.as_str() != "PARTNERCENTER_USE_EMULATOR")
            {
                return Err(settings_error(format!(
                    "PARTNERCENTER_USE_EMULATOR=1 cannot be combined with other settings ({} is set)",
                    crate::output::escape_text(other)
                )));
            }
        }
        let use_emulator = explicit || present.is_empty();
        if !use_emulator && !unknown.is_empty() {
            eprintln!(
                "partnercenter: warning: unknown setting(s) ignored (a typo?): {}",
                unknown.join(", ")
            );
        }
        let mut options = ClientOptions::default();
        if let Some(name) = var("PARTNERCENTER_ENVIRONMENT") {
            options.environment = Environment::parse(&name).ok_or_else(|| {
                settings_error("PARTNERCENTER_ENVIRONMENT must be global, usgov or china".into())
            })?;
        }
        options.tenant = var("PARTNERCENTER_TENANT");
        options.base_url = var("PARTNERCENTER_BASE_URL");
        options.authority = var("PARTNERCENTER_AUTHORITY");
        options.graph_base_url = var("PARTNERCENTER_GRAPH_BASE_URL");
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
            (None, None, None, _) if !use_emulator => {
                return Err(settings_error(missing_credentials(&present, &unknown)));
            }
            (None, None, None, _) => {
                let emu = Emulator::start_with(EmulatorConfig {
                    customers: DEMO_CUSTOMERS,
                    ..Default::default()
                })
                .map_err(|e| settings_error(format!("cannot start the built-in emulator: {e}")))?;
                eprintln!(
                    "partnercenter: EMULATOR: no PARTNERCENTER_* settings (or PARTNERCENTER_USE_EMULATOR=1): using the \
                     built-in emulator at {} with its development credentials and {DEMO_CUSTOMERS} sample customers; nothing real is called",
                    emu.base_url()
                );
                options.base_url = Some(emu.base_url().to_owned());
                options.authority = Some(emu.base_url().to_owned());
                options.graph_base_url = Some(format!("{}/v1.0", emu.base_url()));
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
            emulator: emulator.is_some(),
            _emulator: emulator,
        })
    }
}
