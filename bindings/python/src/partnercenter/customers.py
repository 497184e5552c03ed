"""Listing customers page by page: :class:`CustomerPages`."""

from __future__ import annotations

import ctypes
import json
import threading
from types import TracebackType
from typing import Iterator, List, Optional, Type

from . import _native
from ._handles import Handle, NotCopyable
from .models import Customer

__all__ = ["CustomerPages"]


def _free_pages(address: int) -> None:
    _native.library().pc_customer_pages_free(ctypes.c_void_p(address))


class CustomerPages(NotCopyable):
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

    _handle: Handle
    _turn: threading.Lock
    _done: bool

    def __init__(self) -> None:
        raise TypeError("use Client.customers(...)")

    @classmethod
    def _adopt(cls, address: int) -> CustomerPages:
        self = cls.__new__(cls)
        self._handle = Handle(self, address, _free_pages, "customer listing")
        self._turn = threading.Lock()
        self._done = False
        return self

    def next_page(self) -> Optional[List[Customer]]:
        """The next page of customers, or ``None`` once the listing is complete.

        On failure (e.g. :class:`ThrottledError`) the listing stays where it was: call again to
        retry the same page.

        Raises:
            ClosedError: the listing is closed.
        """
        lib = _native.library()
        with self._turn, self._handle.use() as pages:
            if self._done:
                return None
            out = ctypes.c_void_p()
            try:
                lib.check(lib.pc_customer_pages_next(pages, ctypes.byref(out)))
                text = lib.take_string(out)
            finally:
                lib.pc_string_free(out)
            if text is None:
                self._done = True
                return None
        return [Customer._from_service(item) for item in json.loads(text)]

    def pages(self) -> Iterator[List[Customer]]:
        """The remaining pages, one list per request."""
        while True:
            page = self.next_page()
            if page is None:
                return
            yield page

    def __iter__(self) -> Iterator[Customer]:
        for page in self.pages():
            yield from page

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._handle.closed

    def close(self) -> None:
        """Frees the listing (after a page request in progress has returned). Idempotent."""
        self._handle.close()

    def __enter__(self) -> CustomerPages:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("complete" if self._done else "open")
        return f"<partnercenter.CustomerPages {state}>"
