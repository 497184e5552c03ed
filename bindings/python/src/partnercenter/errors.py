"""The exceptions of the package: one per native status, in a small hierarchy.

Every failure reported by the native library becomes a :class:`PartnerCenterError` subclass chosen
by its status (``PC_ERR_…``), carrying what the library knew: the HTTP status, the service's error
code, and the ``MS-RequestId`` / ``MS-CorrelationId`` a support ticket needs. Messages never
contain secrets (the library guarantees it; nothing is added here).

Some classes also derive from a built-in exception so that generic handlers work:
:class:`InvalidArgumentError` is a :class:`ValueError`, :class:`PartnerCenterTimeoutError` a
:class:`TimeoutError` and :class:`NetworkError` a :class:`ConnectionError`.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Type

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "BadResponseError",
    "CancelledError",
    "ClosedError",
    "ConflictError",
    "DeviceCodeDeclinedError",
    "DeviceCodeExpiredError",
    "ForbiddenError",
    "InsecureUrlError",
    "InternalError",
    "InvalidArgumentError",
    "NativeLibraryError",
    "NetworkError",
    "NotFoundError",
    "PartnerCenterError",
    "PartnerCenterTimeoutError",
    "ResponseTooLargeError",
    "ServiceError",
    "ThrottledError",
    "TlsError",
]


class PartnerCenterError(Exception):
    """A call into the native library failed.

    Attributes:
        status: the native status code (e.g. ``301``).
        status_name: its name (e.g. ``"PC_ERR_NOT_FOUND"``).
        kind: a short category from the library (e.g. ``"NotFound"``), or ``None``.
        message: what went wrong, without secrets.
        http_status: the HTTP status of the answer, when there was one.
        service_code: the service's error code (Partner Center's ``code``, Microsoft Graph's
            ``error.code`` or Entra ID's ``AADSTSnnnnn``), when it sent one.
        request_id: the ``MS-RequestId`` (Graph: ``request-id``) of the failed request, when known.
        correlation_id: the ``MS-CorrelationId`` of the failed request, when known.
        retry_after: seconds the service asked to wait (429/503), when it said.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        status_name: str = "",
        kind: Optional[str] = None,
        http_status: Optional[int] = None,
        service_code: Optional[str] = None,
        request_id: Optional[str] = None,
        correlation_id: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.status_name = status_name
        self.kind = kind
        self.http_status = http_status
        self.service_code = service_code
        self.request_id = request_id
        self.correlation_id = correlation_id
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [f"{self.message!r}", f"status_name={self.status_name!r}"]
        if self.http_status is not None:
            parts.append(f"http_status={self.http_status}")
        if self.service_code is not None:
            parts.append(f"service_code={self.service_code!r}")
        if self.request_id is not None:
            parts.append(f"request_id={self.request_id!r}")
        if self.correlation_id is not None:
            parts.append(f"correlation_id={self.correlation_id!r}")
        if self.retry_after is not None:
            parts.append(f"retry_after={self.retry_after!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def _fields(self) -> Dict[str, Any]:
        return {
            "status": self.status,
            "status_name": self.status_name,
            "kind": self.kind,
            "http_status": self.http_status,
            "service_code": self.service_code,
            "request_id": self.request_id,
            "correlation_id": self.correlation_id,
            "retry_after": self.retry_after,
        }

    def __reduce__(self) -> Any:
        # Keyword-only fields do not survive the default pickling of exceptions.
        return (_rebuild, (type(self), self.message, self._fields()))


def _rebuild(cls: Type[PartnerCenterError], message: str, fields: Dict[str, Any]) -> PartnerCenterError:
    return cls(message, **fields)


class InvalidArgumentError(PartnerCenterError, ValueError):
    """An argument or option was refused before anything was sent: a malformed or unknown option
    (the message names the key, never its value), a string that is not UTF-8, or a value the
    operation cannot use."""


class InsecureUrlError(InvalidArgumentError):
    """A ``base_url`` or ``authority`` used plain ``http://`` for a host that is not loopback."""


class AuthenticationError(PartnerCenterError):
    """Sign-in failed, or Partner Center refused the token (401). ``service_code`` carries the
    Entra ID ``AADSTS…`` code when there is one."""


class ForbiddenError(PartnerCenterError):
    """Partner Center refused the operation for these credentials (403), e.g. an app-only client
    on an operation that needs App+User credentials."""


class DeviceCodeDeclinedError(AuthenticationError):
    """The user declined the device-code sign-in."""


class DeviceCodeExpiredError(AuthenticationError):
    """The device code expired before the user signed in."""


class CancelledError(PartnerCenterError):
    """The operation was cancelled by the caller (e.g. :meth:`DeviceCodeSignIn.cancel`)."""


class BadRequestError(PartnerCenterError):
    """The service rejected the request (400, and other 4xx without a class of their own)."""


class NotFoundError(PartnerCenterError):
    """Not found (404)."""


class ConflictError(PartnerCenterError):
    """Conflict or stale ETag (409, 412)."""


class ThrottledError(PartnerCenterError):
    """Throttled (429) and the wait the service asked for was longer than ``max_retry_after_ms``;
    ``retry_after`` says how many seconds it asked for."""


class ServiceError(PartnerCenterError):
    """The service failed (5xx) past the retry budget."""


class PartnerCenterTimeoutError(PartnerCenterError, TimeoutError):
    """The call did not finish within its deadline (``timeout_ms``). Also a built-in
    :class:`TimeoutError`."""


class NetworkError(PartnerCenterError, ConnectionError):
    """The connection could not be made or broke. Also a built-in :class:`ConnectionError`."""


class TlsError(PartnerCenterError):
    """TLS failed: an untrusted certificate, a wrong host name, a failed handshake."""


class BadResponseError(PartnerCenterError):
    """The answer could not be understood (e.g. malformed JSON)."""


class ResponseTooLargeError(PartnerCenterError):
    """The answer was larger than ``max_response_bytes``."""


class InternalError(PartnerCenterError):
    """A failure inside the library (including a caught panic: the process is fine, the call
    failed). Worth a bug report with the message."""


class ClosedError(ValueError):
    """The client or sign-in was used after :meth:`close`. A programming error, like I/O on a
    closed file; nothing is sent to the native library."""


class NativeLibraryError(OSError):
    """The native library could not be found or loaded; the message lists where it looked."""


# One status mapping, from include/partnercenter.h.
_BY_STATUS: Mapping[int, Type[PartnerCenterError]] = {
    100: InvalidArgumentError,  # PC_ERR_NULL_ARGUMENT
    101: InvalidArgumentError,  # PC_ERR_INVALID_UTF8
    102: InvalidArgumentError,  # PC_ERR_INVALID_OPTIONS
    103: InsecureUrlError,  # PC_ERR_INSECURE_URL
    104: InvalidArgumentError,  # PC_ERR_INVALID_ARGUMENT
    200: AuthenticationError,  # PC_ERR_AUTHENTICATION
    201: ForbiddenError,  # PC_ERR_FORBIDDEN
    202: DeviceCodeDeclinedError,  # PC_ERR_DEVICE_CODE_DECLINED
    203: DeviceCodeExpiredError,  # PC_ERR_DEVICE_CODE_EXPIRED
    204: CancelledError,  # PC_ERR_CANCELLED
    300: BadRequestError,  # PC_ERR_BAD_REQUEST
    301: NotFoundError,  # PC_ERR_NOT_FOUND
    302: ConflictError,  # PC_ERR_CONFLICT
    303: ThrottledError,  # PC_ERR_THROTTLED
    304: ServiceError,  # PC_ERR_SERVICE
    400: PartnerCenterTimeoutError,  # PC_ERR_TIMEOUT
    401: NetworkError,  # PC_ERR_NETWORK
    402: TlsError,  # PC_ERR_TLS
    403: BadResponseError,  # PC_ERR_BAD_RESPONSE
    404: ResponseTooLargeError,  # PC_ERR_RESPONSE_TOO_LARGE
    900: InternalError,  # PC_ERR_PANIC
    901: InternalError,  # PC_ERR_INTERNAL
}


def error_class(status: int) -> Type[PartnerCenterError]:
    """The exception class for a native status; :class:`PartnerCenterError` for one unknown to
    this version of the package."""
    return _BY_STATUS.get(status, PartnerCenterError)


def _optional_str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def error_from_detail(status: int, status_name: str, detail: Optional[Mapping[str, Any]]) -> PartnerCenterError:
    """Builds the exception for a failed call from the library's last-error JSON (already
    parsed); ``detail`` is ``None`` when the library had none."""
    detail = detail or {}
    message = detail.get("message") or f"{status_name} (no detail from the native library)"
    http_status = detail.get("httpStatus")
    retry_after = detail.get("retryAfterSeconds")
    return error_class(status)(
        str(message),
        status=status,
        status_name=str(detail.get("statusName") or status_name),
        kind=_optional_str(detail.get("kind")),
        http_status=int(http_status) if isinstance(http_status, (int, float)) else None,
        service_code=_optional_str(detail.get("serviceCode")),
        request_id=_optional_str(detail.get("requestId")),
        correlation_id=_optional_str(detail.get("correlationId")),
        retry_after=float(retry_after) if isinstance(retry_after, (int, float)) else None,
    )
