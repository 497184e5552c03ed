"""What every Python contender shares: settings from PARTNERCENTER_* and the two requests."""

import json
import os
import uuid

SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation offline_access"


def settings():
    """Base URL, tenant, client id and refresh token from the environment."""
    env = os.environ
    return (
        env["PARTNERCENTER_BASE_URL"].rstrip("/"),
        env["PARTNERCENTER_TENANT"],
        env["PARTNERCENTER_CLIENT_ID"],
        env["PARTNERCENTER_REFRESH_TOKEN"],
    )


def parse(answer):
    """The JSON of an answer. Partner Center may open a body with a UTF-8 byte-order mark,
    which requests' own .json() refuses, so decode with utf-8-sig as a careful script would."""
    answer.raise_for_status()
    return json.loads(answer.content.decode("utf-8-sig"))


def get_token(http, base, tenant, client_id, refresh_token):
    """An access token by the refresh-token grant (App+User)."""
    answer = http.post(
        f"{base}/{tenant}/oauth2/v2.0/token",
        data={
            "grant_type": "refresh_token",
            "client_id": client_id,
            "refresh_token": refresh_token,
            "scope": SCOPE,
        },
        timeout=30,
    )
    return parse(answer)["access_token"]


def relationship_request(http, base, token, correlation_id):
    """The invitation link, with the headers Partner Center asks for."""
    answer = http.get(
        f"{base}/v1/customers/relationshiprequests",
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "MS-RequestId": str(uuid.uuid4()),
            "MS-CorrelationId": correlation_id,
            "X-Locale": "en-US",
        },
        timeout=30,
    )
    return parse(answer)["url"]
