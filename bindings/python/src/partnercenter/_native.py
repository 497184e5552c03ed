"""Finding, loading and declaring the native library (include/partnercenter.h) through ctypes.

This module only converts: Python values in, C values out, and back. Rules kept everywhere:

* every function of the header has its ``argtypes``/``restype`` declared below;
* strings cross as UTF-8 bytes;
* every ``char *`` the library returns is typed ``c_void_p`` (so ctypes never copies it into a
  ``bytes`` and loses the pointer) and freed with ``pc_string_free`` in a ``finally``;
* after a failing call the thread-local last error is read on the same thread, at once;
* ``CDLL`` (not ``PyDLL``) releases the GIL for the length of every native call, so blocking
  calls on several threads run in parallel.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .errors import InvalidArgumentError, NativeLibraryError, PartnerCenterError, error_from_detail

#: Environment variable naming the native library (a file, or a folder holding it).
NATIVE_PATH_ENV = "PARTNERCENTER_NATIVE_PATH"

c_status = ctypes.c_int32
_ptr = ctypes.c_void_p
_out_ptr = ctypes.POINTER(ctypes.c_void_p)

# name: (restype, argtypes), in the order of include/partnercenter.h.
_PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    "pc_client_new": (c_status, [ctypes.c_char_p, _out_ptr]),
    "pc_client_free": (None, [_ptr]),
    "pc_client_cancel": (c_status, [_ptr]),
    "pc_client_refresh_token": (c_status, [_ptr, _out_ptr]),
    "pc_client_sign_in": (c_status, [_ptr, _out_ptr]),
    "pc_client_info": (c_status, [_ptr, _out_ptr]),
    "pc_device_code_start": (c_status, [ctypes.c_char_p, _out_ptr, _out_ptr]),
    "pc_device_code_wait": (c_status, [_ptr, _out_ptr]),
    "pc_device_code_cancel": (c_status, [_ptr]),
    "pc_device_code_free": (None, [_ptr]),
    "pc_last_error_message": (_ptr, []),
    "pc_last_error_json": (_ptr, []),
    "pc_string_free": (None, [_ptr]),
    # Static strings ("do not free"): c_char_p copies them into bytes, which is what we want.
    "pc_status_name": (ctypes.c_char_p, [c_status]),
    "pc_version": (ctypes.c_char_p, []),
    "pc_admin_relationship_create": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_admin_relationship_lock": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_admin_relationship_get": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_admin_relationship_pages_new": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_admin_relationship_pages_next": (c_status, [_ptr, _out_ptr]),
    "pc_admin_relationship_pages_free": (None, [_ptr]),
    "pc_admin_relationship_wait": (c_status, [_ptr, ctypes.c_char_p, ctypes.c_char_p, _out_ptr]),
    "pc_admin_relationship_assign": (c_status, [_ptr, ctypes.c_char_p, ctypes.c_char_p, _out_ptr]),
    "pc_admin_relationship_assignments": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_admin_relationship_terminate": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_new_relationship_request": (c_status, [_ptr, _out_ptr, _out_ptr]),
    "pc_customer_pages_new": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_customer_pages_next": (c_status, [_ptr, _out_ptr]),
    "pc_customer_pages_free": (None, [_ptr]),
    "pc_get_customer": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_remove_customer_relationship": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_wait_for_customer": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_get_billing_profile": (c_status, [_ptr, ctypes.c_char_p, _out_ptr]),
    "pc_update_billing_profile": (c_status, [_ptr, ctypes.c_char_p, ctypes.c_char_p, _out_ptr]),
}

# Present only in builds with the cargo feature `test-exports` (never in release builds).
_OPTIONAL_PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    "pc_test_panic": (c_status, []),
}


def library_file_name() -> str:
    """The file name of the native library on this platform."""
    if sys.platform == "win32":
        return "partnercenter.dll"
    if sys.platform == "darwin":
        return "libpartnercenter.dylib"
    return "libpartnercenter.so"


def candidate_paths() -> List[Path]:
    """Where the library is looked for, in order.

    ``PARTNERCENTER_NATIVE_PATH`` (a file, or a folder holding the library) when set — then it is
    the only place, so a wrong override fails loudly instead of silently loading another copy;
    otherwise the copy bundled inside the package, then one beside the package folder.
    """
    name = library_file_name()
    explicit = os.environ.get(NATIVE_PATH_ENV)
    if explicit:
        path = Path(explicit).expanduser()
        return [path / name if path.is_dir() else path]
    package = Path(__file__).resolve().parent
    return [package / name, package.parent / name]


class NativeLibrary:
    """The loaded library, with every function declared."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._dll = ctypes.CDLL(str(path))
        except OSError as error:
            raise NativeLibraryError(f"could not load the native library {path}: {error}") from error
        for name, (restype, argtypes) in _PROTOTYPES.items():
            try:
                function = getattr(self._dll, name)
            except AttributeError:
                raise NativeLibraryError(
                    f"{path} does not export {name}: it is not the partnercenter library, or a "
                    "version this package does not match"
                ) from None
            function.restype = restype
            function.argtypes = argtypes
            setattr(self, name, function)
        self.has_test_exports = False
        for name, (restype, argtypes) in _OPTIONAL_PROTOTYPES.items():
            function = getattr(self._dll, name, None)
            if function is not None:
                function.restype = restype
                function.argtypes = argtypes
                setattr(self, name, function)
                self.has_test_exports = True

    # Declared dynamically above; listed here for type checkers.
    pc_client_new: Callable[..., int]
    pc_client_free: Callable[..., None]
    pc_client_cancel: Callable[..., int]
    pc_client_refresh_token: Callable[..., int]
    pc_client_sign_in: Callable[..., int]
    pc_client_info: Callable[..., int]
    pc_device_code_start: Callable[..., int]
    pc_device_code_wait: Callable[..., int]
    pc_device_code_cancel: Callable[..., int]
    pc_device_code_free: Callable[..., None]
    pc_last_error_message: Callable[[], Optional[int]]
    pc_last_error_json: Callable[[], Optional[int]]
    pc_string_free: Callable[..., None]
    pc_status_name: Callable[[int], Optional[bytes]]
    pc_version: Callable[[], Optional[bytes]]
    pc_new_relationship_request: Callable[..., int]
    pc_customer_pages_new: Callable[..., int]
    pc_customer_pages_next: Callable[..., int]
    pc_customer_pages_free: Callable[..., None]
    pc_get_customer: Callable[..., int]
    pc_remove_customer_relationship: Callable[..., int]
    pc_wait_for_customer: Callable[..., int]
    pc_get_billing_profile: Callable[..., int]
    pc_update_billing_profile: Callable[..., int]
    pc_test_panic: Callable[[], int]
    pc_admin_relationship_create: Callable[..., int]
    pc_admin_relationship_lock: Callable[..., int]
    pc_admin_relationship_get: Callable[..., int]
    pc_admin_relationship_pages_new: Callable[..., int]
    pc_admin_relationship_pages_next: Callable[..., int]
    pc_admin_relationship_pages_free: Callable[..., None]
    pc_admin_relationship_wait: Callable[..., int]
    pc_admin_relationship_assign: Callable[..., int]
    pc_admin_relationship_assignments: Callable[..., int]
    pc_admin_relationship_terminate: Callable[..., int]

    def status_name(self, status: int) -> str:
        """``pc_status_name``: e.g. ``"PC_ERR_NOT_FOUND"``."""
        name = self.pc_status_name(status)
        return name.decode("utf-8", "replace") if name else "PC_UNKNOWN_STATUS"

    def version(self) -> str:
        """``pc_version``: the library version, e.g. ``"0.1.0"``."""
        version = self.pc_version()
        return version.decode("utf-8", "replace") if version else ""

    def take_string(self, pointer: ctypes.c_void_p, *, wipe: bool = False) -> Optional[str]:
        """Copies a library-owned string into a ``str`` and frees it (``NULL`` → ``None``).

        With ``wipe``, the native copy is zeroed before it is freed (for secrets).
        """
        address = pointer.value
        if not address:
            return None
        try:
            raw = ctypes.string_at(address)
            if wipe:
                ctypes.memset(address, 0, len(raw))
            return raw.decode("utf-8")
        finally:
            self.pc_string_free(pointer)
            pointer.value = None

    def last_error(self, status: int) -> PartnerCenterError:
        """The exception for ``status``, from this thread's last error (read it at once after
        the failing call, on the same thread)."""
        pointer = ctypes.c_void_p(self.pc_last_error_json())
        text = self.take_string(pointer)
        detail: Optional[Dict[str, Any]] = None
        if text:
            try:
                parsed = json.loads(text)
                detail = parsed if isinstance(parsed, dict) else None
            except ValueError:
                detail = None
        return error_from_detail(status, self.status_name(status), detail)

    def check(self, status: int) -> None:
        """Raises the exception for a failing status; nothing for ``PC_OK``."""
        if status != 0:
            raise self.last_error(status)


