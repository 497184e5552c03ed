"""The Python face of the library: :class:`Client`, :class:`DeviceCodeSignIn` and their results."""

from __future__ import annotations

import ctypes
import json
import threading
from datetime import timedelta
from types import MappingProxyType
from typing import Any, Callable, ContextManager, Dict, List, Mapping, Optional, Sequence, Union

from . import _native
from ._handles import Closing, Handle
from .admin_relationships import AdminRelationshipPages
from .customers import CustomerPages
from .errors import ClosedError, InvalidArgumentError
from .models import (
    AccessAssignment,
    AdminRelationship,
    BillingProfile,
    ClientInfo,
    Customer,
    RelationshipRequest,
)

__all__ = ["Client", "DeviceCodeSignIn"]


def _free_client(address: int) -> None:
    _native.library().pc_client_free(ctypes.c_void_p(address))


def _free_device_code(address: int) -> None:
    _native.library().pc_device_code_free(ctypes.c_void_p(address))


def _options_json(options: Mapping[str, Any]) -> str:
    """The options JSON of ``pc_client_new``: ``None`` values are left out (the library's
    defaults apply). The library validates the rest — one place reads options."""
    return json.dumps({key: value for key, value in options.items() if value is not None})


def _invalid(message: str) -> InvalidArgumentError:
    """An argument refused here, before the library is called (``PC_ERR_INVALID_ARGUMENT``)."""
    return InvalidArgumentError(message, status=104, status_name="PC_ERR_INVALID_ARGUMENT")


def _roles_argument(roles: Union[str, Sequence[str]]) -> List[str]:
    """Role names or template ids as a list of ``str`` (a single ``str`` is one role)."""
    if isinstance(roles, str):
        return [roles]
    if not isinstance(roles, Sequence) and not hasattr(roles, "__iter__"):
        raise TypeError(f"roles must be a list of role names or template ids, not {type(roles).__name__}")
    listed = list(roles)
    for role in listed:
        if not isinstance(role, str):
            raise TypeError(f"each role must be a str (a name or a template id), not {type(role).__name__}")
    return listed


def _duration_argument(duration: Union[str, timedelta]) -> str:
    """An ISO 8601 duration (``"P730D"``), or a :class:`~datetime.timedelta` of whole days."""
    if isinstance(duration, timedelta):
        if duration.seconds or duration.microseconds or duration.days <= 0:
            raise _invalid("duration must be a positive whole number of days, e.g. timedelta(days=730)")
        return f"P{duration.days}D"
    if not isinstance(duration, str):
        raise TypeError(
            f"duration must be an ISO 8601 str such as 'P730D' or a timedelta, not {type(duration).__name__}"
        )
    return duration


