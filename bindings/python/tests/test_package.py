"""The package as installed: where it was imported from, the bundled library, the declarations."""

from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path

import pytest

import partnercenter
from conftest import REPO
from partnercenter import _native


@pytest.mark.skipif(not os.environ.get("PARTNERCENTER_TEST_VENV"), reason="run through run-tests.sh")
def test_imported_from_the_installed_wheel_in_a_fresh_venv() -> None:
    venv = Path(os.environ["PARTNERCENTER_TEST_VENV"]).resolve()
    package_file = Path(partnercenter.__file__).resolve()
    assert Path(sys.prefix).resolve() == venv
    assert venv in package_file.parents, package_file
    assert "site-packages" in package_file.parts
    assert "PARTNERCENTER_NATIVE_PATH" not in os.environ
    # The bundled copy, inside the installed package.
    assert partnercenter.native_library_path() == package_file.parent / _native.library_file_name()


def test_the_native_library_loads_and_matches_the_package() -> None:
    assert partnercenter.native_library_path().is_file()
    assert partnercenter.native_version() == partnercenter.__version__


def test_every_function_of_the_header_is_declared() -> None:
    header = (REPO / "include" / "partnercenter.h").read_text()
    declared = set(re.findall(r"^\S[^\n(]*?\b(pc_\w+)\(", header, re.MULTILINE))
    assert declared, "no functions found in the header"
    assert declared == set(_native._PROTOTYPES) | set(_native._OPTIONAL_PROTOTYPES)
    lib = _native.library()
    for name, (restype, argtypes) in _native._PROTOTYPES.items():
        function = getattr(lib, name)
        assert function.argtypes == argtypes, name
        assert function.restype is restype, name
    # Strings the library allocates are raw pointers (freed by us), never auto-converted bytes.
    assert lib.pc_last_error_json.restype is ctypes.c_void_p
    assert lib.pc_last_error_message.restype is ctypes.c_void_p


def test_status_names_and_the_status_mapping() -> None:
    lib = _native.library()
    assert lib.status_name(0) == "PC_OK"
    assert lib.status_name(301) == "PC_ERR_NOT_FOUND"
    assert lib.status_name(12345) == "PC_UNKNOWN_STATUS"
    assert partnercenter.errors.error_class(301) is partnercenter.NotFoundError
    assert partnercenter.errors.error_class(12345) is partnercenter.PartnerCenterError


def test_a_missing_library_is_an_os_error_listing_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTNERCENTER_NATIVE_PATH", str(tmp_path))
    paths = _native.candidate_paths()
    assert paths == [tmp_path / _native.library_file_name()]
    monkeypatch.setattr(_native, "_library", None)
    with pytest.raises(partnercenter.NativeLibraryError) as caught:
        partnercenter.native_library_path()
    assert isinstance(caught.value, OSError)
    assert str(tmp_path) in str(caught.value)
    assert "PARTNERCENTER_NATIVE_PATH" in str(caught.value)


def test_a_file_that_is_not_the_library_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / _native.library_file_name()
    bogus.write_bytes(b"not a shared library")
    with pytest.raises(partnercenter.NativeLibraryError) as caught:
        _native.NativeLibrary(bogus)
    assert str(bogus) in str(caught.value)


def test_the_package_is_typed() -> None:
    assert (Path(partnercenter.__file__).parent / "py.typed").is_file()
