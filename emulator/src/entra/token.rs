//! The Entra ID token endpoints: `POST /{tenant}/oauth2/v2.0/token` and the v1
//! `POST /{tenant}/oauth2/token`, with client-credentials, refresh-token and device-code grants.
//! A token is for Partner Center, or for Microsoft Graph when the scope (v2) or the resource (v1)
//! names `https://graph.microsoft.com`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::entra::checks::{check_tenant_and_client, delegated_audience, invalid_scope, required};
use crate::plumbing::credentials::{
    CLIENT_SECRET, GRAPH_RESOURCE, GRAPH_SCOPE_DEFAULT, GRAPH_SCOPE_GDAP, RESOURCE, SCOPE_DEFAULT,
    SCOPE_USER_IMPERSONATION, TENANT,
};
use crate::plumbing::device_codes::Poll;
use crate::plumbing::form::{Form, parse_form};
use crate::plumbing::state::{State, lock};
use crate::plumbing::tokens::{Audience, TokenKind};
use crate::plumbing::wire::{self, EntraError};

/// The device-code grant type.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Which token endpoint answered: they differ in `scope` versus `resource` and number types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    V1,
    V2,
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub async fn token_v2(
    Extract(state): Extract<Arc<State>>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    token(&state, &tenant, &parse_form(&body), Endpoint::V2)
}

/// `POST /{tenant}/oauth2/token` (v1: `resource` instead of `scope`, numbers as strings).
pub async fn token_v1(
    Extract(state): Extract<Arc<State>>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    token(&state, &tenant, &parse_form(&body), Endpoint::V1)
}

fn token(state: &State, tenant: &str, form: &Form, endpoint: Endpoint) -> Response {
    let result = check_tenant_and_client(tenant, form).and_then(|client_id| {
        let grant_type = required(form, "grant_type")?;
        match grant_type {
            "client_credentials" => client_credentials(state, form, endpoint),
            "refresh_token" => refresh_token(state, form, endpoint),
            DEVICE_CODE_GRANT => device_code(state, form, client_id, endpoint),
            other => Err(EntraError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                70003,
                format!("The app requested an unsupported grant type '{other}'."),
            )),
        }
    });
    result.unwrap_or_else(IntoResponse::into_response)
}

fn client_credentials(
    state: &State,
    form: &Form,
    endpoint: Endpoint,
) -> Result<Response, EntraError> {
    let Some(secret) = form.get("client_secret") else {
        return Err(EntraError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ));
    };
    check_secret(secret)?;
    let (audience, scope) = match endpoint {
        Endpoint::V2 => {
            let scope = required(form, "scope")?;
            let mut scopes = scope.split_whitespace();
            let audience = match scopes.next() {
                Some(SCOPE_DEFAULT) => Audience::PartnerCenter,
                Some(GRAPH_SCOPE_DEFAULT) => Audience::Graph,
                _ => return Err(invalid_scope(scope, SCOPE_DEFAULT)),
            };
            if scopes.next().is_some() {
                return Err(invalid_scope(scope, SCOPE_DEFAULT));
            }
            let granted = match audience {
                Audience::PartnerCenter => SCOPE_DEFAULT,
                Audience::Graph => GRAPH_SCOPE_DEFAULT,
            };
            (audience, granted)
        }
        Endpoint::V1 => (check_resource(form)?, ""),
    };
    let access_token = lock(&state.tokens).issue_access_for(
        audience,
        TokenKind::AppOnly,
        state.config.token_lifetime,
        false,
    );
    Ok(token_answer(
        state,
        endpoint,
        audience,
        scope,
        access_token,
        None,
    ))
}

fn refresh_token(state: &State, form: &Form, endpoint: Endpoint) -> Result<Response, EntraError> {
    if let Some(secret) = form.get("client_secret") {
        check_secret(secret)?;
    }
    let (audience, granted) = match endpoint {
        Endpoint::V2 => delegated_audience(required(form, "scope")?)?,
        Endpoint::V1 => {
            let audience = check_resource(form)?;
            (audience, delegated_scope(audience).to_owned())
        }
    };
    let presented = required(form, "refresh_token")?;
    let mut tokens = lock(&state.tokens);
    if !tokens.is_valid_refresh(presented) {
        return Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            70000,
            "Provided grant is invalid or malformed: the refresh token is unknown, revoked or expired (AADSTS700082).",
        ));
    }
    // The MFA of the sign-in carries over to the tokens a refresh token buys.
    let mfa = tokens.refresh_has_mfa(presented);
    let access_token = tokens.issue_access_for(
        audience,
        TokenKind::AppUser,
        state.config.token_lifetime,
        mfa,
    );
    let refresh = tokens.issue_refresh_with(mfa);
    drop(tokens);
    Ok(token_answer(
        state,
        endpoint,
        audience,
        &granted,
        access_token,
        Some(refresh),
    ))
}

