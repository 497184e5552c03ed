//! No secret (client secret, refresh token, access token) in anything the library hands out:
//! results, error messages, last-error JSON, Debug prints, logs at the most verbose level, a
//! caught panic. Checked in plain, URL-encoded and base64 forms.

mod common;

use std::ffi::{CStr, CString, c_char};
use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine;
use common::*;
use partnercenter::blocking::{Client, DeviceCode};
use partnercenter::ffi::{self, pc_client};
use partnercenter::{BillingProfile, ClientOptions, CustomerFilter, CustomerMatch, WaitOptions};
use partnercenter_emulator::{Emulator, credentials as dev};
use secrecy::ExposeSecret;

const BAD_SECRET: &str = "Zq9-client-SECRET-x7Kp";
const BAD_REFRESH: &str = "Rt4-refresh-TOKEN-m2Vw";
const BAD_ACCESS: &str = "At8-access-TOKEN-j5Ln";

/// Every form a secret could leak in.
fn forms(secret: &str) -> Vec<String> {
    let url: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    vec![secret.to_owned(), url, b64, b64url]
}

fn assert_clean(haystack: &str, secrets: &[String], context: &str) {
    for s in secrets {
        for f in forms(s) {
            assert!(
                !haystack.contains(&f),
                "{context} leaks a secret form {f:?}:\n{haystack}"
            );
        }
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn ffi_call(options: &str, seen: &mut String) {
    let options = CString::new(options).unwrap();
    let mut client: *mut pc_client = std::ptr::null_mut();
    // SAFETY: valid C strings and out-params; every returned string is freed below.
    unsafe {
        let status = ffi::pc_client_new(options.as_ptr(), &mut client);
        collect_last_error(seen);
        if status == 0 {
            let mut url: *mut c_char = std::ptr::null_mut();
            let mut json: *mut c_char = std::ptr::null_mut();
            ffi::pc_new_relationship_request(client, &mut url, &mut json);
            collect_last_error(seen);
            for s in [url, json] {
                if !s.is_null() {
                    seen.push_str(CStr::from_ptr(s).to_str().unwrap());
                    ffi::pc_string_free(s);
                }
            }
            let mut info: *mut c_char = std::ptr::null_mut();
            ffi::pc_client_info(client, &mut info);
            if !info.is_null() {
                seen.push_str(CStr::from_ptr(info).to_str().unwrap());
                ffi::pc_string_free(info);
            }
            ffi::pc_client_free(client);
        }
    }
}

/// # Safety
/// Reads this thread's last error through the C ABI.
unsafe fn collect_last_error(seen: &mut String) {
    for s in [ffi::pc_last_error_message(), ffi::pc_last_error_json()] {
        if !s.is_null() {
            // SAFETY: a string from the library, freed right after.
            unsafe {
                seen.push_str(CStr::from_ptr(s).to_str().unwrap());
                ffi::pc_string_free(s);
            }
        }
    }
}

#[test]
fn no_secret_in_results_errors_debug_or_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let emu = Emulator::start();
    let mut seen = String::new();
    let mut secrets: Vec<String> = vec![
        dev::CLIENT_SECRET.into(),
        dev::REFRESH_TOKEN.into(),
        BAD_SECRET.into(),
        BAD_REFRESH.into(),
        BAD_ACCESS.into(),
    ];

    // Success paths: App+User and app-only, through Rust and the C ABI.
    let client = app_user_client(&emu, "");
    let link = client.new_relationship_request().unwrap();
    seen.push_str(&format!(
        "{link:?} {}",
        serde_json::to_string(&link).unwrap()
    ));
    seen.push_str(&format!("{client:?} {:?}", client.connection_info()));
    let rotated = client.refresh_token().unwrap().expose_secret().to_owned();
    secrets.push(rotated);
    let app_only = app_only_client(&emu);
    let e = app_only.new_relationship_request().unwrap_err();
    seen.push_str(&format!("{e} {e:?} {app_only:?}"));
    ffi_call(&app_user_json(&emu, ""), &mut seen);

    // Failure paths with distinctive secrets: bad refresh token, bad client secret, a refused
    // access token, bad option types holding secrets, an update without an ETag.
    let json = app_user_json(&emu, &format!(r#""client_secret":"{BAD_SECRET}""#))
        .replace(dev::REFRESH_TOKEN, BAD_REFRESH);
    let bad = Client::new(ClientOptions::from_json(&json).unwrap()).unwrap();
    let e = bad.new_relationship_request().unwrap_err();
    seen.push_str(&format!("{e} {e:?} {bad:?}"));
    ffi_call(&json, &mut seen);
    let json = format!(
        r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}","client_secret":"{BAD_SECRET}"}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID
    );
    ffi_call(&json, &mut seen);
    let json = format!(
        r#"{{"base_url":"{}","access_token":"{BAD_ACCESS}"}}"#,
        emu.base_url()
    );
    ffi_call(&json, &mut seen);
    let options = ClientOptions::from_json(&json).unwrap();
    seen.push_str(&format!("{options:?}"));
    for key in ["client_secret", "refresh_token", "access_token"] {
        for value in [
            format!("[\"{BAD_SECRET}\"]"),
            format!("{{\"x\":\"{BAD_REFRESH}\"}}"),
        ] {
            let e = ClientOptions::from_json(&format!(r#"{{"{key}":{value}}}"#)).unwrap_err();
            seen.push_str(&format!("{e} {e:?}"));
        }
        let e = ClientOptions::from_json(&format!(r#"{{"{key}":"{BAD_SECRET}","nope":1}}"#))
            .unwrap_err();
        seen.push_str(&format!("{e:?}"));
        let e = ClientOptions::from_json(&format!(r#"{{"{key}":"{BAD_SECRET}"#)).unwrap_err();
        seen.push_str(&format!("{e:?}"));
    }
    let e = client
        .update_billing_profile("x", &BillingProfile::default())
        .unwrap_err();
    seen.push_str(&format!("{e:?}"));
    let e = client.get_customer("does-not-exist").unwrap_err();
    seen.push_str(&format!("{e:?}"));
    let mut pages = client.customer_pages(CustomerFilter::All, 5).unwrap();
    seen.push_str(&format!("{pages:?} {:?}", pages.next_page()));
    let e = client
        .wait_for_customer(
            &CustomerMatch::TenantId("none".into()),
            WaitOptions {
                timeout: std::time::Duration::from_millis(200),
                ..WaitOptions::default()
            },
            |_, _| {},
        )
        .unwrap_err();
    seen.push_str(&format!("{e:?}"));

    // A device-code sign-in: the flow, its info, the client it yields.
    let json = format!(
        r#"{{"base_url":"{b}","authority":"{b}","tenant":"{t}","client_id":"{c}"}}"#,
        b = emu.base_url(),
        t = dev::TENANT,
        c = dev::CLIENT_ID
    );
    let flow = DeviceCode::start(ClientOptions::from_json(&json).unwrap()).unwrap();
    seen.push_str(&format!("{flow:?} {:?}", flow.info()));
    assert!(emu.approve_device_code(None));
    flow.cancel();
    seen.push_str(&format!("{:?}", flow.wait()));

    // A caught panic's message.
    // SAFETY: plain call; the guard records the panic as the last error.
    unsafe {
        let mut nothing: *mut c_char = std::ptr::null_mut();
        ffi::pc_client_refresh_token(std::ptr::null(), &mut nothing);
        collect_last_error(&mut seen);
    }

    assert_clean(&seen, &secrets, "returned strings, errors and Debug output");
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("TRACE") || logs.contains("DEBUG"),
        "the logs were captured"
    );
    assert_clean(&logs, &secrets, "logs at trace level");
}