def _millis(name: str, seconds: Optional[float]) -> Optional[int]:
    """Seconds (``int`` or ``float``) as whole milliseconds for the library; ``None`` stays."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(seconds).__name__}")
    if seconds < 0:
        raise _invalid(f"{name} must not be negative")
    return round(seconds * 1000)


class Client(Closing):
    """A Partner Center client: a connection pool and a token cache in the native library.

    Credentials, one of:

    * ``client_id`` + ``refresh_token`` (+ ``client_secret`` for a confidential app): App+User,
      the secure application model — what the relationship request needs;
    * ``client_id`` + ``client_secret``: app-only;
    * ``access_token``: a token you got elsewhere.

    ``tenant`` is required except with ``access_token``. Nothing is sent until the first call
    (or :meth:`sign_in`). ``base_url`` and ``authority`` must be ``https://`` except for loopback
    hosts (e.g. the emulator); so must ``graph_base_url``.

    One client may be shared by many threads; the GIL is released during every native call.
    Close it (or use ``with``) to free it; garbage collection frees it too.

    Example::

        with partnercenter.Client(tenant=tenant, client_id=app_id, refresh_token=token) as client:
            print(client.new_relationship_request().url)
    """

    def __init__(
        self,
        *,
        tenant: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        refresh_token: Optional[str] = None,
        access_token: Optional[str] = None,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        authority: Optional[str] = None,
        graph_base_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        connect_timeout_ms: Optional[int] = None,
        attempt_timeout_ms: Optional[int] = None,
        max_retries: Optional[int] = None,
        max_retry_after_ms: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        correlation_id: Optional[str] = None,
        locale: Optional[str] = None,
        application_name: Optional[str] = None,
        ca_certificate_pem: Optional[str] = None,
    ) -> None:
        """Creates a client (no network traffic).

        Args:
            tenant: the partner tenant (domain or id).
            client_id: the application (client) id.
            client_secret: the application secret (app-only, or a confidential App+User app).
            refresh_token: an App+User refresh token.
            access_token: a ready access token.
            environment: ``"global"`` (default), ``"usgov"`` or ``"china"``.
            base_url: the Partner Center API base URL, overriding the environment's.
            authority: the sign-in authority, overriding the environment's.
            graph_base_url: Microsoft Graph with its version, e.g.
                ``"https://graph.microsoft.com/v1.0"`` (the environment's by default), for the
                admin-relationship (GDAP) calls. With a loopback ``base_url`` (the emulator)
                it must be given: left out, those calls raise :class:`InvalidArgumentError`
                and send nothing.
            timeout_ms: overall deadline per call (default 100000).
            connect_timeout_ms: deadline to connect (default 10000).
            attempt_timeout_ms: deadline per attempt (default 30000).
            max_retries: retries of transient failures (default 3).
            max_retry_after_ms: longest ``Retry-After`` honoured (default 60000); a longer one
                raises :class:`ThrottledError`.
            max_response_bytes: largest answer accepted (default 16 MiB).
            correlation_id: the ``MS-CorrelationId`` to send (a GUID; default: a new one).
            locale: the ``X-Locale`` to send (default ``"en-US"``).
            application_name: sent as ``MS-PartnerCenter-Application``.
            ca_certificate_pem: extra trusted CA certificates (PEM), added to the operating
                system's store, e.g. for a TLS-inspecting proxy. Verification cannot be turned off.

        Raises:
            InvalidArgumentError: an option was refused (the message names it, never its value).
            InsecureUrlError: ``base_url``/``authority`` is plain http for a non-loopback host.
        """
        self._handle: Optional[Handle] = None
        self._setup(self._create(_options_json(dict(
            tenant=tenant,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            access_token=access_token,
            environment=environment,
            base_url=base_url,
            authority=authority,
            graph_base_url=graph_base_url,
            timeout_ms=timeout_ms,
            connect_timeout_ms=connect_timeout_ms,
            attempt_timeout_ms=attempt_timeout_ms,
            max_retries=max_retries,
            max_retry_after_ms=max_retry_after_ms,
            max_response_bytes=max_response_bytes,
            correlation_id=correlation_id,
            locale=locale,
            application_name=application_name,
            ca_certificate_pem=ca_certificate_pem,
        ))))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Client:
        """Creates a client from a mapping of the native options (the keyword arguments of
        :class:`Client`, snake_case), e.g. read from a configuration file. ``None`` values are
        left out. Unknown keys raise :class:`InvalidArgumentError`."""
        client = cls.__new__(cls)
        client._handle = None
        client._setup(cls._create(_options_json(options)))
        return client

    @classmethod
    def _adopt(cls, address: int) -> Client:
        client = cls.__new__(cls)
        client._handle = None
        client._setup(address)
        return client

    @staticmethod
    def _create(options_json: str) -> int:
        lib = _native.library()
        out = ctypes.c_void_p()
        with _native.SecretBuffer(options_json) as buffer:
            lib.check(lib.pc_client_new(buffer, ctypes.byref(out)))
        assert out.value, "pc_client_new succeeded without a client"
        return out.value

    def _setup(self, address: int) -> None:
        self._handle = Handle(self, address, _free_client, "client")

    def _use(self) -> ContextManager[ctypes.c_void_p]:
        if self._handle is None:
            raise ClosedError("the client is closed")
        return self._handle.use()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._handle is None or self._handle.closed

    def cancel(self) -> None:
        """Makes every call of this client in progress now, on any thread, raise
        :class:`CancelledError` promptly (a :meth:`wait_for_customer` included); calls made
        afterwards run normally. Thread-safe, also while :meth:`close` waits for calls; a no-op
        once closed. A request already sent may still have reached the service."""
        lib = _native.library()
        handle = self._handle
        if handle is not None:
            handle.call_while_alive(lambda client: lib.check(lib.pc_client_cancel(client)))

    def close(self) -> None:
        """Frees the native client, after any call in progress on another thread has returned
        (call :meth:`cancel` first not to wait for them). Idempotent. Later calls raise
        :class:`ClosedError`."""
        handle = self._handle
        if handle is not None:
            handle.close()
            self._handle = None

    def _string_call(self, function: Callable[..., int], *, wipe: bool = False) -> Optional[str]:
        lib = _native.library()
        with self._use() as handle:
            out = ctypes.c_void_p()
            try:
                lib.check(function(handle, ctypes.byref(out)))
                return lib.take_string(out, wipe=wipe)
            finally:
                lib.pc_string_free(out)

    def new_relationship_request(self) -> RelationshipRequest:
        """Gets the reseller-relationship invitation link to send to customers
        (``GET /v1/customers/relationshiprequests``). Needs App+User credentials.

        Blocks until done, retrying transient failures within ``timeout_ms``. Thread-safe.

        Raises:
            ForbiddenError: app-only credentials (the message says App+User is needed).
            AuthenticationError: sign-in failed or the token was refused.
            ThrottledError: throttled for longer than ``max_retry_after_ms``.
            ServiceError: 5xx past the retries. Also the other :class:`PartnerCenterError`
                subclasses for timeouts, network, TLS and malformed answers.
            ClosedError: the client is closed.
        """
        lib = _native.library()
        with self._use() as handle:
            url, whole = _native.out_pointers(2)
            try:
                lib.check(lib.pc_new_relationship_request(handle, ctypes.byref(url), ctypes.byref(whole)))
                link = lib.take_string(url)
                text = lib.take_string(whole)
            finally:
                lib.pc_string_free(url)
                lib.pc_string_free(whole)
        data: Dict[str, Any] = json.loads(text) if text else {}
        attributes = data.get("attributes") or {}
        return RelationshipRequest(
            url=link or data.get("url") or "",
            object_type=attributes.get("objectType"),
            request_id=data.get("requestId"),
            correlation_id=data.get("correlationId"),
            attributes=MappingProxyType(dict(attributes)),
        )

    def sign_in(self) -> ClientInfo:
        """Signs in now rather than on the first call, so bad credentials show up at once.

        Raises:
            AuthenticationError: sign-in failed (``service_code`` carries the AADSTS code).
            ClosedError: the client is closed.
        """
        lib = _native.library()
        text = self._string_call(lib.pc_client_sign_in)
        return ClientInfo._from_json(text or "{}")

    def info(self) -> ClientInfo:
        """The connection, without secrets and without network traffic."""
        lib = _native.library()
        text = self._string_call(lib.pc_client_info)
        return ClientInfo._from_json(text or "{}")

    @property
    def refresh_token(self) -> Optional[str]:
        """The newest refresh token (sign-in may have rotated it since the client was made):
        persist it to sign in next time. ``None`` for a client without refresh-token
        credentials. A secret: never log it."""
        lib = _native.library()
        try:
            return self._string_call(lib.pc_client_refresh_token, wipe=True)
        except InvalidArgumentError:
            return None

    def _json_call(self, function: Callable[..., int], *arguments: Optional[bytes]) -> str:
        """Calls ``function(client, *arguments, &out)`` and returns the string it gave."""
        lib = _native.library()
        with self._use() as handle:
            out = ctypes.c_void_p()
            try:
                lib.check(function(handle, *arguments, ctypes.byref(out)))
                text = lib.take_string(out)
            finally:
                lib.pc_string_free(out)
        return text or "{}"

    def customers(
        self,
        *,
        domain: Optional[str] = None,
        company_name: Optional[str] = None,
        page_size: Optional[int] = None,
    ) -> CustomerPages:
        """Lists the partner's customers, all of them or those whose domain or company name
        starts with the given text (case-insensitive). Nothing is sent until the first page is
        asked for; iterate the result for :class:`Customer` objects.

        Args:
            domain: a domain prefix, e.g. ``"contoso"``.
            company_name: a company-name prefix.
            page_size: customers per request (1..500; default 500).

        Raises:
            InvalidArgumentError: a bad query (e.g. both ``domain`` and ``company_name``).
            ClosedError: the client is closed.
        """
        query = {"domain": domain, "companyName": company_name, "pageSize": page_size}
        query = {key: value for key, value in query.items() if value is not None}
        lib = _native.library()
        with self._use() as handle:
            out = ctypes.c_void_p()
            encoded = json.dumps(query).encode("utf-8") if query else None
            lib.check(lib.pc_customer_pages_new(handle, encoded, ctypes.byref(out)))
        assert out.value, "pc_customer_pages_new succeeded without a cursor"
        return CustomerPages._adopt(out.value)

    def get_customer(self, customer_id: str) -> Customer:
        """Gets one customer by id (``GET /v1/customers/{id}``), with ``allow_delegated_access``.

        Raises:
            NotFoundError: no such customer.
            ClosedError: the client is closed.
        """
        lib = _native.library()
        text = self._json_call(lib.pc_get_customer, _native.utf8_argument("customer_id", customer_id))
        return Customer._from_json(text)

    def remove_customer_relationship(self, customer_id: str) -> Customer:
        """Removes the partner's reseller relationship with a customer; returns the updated
        customer (``relationship_to_partner == "none"``).

        Raises:
            NotFoundError: no such customer.
            ClosedError: the client is closed.
        """
        lib = _native.library()
        text = self._json_call(
            lib.pc_remove_customer_relationship, _native.utf8_argument("customer_id", customer_id)
        )
        return Customer._from_json(text)

    def wait_for_customer(
        self,
        *,
        domain: Optional[str] = None,
        tenant_id: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        poll_interval_ms: Optional[int] = None,
        max_poll_interval_ms: Optional[int] = None,
    ) -> Customer:
        """Blocks until a customer accepts the invitation and appears with a reseller
        relationship, polling at growing intervals; returns that customer.

        Args:
            domain: the customer's exact domain, or
            tenant_id: the customer's tenant id.
            timeout_ms: how long to wait (default 600000). To show progress, call it with short
                timeouts in a loop, catching :class:`PartnerCenterTimeoutError`.
            poll_interval_ms: the first interval (default 5000); it grows by half each time…
            max_poll_interval_ms: …up to this (default 60000).

        Ctrl-C (or :meth:`cancel` from another thread) ends the wait promptly; like
        :meth:`cancel`, Ctrl-C also ends the client's other calls in flight on other threads.

        Raises:
            PartnerCenterTimeoutError: not accepted in time.
            CancelledError: :meth:`cancel` was called meanwhile.
            InvalidArgumentError: neither or both of ``domain`` and ``tenant_id``.
            ClosedError: the client is closed.
        """
        query = {
            "domain": domain,
            "tenantId": tenant_id,
            "timeoutMs": timeout_ms,
            "pollIntervalMs": poll_interval_ms,
            "maxPollIntervalMs": max_poll_interval_ms,
        }
        body = json.dumps({key: value for key, value in query.items() if value is not None})
        lib = _native.library()
        text = self._interruptible(lambda: self._json_call(lib.pc_wait_for_customer, body.encode("utf-8")))
        return Customer._from_json(text)

    def _interruptible(self, call: Callable[[], str]) -> str:
        """Runs a long native call (a wait) so that Ctrl-C ends it: the call cancels the client
        (and so its other calls in flight) and ``KeyboardInterrupt`` is raised here."""
        outcome: Dict[str, Any] = {}
        finished = threading.Event()

        def wait() -> None:
            try:
                outcome["json"] = call()
            except BaseException as error:  # handed to the caller's thread below
                outcome["error"] = error
            finally:
                finished.set()

        # The native wait runs on a helper thread while this one waits in short slices, so that
        # Ctrl-C (KeyboardInterrupt), which Python delivers to the main thread only between
        # bytecodes, is not held back until the wait ends: it cancels the wait. (An Event, not
        # Thread.join: a KeyboardInterrupt inside join can mark a running thread as stopped.)
        waiter = threading.Thread(target=wait, name="partnercenter-wait", daemon=True)
        try:
            waiter.start()
            while not finished.wait(0.25):
                pass
        except BaseException:
            # Again until it ends: a cancel only reaches a call already inside the library.
            while waiter.ident is not None and not finished.is_set():
                self.cancel()
                finished.wait(0.05)
            raise
        if "error" in outcome:
            raise outcome["error"]
        text: str = outcome["json"]
        return text

    def get_billing_profile(self, customer_id: str) -> BillingProfile:
        """Gets a customer's billing (bill-to) profile, in the service's shape: a dict to change
        and hand back to :meth:`update_billing_profile`.

        Raises:
            NotFoundError: no such customer.
            ClosedError: the client is closed.
        """
        lib = _native.library()
        text = self._json_call(lib.pc_get_billing_profile, _native.utf8_argument("customer_id", customer_id))
        profile: BillingProfile = json.loads(text)
        return profile

    def update_billing_profile(self, customer_id: str, profile: Mapping[str, Any]) -> BillingProfile:
        """Replaces a customer's billing profile with ``profile`` (as read with
        :meth:`get_billing_profile`, then changed). Its ``attributes["etag"]`` is sent as
        ``If-Match``: if the profile changed on the service since it was read, nothing is
        overwritten. Returns the stored profile with its new ETag.

        Raises:
            ConflictError: the profile changed since it was read (stale ETag): read it again.
            BadRequestError: the service refused a field.
            InvalidArgumentError: not a profile, or no ``attributes["etag"]``.
            ClosedError: the client is closed.
        """
        lib = _native.library()
        text = self._json_call(
            lib.pc_update_billing_profile,
            _native.utf8_argument("customer_id", customer_id),
            json.dumps(dict(profile)).encode("utf-8"),
        )
        stored: BillingProfile = json.loads(text)
        return stored

    # GDAP admin relationships (Microsoft Graph) ------------------------------------------

    def create_admin_relationship(
        self,
        display_name: str,
        duration: Union[str, timedelta],
        roles: Union[str, Sequence[str]],
        *,
        customer_tenant_id: Optional[str] = None,
        auto_extend: bool = False,
        lock_for_approval: bool = True,
    ) -> AdminRelationship:
        """Creates a GDAP admin relationship through Microsoft Graph and, unless
        ``lock_for_approval=False``, locks it for the customer's approval; send
        :attr:`AdminRelationship.approval_url` to the customer's global admin, then
        :meth:`wait_for_admin_relationship`.

        Role names are resolved to template ids before anything is sent. The create is never
        retried once it may have reached Graph.

        Args:
            display_name: unique among the partner's relationships (case-insensitive), at most
                50 characters.
            duration: ISO 8601 days or years from ``"P1D"`` to ``"P730D"`` (``"P2Y"``), or a
                :class:`~datetime.timedelta` of whole days.
            roles: Entra built-in role names (``"Directory Readers"``) or template ids; a
                single ``str`` is one role.
            customer_tenant_id: the customer's tenant id (a GUID), when known.
            auto_extend: extend by 180 days at the end (not allowed with Global Administrator).
            lock_for_approval: lock it at once (``status == "approvalPending"``); with ``False``
                it stays ``"created"`` until :meth:`lock_admin_relationship`.

        Raises:
            InvalidArgumentError: an unknown role (the message names near ones; nothing is
                sent), a tenant id that is not a GUID, Global Administrator with
                ``auto_extend``, a missing field.
            ConflictError: the display name is taken (``service_code == "duplicateDisplayName"``,
                ``http_status == 409``); also a failed lock after a successful create, whose
                message names the new relationship's id.
            BadRequestError: Graph refused a field (``service_code`` e.g. ``"invalidDuration"``,
                ``"invalidDisplayName"``).
            ClosedError: the client is closed. And the errors of :meth:`get_admin_relationship`.
        """
        request: Dict[str, Any] = {
            "displayName": display_name,
            "duration": _duration_argument(duration),
            "roles": _roles_argument(roles),
            "autoExtend": bool(auto_extend),
            "lockForApproval": bool(lock_for_approval),
        }
        if customer_tenant_id is not None:
            request["customerTenantId"] = customer_tenant_id
        lib = _native.library()
        body = _native.utf8_argument("request", json.dumps(request, ensure_ascii=False))
        return AdminRelationship._from_json(self._json_call(lib.pc_admin_relationship_create, body))

    def lock_admin_relationship(self, relationship_id: str) -> AdminRelationship:
        """Locks a ``"created"`` relationship for the customer's approval; returns it
        ``"approvalPending"``, with :attr:`AdminRelationship.approval_url` to send.

        Raises:
            ConflictError: not ``"created"`` any more (``service_code == "invalidStatusTransition"``).
            ClosedError: the client is closed. And the errors of :meth:`get_admin_relationship`.
        """
        return self._relationship_call("pc_admin_relationship_lock", relationship_id)

    def get_admin_relationship(self, relationship_id: str) -> AdminRelationship:
        """Gets one admin relationship by id.

        Raises:
            InvalidArgumentError: an id that is not letters, digits and ``-`` (nothing is sent).
            NotFoundError: no such relationship (``service_code == "ResourceNotFound"``).
            AuthenticationError: no Graph token for these credentials. Also the other
                :class:`PartnerCenterError` subclasses; a refusal carries ``http_status``,
                ``service_code`` (Graph's error code) and ``request_id`` (Graph's ``request-id``).
            ClosedError: the client is closed.
        """
        return self._relationship_call("pc_admin_relationship_get", relationship_id)

    def admin_relationships(
        self,
        *,
        status: Optional[str] = None,
        customer_tenant_id: Optional[str] = None,
        page_size: int = 100,
    ) -> AdminRelationshipPages:
        """Lists the partner's admin relationships, all of them or those with a status and/or
        customer. Nothing is sent until the first page is asked for; iterate the result for
        :class:`AdminRelationship` objects, or use its :meth:`~AdminRelationshipPages.pages`.

        Args:
            status: one status, e.g. ``"active"`` or ``"approvalPending"``.
            customer_tenant_id: one customer's tenant id (a GUID).
            page_size: relationships per request (1..300).

        Raises:
            InvalidArgumentError: a bad query (e.g. ``page_size`` 0 or a status of two words).
            ClosedError: the client is closed.
        """
        query = {"status": status, "customerTenantId": customer_tenant_id, "pageSize": page_size}
        encoded = json.dumps({key: value for key, value in query.items() if value is not None})
        lib = _native.library()
        with self._use() as handle:
            out = ctypes.c_void_p()
            lib.check(
                lib.pc_admin_relationship_pages_new(
                    handle, _native.utf8_argument("query", encoded), ctypes.byref(out)
                )
            )
        assert out.value, "pc_admin_relationship_pages_new succeeded without a cursor"
        return AdminRelationshipPages._adopt(out.value)

    def wait_for_admin_relationship(
        self,
        relationship_id: str,
        *,
        timeout: Optional[float] = None,
        poll_interval: Optional[float] = None,
        max_poll_interval: Optional[float] = None,
    ) -> AdminRelationship:
        """Blocks until the customer has approved the relationship and Graph has activated it,
        polling at growing intervals; returns it ``"active"``.

        Args:
            relationship_id: the relationship's id.
            timeout: seconds to wait (default 600). To show progress, call it with short
                timeouts in a loop, catching :class:`PartnerCenterTimeoutError`.
            poll_interval: seconds before the first re-read (default 5, at least 0.1); it grows
                by half each time…
            max_poll_interval: …up to this (default 60).

        Ctrl-C (or :meth:`cancel` from another thread) ends the wait promptly; like
        :meth:`cancel`, Ctrl-C also ends the client's other calls in flight on other threads.

        Raises:
            PartnerCenterTimeoutError: not active in time (the message gives the last status).
            ConflictError: it reached a final status (``"expired"``, ``"terminated"``) and will
                never be active.
            CancelledError: :meth:`cancel` was called meanwhile.
            ClosedError: the client is closed. And the errors of :meth:`get_admin_relationship`.
        """
        query = {
            "timeoutMs": _millis("timeout", timeout),
            "pollIntervalMs": _millis("poll_interval", poll_interval),
            "maxPollIntervalMs": _millis("max_poll_interval", max_poll_interval),
        }
        body = json.dumps({key: value for key, value in query.items() if value is not None}).encode("utf-8")
        identifier = _native.utf8_argument("relationship_id", relationship_id)
        lib = _native.library()
        text = self._interruptible(lambda: self._json_call(lib.pc_admin_relationship_wait, identifier, body))
        return AdminRelationship._from_json(text)

    def assign_admin_relationship_access(
        self,
        relationship_id: str,
        group_id: str,
        roles: Union[str, Sequence[str]],
    ) -> AccessAssignment:
        """Gives one of the partner's security groups some of an ``"active"`` relationship's
        roles (an access assignment, ``"pending"`` at first, then ``"active"``). Never retried
        once it may have reached Graph.

        Args:
            relationship_id: the relationship's id.
            group_id: the security group's object id (a GUID) in the partner tenant.
            roles: role names or template ids, each among the relationship's roles; a single
                ``str`` is one role.

        Raises:
            InvalidArgumentError: an unknown role (nothing is sent), a group id that is not a GUID.
            ConflictError: the relationship is not active (``service_code == "relationshipNotActive"``).
            BadRequestError: a role not in the relationship (``"roleNotInRelationship"``).
            ClosedError: the client is closed. And the errors of :meth:`get_admin_relationship`.
        """
        if not isinstance(group_id, str):
            raise TypeError(f"group_id must be a str, not {type(group_id).__name__}")
        request = json.dumps({"groupId": group_id, "roles": _roles_argument(roles)}, ensure_ascii=False)
        lib = _native.library()
        text = self._json_call(
            lib.pc_admin_relationship_assign,
            _native.utf8_argument("relationship_id", relationship_id),
            _native.utf8_argument("request", request),
        )
        return AccessAssignment._from_json(text)

    def admin_relationship_access_assignments(self, relationship_id: str) -> List[AccessAssignment]:
        """Every access assignment of a relationship (all pages, read before returning; ``[]``
        when there is none).

        Raises:
            ClosedError: the client is closed. And the errors of :meth:`get_admin_relationship`.
        """
        lib = _native.library()
        text = self._json_call(
            lib.pc_admin_relationship_assignments, _native.utf8_argument("relationship_id", relationship_id)
        )
        return [AccessAssignment._from_service(item) for item in json.loads(text)]

    def terminate_admin_relationship(self, relationship_id: str) -> AdminRelationship:
        """Ends an ``"active"`` relationship; returns it as right after
        (``"terminationRequested"``; ``"terminated"`` on later reads).

        Raises:
            ConflictError: not active (``service_code == "invalidStatusTransition"``).
            ClosedError: the client is closed. And the errors of :meth:`get_admin_relationship`.
        """
        return self._relationship_call("pc_admin_relationship_terminate", relationship_id)

    def _relationship_call(self, name: str, relationship_id: str) -> AdminRelationship:
        lib = _native.library()
        text = self._json_call(getattr(lib, name), _native.utf8_argument("relationship_id", relationship_id))
        return AdminRelationship._from_json(text)

    def __repr__(self) -> str:
        if self.closed:
            return "<partnercenter.Client closed>"
        try:
            info = self.info()
        except Exception:  # a repr must not raise
            return "<partnercenter.Client>"
        return (
            f"<partnercenter.Client tenant={info.tenant!r} credential_kind={info.credential_kind!r}"
            f" base_url={info.base_url!r}>"
        )


class DeviceCodeSignIn(Closing):
    """An interactive, MFA-friendly sign-in: show :attr:`message` to the user, then :meth:`wait`
    for a :class:`Client` with App+User credentials.

    Example::

        with partnercenter.DeviceCodeSignIn.start(tenant=tenant, client_id=app_id) as sign_in:
            print(sign_in.message)
            client = sign_in.wait()

    :meth:`cancel` (from another thread) makes a :meth:`wait` in progress raise
    :class:`CancelledError`. Closing the sign-in cancels a wait in progress and frees it.
    """

    _handle: Handle
    user_code: str
    verification_uri: str
    message: str
    expires_in: Optional[int]
    interval: Optional[int]

    def __init__(self) -> None:
        raise TypeError("use DeviceCodeSignIn.start(...)")

    @classmethod
    def start(
        cls,
        *,
        tenant: Optional[str] = None,
        client_id: Optional[str] = None,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        authority: Optional[str] = None,
        graph_base_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        connect_timeout_ms: Optional[int] = None,
        attempt_timeout_ms: Optional[int] = None,
        max_retries: Optional[int] = None,
        max_retry_after_ms: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        correlation_id: Optional[str] = None,
        locale: Optional[str] = None,
        application_name: Optional[str] = None,
        ca_certificate_pem: Optional[str] = None,
    ) -> DeviceCodeSignIn:
        """Starts a device-code sign-in (``POST {authority}/{tenant}/oauth2/v2.0/devicecode``).

        ``tenant`` and ``client_id`` are required; the other options are those of
        :class:`Client` and are kept by the client :meth:`wait` returns.

        Raises:
            InvalidArgumentError: an option was refused.
            AuthenticationError: e.g. an unknown client id.
        """
        return cls.from_options(dict(
            tenant=tenant,
            client_id=client_id,
            environment=environment,
            base_url=base_url,
            authority=authority,
            graph_base_url=graph_base_url,
            timeout_ms=timeout_ms,
            connect_timeout_ms=connect_timeout_ms,
            attempt_timeout_ms=attempt_timeout_ms,
            max_retries=max_retries,
            max_retry_after_ms=max_retry_after_ms,
            max_response_bytes=max_response_bytes,
            correlation_id=correlation_id,
            locale=locale,
            application_name=application_name,
            ca_certificate_pem=ca_certificate_pem,
        ))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> DeviceCodeSignIn:
        """Starts a device-code sign-in from a mapping of the native options (see
        :meth:`Client.from_options`)."""
        lib = _native.library()
        flow, shown = _native.out_pointers(2)
        try:
            with _native.SecretBuffer(_options_json(options)) as buffer:
                lib.check(lib.pc_device_code_start(buffer, ctypes.byref(flow), ctypes.byref(shown)))
            text = lib.take_string(shown)
        except BaseException:
            lib.pc_device_code_free(flow)
            raise
        finally:
            lib.pc_string_free(shown)
        self = cls.__new__(cls)
        assert flow.value, "pc_device_code_start succeeded without a flow"
        self._handle = Handle(self, flow.value, _free_device_code, "device-code sign-in")
        data: Dict[str, Any] = json.loads(text or "{}")
        self.user_code = str(data.get("userCode", ""))
        self.verification_uri = str(data.get("verificationUri", ""))
        self.message = str(data.get("message", ""))
        self.expires_in = data.get("expiresIn")
        self.interval = data.get("interval")
        return self

    def wait(self) -> Client:
        """Blocks until the user finishes signing in, polling at the interval the service asked
        for; returns a client with App+User credentials (its :attr:`Client.refresh_token` is the
        one to persist).

        Raises:
            DeviceCodeDeclinedError: the user declined.
            DeviceCodeExpiredError: the code expired first.
            CancelledError: :meth:`cancel` was called.
            ClosedError: the sign-in is closed.
        """
        lib = _native.library()
        with self._handle.use() as flow:
            out = ctypes.c_void_p()
            lib.check(lib.pc_device_code_wait(flow, ctypes.byref(out)))
            assert out.value, "pc_device_code_wait succeeded without a client"
            return Client._adopt(out.value)

    def cancel(self) -> None:
        """Cancels the sign-in: a :meth:`wait` in progress (or the next one) raises
        :class:`CancelledError`. Thread-safe; a no-op once closed."""
        lib = _native.library()
        try:
            with self._handle.use() as flow:
                lib.check(lib.pc_device_code_cancel(flow))
        except ClosedError:
            pass

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._handle.closed

    def close(self) -> None:
        """Cancels a :meth:`wait` in progress, waits for it to return, and frees the sign-in.
        Idempotent."""
        lib = _native.library()
        self._handle.close(before_wait=lambda flow: lib.pc_device_code_cancel(flow))

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return (
            f"<partnercenter.DeviceCodeSignIn user_code={self.user_code!r}"
            f" verification_uri={self.verification_uri!r}{state}>"
        )
