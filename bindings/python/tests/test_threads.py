"""One client shared by threads; the GIL released during native calls."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import partnercenter
from conftest import Emulator

API = "/v1/customers/relationshiprequests"


def test_eight_threads_share_one_client(client: partnercenter.Client, emulator: Emulator) -> None:
    barrier = threading.Barrier(8, timeout=30)

    def work(_: int) -> list:
        barrier.wait()
        return [client.new_relationship_request() for _ in range(5)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [r for batch in pool.map(work, range(8), timeout=60) for r in batch]
    assert len(results) == 40
    assert len({r.url for r in results}) == 1
    assert len({r.request_id for r in results}) == 40  # a new MS-RequestId per call
    token_requests = [r for r in emulator.requests() if r["path"].endswith("/oauth2/v2.0/token")]
    assert 1 <= len(token_requests) <= 8  # the token cache is shared


def test_the_gil_is_released_during_native_calls(client: partnercenter.Client, emulator: Emulator) -> None:
    client.sign_in()
    emulator.fault(method="GET", path=API, delayMs=1000, count=0)

    # Python keeps running while a call blocks in the library…
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        client.new_relationship_request()
    finally:
        done.set()
        counter.join(10)
    assert ticks > 100

    # …and eight blocking calls overlap instead of queueing behind the GIL.
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: client.new_relationship_request(), range(8), timeout=60))
    assert time.monotonic() - started < 4, "the calls ran one after another"
