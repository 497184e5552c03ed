//! Entra ID's token endpoint (v2): the grants, the answers, the errors.

use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

use crate::config::{ClientOptions, Environment, PARTNER_CENTER_RESOURCE};
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Idempotency, Request, Response, Service, Transport};
use crate::service_error::unreadable_token_answer as unreadable;
pub(crate) use crate::service_error::{EntraError, entra as entra_error};

/// A token answer from Entra ID.
#[derive(Debug)]
pub(crate) struct TokenGrant {
    pub access_token: SecretString,
    pub expires_in: Duration,
    pub refresh_token: Option<SecretString>,
}

/// App+User scope: act as the signed-in user, and get a refresh token.
pub(crate) const USER_SCOPE: &str =
    "https://api.partnercenter.microsoft.com/user_impersonation offline_access";

/// The scopes a token source asks for: one service's audience, for each kind of grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scopes {
    /// App+User (refresh token): delegated permissions and `offline_access`.
    pub user: String,
    /// App-only (client credentials): the resource's `.default`.
    pub app: String,
}

impl Scopes {
    /// Partner Center, in every cloud.
    pub fn partner_center() -> Self {
        Scopes {
            user: USER_SCOPE.to_owned(),
            app: format!("{PARTNER_CENTER_RESOURCE}/.default"),
        }
    }

    /// Microsoft Graph's GDAP permission in `environment`'s cloud.
    pub fn graph(environment: Environment) -> Self {
        let resource = environment.graph_resource();
        Scopes {
            user: format!("{resource}/DelegatedAdminRelationship.ReadWrite.All offline_access"),
            app: format!("{resource}/.default"),
        }
    }
}

/// The token and device-code endpoints of one tenant.
#[derive(Clone, Debug)]
pub(crate) struct TokenEndpoint {
    token_url: Url,
    device_code_url: Url,
}

impl TokenEndpoint {
    /// The v2 endpoints of the options' authority and tenant.
    pub fn new(options: &ClientOptions) -> Result<Self> {
        let authority = options.authority_url()?;
        let tenant = options.tenant.as_deref().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOptions,
                "option 'tenant' is required to sign in",
            )
        })?;
        let join = |tail: &str| {
            let mut url = authority.clone();
            url.path_segments_mut()
                .map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidOptions,
                        "option 'authority' cannot be a base URL",
                    )
                })?
                .pop_if_empty()
                .extend([tenant, "oauth2", "v2.0", tail]);
            Ok::<_, Error>(url)
        };
        Ok(TokenEndpoint {
            token_url: join("token")?,
            device_code_url: join("devicecode")?,
        })
    }

    /// `grant_type=refresh_token` with an App+User `scope`.
    pub async fn refresh(
        &self,
        transport: &Transport,
        client_id: &str,
        client_secret: Option<&SecretString>,
        refresh_token: &SecretString,
        scope: &str,
        deadline: Instant,
    ) -> Result<TokenGrant> {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh_token.expose_secret()),
            ("scope", scope),
        ];
        if let Some(secret) = client_secret {
            form.push(("client_secret", secret.expose_secret()));
        }
        let answer = self
            .post(transport, &self.token_url, &form, deadline)
            .await?;
        grant_from(&answer)
    }

    /// `grant_type=client_credentials` (app-only) with a `.default` `scope`.
    pub async fn client_credentials(
        &self,
        transport: &Transport,
        client_id: &str,
        client_secret: &SecretString,
        scope: &str,
        deadline: Instant,
    ) -> Result<TokenGrant> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", client_secret.expose_secret()),
            ("scope", scope),
        ];
        let answer = self
            .post(transport, &self.token_url, &form, deadline)
            .await?;
        grant_from(&answer)
    }

    /// Starts a device-code sign-in; the answer is the raw JSON for the device module.
    pub async fn device_code(
        &self,
        transport: &Transport,
        client_id: &str,
        deadline: Instant,
    ) -> Result<Value> {
        let form = [("client_id", client_id), ("scope", USER_SCOPE)];
        let answer = self
            .post(transport, &self.device_code_url, &form, deadline)
            .await?;
        answer.json("the device-code request")
    }

    /// One poll of a device-code sign-in: a grant, or the Entra error (pending, slow_down, …).
    pub async fn poll_device_code(
        &self,
        transport: &Transport,
        client_id: &str,
        device_code: &SecretString,
        deadline: Instant,
    ) -> Result<std::result::Result<TokenGrant, EntraError>> {
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", client_id),
            ("device_code", device_code.expose_secret()),
        ];
        let response = transport
            .send(&form_request(&self.token_url, &form), deadline)
            .await?;
        if response.status.is_success() {
            return grant_from(&response).map(Ok);
        }
        match entra_error(&response) {
            Some(e) if response.status.is_client_error() => Ok(Err(e)),
            Some(e) => Err(e.error),
            None => Err(unreadable(&response)),
        }
    }

    async fn post(
        &self,
        transport: &Transport,
        url: &Url,
        form: &[(&str, &str)],
        deadline: Instant,
    ) -> Result<Response> {
        let response = transport.send(&form_request(url, form), deadline).await?;
        if response.status.is_success() {
            return Ok(response);
        }
        Err(match entra_error(&response) {
            Some(e) => e.error,
            None => unreadable(&response),
        })
    }
}

fn form_request<'a>(url: &Url, form: &'a [(&'a str, &'a str)]) -> Request<'a> {
    Request {
        method: Method::POST,
        url: url.clone(),
        authorization: None,
        form: Some(form),
        json_body: None,
        extra_headers: &[],
        idempotency: Idempotency::Idempotent,
        service: Service::PartnerCenter,
    }
}

/// Reads `access_token`, `expires_in` (number or string) and an optional `refresh_token`.
pub(crate) fn grant_from(response: &Response) -> Result<TokenGrant> {
    let body = response.json("the token request")?;
    let bad =
        |what: &str| response.error(ErrorKind::BadResponse, format!("the token answer {what}"));
    let access_token = body
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("has no access_token"))?;
    // Sent as `Authorization: Bearer <token>`: only visible ASCII can go there. Refused here,
    // before it is cached, not on every call that would try to send it.
    if !access_token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad(
            "has an access_token with characters not allowed in a header (control, space or non-ASCII)",
        ));
    }
    let expires_in = match body.get("expires_in") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| bad("has no usable expires_in"))?;
    let refresh_token = body
        .get("refresh_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty());
    // Handed to callers as a C string and sent in a form: a NUL or another control character
    // cannot be either.
    if refresh_token.is_some_and(|t| t.chars().any(char::is_control)) {
        return Err(bad("has a refresh_token with control characters"));
    }
    let refresh_token = refresh_token.map(|t| SecretString::from(t.to_owned()));
    Ok(TokenGrant {
        access_token: SecretString::from(access_token.to_owned()),
        expires_in: Duration::from_secs(expires_in.max(1)),
        refresh_token,
    })
}
