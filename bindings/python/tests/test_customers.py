"""The customer operations: listing (paged, filtered), one customer, removing the relationship,
waiting for an invitation to be accepted, and the billing profile with its ETag."""

from __future__ import annotations

import _thread
import copy
import gc
import threading
import time
import uuid

import pytest

import partnercenter
from conftest import Emulator

SEEDED = 25  # the emulator's default --customers


def test_list_every_customer(client: partnercenter.Client) -> None:
    customers = list(client.customers())
    assert len(customers) == SEEDED
    assert len({c.id for c in customers}) == SEEDED
    first = customers[0]
    assert isinstance(first, partnercenter.Customer)
    assert first.id and first.tenant_id and first.domain and first.company_name
    assert first.relationship_to_partner == "reseller"
    assert first.raw["companyProfile"]["domain"] == first.domain
    with pytest.raises(TypeError):
        first.raw["id"] = "x"  # type: ignore[index]


def test_pages_follow_the_continuation(client: partnercenter.Client, emulator: Emulator) -> None:
    with client.customers(page_size=10) as listing:
        sizes = [len(page) for page in listing.pages()]
        assert listing.next_page() is None  # complete, and stays so
    assert sizes == [10, 10, 5]
    listed = [r for r in emulator.requests() if r["path"] == "/v1/customers"]
    assert len(listed) == 3


def test_filters(client: partnercenter.Client) -> None:
    sample = next(iter(client.customers()))
    prefix = sample.domain.split(".")[0][:8].upper()  # case-insensitive "starts with"
    by_domain = list(client.customers(domain=prefix))
    assert sample.id in {c.id for c in by_domain}
    assert all(c.domain.lower().startswith(prefix.lower()) for c in by_domain)
    by_name = list(client.customers(company_name=sample.company_name[:6]))
    assert sample.id in {c.id for c in by_name}


@pytest.mark.parametrize("query", [{"domain": "a", "company_name": "b"}, {"page_size": 0}, {"page_size": 501}])
def test_a_bad_query_is_an_invalid_argument(client: partnercenter.Client, query: dict) -> None:
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.customers(**query)


def test_a_listing_outlives_its_client(client: partnercenter.Client) -> None:
    listing = client.customers(page_size=5)
    client.close()
    assert len(list(listing)) == SEEDED
    listing.close()


def test_a_listing_is_freed_on_close_and_by_the_collector(client: partnercenter.Client) -> None:
    listing = client.customers()
    finalizer = listing._handle.finalizer
    listing.close()
    assert not finalizer.alive and listing.closed
    with pytest.raises(partnercenter.ClosedError):
        listing.next_page()
    listing.close()
    assert "closed" in repr(listing)

    abandoned = client.customers(page_size=5)
    assert len(abandoned.next_page() or []) == 5  # stopped early
    finalizer = abandoned._handle.finalizer
    del abandoned
    gc.collect()
    assert not finalizer.alive
    with pytest.raises(TypeError):
        copy.copy(client.customers())


def test_a_throttled_page_can_be_retried(make_client, emulator: Emulator) -> None:
    client = make_client(max_retry_after_ms=1000)
    listing = client.customers(page_size=10)
    assert len(listing.next_page() or []) == 10
    emulator.fault(method="GET", path="/v1/customers", status=429, retryAfter=30, count=0)
    with pytest.raises(partnercenter.ThrottledError) as caught:
        listing.next_page()
    assert caught.value.retry_after == 30
    emulator.admin("DELETE", "/_emulator/faults")
    assert [len(page) for page in listing.pages()] == [10, 5]


def test_get_customer(client: partnercenter.Client) -> None:
    listed = next(iter(client.customers()))
    customer = client.get_customer(listed.id)
    assert customer.id == listed.id and customer.domain == listed.domain
    assert customer.allow_delegated_access is not None
    assert customer.relationship_to_partner == listed.relationship_to_partner


def test_an_unknown_customer_is_not_found(client: partnercenter.Client) -> None:
    with pytest.raises(partnercenter.NotFoundError) as caught:
        client.get_customer(str(uuid.uuid4()))
    assert caught.value.http_status == 404 and caught.value.request_id


def test_customer_ids_that_c_cannot_carry_are_refused(client: partnercenter.Client) -> None:
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.get_customer("abc\0def")
    with pytest.raises(TypeError):
        client.get_customer(42)  # type: ignore[arg-type]


def test_remove_customer_relationship(client: partnercenter.Client) -> None:
    target = list(client.customers())[1]
    removed = client.remove_customer_relationship(target.id)
    assert removed.id == target.id
    assert removed.relationship_to_partner == "none"
    assert client.get_customer(target.id).relationship_to_partner == "none"


