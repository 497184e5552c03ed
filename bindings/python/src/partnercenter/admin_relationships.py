"""Listing GDAP admin relationships page by page: :class:`AdminRelationshipPages`."""

from __future__ import annotations

from typing import Any, Mapping

from ._pages import Pages
from .models import AdminRelationship

__all__ = ["AdminRelationshipPages"]


class AdminRelationshipPages(Pages[AdminRelationship]):
    """An admin relationship listing in progress, made by :meth:`Client.admin_relationships`.

    Iterate it for :class:`AdminRelationship` objects (pages of up to ``page_size`` are fetched
    as needed, following Graph's ``@odata.nextLink``), or call :meth:`pages` /
    :meth:`next_page` for whole pages. The listing keeps what it needs of its client, so it
    outlives :meth:`Client.close`. Calls on one listing from several threads take turns. Close
    it (or use ``with``) to stop early; garbage collection frees it too.

    Example::

        for relationship in client.admin_relationships(status="active"):
            print(relationship.id, relationship.display_name, relationship.ends)
    """

    _what = "admin relationship listing"
    _next_name = "pc_admin_relationship_pages_next"
    _free_name = "pc_admin_relationship_pages_free"

    def __init__(self) -> None:
        raise TypeError("use Client.admin_relationships(...)")

    @classmethod
    def _item(cls, data: Mapping[str, Any]) -> AdminRelationship:
        return AdminRelationship._from_service(data)
