#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus (fuzz/seeds/<target>/) from the emulator's real answers.

usage: python3 fuzz/make_seeds.py [path/to/partnercenter-emulator]
The seeds are committed; run this again when the emulator's answers change.
"""
import json
import pathlib
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
EMULATOR = sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "target" / "debug" / "partnercenter-emulator")
TENANT = "emulator.onmicrosoft.com"
CLIENT_ID = "00000000-0000-0000-0000-00000000e1e1"


def write(target: str, name: str, data: bytes) -> None:
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def status_prefix(status: int) -> bytes:
    return (status - 100).to_bytes(2, "little")


def call(base, method, path, body=None, headers=None, form=None):
    data = None
    headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def main() -> None:
    proc = subprocess.Popen([EMULATOR, "--port", "0", "--customers", "12", "--exit-on-stdin-eof"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        token_path = f"/{TENANT}/oauth2/v2.0/token"
        scope = "https://api.partnercenter.microsoft.com/user_impersonation offline_access"
        st, _, body = call(base, "POST", token_path, form={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                                           "refresh_token": "emulator-refresh-token", "scope": scope})
        write("token_answer", "v2_refresh", status_prefix(st) + body)
        token = json.loads(body)["access_token"]
        st, _, body = call(base, "POST", f"/{TENANT}/oauth2/token", form={
            "grant_type": "refresh_token", "client_id": CLIENT_ID, "refresh_token": "emulator-refresh-token",
            "resource": "https://api.partnercenter.microsoft.com"})
        write("token_answer", "v1_strings", status_prefix(st) + body)
        st, _, body = call(base, "POST", token_path, form={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                                           "refresh_token": "bad", "scope": scope})
        write("token_answer", "invalid_grant", status_prefix(st) + body)
        st, _, body = call(base, "POST", f"/{TENANT}/oauth2/v2.0/devicecode", form={"client_id": CLIENT_ID, "scope": scope})
        write("token_answer", "devicecode", status_prefix(st) + body)

        api = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        def get(path, extra=None):
            h = dict(api, **{"MS-RequestId": str(uuid.uuid4())}, **(extra or {}))
            return call(base, "GET", path, headers=h)
        st, _, body = get("/v1/customers/relationshiprequests")
        write("service_answer", "relationship", status_prefix(st) + b"\n" + body)
        st, _, body = get("/v1/customers/00000000-0000-0000-0000-000000000001")
        write("service_answer", "not_found", status_prefix(st) + b"\n" + body)
        st, _, body = call(base, "GET", "/v1/customers/relationshiprequests", headers={"Accept": "application/json"})
        write("service_answer", "unauthorized", status_prefix(st) + b"\n" + body)
        call(base, "POST", "/_emulator/faults", body={"path": "/v1/customers/relationshiprequests", "status": 429,
                                                       "retryAfter": 7, "count": 1})
        st, headers, body = get("/v1/customers/relationshiprequests")
        write("service_answer", "throttled", status_prefix(st) + headers.get("Retry-After", "").encode() + b"\n" + body)
        write("service_answer", "retry_after_date", status_prefix(503) + b"Wed, 21 Oct 2015 07:28:00 GMT\n" + body)
        write("service_answer", "string_code", status_prefix(400) + b"\n" +
              b'{"code":"600009","description":"Bad input","data":[],"source":"PartnerFD"}')

        st, _, body = get("/v1/customers?size=5")
        write("customer_page", "first_page", body)
        write("models", "customer", json.dumps(json.loads(body.decode("utf-8-sig"))["items"][0]).encode())
        nxt = json.loads(body.decode("utf-8-sig"))["links"]["next"]
        st, _, body = get(nxt["uri"], {h["key"]: h["value"] for h in nxt["headers"]})
        write("customer_page", "next_page", body)
        write("customer_page", "absolute_next", json.dumps({"items": [], "links": {"next": {
            "uri": "https://api.partnercenter.microsoft.com/v1/customers?size=5&seekOperation=Next",
            "method": "GET", "headers": [{"key": "MS-ContinuationToken", "value": "abc"}]}}}).encode())
        cid = json.loads(body.decode("utf-8-sig"))["items"][0]["id"]
        st, _, body = get(f"/v1/customers/{cid}/profiles/billing")
        write("models", "billing_profile", body)

        write("options", "refresh", json.dumps({"tenant": TENANT, "client_id": CLIENT_ID, "refresh_token": "r",
                                                "base_url": base, "authority": base, "timeout_ms": 1000}).encode())
        write("options", "app_only", json.dumps({"environment": "china", "tenant": "t.example", "client_id": "a",
                                                 "client_secret": "s", "max_retries": 2, "locale": "fr-FR"}).encode())
        write("options", "access", json.dumps({"access_token": "t", "correlation_id": str(uuid.uuid4()),
                                               "application_name": "x", "ca_certificate_pem": "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"}).encode())
        write("query", "listing", b'{"domain":"fab","pageSize":7}')
        write("query", "wait", b'{"tenantId":"x","timeoutMs":1000,"pollIntervalMs":100,"maxPollIntervalMs":500}')
        write("ffi_strings", "options", (SEEDS / "options" / "refresh").read_bytes())
        write("ffi_strings", "query", b'{"companyName":"Contoso"}')
        write("ffi_strings", "profile", b'{"email":"a@b.c","defaultAddress":{"city":"Oslo"}}')
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
