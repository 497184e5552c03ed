//! Options: environments, endpoints, credentials, timeouts and their validation.
//!
//! Every door (Rust, C ABI, CLI, PowerShell) builds a [`ClientOptions`] here, most of them from the
//! JSON object of the C ABI ([`ClientOptions::from_json`]). Parsing is by hand over
//! `serde_json::Value` so that an error names the offending key but never echoes its value: a
//! mistyped secret must not end up in a log.

use std::net::IpAddr;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::error::{Error, ErrorKind, Result};
use crate::json_args::JsonArgs;

/// The Partner Center cloud to talk to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Environment {
    /// The global (commercial) cloud.
    #[default]
    Global,
    /// US Government: the global API with the US Government sign-in authority.
    UsGov,
    /// China, operated by 21Vianet.
    China,
}

impl Environment {
    /// Parses `global`, `usgov` or `china` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "global" | "public" | "worldwide" => Some(Environment::Global),
            "usgov" | "us-gov" | "usgovernment" => Some(Environment::UsGov),
            "china" | "chinacloud" => Some(Environment::China),
            _ => None,
        }
    }

    /// The name used in options and output.
    pub fn name(self) -> &'static str {
        match self {
            Environment::Global => "global",
            Environment::UsGov => "usgov",
            Environment::China => "china",
        }
    }

    /// The Partner Center API base URL of this cloud.
    pub fn api_base_url(self) -> &'static str {
        match self {
            Environment::Global | Environment::UsGov => "https://api.partnercenter.microsoft.com",
            Environment::China => "https://partner.partnercenterapi.microsoftonline.cn",
        }
    }

    /// The Microsoft Graph v1.0 base URL of this cloud (GDAP admin relationships).
    pub fn graph_base_url(self) -> &'static str {
        match self {
            Environment::Global | Environment::UsGov => "https://graph.microsoft.com/v1.0",
            Environment::China => "https://microsoftgraph.chinacloudapi.cn/v1.0",
        }
    }

    /// The resource (audience) of Graph tokens in this cloud, the prefix of their scopes.
    pub fn graph_resource(self) -> &'static str {
        match self {
            Environment::Global | Environment::UsGov => "https://graph.microsoft.com",
            Environment::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The Entra ID sign-in authority of this cloud.
    pub fn authority(self) -> &'static str {
        match self {
            Environment::Global => "https://login.microsoftonline.com",
            Environment::UsGov => "https://login.microsoftonline.us",
            Environment::China => "https://login.chinacloudapi.cn",
        }
    }
}

/// The resource (audience) every Partner Center token is for, in every cloud.
pub const PARTNER_CENTER_RESOURCE: &str = "https://api.partnercenter.microsoft.com";

/// How the client signs in. Secrets are [`SecretString`]s: their `Debug` prints `[REDACTED]`.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// A ready access token; it cannot be renewed, so a 401 ends the call.
    AccessToken(SecretString),
    /// App+User (the secure application model): a refresh token redeemed for access tokens.
    /// The service may rotate the refresh token; the client keeps the newest.
    RefreshToken {
        /// The application (client) id.
        client_id: String,
        /// The application secret, for a confidential application.
        client_secret: Option<SecretString>,
        /// The refresh token.
        refresh_token: SecretString,
    },
    /// App-only: the client credentials grant. Partner Center refuses some operations to it.
    ClientCredentials {
        /// The application (client) id.
        client_id: String,
        /// The application secret.
        client_secret: SecretString,
    },
}

impl Credentials {
    /// A short name of the credential kind: `access_token`, `refresh_token` or `app_only`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Credentials::AccessToken(_) => "access_token",
            Credentials::RefreshToken { .. } => "refresh_token",
            Credentials::ClientCredentials { .. } => "app_only",
        }
    }
}

