"""Handles: freed on close and on garbage collection, never used after; no crash from misuse;
no secret in any repr."""

from __future__ import annotations

import copy
import gc
import pickle
import threading
import time

import pytest

import partnercenter
from conftest import CLIENT_SECRET, REFRESH_TOKEN, Emulator

API = "/v1/customers/relationshiprequests"


def test_close_frees_the_handle_once(client: partnercenter.Client) -> None:
    finalizer = client._handle.finalizer
    assert finalizer.alive and not client.closed
    client.close()
    assert not finalizer.alive
    assert client._handle is None and client.closed
    client.close()  # idempotent


def test_the_context_manager_closes(emulator: Emulator) -> None:
    with partnercenter.Client(**emulator.client_options()) as client:
        finalizer = client._handle.finalizer
        client.new_relationship_request()
    assert not finalizer.alive and client.closed


def test_garbage_collection_frees_the_handle(emulator: Emulator) -> None:
    client = partnercenter.Client(**emulator.client_options())
    client.new_relationship_request()
    finalizer = client._handle.finalizer
    del client
    gc.collect()
    assert not finalizer.alive


def test_many_clients_left_to_the_collector(emulator: Emulator) -> None:
    finalizers = []
    for _ in range(200):
        finalizers.append(partnercenter.Client(**emulator.client_options())._handle.finalizer)
    gc.collect()
    assert not any(f.alive for f in finalizers)


def test_every_call_after_close_raises_and_nothing_crashes(client: partnercenter.Client) -> None:
    client.close()
    for call in (
        client.new_relationship_request,
        client.sign_in,
        client.info,
        lambda: client.refresh_token,
    ):
        with pytest.raises(partnercenter.ClosedError):
            call()
    with pytest.raises(ValueError):
        client.info()
    assert "closed" in repr(client)
    with client:  # entering a closed client is harmless; using it is not
        pass


def test_close_waits_for_calls_in_flight(client: partnercenter.Client, emulator: Emulator) -> None:
    client.sign_in()
    emulator.fault(method="GET", path=API, delayMs=700, count=0)
    outcomes = []

    def call() -> None:
        try:
            outcomes.append(client.new_relationship_request().url)
        except partnercenter.ClosedError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # the calls are in the library now
    client.close()  # must not free the client under them
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert len(outcomes) == 4
    assert all(isinstance(o, str) for o in outcomes), outcomes
    with pytest.raises(partnercenter.ClosedError):
        client.new_relationship_request()


def test_copying_or_pickling_a_client_is_refused(client: partnercenter.Client) -> None:
    for attempt in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(TypeError):
            attempt(client)
    assert client.new_relationship_request().url


def test_no_secret_in_any_repr(make_client) -> None:
    access = "a-secret-access-token-5e2f"
    clients = [
        make_client(),
        make_client(refresh_token=None, client_secret=CLIENT_SECRET),
        make_client(refresh_token=None, access_token=access),
        make_client(client_secret=CLIENT_SECRET),
    ]
    texts = []
    for client in clients:
        texts += [repr(client), str(client), repr(client.info())]
    signed_in = clients[0]
    signed_in.sign_in()
    rotated = signed_in.refresh_token
    texts += [repr(signed_in), repr(signed_in.info()), repr(signed_in.new_relationship_request())]
    for client in clients:
        client.close()
        texts.append(repr(client))
    joined = "\n".join(texts)
    for secret in (REFRESH_TOKEN, CLIENT_SECRET, access, rotated):
        assert secret and secret not in joined
    assert "emulator.onmicrosoft.com" in joined  # the repr says something useful
