//! The reserved admin API under `/_emulator/`: faults, reset (admin relationships included), the
//! request log, device-code decisions, token invalidation and invitation acceptance. JSON, no
//! authentication, never recorded or faulted.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::plumbing::customers::invitation::Invitation;
use crate::plumbing::customers::store::AcceptError;
use crate::plumbing::faults::FaultRule;
use crate::plumbing::form::parse_form;
use crate::plumbing::state::{State, lock};
use crate::plumbing::wire;

/// The admin routes.
pub fn router() -> Router<Arc<State>> {
    Router::new()
        .route(
            "/_emulator/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_emulator/reset", post(reset))
        .route(
            "/_emulator/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/_emulator/device/approve", post(approve))
        .route("/_emulator/device/decline", post(decline))
        .route("/_emulator/tokens/invalidate", post(invalidate_tokens))
        .route("/_emulator/mfa", post(require_mfa))
        .route("/_emulator/invitations/accept", post(accept_invitation))
        .route(
            "/_emulator/devicelogin",
            get(device_login_page).post(device_login_form),
        )
}

fn problem(status: StatusCode, message: &str) -> Response {
    wire::json(status, &json!({ "error": message }))
}

fn done() -> Response {
    wire::json(StatusCode::OK, &json!({ "ok": true }))
}

async fn list_faults(Extract(state): Extract<Arc<State>>) -> Response {
    let faults = lock(&state.faults).list();
    wire::json(
        StatusCode::OK,
        &serde_json::to_value(faults).unwrap_or(Value::Null),
    )
}

async fn add_fault(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let rule: FaultRule = match serde_json::from_slice(&body) {
        Ok(rule) => rule,
        Err(error) => {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("invalid fault rule: {error}"),
            );
        }
    };
    if let Some(reason) = rule.problem() {
        return problem(
            StatusCode::BAD_REQUEST,
            &format!("invalid fault rule: {reason}"),
        );
    }
    let echoed = serde_json::to_value(&rule).unwrap_or(Value::Null);
    lock(&state.faults).add(rule);
    wire::json(StatusCode::CREATED, &echoed)
}

async fn clear_faults(Extract(state): Extract<Arc<State>>) -> Response {
    lock(&state.faults).clear();
    done()
}

async fn reset(Extract(state): Extract<Arc<State>>) -> Response {
    state.reset();
    done()
}

async fn list_requests(Extract(state): Extract<Arc<State>>) -> Response {
    let requests = lock(&state.log).snapshot();
    wire::json(
        StatusCode::OK,
        &serde_json::to_value(requests).unwrap_or(Value::Null),
    )
}

async fn clear_requests(Extract(state): Extract<Arc<State>>) -> Response {
    lock(&state.log).clear();
    done()
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Decision {
    user_code: Option<String>,
}

async fn approve(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    decide(&state, &body, true)
}

async fn decline(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    decide(&state, &body, false)
}

fn decide(state: &State, body: &[u8], approve: bool) -> Response {
    let decision: Decision = if body.iter().all(u8::is_ascii_whitespace) {
        Decision::default()
    } else {
        match serde_json::from_slice(body) {
            Ok(decision) => decision,
            Err(error) => {
                return problem(StatusCode::BAD_REQUEST, &format!("invalid body: {error}"));
            }
        }
    };
    if lock(&state.devices).decide(decision.user_code.as_deref(), approve) {
        done()
    } else {
        problem(StatusCode::NOT_FOUND, "no pending device code matches")
    }
}

/// `POST /_emulator/mfa` with `{"required": true|false}`: while required, App+User access
/// tokens whose sign-in did no MFA (every one bought with a refresh token that did not come
/// from a device-code sign-in) get Partner Center's 401 with code 900421. Reset turns it off.
async fn require_mfa(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let Some(required) = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("required").and_then(serde_json::Value::as_bool))
    else {
        return problem(
            StatusCode::BAD_REQUEST,
            "expected {\"required\": true} or {\"required\": false}",
        );
    };
    lock(&state.tokens).require_mfa(required);
    done()
}

async fn invalidate_tokens(Extract(state): Extract<Arc<State>>) -> Response {
    lock(&state.tokens).invalidate_access();
    done()
}

/// `POST /_emulator/invitations/accept` with an [`Invitation`]: 201 and the customer when it is
/// new, 200 when its reseller relationship is re-established.
async fn accept_invitation(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let invitation: Invitation = match serde_json::from_slice(&body) {
        Ok(invitation) => invitation,
        Err(error) => {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("invalid invitation: {error}"),
            );
        }
    };
    match state.customers.accept(&invitation) {
        Ok(accepted) => {
            let status = if accepted.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            wire::json_bytes(status, accepted.customer.full_json().into_bytes())
        }
        Err(AcceptError::Invalid(reason)) => problem(
            StatusCode::BAD_REQUEST,
            &format!("invalid invitation: {reason}"),
        ),
        Err(AcceptError::Conflict(reason)) => problem(StatusCode::CONFLICT, &reason),
    }
}

const DEVICE_LOGIN_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Emulator device sign-in</title></head>
<body><h1>Partner Center emulator: device sign-in</h1>
<form method="post"><label>Code <input name="user_code" autofocus></label>
<button name="action" value="approve">Approve</button>
<button name="action" value="decline">Decline</button></form>
<p>Scripts can call <code>POST /_emulator/device/approve</code> with <code>{"userCode":"…"}</code>.</p>
</body></html>"#;

async fn device_login_page() -> Html<&'static str> {
    Html(DEVICE_LOGIN_PAGE)
}

async fn device_login_form(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let form = parse_form(&body);
    let approve = form.get("action").is_none_or(|action| action != "decline");
    let code = form
        .get("user_code")
        .map(String::as_str)
        .filter(|c| !c.is_empty());
    let decided = lock(&state.devices).decide(code, approve);
    let (status, text) = match (decided, approve) {
        (true, true) => (StatusCode::OK, "Approved. You can close this page."),
        (true, false) => (StatusCode::OK, "Declined. You can close this page."),
        (false, _) => (StatusCode::NOT_FOUND, "No pending sign-in has that code."),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}
