"""What the operations return: frozen dataclasses for what is only read, and the service's own
JSON shape (typed with ``TypedDict``) for what is read, changed and written back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Dict, Mapping, Optional, TypedDict

__all__ = ["Address", "BillingProfile", "ClientInfo", "Customer", "RelationshipRequest"]


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
        correlation_id: the ``MS-CorrelationId`` sent with every request.
        token_expires_in_seconds: seconds left on the cached access token; ``None`` until signed in.
    """

    environment: Optional[str]
    tenant: Optional[str]
    credential_kind: Optional[str]
    base_url: Optional[str]
    correlation_id: Optional[str]
    token_expires_in_seconds: Optional[float]

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