/// Everything a [`crate::Client`] needs. Build it with [`ClientOptions::from_json`] or
/// [`ClientOptions::new`] and set fields; [`ClientOptions::validate`] runs when a client is made.
/// Proxies are not options: they come from the environment (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `ALL_PROXY`, `NO_PROXY`), read when a client is made.
///
/// ```
/// let o = partnercenter::ClientOptions::from_json(
///     r#"{"tenant": "contoso.onmicrosoft.com", "client_id": "app", "refresh_token": "rt"}"#,
/// ).unwrap();
/// assert_eq!(o.tenant.as_deref(), Some("contoso.onmicrosoft.com"));
/// ```
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// The cloud; it supplies the default base URL and authority.
    pub environment: Environment,
    /// Overrides the API base URL (emulator, proxies). `http://` only for loopback hosts.
    pub base_url: Option<String>,
    /// Overrides the sign-in authority. `http://` only for loopback hosts.
    pub authority: Option<String>,
    /// Overrides the Microsoft Graph base URL, `/v1.0` included (emulator: `{emulator}/v1.0`).
    /// `http://` only for loopback hosts.
    pub graph_base_url: Option<String>,
    /// The partner's tenant (domain or GUID); required to sign in.
    pub tenant: Option<String>,
    /// The credentials, or `None` for a device-code sign-in that supplies them later.
    pub credentials: Option<Credentials>,
    /// The application id for a device-code sign-in (taken from `credentials` otherwise).
    pub client_id: Option<String>,
    /// Overall deadline of one call, retries and waits included.
    pub timeout: Duration,
    /// Deadline for establishing a connection.
    pub connect_timeout: Duration,
    /// Deadline for one attempt (request sent to body read).
    pub attempt_timeout: Duration,
    /// Retries after the first attempt for transient failures.
    pub max_retries: u32,
    /// The longest `Retry-After` the client waits; a longer one ends the call as throttled.
    pub max_retry_after: Duration,
    /// Answers larger than this are refused, never buffered.
    pub max_response_bytes: u64,
    /// `MS-CorrelationId` for every request of this client (a new GUID when not given).
    pub correlation_id: Option<String>,
    /// `X-Locale` header.
    pub locale: String,
    /// `MS-PartnerCenter-Application` header.
    pub application_name: Option<String>,
    /// Extra trusted CA certificates (PEM), added to the operating system's trust store: for
    /// enterprise TLS-inspection proxies and the emulator's TLS mode. Verification stays on.
    pub ca_certificate_pem: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            environment: Environment::Global,
            base_url: None,
            authority: None,
            graph_base_url: None,
            tenant: None,
            credentials: None,
            client_id: None,
            timeout: Duration::from_secs(100),
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(30),
            max_retries: 3,
            max_retry_after: Duration::from_secs(60),
            max_response_bytes: 16 * 1024 * 1024,
            correlation_id: None,
            locale: "en-US".to_owned(),
            application_name: None,
            ca_certificate_pem: None,
        }
    }
}

/// The largest `max_response_bytes` accepted: 1 GiB. Far above any Partner Center answer (a
/// page of 500 customers is well under 1 MiB), and a bound on what a peer can make the client
/// hold in memory.
pub const MAX_RESPONSE_BYTES_LIMIT: u64 = 1 << 30;

/// The option keys the JSON form accepts, for error messages and documentation.
pub const OPTION_KEYS: &[&str] = &[
    "environment",
    "base_url",
    "authority",
    "graph_base_url",
    "tenant",
    "client_id",
    "client_secret",
    "refresh_token",
    "access_token",
    "timeout_ms",
    "connect_timeout_ms",
    "attempt_timeout_ms",
    "max_retries",
    "max_retry_after_ms",
    "max_response_bytes",
    "correlation_id",
    "locale",
    "application_name",
    "ca_certificate_pem",
];

impl ClientOptions {
    /// Default options with the given credentials.
    pub fn new(credentials: Credentials) -> Self {
        ClientOptions {
            credentials: Some(credentials),
            ..ClientOptions::default()
        }
    }

