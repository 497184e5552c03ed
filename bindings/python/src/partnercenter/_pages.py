"""What every listing has in common: a native page cursor pulled one page at a time."""

from __future__ import annotations

import ctypes
import json
import threading
from typing import Any, Callable, ClassVar, Generic, Iterator, List, Mapping, Optional, Type, TypeVar

from . import _native
from ._handles import Closing, Handle

T = TypeVar("T")
P = TypeVar("P", bound="Pages[Any]")


class Pages(Closing, Generic[T]):
    """A listing in progress over a native cursor (``pc_…_pages``).

    Iterate it for the items (pages are fetched as needed), or call :meth:`pages` /
    :meth:`next_page` for whole pages. The listing keeps what it needs of its client, so it
    outlives :meth:`Client.close`. Calls on one listing from several threads take turns. Close it
    (or use ``with``) to stop early; garbage collection frees it too.
    """

    # Set by each subclass.
    _what: ClassVar[str]
    _next_name: ClassVar[str]
    _free_name: ClassVar[str]

    _handle: Handle
    _turn: threading.Lock
    _done: bool

    @classmethod
    def _item(cls, data: Mapping[str, Any]) -> T:
        raise NotImplementedError

    @classmethod
    def _adopt(cls: Type[P], address: int) -> P:
        self = cls.__new__(cls)
        free_name = cls._free_name

        def free(pointer: int) -> None:
            getattr(_native.library(), free_name)(ctypes.c_void_p(pointer))

        self._handle = Handle(self, address, free, cls._what)
        self._turn = threading.Lock()
        self._done = False
        return self

    def next_page(self) -> Optional[List[T]]:
        """The next page, or ``None`` once the listing is complete.

        On failure (e.g. :class:`ThrottledError`) the listing stays where it was: call again to
        retry the same page.

        Raises:
            ClosedError: the listing is closed.
        """
        lib = _native.library()
        next_function: Callable[..., int] = getattr(lib, self._next_name)
        with self._turn, self._handle.use() as pages:
            if self._done:
                return None
            out = ctypes.c_void_p()
            try:
                lib.check(next_function(pages, ctypes.byref(out)))
                text = lib.take_string(out)
            finally:
                lib.pc_string_free(out)
            if text is None:
                self._done = True
                return None
        return [self._item(item) for item in json.loads(text)]

    def pages(self) -> Iterator[List[T]]:
        """The remaining pages, one list per request."""
        while True:
            page = self.next_page()
            if page is None:
                return
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._handle.closed

    def close(self) -> None:
        """Frees the listing (after a page request in progress has returned). Idempotent."""
        self._handle.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("complete" if self._done else "open")
        return f"<partnercenter.{type(self).__name__} {state}>"
