"""Wheel build hook: puts the native library inside the wheel and tags the wheel for this platform.

The package itself is pure Python (ctypes), so the wheel is ``py3-none-<platform>``: any Python 3
interpreter on this platform can use it, and pip will not install it on another platform.

Where the library comes from, first match wins:

* ``PARTNERCENTER_NATIVE_PATH`` — the library file, or a folder holding it;
* ``<cargo target dir>/<profile>/`` — the target dir is ``CARGO_TARGET_DIR`` or the repository's
  ``target/``; the profile is ``PARTNERCENTER_PROFILE`` (default ``release``).

``PARTNERCENTER_WHEEL_PLAT`` overrides the platform tag (e.g. ``manylinux_2_17_x86_64`` once
auditwheel has checked the library).
"""

from __future__ import annotations

import os
import platform
import sys
import sysconfig
from pathlib import Path
from typing import Any, Dict

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def native_library_name() -> str:
    """The file name cargo gives the cdylib on this platform."""
    if sys.platform == "win32":
        return "partnercenter.dll"
    if sys.platform == "darwin":
        return "libpartnercenter.dylib"
    return "libpartnercenter.so"


def platform_tag() -> str:
    """The wheel platform tag for a native library built on this machine."""
    override = os.environ.get("PARTNERCENTER_WHEEL_PLAT")
    if override:
        return override
    if sys.platform == "darwin":
        machine = platform.machine()
        # rustc's default deployment targets: 11.0 on Apple silicon, 10.12 on Intel.
        default = "11.0" if machine == "arm64" else "10.12"
        target = os.environ.get("MACOSX_DEPLOYMENT_TARGET", default)
        major, _, minor = target.partition(".")
        return f"macosx_{major}_{minor or '0'}_{machine}"
    # linux_x86_64, linux_aarch64, win_amd64, win_arm64 …
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


class NativeLibraryHook(BuildHookInterface):
    """Adds the cdylib to the wheel as ``partnercenter/<library file>``."""

    PLUGIN_NAME = "custom"

    def _find_library(self) -> Path:
        name = native_library_name()
        tried = []
        explicit = os.environ.get("PARTNERCENTER_NATIVE_PATH")
        if explicit:
            candidate = Path(explicit)
            if candidate.is_dir():
                candidate = candidate / name
            tried.append(candidate)
        else:
            root = Path(self.root).resolve()
            target_dir = os.environ.get("CARGO_TARGET_DIR")
            target = Path(target_dir) if target_dir else root.parent.parent / "target"
            profile = os.environ.get("PARTNERCENTER_PROFILE", "release")
            tried.append(target / profile / name)
        for candidate in tried:
            if candidate.is_file():
                return candidate.resolve()
        raise RuntimeError(
            "the native library to bundle was not found; tried: "
            + ", ".join(str(p) for p in tried)
            + ". Build it first (cargo build --release, or PARTNERCENTER_PROFILE=debug with"
            " cargo build) or set PARTNERCENTER_NATIVE_PATH."
        )

    def initialize(self, version: str, build_data: Dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            # An editable install loads the library through PARTNERCENTER_NATIVE_PATH.
            return
        library = self._find_library()
        build_data["force_include"][str(library)] = f"partnercenter/{library.name}"
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{platform_tag()}"
        self.app.display_info(f"bundling {library} as partnercenter/{library.name}")