    /// Parses the JSON options object of the C ABI (snake_case keys, see [`OPTION_KEYS`]).
    ///
    /// Unknown keys and wrong types are refused with an error that names the key and never
    /// its value. Credentials are chosen from the keys present: `access_token`; or `client_id`
    /// with `refresh_token` (App+User, `client_secret` optional); or `client_id` with
    /// `client_secret` (app-only). `client_id` alone prepares a device-code sign-in.
    pub fn from_json(json: &str) -> Result<Self> {
        let args = JsonArgs::parse(json, ErrorKind::InvalidOptions, "options", OPTION_KEYS)?;
        let mut o = ClientOptions::default();
        if let Some(name) = args.text("environment")? {
            o.environment = Environment::parse(&name).ok_or_else(|| {
                invalid("option 'environment' must be one of: global, usgov, china")
            })?;
        }
        o.base_url = args.text("base_url")?;
        o.authority = args.text("authority")?;
        o.graph_base_url = args.text("graph_base_url")?;
        o.tenant = args.text("tenant")?;
        o.client_id = args.text("client_id")?;
        let client_secret = args.text("client_secret")?.map(SecretString::from);
        let refresh_token = args.text("refresh_token")?.map(SecretString::from);
        let access_token = args.text("access_token")?.map(SecretString::from);
        if let Some(ms) = args.millis("timeout_ms")? {
            o.timeout = ms;
        }
        if let Some(ms) = args.millis("connect_timeout_ms")? {
            o.connect_timeout = ms;
        }
        if let Some(ms) = args.millis("attempt_timeout_ms")? {
            o.attempt_timeout = ms;
        }
        if let Some(n) = args.number("max_retries", 0, 100)? {
            o.max_retries = n as u32;
        }
        if let Some(ms) = args.millis("max_retry_after_ms")? {
            o.max_retry_after = ms;
        }
        if let Some(n) = args.number("max_response_bytes", 0, u64::MAX)? {
            o.max_response_bytes = n;
        }
        check_max_response_bytes(o.max_response_bytes)?;
        // A GUID in any of its spellings (braces, `urn:uuid:`, no hyphens) becomes the bare
        // hyphenated form: `MS-CorrelationId` carries a bare GUID, and the service echoes it.
        o.correlation_id = match args.text("correlation_id")? {
            Some(id) => Some(
                uuid::Uuid::parse_str(id.trim())
                    .map_err(|_| invalid(CORRELATION_ID_FORM))?
                    .hyphenated()
                    .to_string(),
            ),
            None => None,
        };
        if let Some(locale) = args.text("locale")? {
            o.locale = locale;
        }
        o.application_name = args.text("application_name")?;
        o.ca_certificate_pem = args.text("ca_certificate_pem")?;
        o.credentials = match (access_token, refresh_token, client_secret) {
            (Some(token), None, None) => Some(Credentials::AccessToken(token)),
            (Some(_), _, _) => {
                return Err(invalid(
                    "option 'access_token' cannot be combined with 'refresh_token' or 'client_secret'",
                ));
            }
            (None, Some(refresh_token), client_secret) => Some(Credentials::RefreshToken {
                client_id: o.client_id.clone().ok_or_else(|| {
                    invalid("option 'refresh_token' needs 'client_id' (the application id)")
                })?,
                client_secret,
                refresh_token,
            }),
            (None, None, Some(client_secret)) => Some(Credentials::ClientCredentials {
                client_id: o.client_id.clone().ok_or_else(|| {
                    invalid("option 'client_secret' needs 'client_id' (the application id)")
                })?,
                client_secret,
            }),
            (None, None, None) => None,
        };
        Ok(o)
    }

    /// Checks the options a client needs: credentials present, tenant where signing in, URLs
    /// well-formed and secure, a correlation id that is a GUID, timeouts above zero.
    pub fn validate(&self) -> Result<()> {
        let credentials = self.credentials.as_ref().ok_or_else(|| {
            invalid(
                "no credentials: give 'access_token', or 'client_id' with 'refresh_token' \
                 (App+User), or 'client_id' with 'client_secret' (app-only)",
            )
        })?;
        if !matches!(credentials, Credentials::AccessToken(_)) || self.tenant.is_some() {
            self.require_tenant()?;
        }
        self.validate_endpoints()
    }

    /// Checks what a device-code sign-in needs: a client id, a tenant and valid endpoints.
    pub fn validate_for_device_code(&self) -> Result<()> {
        if self.device_code_client_id().is_none() {
            return Err(invalid("a device-code sign-in needs option 'client_id'"));
        }
        self.require_tenant()?;
        self.validate_endpoints()
    }

    fn require_tenant(&self) -> Result<()> {
        match self.tenant.as_deref() {
            Some(t) if valid_tenant(t) => Ok(()),
            Some(_) => Err(invalid(
                "option 'tenant' must be a GUID or a domain name (labels of letters, digits \
                 and inner '-', separated by single dots)",
            )),
            None => Err(invalid(
                "option 'tenant' is required to sign in (the partner's tenant domain or id)",
            )),
        }
    }

