#!/usr/bin/env bash
# Builds the partnercenter wheel for this platform, with the native library inside, into
# bindings/python/dist/ and prints its path on the last line of stdout.
#
#   PARTNERCENTER_PROFILE=release|debug   cargo profile whose library is bundled (default release)
#   PARTNERCENTER_NATIVE_PATH=<file|dir>  bundle this library instead (no cargo at all)
#   CARGO_TARGET_DIR                      cargo's target folder (default <repo>/target)
#   PARTNERCENTER_WHEEL_PLAT              platform tag override (e.g. manylinux_2_17_x86_64)
#   PYTHON                                interpreter that runs pip (default python3)
#   --rebuild                             run cargo build even when the library exists
#
# The library is built only when missing (or with --rebuild): other work may share target/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
profile=${PARTNERCENTER_PROFILE:-release}
rebuild=0
for arg in "$@"; do
    case $arg in
        --rebuild) rebuild=1 ;;
        *) echo "build_wheel.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done

case "$(uname -s)" in
    Darwin) lib_name=libpartnercenter.dylib ;;
    MINGW* | MSYS* | CYGWIN*) lib_name=partnercenter.dll ;;
    *) lib_name=libpartnercenter.so ;;
esac

if [ -z "${PARTNERCENTER_NATIVE_PATH:-}" ]; then
    target=${CARGO_TARGET_DIR:-$root/target}
    lib=$target/$profile/$lib_name
    if [ "$rebuild" = 1 ] || [ ! -f "$lib" ]; then
        profile_flag=()
        if [ "$profile" = release ]; then profile_flag=(--release); elif [ "$profile" != debug ]; then profile_flag=(--profile "$profile"); fi
        echo "build_wheel.sh: cargo build ${profile_flag[*]:-} -p partnercenter --lib" >&2
        (cd "$root" && cargo build "${profile_flag[@]}" -p partnercenter --lib) >&2
    elif [ -n "$(find "$root/src" -name '*.rs' -newer "$lib" -print -quit 2>/dev/null)" ]; then
        echo "build_wheel.sh: warning: $lib is older than the Rust sources (use --rebuild)" >&2
    fi
    [ -f "$lib" ] || { echo "build_wheel.sh: $lib was not built" >&2; exit 1; }
    export PARTNERCENTER_NATIVE_PATH=$lib
fi

rm -rf "$here/dist"
mkdir -p "$here/dist"
# pip builds in isolation (hatchling from PyPI) and in-tree; hatch_build.py bundles the library
# named by PARTNERCENTER_NATIVE_PATH and tags the wheel py3-none-<platform>.
"$python" -m pip wheel --no-deps --disable-pip-version-check --wheel-dir "$here/dist" "$here" >&2
wheel=$(ls "$here"/dist/partnercenter-*.whl)
case "$wheel" in
    *-none-any.whl) echo "build_wheel.sh: $wheel is not platform-tagged" >&2; exit 1 ;;
esac
echo "$wheel"
