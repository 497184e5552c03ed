"""Each error kind, as raised by the package, with the detail the library knew."""

from __future__ import annotations

import pickle
import time

import pytest

import partnercenter
from conftest import CLIENT_SECRET, Emulator
from partnercenter import _native

API = "/v1/customers/relationshiprequests"


def test_app_only_credentials_are_forbidden(make_client) -> None:
    client = make_client(refresh_token=None, client_secret=CLIENT_SECRET)
    with pytest.raises(partnercenter.ForbiddenError) as caught:
        client.new_relationship_request()
    error = caught.value
    assert "App+User" in error.message
    assert error.status == 201 and error.status_name == "PC_ERR_FORBIDDEN"
    assert error.http_status == 403
    assert error.request_id and error.correlation_id == client.info().correlation_id
    assert CLIENT_SECRET not in str(error) and CLIENT_SECRET not in repr(error)


def test_a_bad_refresh_token_is_an_authentication_error_with_the_aadsts_code(make_client) -> None:
    secret = "not-a-valid-refresh-token-7d1c"
    client = make_client(refresh_token=secret)
    with pytest.raises(partnercenter.AuthenticationError) as caught:
        client.sign_in()
    error = caught.value
    assert (error.service_code or "").startswith("AADSTS"), repr(error)
    assert error.status_name == "PC_ERR_AUTHENTICATION"
    assert secret not in str(error) and secret not in repr(error)
    # The same on the first real call (sign-in is lazy).
    with pytest.raises(partnercenter.AuthenticationError):
        client.new_relationship_request()


def test_an_unknown_option_is_named_without_its_value() -> None:
    value = "s3cret-value-that-must-not-leak"
    with pytest.raises(partnercenter.InvalidArgumentError) as caught:
        partnercenter.Client.from_options({"tenant": "t", "client_id": "c", "refresh_tokn": value})
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.status_name == "PC_ERR_INVALID_OPTIONS"
    assert "refresh_tokn" in error.message
    assert value not in str(error) and value not in repr(error)


def test_an_option_of_the_wrong_type_is_an_invalid_argument(emulator: Emulator) -> None:
    with pytest.raises(partnercenter.InvalidArgumentError) as caught:
        partnercenter.Client.from_options(emulator.client_options(timeout_ms="soon"))
    assert "timeout_ms" in caught.value.message


def test_missing_credentials_are_an_invalid_argument() -> None:
    with pytest.raises(partnercenter.InvalidArgumentError):
        partnercenter.Client(tenant="contoso.onmicrosoft.com")


def test_an_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        partnercenter.Client(tenant="t", client_id="c", refresh_tokn="x")  # type: ignore[call-arg]


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(partnercenter.InsecureUrlError) as caught:
        partnercenter.Client(tenant="t", client_id="c", refresh_token="r", base_url="http://api.example.com")
    assert isinstance(caught.value, partnercenter.InvalidArgumentError)
    assert caught.value.status_name == "PC_ERR_INSECURE_URL"
    assert "base_url" in caught.value.message


def test_a_service_failing_past_the_retries_is_a_service_error(make_client, emulator: Emulator) -> None:
    emulator.fault(method="GET", path=API, status=500, count=0)
    client = make_client(max_retries=1)
    with pytest.raises(partnercenter.ServiceError) as caught:
        client.new_relationship_request()
    error = caught.value
    assert error.http_status == 500
    assert error.request_id
    assert error.correlation_id == client.info().correlation_id
    attempts = [r for r in emulator.requests() if r["path"] == API]
    assert len(attempts) == 2  # the first try and one retry


def test_throttling_within_the_budget_is_waited_out(client: partnercenter.Client, emulator: Emulator) -> None:
    emulator.fault(method="GET", path=API, status=429, retryAfter=1, count=1)
    started = time.monotonic()
    request = client.new_relationship_request()
    assert request.url.startswith("https://")
    assert time.monotonic() - started >= 0.9  # the Retry-After was honoured


def test_throttling_beyond_max_retry_after_is_a_throttled_error(make_client, emulator: Emulator) -> None:
    emulator.fault(method="GET", path=API, status=429, retryAfter=120, count=0)
    client = make_client(max_retry_after_ms=2000)
    started = time.monotonic()
    with pytest.raises(partnercenter.ThrottledError) as caught:
        client.new_relationship_request()
    assert time.monotonic() - started < 30
    error = caught.value
    assert error.retry_after == 120
    assert error.http_status == 429