    fn validate_endpoints(&self) -> Result<()> {
        // Here as well as in `from_json`: options built in Rust skip the JSON reader.
        check_max_response_bytes(self.max_response_bytes)?;
        self.api_base_url()?;
        self.authority_url()?;
        self.graph_url()?;
        if let Some(id) = &self.correlation_id {
            // Sent as given: only the bare hyphenated form (uuid also parses braces and urn:).
            if id.len() != 36 || uuid::Uuid::try_parse(id).is_err() {
                return Err(invalid(CORRELATION_ID_FORM));
            }
        }
        if self.timeout.is_zero()
            || self.attempt_timeout.is_zero()
            || self.connect_timeout.is_zero()
        {
            return Err(invalid("timeouts must be greater than zero"));
        }
        if self.locale.is_empty()
            || !self
                .locale
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(invalid(
                "option 'locale' must be a language tag such as en-US",
            ));
        }
        if let Some(name) = &self.application_name {
            if name.chars().any(|c| c.is_control()) {
                return Err(invalid(
                    "option 'application_name' must not contain control characters",
                ));
            }
        }
        Ok(())
    }

    /// The device-code client id: `client_id`, or the one inside the credentials.
    pub fn device_code_client_id(&self) -> Option<&str> {
        self.client_id.as_deref().or(match &self.credentials {
            Some(Credentials::RefreshToken { client_id, .. })
            | Some(Credentials::ClientCredentials { client_id, .. }) => Some(client_id),
            _ => None,
        })
    }

    /// The API base URL (override or the environment's), validated, without a trailing slash.
    pub fn api_base_url(&self) -> Result<Url> {
        secure_url(
            "base_url",
            self.base_url
                .as_deref()
                .unwrap_or(self.environment.api_base_url()),
        )
    }

    /// The Microsoft Graph base URL (override or the environment's), validated.
    pub fn graph_url(&self) -> Result<Url> {
        secure_url(
            "graph_base_url",
            self.graph_base_url
                .as_deref()
                .unwrap_or(self.environment.graph_base_url()),
        )
    }

    /// The sign-in authority (override or the environment's), validated.
    pub fn authority_url(&self) -> Result<Url> {
        secure_url(
            "authority",
            self.authority
                .as_deref()
                .unwrap_or(self.environment.authority()),
        )
    }
}

/// Refuses a `max_response_bytes` above [`MAX_RESPONSE_BYTES_LIMIT`], naming the key and the
/// limit (the value is a number, not a secret, but is still not echoed, as for every option).
fn check_max_response_bytes(n: u64) -> Result<()> {
    if n > MAX_RESPONSE_BYTES_LIMIT {
        return Err(invalid(format!(
            "option 'max_response_bytes' must be at most {MAX_RESPONSE_BYTES_LIMIT} (1 GiB)"
        )));
    }
    Ok(())
}

/// What a correlation id must look like, for both readers.
const CORRELATION_ID_FORM: &str = "option 'correlation_id' must be a GUID such as \
    0f8fad5b-d9cb-469f-a165-70867728950e (the JSON options also take it braced, as urn:uuid: or \
    without hyphens, and send the bare form)";

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOptions, message)
}

