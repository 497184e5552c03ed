"""Microsoft Partner Center (CSP) onboarding from Python.

A thin, typed layer over the ``partnercenter`` native library (its C ABI, through ctypes)::

    import partnercenter
    with partnercenter.Client(tenant=tenant, client_id=app_id, refresh_token=token) as client:
        print(client.new_relationship_request().url)

GDAP admin relationships (Microsoft Graph) are on the same client:
:meth:`Client.create_admin_relationship`, :meth:`Client.wait_for_admin_relationship`,
:meth:`Client.assign_admin_relationship_access`, … returning :class:`AdminRelationship` and
:class:`AccessAssignment` objects.

Failures raise :class:`PartnerCenterError` subclasses chosen by the native status
(:class:`AuthenticationError`, :class:`ForbiddenError`, :class:`ThrottledError`, …), carrying
the request and correlation ids.
"""

from __future__ import annotations

from pathlib import Path

from . import _native
from .admin_relationships import AdminRelationshipPages
from .client import Client, DeviceCodeSignIn
from .customers import CustomerPages
from .errors import (
    AuthenticationError,
    BadRequestError,
    BadResponseError,
    CancelledError,
    ClosedError,
    ConflictError,
    DeviceCodeDeclinedError,
    DeviceCodeExpiredError,
    ForbiddenError,
    InsecureUrlError,
    InternalError,
    InvalidArgumentError,
    NativeLibraryError,
    NetworkError,
    NotFoundError,
    PartnerCenterError,
    PartnerCenterTimeoutError,
    ResponseTooLargeError,
    ServiceError,
    ThrottledError,
    TlsError,
)
from .models import (
    AccessAssignment,
    Address,
    AdminRelationship,
    BillingProfile,
    ClientInfo,
    Customer,
    RelationshipRequest,
)

__version__ = "0.1.0"

__all__ = [
    "AccessAssignment",
    "Address",
    "AdminRelationship",
    "AdminRelationshipPages",
    "AuthenticationError",
    "BadRequestError",
    "BadResponseError",
    "BillingProfile",
    "CancelledError",
    "Client",
    "ClientInfo",
    "ClosedError",
    "ConflictError",
    "Customer",
    "CustomerPages",
    "DeviceCodeDeclinedError",
    "DeviceCodeExpiredError",
    "DeviceCodeSignIn",
    "ForbiddenError",
    "InsecureUrlError",
    "InternalError",
    "InvalidArgumentError",
    "NativeLibraryError",
    "NetworkError",
    "NotFoundError",
    "PartnerCenterError",
    "PartnerCenterTimeoutError",
    "RelationshipRequest",
    "ResponseTooLargeError",
    "ServiceError",
    "ThrottledError",
    "TlsError",
    "native_library_path",
    "native_version",
]


def native_library_path() -> Path:
    """The path of the native library in use, loading it if needed.

    Raises:
        NativeLibraryError: it was not found (the message lists where it looked) or not loadable.
    """
    return _native.library().path


def native_version() -> str:
    """The native library's version (``pc_version``), e.g. ``"0.1.0"``."""
    return _native.library().version()