fn device_code(
    state: &State,
    form: &Form,
    client_id: &str,
    endpoint: Endpoint,
) -> Result<Response, EntraError> {
    if let Some(secret) = form.get("client_secret") {
        check_secret(secret)?;
    }
    let code = required(form, "device_code")?;
    let interval = state.config.device_code_interval;
    let outcome = lock(&state.devices).poll(code, client_id, interval);
    let (error, number, message) = match outcome {
        Poll::Approved { scope } => {
            // The scope was checked when the code was issued; it names the audience.
            let (audience, granted) = delegated_audience(&scope)?;
            let mut tokens = lock(&state.tokens);
            // A device-code sign-in is interactive: the emulator counts it as done with MFA.
            let access_token = tokens.issue_access_for(
                audience,
                TokenKind::AppUser,
                state.config.token_lifetime,
                true,
            );
            let refresh = tokens.issue_refresh_with(true);
            drop(tokens);
            return Ok(token_answer(
                state,
                endpoint,
                audience,
                &granted,
                access_token,
                Some(refresh),
            ));
        }
        Poll::Pending => (
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.".to_owned(),
        ),
        Poll::SlowDown => (
            "slow_down",
            70016,
            format!(
                "OAuth 2.0 device flow error. Polling too often: wait at least {} seconds between polls.",
                interval.as_secs_f64()
            ),
        ),
        Poll::Declined => (
            "authorization_declined",
            70000,
            "The user declined the authorization request for this device code.".to_owned(),
        ),
        Poll::Expired => (
            "expired_token",
            70020,
            "The provided value for the input parameter 'device_code' is not valid. This device code has expired.".to_owned(),
        ),
        Poll::Invalid => (
            "invalid_grant",
            70000,
            "Provided grant is invalid or malformed: the device code is unknown, belongs to another client or was already redeemed.".to_owned(),
        ),
    };
    Err(EntraError::new(
        StatusCode::BAD_REQUEST,
        error,
        number,
        &message,
    ))
}

fn check_secret(secret: &str) -> Result<(), EntraError> {
    if secret == CLIENT_SECRET {
        Ok(())
    } else {
        Err(EntraError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-00000000e1e1'.",
        ))
    }
}

/// The delegated scope granted for `audience`.
fn delegated_scope(audience: Audience) -> &'static str {
    match audience {
        Audience::PartnerCenter => SCOPE_USER_IMPERSONATION,
        Audience::Graph => GRAPH_SCOPE_GDAP,
    }
}

/// The audience the v1 `resource` names: Partner Center or Microsoft Graph.
fn check_resource(form: &Form) -> Result<Audience, EntraError> {
    let resource = required(form, "resource")?;
    match resource.trim_end_matches('/') {
        RESOURCE => Ok(Audience::PartnerCenter),
        GRAPH_RESOURCE => Ok(Audience::Graph),
        _ => Err(EntraError::new(
            StatusCode::BAD_REQUEST,
            "invalid_resource",
            500011,
            format!(
                "The resource principal named {resource} was not found in the tenant named {TENANT}. The emulator serves '{RESOURCE}' and '{GRAPH_RESOURCE}'."
            ),
        )),
    }
}

fn token_answer(
    state: &State,
    endpoint: Endpoint,
    audience: Audience,
    scope: &str,
    access_token: String,
    refresh_token: Option<String>,
) -> Response {
    let lifetime = state.config.token_lifetime.as_secs();
    let mut body = match endpoint {
        Endpoint::V2 => json!({
            "token_type": "Bearer",
            "scope": scope,
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        }),
        Endpoint::V1 => {
            let now = wire::unix_now();
            json!({
                "token_type": "Bearer",
                "expires_in": lifetime.to_string(),
                "ext_expires_in": lifetime.to_string(),
                "expires_on": (now + lifetime).to_string(),
                "not_before": now.to_string(),
                "resource": match audience {
                    Audience::PartnerCenter => RESOURCE,
                    Audience::Graph => GRAPH_RESOURCE,
                },
                "access_token": access_token,
            })
        }
    };
    if let (Some(refresh), Value::Object(map)) = (refresh_token, &mut body) {
        if endpoint == Endpoint::V1 {
            let short = match audience {
                Audience::PartnerCenter => "user_impersonation",
                Audience::Graph => "DelegatedAdminRelationship.ReadWrite.All",
            };
            map.insert("scope".into(), Value::from(short));
        }
        map.insert("refresh_token".into(), Value::from(refresh));
    }
    let mut response = wire::json(StatusCode::OK, &body);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