/// A tenant is a GUID or a DNS name (`contoso.onmicrosoft.com`; a single label such as `t` is
/// accepted too). It becomes a path segment of the sign-in URL, so `.`, `..`, empty labels,
/// percent signs and everything else that could be normalised into another path are refused.
fn valid_tenant(tenant: &str) -> bool {
    if uuid::Uuid::try_parse(tenant).is_ok() && !tenant.contains(['{', '}', ':']) {
        return true;
    }
    // RFC 1035 (with digits first allowed, RFC 1123): labels of 1 to 63 letters, digits and
    // hyphens, no hyphen at either end; 253 characters in all.
    tenant.len() <= 253
        && tenant.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// True for 127.0.0.0/8, ::1 and `localhost`: the only hosts plain http may reach.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn secure_url(key: &str, raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim_end_matches('/'))
        .map_err(|_| invalid(format!("option '{key}' is not a valid absolute URL")))?;
    if url.host().is_none() {
        return Err(invalid(format!("option '{key}' has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(format!("option '{key}' must not carry user info")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "option '{key}' must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(&url) => Ok(url),
        "http" => Err(Error::new(
            ErrorKind::InsecureUrl,
            format!(
                "option '{key}' uses plain http:// for a host that is not loopback; \
                 https:// is required (http is allowed only for 127.0.0.0/8, ::1 and localhost)"
            ),
        )),
        _ => Err(invalid(format!("option '{key}' must be an https:// URL"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named_and_value_is_not_echoed() {
        let e = ClientOptions::from_json(r#"{"tenat": "s3cr3t-value"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidOptions);
        assert!(e.message().contains("'tenat'"));
        assert!(!e.message().contains("s3cr3t"));
    }

    #[test]
    fn wrong_type_is_named_and_value_is_not_echoed() {
        let e = ClientOptions::from_json(r#"{"client_secret": 12345678}"#).unwrap_err();
        assert!(e.message().contains("'client_secret'"), "{}", e.message());
        assert!(!e.message().contains("12345678"));
        let e = ClientOptions::from_json(r#"{"timeout_ms": "soon"}"#).unwrap_err();
        assert!(e.message().contains("'timeout_ms'"));
        assert!(!e.message().contains("soon"));
    }

    #[test]
    fn syntax_errors_do_not_quote_input() {
        let e = ClientOptions::from_json(r#"{"client_secret": "abc-secret"#).unwrap_err();
        assert!(!e.message().contains("abc-secret"), "{}", e.message());
    }

    #[test]
    fn credentials_are_chosen_from_keys() {
        let o = ClientOptions::from_json(
            r#"{"tenant":"t.example","client_id":"a","client_secret":"s"}"#,
        )
        .unwrap();
        assert_eq!(o.credentials.unwrap().kind_name(), "app_only");
        let o = ClientOptions::from_json(
            r#"{"tenant":"t.example","client_id":"a","client_secret":"s","refresh_token":"r"}"#,
        )
        .unwrap();
        assert_eq!(o.credentials.unwrap().kind_name(), "refresh_token");
        let o = ClientOptions::from_json(r#"{"access_token":"x"}"#).unwrap();
        assert_eq!(o.credentials.as_ref().unwrap().kind_name(), "access_token");
        assert!(format!("{o:?}").contains("REDACTED"));
        assert!(!format!("{o:?}").contains("\"x\""));
    }

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://localhost:9",
        ] {
            let mut o = ClientOptions::from_json(r#"{"access_token":"x"}"#).unwrap();
            o.base_url = Some(ok.into());
            assert!(o.validate().is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://example.com",
            "http://128.0.0.1",
            "http://localhost.evil.com",
        ] {
            let mut o = ClientOptions::from_json(r#"{"access_token":"x"}"#).unwrap();
            o.base_url = Some(bad.into());
            assert_eq!(
                o.validate().unwrap_err().kind(),
                ErrorKind::InsecureUrl,
                "{bad}"
            );
        }
    }

    #[test]
    fn max_response_bytes_has_a_ceiling() {
        let at =
            format!(r#"{{"access_token":"x","max_response_bytes":{MAX_RESPONSE_BYTES_LIMIT}}}"#);
        assert!(ClientOptions::from_json(&at).unwrap().validate().is_ok());
        for over in ["1073741825", "18446744073709551615"] {
            let json = format!(r#"{{"access_token":"x","max_response_bytes":{over}}}"#);
            let e = ClientOptions::from_json(&json).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidOptions);
            assert!(
                e.message().contains("'max_response_bytes'"),
                "{}",
                e.message()
            );
            assert!(e.message().contains("1073741824"), "{}", e.message());
            assert!(!e.message().contains(over), "{}", e.message());
        }
        let mut o = ClientOptions::from_json(r#"{"access_token":"x"}"#).unwrap();
        o.max_response_bytes = u64::MAX;
        assert_eq!(o.validate().unwrap_err().kind(), ErrorKind::InvalidOptions);
    }

    #[test]
    fn tenants_are_guids_or_domain_names() {
        for good in [
            "contoso.onmicrosoft.com",
            "t",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "1st.example",
        ] {
            assert!(valid_tenant(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "%2e",
            "a..b",
            ".a",
            "a.",
            "-a",
            "a-",
            "a_b",
            "a/b",
            "a b",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
        ] {
            assert!(!valid_tenant(bad), "{bad:?}");
        }
        assert!(!valid_tenant(&"a".repeat(64)));
        assert!(!valid_tenant(&["a"; 200].join(".")));
    }

    #[test]
    fn environments_have_their_hosts() {
        let o = ClientOptions::from_json(r#"{"environment":"china","access_token":"x"}"#).unwrap();
        assert_eq!(
            o.api_base_url().unwrap().host_str(),
            Some("partner.partnercenterapi.microsoftonline.cn")
        );
        assert_eq!(
            o.authority_url().unwrap().host_str(),
            Some("login.chinacloudapi.cn")
        );
        let o = ClientOptions::from_json(r#"{"environment":"usgov","access_token":"x"}"#).unwrap();
        assert_eq!(
            o.authority_url().unwrap().host_str(),
            Some("login.microsoftonline.us")
        );
    }
}