def test_wait_for_a_customer_to_accept(client: partnercenter.Client, emulator: Emulator) -> None:
    domain = f"newco{uuid.uuid4().hex[:8]}.onmicrosoft.com"
    emulator.admin("POST", "/_emulator/invitations/accept", {"domain": domain, "companyName": "NewCo", "delayMs": 1000})
    started = time.monotonic()
    customer = client.wait_for_customer(domain=domain, poll_interval_ms=200, timeout_ms=20000)
    assert time.monotonic() - started < 15
    assert customer.domain == domain and customer.relationship_to_partner == "reseller"
    assert client.wait_for_customer(tenant_id=customer.tenant_id, timeout_ms=5000).id == customer.id


def test_waiting_past_the_timeout(client: partnercenter.Client) -> None:
    started = time.monotonic()
    with pytest.raises(partnercenter.PartnerCenterTimeoutError):
        client.wait_for_customer(domain="never.onmicrosoft.com", timeout_ms=1000, poll_interval_ms=200)
    assert time.monotonic() - started < 10
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.wait_for_customer()


def _cancel_until(client: partnercenter.Client, done: threading.Event) -> threading.Thread:
    """Cancels every 50 ms from 300 ms on until ``done``: a cancel only reaches a call already
    inside the library, and on a loaded machine the wait may get there late."""

    def run() -> None:
        time.sleep(0.3)
        while not done.is_set():
            client.cancel()
            done.wait(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_cancel_ends_a_wait_from_another_thread(client: partnercenter.Client) -> None:
    client.cancel()  # nothing in flight: no effect on what follows
    done = threading.Event()
    canceller = _cancel_until(client, done)
    started = time.monotonic()
    try:
        with pytest.raises(partnercenter.CancelledError):
            client.wait_for_customer(domain="never.onmicrosoft.com", timeout_ms=60000, poll_interval_ms=5000)
    finally:
        done.set()
        canceller.join()
    assert time.monotonic() - started < 4, "ended by the cancel, not by a poll or the timeout"
    assert client.new_relationship_request().url


def test_ctrl_c_cancels_a_wait(client: partnercenter.Client) -> None:
    threading.Timer(0.3, _thread.interrupt_main).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.wait_for_customer(domain="never.onmicrosoft.com", timeout_ms=60000, poll_interval_ms=5000)
    assert time.monotonic() - started < 4
    assert client.new_relationship_request().url


def test_cancel_reaches_a_wait_while_close_waits_for_it(client: partnercenter.Client) -> None:
    errors: list = []

    def wait() -> None:
        try:
            client.wait_for_customer(domain="never.onmicrosoft.com", timeout_ms=60000, poll_interval_ms=5000)
        except partnercenter.PartnerCenterError as error:
            errors.append(error)

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.3)
    closer = threading.Thread(target=client.close)
    closer.start()  # waits for the wait...
    time.sleep(0.2)
    started = time.monotonic()
    done = threading.Event()
    canceller = _cancel_until(client, done)  # ...which a cancel still reaches
    waiter.join(10)
    closer.join(10)
    done.set()
    canceller.join()
    assert not waiter.is_alive() and not closer.is_alive()
    assert time.monotonic() - started < 4, "close did not wait for the wait's timeout"
    assert len(errors) == 1 and isinstance(errors[0], partnercenter.CancelledError)
    assert client.closed


def test_billing_profile_round_trip_with_its_etag(client: partnercenter.Client) -> None:
    customer_id = next(iter(client.customers())).id
    profile = client.get_billing_profile(customer_id)
    stale = copy.deepcopy(profile)
    etag = profile["attributes"]["etag"]
    assert profile["email"] and profile["defaultAddress"]["country"]

    profile["email"] = "billing@example.com"
    stored = client.update_billing_profile(customer_id, profile)
    assert stored["email"] == "billing@example.com"
    assert stored["attributes"]["etag"] != etag
    assert client.get_billing_profile(customer_id)["email"] == "billing@example.com"

    # A profile read before that change must not overwrite it.
    stale["firstName"] = "Overwriter"
    with pytest.raises(partnercenter.ConflictError) as caught:
        client.update_billing_profile(customer_id, stale)
    assert caught.value.http_status in (409, 412)
    assert client.get_billing_profile(customer_id)["firstName"] != "Overwriter"

    del stale["attributes"]["etag"]
    with pytest.raises(partnercenter.InvalidArgumentError):
        client.update_billing_profile(customer_id, stale)


def test_app_only_credentials_may_read_customers(make_client) -> None:
    client = make_client(refresh_token=None, client_secret="emulator-client-secret")
    assert len(list(client.customers(page_size=500))) == SEEDED
