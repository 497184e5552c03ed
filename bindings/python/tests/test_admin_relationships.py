"""GDAP admin relationships through the emulator's Microsoft Graph: the whole flow (create and
lock, the customer approving, wait, assign a group, list assignments, terminate), listing with a
status filter over several pages, and the refusals."""

from __future__ import annotations

import copy
import gc
import json
import threading
import time
import urllib.request
import uuid
from datetime import timedelta
from typing import Any, Dict, List

import pytest

import partnercenter
from conftest import Emulator

GRAPH_PATH = "/v1.0/tenantRelationships/delegatedAdminRelationships"
DIRECTORY_READERS = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1"
APPROVAL_PREFIX = "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/"
GROUP_ID = "6f1e2d3c-4b5a-4978-8675-a4b3c2d1e0f9"


def _name(prefix: str = "py") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _approve(emulator: Emulator, relationship_id: str) -> Dict[str, Any]:
    """Plays the customer approving, with a plain HTTP POST to the emulator's control path."""
    request = urllib.request.Request(
        f"{emulator.base_url}/_emulator/admin-relationships/{relationship_id}/approve",
        data=b"{}",
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        approved: Dict[str, Any] = json.loads(answer.read().decode())
    return approved


def _graph_requests(emulator: Emulator, method: str) -> List[Dict[str, Any]]:
    return [r for r in emulator.requests() if r["method"] == method and r["path"].startswith(GRAPH_PATH)]


def test_the_whole_flow(client: partnercenter.Client, emulator: Emulator) -> None:
    customer = str(uuid.uuid4())
    name = _name("flow")
    created = client.create_admin_relationship(
        name, "P730D", ["Directory Readers", USER_ADMINISTRATOR], customer_tenant_id=customer
    )
    assert isinstance(created, partnercenter.AdminRelationship)
    assert created.id and created.display_name == name
    assert created.status == "approvalPending"  # locked for approval by default
    assert created.duration == "P730D"
    assert created.customer_tenant_id == customer
    assert created.role_ids == (DIRECTORY_READERS, USER_ADMINISTRATOR)
    assert created.approval_url == APPROVAL_PREFIX + created.id
    assert created.raw["approvalUrl"] == created.approval_url and created.raw["@odata.etag"] == created.etag
    assert created.auto_extend_duration == "PT0S" and not created.is_active and not created.is_final
    assert created.created is not None and created.activated is None
    with pytest.raises(TypeError):
        created.raw["id"] = "x"  # type: ignore[index]

    fetched = client.get_admin_relationship(created.id)
    assert (fetched.id, fetched.status, fetched.role_ids) == (created.id, "approvalPending", created.role_ids)

    # Not active yet: Graph refuses an assignment.
    with pytest.raises(partnercenter.ConflictError) as caught:
        client.assign_admin_relationship_access(created.id, GROUP_ID, ["Directory Readers"])
    assert caught.value.service_code == "relationshipNotActive" and caught.value.http_status == 409

    assert _approve(emulator, created.id)["id"] == created.id
    started = time.monotonic()
    active = client.wait_for_admin_relationship(created.id, timeout=20, poll_interval=0.2)
    assert time.monotonic() - started < 15
    assert active.status == "active" and active.is_active and active.id == created.id
    assert active.activated is not None and active.ends is not None
    assert active.ends - active.activated == timedelta(days=730)

    assignment = client.assign_admin_relationship_access(created.id, GROUP_ID, ["directory readers"])
    assert isinstance(assignment, partnercenter.AccessAssignment)
    assert assignment.id and assignment.status in ("pending", "active")
    assert assignment.group_id == GROUP_ID and assignment.role_ids == (DIRECTORY_READERS,)
    assert assignment.raw["accessContainer"]["accessContainerType"] == "securityGroup"

    assignments = client.admin_relationship_access_assignments(created.id)
    assert [a.id for a in assignments] == [assignment.id]
    assert assignments[0].group_id == GROUP_ID and assignments[0].role_ids == (DIRECTORY_READERS,)

    ended = client.terminate_admin_relationship(created.id)
    assert ended.id == created.id
    assert ended.status in ("terminationRequested", "terminating", "terminated")
    with pytest.raises(partnercenter.ConflictError) as caught:
        client.wait_for_admin_relationship(created.id, timeout=20, poll_interval=0.2)
    assert caught.value.http_status is None or caught.value.http_status == 409
    assert "terminated" in caught.value.message
    assert client.get_admin_relationship(created.id).is_final


def test_a_draft_is_locked_later(client: partnercenter.Client) -> None:
    draft = client.create_admin_relationship(
        _name("draft"), timedelta(days=90), "Global Reader", lock_for_approval=False
    )
    assert draft.status == "created" and draft.duration == "P90D"
    assert draft.customer_tenant_id is None
    locked = client.lock_admin_relationship(draft.id)
    assert locked.status == "approvalPending" and locked.approval_url.endswith(draft.id)
    with pytest.raises(partnercenter.ConflictError) as caught:
        client.lock_admin_relationship(draft.id)
    assert caught.value.service_code == "invalidStatusTransition"
    # Not active, so it cannot be terminated either.
    with pytest.raises(partnercenter.ConflictError):
        client.terminate_admin_relationship(draft.id)


def test_listing_with_a_status_filter_over_several_pages(client: partnercenter.Client, emulator: Emulator) -> None:
    drafts = {
        client.create_admin_relationship(_name("d"), "P30D", [DIRECTORY_READERS], lock_for_approval=False).id
        for _ in range(120)
    }
    locked = {client.create_admin_relationship(_name("l"), "P30D", [DIRECTORY_READERS]).id for _ in range(3)}
    assert len(drafts) == 120

    emulator.admin("DELETE", "/_emulator/requests")
    with client.admin_relationships(status="created", page_size=50) as listing:
        pages = list(listing.pages())
        assert listing.next_page() is None  # complete, and stays so
        assert "complete" in repr(listing)
    assert [len(page) for page in pages] == [50, 50, 20]
    listed = [relationship for page in pages for relationship in page]
    assert {r.id for r in listed} == drafts
    assert all(isinstance(r, partnercenter.AdminRelationship) and r.status == "created" for r in listed)
    gets = _graph_requests(emulator, "GET")
    assert len(gets) == 3, gets
    assert "status eq 'created'" in urllib.request.unquote(gets[0]["query"] or "").replace("+", " ")

    pending = list(client.admin_relationships(status="approvalPending"))
    assert {r.id for r in pending} == locked
    assert len(list(client.admin_relationships(page_size=300))) == 123


def test_listing_by_customer(client: partnercenter.Client) -> None:
    customer = str(uuid.uuid4())
    mine = client.create_admin_relationship(_name("c"), "P1D", [DIRECTORY_READERS], customer_tenant_id=customer)
    client.create_admin_relationship(_name("o"), "P1D", [DIRECTORY_READERS], customer_tenant_id=str(uuid.uuid4()))
    assert [r.id for r in client.admin_relationships(customer_tenant_id=customer)] == [mine.id]


@pytest.mark.parametrize(
    "query",
    [{"page_size": 0}, {"page_size": 301}, {"status": "active or 1 eq 1"}, {"customer_tenant_id": "not-a-guid"}],
)
def test_a_bad_listing_query_is_an_invalid_argument(client: partnercenter.Client, query: Dict[str, Any]) -> None:
    with pytest.raises(partnercenter.InvalidArgumentError):
        list(client.admin_relationships(**query))


def test_a_listing_is_freed_on_close_and_by_the_collector(client: partnercenter.Client) -> None:
    for _ in range(3):
        client.create_admin_relationship(_name("g"), "P1D", [DIRECTORY_READERS], lock_for_approval=False)
    listing = client.admin_relationships(page_size=1)
    assert isinstance(listing, partnercenter.AdminRelationshipPages)
    finalizer = listing._handle.finalizer
    listing.close()
    assert not finalizer.alive and listing.closed and "closed" in repr(listing)
    with pytest.raises(partnercenter.ClosedError):
        listing.next_page()
    listing.close()

    abandoned = client.admin_relationships(page_size=1)
    assert len(next(abandoned.pages())) == 1  # stopped early
    finalizer = abandoned._handle.finalizer
    del abandoned
    gc.collect()
    assert not finalizer.alive

    outliving = client.admin_relationships(page_size=2)
    client.close()
    assert len(list(outliving)) == 3
    with pytest.raises(TypeError):
        copy.copy(outliving)
    with pytest.raises(TypeError):
        partnercenter.AdminRelationshipPages()


def test_a_duplicate_name_is_a_conflict(client: partnercenter.Client) -> None:
    name = _name("dup")
    client.create_admin_relationship(name, "P30D", [DIRECTORY_READERS])
    with pytest.raises(partnercenter.ConflictError) as caught:
        client.create_admin_relationship(name.upper(), "P30D", [DIRECTORY_READERS])  # case-insensitive
    error = caught.value
    assert error.http_status == 409
    assert error.service_code == "duplicateDisplayName"
    assert error.status_name == "PC_ERR_CONFLICT"
    assert error.request_id


@pytest.mark.parametrize("duration", ["P731D", "P3Y", "30 days", "PT1H", "P0D"])
def test_a_bad_duration_is_refused_by_graph(client: partnercenter.Client, duration: str) -> None:
    with pytest.raises(partnercenter.BadRequestError) as caught:
        client.create_admin_relationship(_name("dur"), duration, [DIRECTORY_READERS])
    assert caught.value.http_status == 400 and caught.value.service_code == "invalidDuration"
    assert caught.value.request_id


def test_a_duration_as_a_timedelta_must_be_whole_days(client: partnercenter.Client, emulator: Emulator) -> None:
    emulator.admin("DELETE", "/_emulator/requests")
    for bad in (timedelta(hours=36), timedelta(0), timedelta(days=-1)):
        with pytest.raises(partnercenter.InvalidArgumentError):
            client.create_admin_relationship(_name("td"), bad, [DIRECTORY_READERS])
    with pytest.raises(TypeError):
        client.create_admin_relationship(_name("td"), 730, [DIRECTORY_READERS])  # type: ignore[arg-type]
    assert _graph_requests(emulator, "POST") == []


def test_an_unknown_role_sends_no_request(client: partnercenter.Client, emulator: Emulator) -> None:
    emulator.admin("DELETE", "/_emulator/requests")
    with pytest.raises(partnercenter.InvalidArgumentError) as caught:
        client.create_admin_relationship(_name("role"), "P30D", ["Directory Reader"])
    error = caught.value
    assert error.status_name == "PC_ERR_INVALID_ARGUMENT" and error.http_status is None
    assert "Directory Reader" in error.message and "Directory Readers" in error.message  # a near name
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.create_admin_relationship(_name("role"), "P30D", [])
    with pytest.raises(TypeError):
        client.create_admin_relationship(_name("role"), "P30D", [42])  # type: ignore[list-item]
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.create_admin_relationship(_name("role"), "P30D", [DIRECTORY_READERS], customer_tenant_id="contoso")
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.create_admin_relationship(_name("role"), "P30D", ["Global Administrator"], auto_extend=True)
    assert _graph_requests(emulator, "POST") == []
    assert [r for r in emulator.requests() if r["path"].startswith("/v1.0")] == []


def test_an_unknown_role_of_an_assignment_sends_no_request(client: partnercenter.Client, emulator: Emulator) -> None:
    relationship = client.create_admin_relationship(_name("ar"), "P30D", [DIRECTORY_READERS])
    emulator.admin("DELETE", "/_emulator/requests")
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.assign_admin_relationship_access(relationship.id, GROUP_ID, ["No Such Role"])
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.assign_admin_relationship_access(relationship.id, "not-a-guid", [DIRECTORY_READERS])
    assert _graph_requests(emulator, "POST") == []


@pytest.mark.parametrize("bad_id", ["not an id", "../../me", "a/b", "x?y=1", ""])
def test_an_invalid_id_sends_no_request(client: partnercenter.Client, emulator: Emulator, bad_id: str) -> None:
    emulator.admin("DELETE", "/_emulator/requests")
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.get_admin_relationship(bad_id)
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.terminate_admin_relationship(bad_id)
    assert [r for r in emulator.requests() if r["path"].startswith("/v1.0")] == []


def test_ids_that_c_cannot_carry_are_refused(client: partnercenter.Client) -> None:
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.get_admin_relationship("abc\0def")
    with pytest.raises(TypeError):
        client.get_admin_relationship(42)  # type: ignore[arg-type]


def test_an_unknown_id_is_not_found(client: partnercenter.Client) -> None:
    unknown = f"{uuid.uuid4()}-{uuid.uuid4()}"
    for call in (
        client.get_admin_relationship,
        client.lock_admin_relationship,
        client.admin_relationship_access_assignments,
    ):
        with pytest.raises(partnercenter.NotFoundError) as caught:
            call(unknown)
        assert caught.value.http_status == 404
        assert caught.value.service_code == "ResourceNotFound"
        assert caught.value.request_id


def test_waiting_past_the_timeout(client: partnercenter.Client) -> None:
    relationship = client.create_admin_relationship(_name("wait"), "P30D", [DIRECTORY_READERS])
    started = time.monotonic()
    with pytest.raises(partnercenter.PartnerCenterTimeoutError) as caught:
        client.wait_for_admin_relationship(relationship.id, timeout=1, poll_interval=0.2)
    assert time.monotonic() - started < 10
    assert "approvalPending" in caught.value.message
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.wait_for_admin_relationship(relationship.id, timeout=-1)


def test_waiting_for_an_expired_relationship_is_a_conflict(client: partnercenter.Client, emulator: Emulator) -> None:
    relationship = client.create_admin_relationship(_name("exp"), "P30D", [DIRECTORY_READERS])
    emulator.admin("POST", f"/_emulator/admin-relationships/{relationship.id}/expire")
    with pytest.raises(partnercenter.ConflictError) as caught:
        client.wait_for_admin_relationship(relationship.id, timeout=10, poll_interval=0.2)
    assert "expired" in caught.value.message


def test_cancel_ends_a_wait_from_another_thread(client: partnercenter.Client) -> None:
    relationship = client.create_admin_relationship(_name("cancel"), "P30D", [DIRECTORY_READERS])
    done = threading.Event()

    def cancel_until_done() -> None:
        time.sleep(0.3)
        while not done.is_set():
            client.cancel()
            done.wait(0.05)

    canceller = threading.Thread(target=cancel_until_done, daemon=True)
    canceller.start()
    started = time.monotonic()
    try:
        with pytest.raises(partnercenter.CancelledError):
            client.wait_for_admin_relationship(relationship.id, timeout=60, poll_interval=5)
    finally:
        done.set()
        canceller.join()
    assert time.monotonic() - started < 4, "ended by the cancel, not by a poll or the timeout"
    assert client.get_admin_relationship(relationship.id).status == "approvalPending"


def test_the_client_option_names_where_graph_is(make_client, emulator: Emulator) -> None:
    assert make_client().info().graph_base_url == emulator.base_url + "/v1.0"
    public = make_client(graph_base_url=None)
    assert public.info().graph_base_url == "https://graph.microsoft.com/v1.0"
    # Beside the emulator's Partner Center, the public Graph is refused and nothing is sent.
    before = len(emulator.requests())
    with pytest.raises(partnercenter.InvalidArgumentError, match="graph_base_url"):
        public.get_admin_relationship(f"{uuid.uuid4()}-{uuid.uuid4()}")
    assert len(emulator.requests()) == before
    with pytest.raises(partnercenter.InsecureUrlError):
        make_client(graph_base_url="http://graph.example.com/v1.0")
    # Without the option the client goes to the real Graph; pointed at the emulator's Partner
    # Center root instead, Graph's path is not there.
    elsewhere = make_client(graph_base_url=emulator.base_url + "/nowhere", max_retries=0)
    with pytest.raises(partnercenter.PartnerCenterError):
        elsewhere.get_admin_relationship(f"{uuid.uuid4()}-{uuid.uuid4()}")
