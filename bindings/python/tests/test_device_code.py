"""Device-code sign-in: approved through the emulator's admin path, declined, cancelled, expired."""

from __future__ import annotations

import threading
import time
from typing import Iterator

import pytest

import partnercenter
from conftest import CLIENT_ID, TENANT, Emulator


def start(emulator: Emulator) -> partnercenter.DeviceCodeSignIn:
    return partnercenter.DeviceCodeSignIn.start(
        tenant=TENANT, client_id=CLIENT_ID, base_url=emulator.base_url, authority=emulator.base_url
    )


def later(seconds: float, action) -> threading.Thread:
    def run() -> None:
        time.sleep(seconds)
        action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_approved(emulator: Emulator) -> None:
    with start(emulator) as sign_in:
        assert sign_in.user_code and sign_in.user_code in sign_in.message
        assert sign_in.verification_uri and sign_in.verification_uri in sign_in.message
        assert sign_in.interval == 1
        assert sign_in.user_code in repr(sign_in)
        later(0.5, lambda: emulator.admin("POST", "/_emulator/device/approve", {"userCode": sign_in.user_code}))
        started = time.monotonic()
        client = sign_in.wait()
        assert time.monotonic() - started < 20
    with client:
        assert client.info().credential_kind == "refresh_token"
        assert client.refresh_token
        assert client.new_relationship_request().url.startswith("https://")
    assert sign_in.closed


def test_declined(emulator: Emulator) -> None:
    with start(emulator) as sign_in:
        later(0.5, lambda: emulator.admin("POST", "/_emulator/device/decline", {"userCode": sign_in.user_code}))
        with pytest.raises(partnercenter.DeviceCodeDeclinedError) as caught:
            sign_in.wait()
    assert isinstance(caught.value, partnercenter.AuthenticationError)


def test_cancelled_from_another_thread(emulator: Emulator) -> None:
    with start(emulator) as sign_in:
        later(0.5, sign_in.cancel)
        started = time.monotonic()
        with pytest.raises(partnercenter.CancelledError):
            sign_in.wait()
        assert time.monotonic() - started < 10


def test_close_cancels_a_wait_in_progress(emulator: Emulator) -> None:
    sign_in = start(emulator)
    finalizer = sign_in._handle.finalizer
    outcome: list = []
    waiter = threading.Thread(target=lambda: outcome.append(_capture(sign_in.wait)))
    waiter.start()
    time.sleep(0.5)
    sign_in.close()  # cancels, waits for wait() to return, then frees
    waiter.join(10)
    assert not waiter.is_alive()
    assert isinstance(outcome[0], partnercenter.CancelledError)
    assert not finalizer.alive
    with pytest.raises(partnercenter.ClosedError):
        sign_in.wait()
    sign_in.cancel()  # a no-op once closed
    sign_in.close()


def test_garbage_collection_frees_the_flow(emulator: Emulator) -> None:
    import gc

    sign_in = start(emulator)
    finalizer = sign_in._handle.finalizer
    del sign_in
    gc.collect()
    assert not finalizer.alive


def test_it_cannot_be_constructed_directly() -> None:
    with pytest.raises(TypeError):
        partnercenter.DeviceCodeSignIn()


@pytest.fixture
def short_lived_codes() -> Iterator[Emulator]:
    server = Emulator("--device-code-lifetime", "2")
    try:
        yield server
    finally:
        server.stop()


def test_expired(short_lived_codes: Emulator) -> None:
    with start(short_lived_codes) as sign_in:
        started = time.monotonic()
        with pytest.raises(partnercenter.DeviceCodeExpiredError):
            sign_in.wait()
        assert time.monotonic() - started < 20


def _capture(call):
    try:
        return call()
    except BaseException as error:
        return error
