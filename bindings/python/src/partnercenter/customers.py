"""Listing customers page by page: :class:`CustomerPages`."""

from __future__ import annotations

from typing import Any, Mapping

from ._pages import Pages
from .models import Customer

__all__ = ["CustomerPages"]


class CustomerPages(Pages[Customer]):
    """A customer listing in progress, made by :meth:`Client.customers`.

    Iterate it for :class:`Customer` objects (pages are fetched as needed, following the
    service's continuation links), or call :meth:`pages` / :meth:`next_page` for whole pages.
    The listing keeps what it needs of its client, so it outlives :meth:`Client.close`. Calls on
    one listing from several threads take turns. Close it (or use ``with``) to stop early;
    garbage collection frees it too.

    Example::

        for customer in client.customers(domain="contoso"):
            print(customer.id, customer.company_name)
    """

    _what = "customer listing"
    _next_name = "pc_customer_pages_next"
    _free_name = "pc_customer_pages_free"

    def __init__(self) -> None:
        raise TypeError("use Client.customers(...)")

    @classmethod
    def _item(cls, data: Mapping[str, Any]) -> Customer:
        return Customer._from_service(data)
