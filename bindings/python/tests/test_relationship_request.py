"""The link: the relationship request, sign-in, info and refresh-token rotation."""

from __future__ import annotations

import dataclasses
import re
import uuid

import pytest

import partnercenter
from conftest import PARTNER_ID, REFRESH_TOKEN, TENANT, Emulator

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_new_relationship_request(client: partnercenter.Client, emulator: Emulator) -> None:
    request = client.new_relationship_request()
    assert isinstance(request, partnercenter.RelationshipRequest)
    assert request.url.startswith("https://")
    assert PARTNER_ID in request.url
    assert request.object_type in ("CustomerRelationshipRequest", "RelationshipRequest")
    assert request.attributes["objectType"] == request.object_type
    assert GUID.match(request.request_id or "")
    assert request.correlation_id == client.info().correlation_id
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.url = "https://example.com"  # type: ignore[misc]
    with pytest.raises(TypeError):
        request.attributes["objectType"] = "x"  # type: ignore[index]
    # What went on the wire: the ids we were given back, and no secret in the request log.
    sent = [r for r in emulator.requests() if r["path"] == "/v1/customers/relationshiprequests"]
    assert len(sent) == 1
    headers = dict(sent[0]["headers"])
    assert headers["ms-requestid"] == request.request_id
    assert headers["ms-correlationid"] == request.correlation_id


def test_the_link_is_the_same_for_every_call(client: partnercenter.Client) -> None:
    assert client.new_relationship_request().url == client.new_relationship_request().url


def test_options_reach_the_wire(make_client, emulator: Emulator) -> None:
    correlation = str(uuid.uuid4())
    client = make_client(correlation_id=correlation, locale="fr-FR", application_name="python-tests")
    request = client.new_relationship_request()
    assert request.correlation_id == correlation
    sent = [r for r in emulator.requests() if r["path"] == "/v1/customers/relationshiprequests"]
    headers = dict(sent[0]["headers"])
    assert headers["x-locale"] == "fr-FR"
    assert headers["ms-partnercenter-application"] == "python-tests"


def test_from_options_takes_a_mapping(emulator: Emulator) -> None:
    with partnercenter.Client.from_options(emulator.client_options(timeout_ms=20000, max_retries=1)) as client:
        assert client.new_relationship_request().url.startswith("https://")


def test_sign_in_and_info(client: partnercenter.Client) -> None:
    before = client.info()
    assert before.credential_kind == "refresh_token"
    assert before.tenant == TENANT
    assert before.token_expires_in_seconds is None
    info = client.sign_in()
    assert isinstance(info, partnercenter.ClientInfo)
    assert info.token_expires_in_seconds and info.token_expires_in_seconds > 0
    assert client.info().token_expires_in_seconds


def test_refresh_token_rotation(make_client) -> None:
    client = make_client()
    assert client.refresh_token == REFRESH_TOKEN  # nothing rotated before sign-in
    client.sign_in()
    rotated = client.refresh_token
    assert rotated and rotated != REFRESH_TOKEN
    # The rotated token is the one to persist: a new client signs in with it.
    successor = make_client(refresh_token=rotated)
    assert successor.new_relationship_request().url.startswith("https://")


def test_refresh_token_is_none_without_refresh_token_credentials(make_client) -> None:
    app_only = make_client(refresh_token=None, client_secret="emulator-client-secret")
    assert app_only.info().credential_kind == "app_only"
    assert app_only.refresh_token is None


def test_a_token_invalidated_by_the_service_is_not_a_crash(client: partnercenter.Client, emulator: Emulator) -> None:
    client.sign_in()
    emulator.admin("POST", "/_emulator/tokens/invalidate")
    try:
        client.new_relationship_request()  # the library may sign in again, or report the 401
    except partnercenter.AuthenticationError as error:
        assert error.http_status == 401
