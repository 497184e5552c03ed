"""Fixtures: the emulator (one per session, started with --port 0, stopped at the end), its admin
API, and clients pointed at it.

The emulator binary is ``PARTNERCENTER_EMULATOR`` or ``<repo>/target/debug/partnercenter-emulator``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import partnercenter

REPO = Path(__file__).resolve().parents[3]

TENANT = "emulator.onmicrosoft.com"
CLIENT_ID = "00000000-0000-0000-0000-00000000e1e1"
CLIENT_SECRET = "emulator-client-secret"
REFRESH_TOKEN = "emulator-refresh-token"
PARTNER_ID = "e1e1e1e1-1111-4111-8111-00000000e1e1"
STARTUP_SECONDS = 30


def emulator_binary() -> Path:
    explicit = os.environ.get("PARTNERCENTER_EMULATOR")
    name = "partnercenter-emulator.exe" if sys.platform == "win32" else "partnercenter-emulator"
    path = Path(explicit) if explicit else REPO / "target" / "debug" / name
    if not path.is_file():
        pytest.exit(f"the emulator binary is missing: {path} (cargo build -p partnercenter-emulator)", 2)
    return path


class Emulator:
    """A running emulator process and its admin API."""

    def __init__(self, *extra_args: str) -> None:
        self.process = subprocess.Popen(
            [str(emulator_binary()), "--port", "0", "--device-code-interval", "1", "--exit-on-stdin-eof", *extra_args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        first_line: List[bytes] = []
        reader = threading.Thread(target=lambda: first_line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(STARTUP_SECONDS)
        line = first_line[0].decode().strip() if first_line else ""
        if not line.startswith("http"):
            self.stop()
            raise RuntimeError(f"the emulator did not print its base URL within {STARTUP_SECONDS} s (got {line!r})")
        self.base_url = line

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()  # --exit-on-stdin-eof
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout:
            self.process.stdout.close()

    def admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode() or "null"
        return json.loads(text)

    def fault(self, **rule: Any) -> None:
        """Adds a fault rule (camelCase keys, as the emulator takes them)."""
        self.admin("POST", "/_emulator/faults", rule)

    def requests(self) -> List[Dict[str, Any]]:
        return self.admin("GET", "/_emulator/requests")

    def client_options(self, **overrides: Any) -> Dict[str, Any]:
        options: Dict[str, Any] = dict(
            base_url=self.base_url,
            authority=self.base_url,
            graph_base_url=self.base_url + "/v1.0",
            tenant=TENANT,
            client_id=CLIENT_ID,
            refresh_token=REFRESH_TOKEN,
        )
        options.update(overrides)
        return {key: value for key, value in options.items() if value is not None}


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    server = Emulator()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _fresh_emulator(request: pytest.FixtureRequest) -> None:
    """Every test starts from a clean emulator: no faults, no tokens, no request log."""
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").admin("POST", "/_emulator/reset")


@pytest.fixture
def make_client(emulator: Emulator) -> Iterator[Callable[..., partnercenter.Client]]:
    """``make_client(**options)``: a client on the emulator (App+User by default; pass
    ``refresh_token=None`` to drop a default). Closed at the end of the test."""
    made: List[partnercenter.Client] = []

    def make(**overrides: Any) -> partnercenter.Client:
        client = partnercenter.Client(**emulator.client_options(**overrides))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., partnercenter.Client]) -> partnercenter.Client:
    """An App+User client on the emulator."""
    return make_client()