def test_a_stalled_answer_is_a_timeout(make_client, emulator: Emulator) -> None:
    client = make_client(timeout_ms=1500, attempt_timeout_ms=1000, max_retries=1)
    client.sign_in()
    emulator.fault(method="GET", path=API, stallMs=10000, count=0)
    started = time.monotonic()
    with pytest.raises(partnercenter.PartnerCenterTimeoutError) as caught:
        client.new_relationship_request()
    assert time.monotonic() - started < 8
    assert isinstance(caught.value, TimeoutError)
    assert caught.value.status_name == "PC_ERR_TIMEOUT"


def test_a_malformed_answer_is_a_bad_response(client: partnercenter.Client, emulator: Emulator) -> None:
    emulator.fault(method="GET", path=API, malformed=True, count=0)
    with pytest.raises(partnercenter.BadResponseError) as caught:
        client.new_relationship_request()
    assert caught.value.status_name == "PC_ERR_BAD_RESPONSE"


def test_an_oversized_answer_is_refused(make_client, emulator: Emulator) -> None:
    emulator.fault(method="GET", path=API, oversizedBytes=1_000_000, count=0)
    client = make_client(max_response_bytes=64 * 1024)
    with pytest.raises(partnercenter.ResponseTooLargeError):
        client.new_relationship_request()


def test_a_reset_connection_is_a_network_error(make_client, emulator: Emulator) -> None:
    client = make_client(max_retries=1)
    client.sign_in()
    emulator.fault(method="GET", path=API, reset=True, count=0)
    with pytest.raises(partnercenter.NetworkError) as caught:
        client.new_relationship_request()
    assert isinstance(caught.value, ConnectionError)


@pytest.mark.parametrize(
    "status, error_class",
    [
        (400, partnercenter.BadRequestError),
        (404, partnercenter.NotFoundError),
        (409, partnercenter.ConflictError),
    ],
)
def test_service_statuses_map_to_their_class(make_client, emulator: Emulator, status: int, error_class: type) -> None:
    emulator.fault(method="GET", path=API, status=status, count=0)
    with pytest.raises(error_class) as caught:
        make_client().new_relationship_request()
    assert caught.value.http_status == status
    assert caught.value.request_id


def test_nothing_listening_is_a_network_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    client = partnercenter.Client(
        base_url=url, authority=url, tenant="t", client_id="c", refresh_token="r", max_retries=0, timeout_ms=5000
    )
    with client, pytest.raises(partnercenter.NetworkError):
        client.sign_in()


def test_a_caught_panic_is_an_internal_error() -> None:
    lib = _native.library()
    if not lib.has_test_exports:
        pytest.skip("the library was built without the test-exports feature")
    with pytest.raises(partnercenter.InternalError) as caught:
        lib.check(lib.pc_test_panic())
    assert caught.value.status_name == "PC_ERR_PANIC"


def test_errors_survive_pickling(make_client) -> None:
    client = make_client(refresh_token=None, client_secret=CLIENT_SECRET)
    with pytest.raises(partnercenter.ForbiddenError) as caught:
        client.new_relationship_request()
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is partnercenter.ForbiddenError
    assert (copy.message, copy.request_id, copy.http_status) == (
        caught.value.message,
        caught.value.request_id,
        caught.value.http_status,
    )


def test_the_hierarchy() -> None:
    for name in partnercenter.errors.__all__:
        cls = getattr(partnercenter, name)
        if name not in ("ClosedError", "NativeLibraryError"):
            assert issubclass(cls, partnercenter.PartnerCenterError), name
    assert issubclass(partnercenter.DeviceCodeDeclinedError, partnercenter.AuthenticationError)
    assert issubclass(partnercenter.DeviceCodeExpiredError, partnercenter.AuthenticationError)
    assert issubclass(partnercenter.ClosedError, ValueError)
    assert issubclass(partnercenter.NativeLibraryError, OSError)
    assert partnercenter.PartnerCenterTimeoutError is not TimeoutError


def test_a_ca_certificate_that_is_not_pem_is_refused() -> None:
    with pytest.raises(partnercenter.InvalidArgumentError) as caught:
        partnercenter.Client(tenant="t", client_id="c", refresh_token="r", ca_certificate_pem="garbage")
    assert "ca_certificate_pem" in caught.value.message
