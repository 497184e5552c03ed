"""What the operations return: frozen dataclasses for what is only read, and the service's own
JSON shape (typed with ``TypedDict``) for what is read, changed and written back."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any, Dict, Mapping, Optional, Tuple, TypedDict

__all__ = [
    "AccessAssignment",
    "Address",
    "AdminRelationship",
    "BillingProfile",
    "ClientInfo",
    "Customer",
    "RelationshipRequest",
]


@dataclass(frozen=True)
class RelationshipRequest:
    """The reseller-relationship invitation link to send to customers.

    The link names only the partner, never a customer: send the same one to every customer's
    global admin.

    Attributes:
        url: the invitation link.
        object_type: ``attributes.objectType`` as the service sent it (``"RelationshipRequest"``
            or ``"CustomerRelationshipRequest"`` depending on the service version), or ``None``.
        request_id: the ``MS-RequestId`` of the request that got it.
        correlation_id: the ``MS-CorrelationId`` of the request that got it.
        attributes: every attribute the service sent, read-only.
    """

    url: str
    object_type: Optional[str] = None
    request_id: Optional[str] = None
    correlation_id: Optional[str] = None
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ClientInfo:
    """The connection a client uses, without secrets.

    Attributes:
        environment: ``"global"``, ``"usgov"`` or ``"china"``.
        tenant: the tenant signed in to, or ``None`` (access-token clients).
        credential_kind: ``"access_token"``, ``"refresh_token"`` or ``"app_only"``.
        base_url: the Partner Center API base URL.
        graph_base_url: the Microsoft Graph base URL of the admin relationship operations.
        correlation_id: the ``MS-CorrelationId`` sent with every request.
        token_expires_in_seconds: seconds left on the cached access token; ``None`` until signed in.
    """

    environment: Optional[str]
    tenant: Optional[str]
    credential_kind: Optional[str]
    base_url: Optional[str]
    correlation_id: Optional[str]
    token_expires_in_seconds: Optional[float]
    graph_base_url: Optional[str] = None

    @classmethod
    def _from_json(cls, text: str) -> ClientInfo:
        data = json.loads(text)
        expires = data.get("tokenExpiresInSeconds")
        return cls(
            environment=data.get("environment"),
            tenant=data.get("tenant"),
            credential_kind=data.get("credentialKind"),
            base_url=data.get("baseUrl"),
            correlation_id=data.get("correlationId"),
            token_expires_in_seconds=float(expires) if isinstance(expires, (int, float)) else None,
            graph_base_url=data.get("graphBaseUrl"),
        )


@dataclass(frozen=True)
class Customer:
    """A customer of the partner, as Partner Center describes it.

    Attributes:
        id: the customer id (used by :meth:`Client.get_customer` and the billing-profile calls).
        tenant_id: the customer's Microsoft Entra tenant id.
        domain: the customer's primary domain, e.g. ``contoso.onmicrosoft.com``.
        company_name: the company name.
        relationship_to_partner: ``"reseller"``, ``"advisor"``, ``"none"``, …
        allow_delegated_access: whether the partner has delegated admin rights (only
            :meth:`Client.get_customer` says; ``None`` otherwise).
        commerce_id: the customer's commerce id.
        raw: the whole object as the service sent it (camelCase, unknown fields kept), read-only.
    """

    id: str
    tenant_id: Optional[str] = None
    domain: Optional[str] = None
    company_name: Optional[str] = None
    relationship_to_partner: Optional[str] = None
    allow_delegated_access: Optional[bool] = None
    commerce_id: Optional[str] = None
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)

    @classmethod
    def _from_service(cls, data: Mapping[str, Any]) -> Customer:
        profile = data.get("companyProfile") or {}
        return cls(
            id=str(data.get("id", "")),
            tenant_id=profile.get("tenantId"),
            domain=profile.get("domain"),
            company_name=profile.get("companyName"),
            relationship_to_partner=data.get("relationshipToPartner"),
            allow_delegated_access=data.get("allowDelegatedAccess"),
            commerce_id=data.get("commerceId"),
            raw=MappingProxyType(dict(data)),
        )

    @classmethod
    def _from_json(cls, text: str) -> Customer:
        return cls._from_service(json.loads(text))


class Address(TypedDict, total=False):
    """A billing address (the service's field names)."""

    country: str
    region: str
    city: str
    state: str
    addressLine1: str
    addressLine2: str
    addressLine3: str
    postalCode: str
    firstName: str
    lastName: str
    phoneNumber: str


class BillingProfile(TypedDict, total=False):
    """A customer's billing (bill-to) profile, in the service's own shape: change what you need
    and hand the whole dict back to :meth:`Client.update_billing_profile`. Unknown fields are
    kept; ``attributes["etag"]`` is what makes the update safe against concurrent changes."""

    id: str
    firstName: str
    lastName: str
    email: str
    culture: str
    language: str
    companyName: str
    defaultAddress: Address
    links: Dict[str, Any]
    attributes: Dict[str, Any]


#: Admin relationship statuses from which a relationship never becomes active.
FINAL_ADMIN_RELATIONSHIP_STATUSES = frozenset({"expired", "terminated"})

_GRAPH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$")


def _graph_time(value: Any) -> Optional[datetime]:
    """Graph's ``…DateTime`` (ISO 8601, ``Z`` or an offset, up to 7 fraction digits) as an aware
    ``datetime`` in UTC when no zone is given; ``None`` when absent or not understood."""
    if not isinstance(value, str):
        return None
    match = _GRAPH_TIME.match(value.strip())
    if not match:
        return None
    whole, fraction, zone = match.groups()
    try:
        moment = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    if fraction:
        moment = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        return moment.replace(tzinfo=timezone(sign * offset))
    return moment.replace(tzinfo=timezone.utc)


def _role_ids(data: Mapping[str, Any]) -> Tuple[str, ...]:
    details = data.get("accessDetails") or {}
    roles = details.get("unifiedRoles") if isinstance(details, Mapping) else None
    if not isinstance(roles, list):
        return ()
    return tuple(
        str(role["roleDefinitionId"]) for role in roles if isinstance(role, Mapping) and role.get("roleDefinitionId")
    )


@dataclass(frozen=True)
class AdminRelationship:
    """A GDAP admin relationship (Microsoft Graph's ``delegatedAdminRelationship``): a
    time-limited grant of Entra ID roles in a customer's tenant, which the customer approves at
    :attr:`approval_url`.

    Attributes:
        id: Graph's id (two GUIDs joined by ``-``), used by the other admin-relationship calls.
        display_name: the name, unique among the partner's relationships.
        status: ``"created"``, ``"approvalPending"``, ``"approved"``, ``"activating"``,
            ``"active"``, ``"expiring"``, ``"expired"``, ``"terminationRequested"``,
            ``"terminating"`` or ``"terminated"``.
        duration: ISO 8601, e.g. ``"P730D"``.
        customer_tenant_id: the customer's tenant id, when known.
        role_ids: the template ids of the roles asked for, in order.
        approval_url: the link to send to the customer's global admin (meaningful once the
            relationship is locked for approval).
        auto_extend_duration: ``"P180D"`` when it extends itself at the end, ``"PT0S"`` otherwise.
        etag: ``@odata.etag``.
        created: ``createdDateTime``, when given.
        activated: ``activatedDateTime``, set once active.
        ends: ``endDateTime`` (activation plus the duration), set once active.
        raw: the whole object as Graph sent it, with ``approvalUrl`` (unknown fields kept),
            read-only.
    """

    id: str
    display_name: str = ""
    status: str = ""
    duration: str = ""
    customer_tenant_id: Optional[str] = None
    role_ids: Tuple[str, ...] = ()
    approval_url: str = ""
    auto_extend_duration: Optional[str] = None
    etag: Optional[str] = None
    created: Optional[datetime] = None
    activated: Optional[datetime] = None
    ends: Optional[datetime] = None
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def is_active(self) -> bool:
        """Whether the status is ``"active"`` (access assignments can be made)."""
        return self.status == "active"

    @property
    def is_final(self) -> bool:
        """Whether it can never become active again (``"expired"`` or ``"terminated"``)."""
        return self.status in FINAL_ADMIN_RELATIONSHIP_STATUSES

    @classmethod
    def _from_service(cls, data: Mapping[str, Any]) -> AdminRelationship:
        customer = data.get("customer") or {}
        tenant = customer.get("tenantId") if isinstance(customer, Mapping) else None
        return cls(
            id=str(data.get("id", "")),
            display_name=str(data.get("displayName") or ""),
            status=str(data.get("status") or ""),
            duration=str(data.get("duration") or ""),
            customer_tenant_id=str(tenant) if tenant else None,
            role_ids=_role_ids(data),
            approval_url=str(data.get("approvalUrl") or ""),
            auto_extend_duration=data.get("autoExtendDuration"),
            etag=data.get("@odata.etag"),
            created=_graph_time(data.get("createdDateTime")),
            activated=_graph_time(data.get("activatedDateTime")),
            ends=_graph_time(data.get("endDateTime")),
            raw=MappingProxyType(dict(data)),
        )

    @classmethod
    def _from_json(cls, text: str) -> AdminRelationship:
        return cls._from_service(json.loads(text))


@dataclass(frozen=True)
class AccessAssignment:
    """An access assignment (Graph's ``delegatedAdminAccessAssignment``): one of the partner's
    security groups given some of an active admin relationship's roles.

    Attributes:
        id: Graph's id.
        status: ``"pending"`` (at first), ``"active"``, ``"deleting"``, ``"deleted"`` or ``"error"``.
        group_id: the security group's id (``accessContainer.accessContainerId``).
        role_ids: the template ids of the roles given, in order.
        etag: ``@odata.etag``.
        created: ``createdDateTime``, when given.
        raw: the whole object as Graph sent it, read-only.
    """

    id: str
    status: str = ""
    group_id: Optional[str] = None
    role_ids: Tuple[str, ...] = ()
    etag: Optional[str] = None
    created: Optional[datetime] = None
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)

    @classmethod
    def _from_service(cls, data: Mapping[str, Any]) -> AccessAssignment:
        container = data.get("accessContainer") or {}
        group = container.get("accessContainerId") if isinstance(container, Mapping) else None
        return cls(
            id=str(data.get("id", "")),
            status=str(data.get("status") or ""),
            group_id=str(group) if group else None,
            role_ids=_role_ids(data),
            etag=data.get("@odata.etag"),
            created=_graph_time(data.get("createdDateTime")),
            raw=MappingProxyType(dict(data)),
        )

    @classmethod
    def _from_json(cls, text: str) -> AccessAssignment:
        return cls._from_service(json.loads(text))