_library: Optional[NativeLibrary] = None
_library_lock = threading.Lock()


def library() -> NativeLibrary:
    """The native library, loaded on first use (thread-safe) and kept for the process."""
    global _library
    if _library is not None:
        return _library
    with _library_lock:
        if _library is None:
            tried = candidate_paths()
            for path in tried:
                if path.is_file():
                    _library = NativeLibrary(path.resolve())
                    break
            else:
                raise NativeLibraryError(
                    "the partnercenter native library was not found; looked at: "
                    + ", ".join(str(p) for p in tried)
                    + f". Install a wheel for this platform, or set {NATIVE_PATH_ENV} to the "
                    "library file or its folder."
                )
        return _library


class SecretBuffer:
    """A NUL-terminated UTF-8 copy of a string in memory ctypes owns, zeroed on exit.

    Used for options JSON that may hold secrets, so the copy handed to the library does not
    linger. (The Python ``str`` it came from cannot be wiped: Python strings are immutable.)
    """

    def __init__(self, text: str) -> None:
        self._buffer = ctypes.create_string_buffer(text.encode("utf-8"))

    def __enter__(self) -> ctypes.Array[ctypes.c_char]:
        return self._buffer

    def __exit__(self, *_: object) -> None:
        ctypes.memset(self._buffer, 0, ctypes.sizeof(self._buffer))


def utf8_argument(name: str, value: str) -> bytes:
    """A string argument as NUL-terminated UTF-8 for the library; refuses what C cannot carry."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise InvalidArgumentError(
            f"{name} contains a NUL character", status=104, status_name="PC_ERR_INVALID_ARGUMENT"
        )
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(
            f"{name} is not valid Unicode text", status=101, status_name="PC_ERR_INVALID_UTF8"
        ) from None


def out_pointers(count: int) -> Sequence[ctypes.c_void_p]:
    """``count`` fresh out-parameters, each initially ``NULL``."""
    return [ctypes.c_void_p() for _ in range(count)]
