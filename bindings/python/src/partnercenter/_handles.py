"""Ownership of native handles shared between threads."""

from __future__ import annotations

import ctypes
import threading
import weakref
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Callable, Iterator, Optional, Type, TypeVar

from .errors import ClosedError


class Handle:
    """A native handle shared by threads: counts the calls in flight so that ``close`` frees it
    only after every call has returned, and no call ever starts on a freed handle."""

    def __init__(self, owner: object, address: int, free: Callable[[int], None], what: str) -> None:
        self.address: Optional[int] = address
        self.what = what
        self._condition = threading.Condition()
        self._in_flight = 0
        self._closing = False
        # Frees the handle once: on close, or when the owner is garbage collected. Not at
        # interpreter exit, when a daemon thread might still be inside a call on it.
        self.finalizer = weakref.finalize(owner, free, address)
        self.finalizer.atexit = False

    @property
    def closed(self) -> bool:
        return bool(self._closing or self.address is None)

    @contextmanager
    def use(self) -> Iterator[ctypes.c_void_p]:
        with self._condition:
            if self._closing or self.address is None:
                raise ClosedError(f"the {self.what} is closed")
            self._in_flight += 1
            address = self.address
        try:
            yield ctypes.c_void_p(address)
        finally:
            with self._condition:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._condition.notify_all()

    def call_while_alive(self, call: Callable[[ctypes.c_void_p], object]) -> None:
        """Runs ``call`` on the handle unless it is already freed: unlike :meth:`use`, also
        while :meth:`close` waits for calls in flight (a cancel must reach those). The free
        happens only after ``address`` is cleared under the same lock, so the handle stays valid
        during ``call``."""
        with self._condition:
            if self.address is not None:
                call(ctypes.c_void_p(self.address))

    def close(self, before_wait: Optional[Callable[[ctypes.c_void_p], object]] = None) -> None:
        with self._condition:
            if self.address is None:
                return
            self._closing = True
            if self._in_flight and before_wait is not None:
                before_wait(ctypes.c_void_p(self.address))
            while self._in_flight:
                self._condition.wait()
            self.address = None
        self.finalizer()


class NotCopyable:
    """Copying or pickling would share one native handle between two owners (a double free)."""

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError(f"{type(self).__name__} objects cannot be copied or pickled")


S = TypeVar("S", bound="Closing")


class Closing(NotCopyable):
    """An owner of a native handle: ``with`` closes it at the end of the block."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: S) -> S:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()
