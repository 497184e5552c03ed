#!/usr/bin/env bash
# The Python package's tests, in one command: builds the native library and the emulator if
# they are missing, builds the wheel, installs it into a fresh virtual environment with pytest,
# and runs tests/ with that environment's interpreter — so what is tested is the installed
# wheel, not the source tree. The tests start the emulator themselves (--port 0
# --exit-on-stdin-eof) and stop it at the end. Exits non-zero on any failure.
#
#   PARTNERCENTER_PROFILE   cargo profile of the bundled library (default here: debug)
#   PYTHON                  interpreter that makes the venv (default python3)
#   extra arguments go to pytest, e.g. bash run-tests.sh -k device
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
export PARTNERCENTER_PROFILE=${PARTNERCENTER_PROFILE:-debug}
target=${CARGO_TARGET_DIR:-$root/target}

case "$(uname -s)" in
    Darwin) lib_name=libpartnercenter.dylib; exe= ;;
    MINGW* | MSYS* | CYGWIN*) lib_name=partnercenter.dll; exe=.exe ;;
    *) lib_name=libpartnercenter.so; exe= ;;
esac

if [ ! -f "$target/$PARTNERCENTER_PROFILE/$lib_name" ]; then
    profile_flag=()
    [ "$PARTNERCENTER_PROFILE" = release ] && profile_flag=(--release)
    (cd "$root" && timeout 1800 cargo build "${profile_flag[@]}" -p partnercenter --lib)
fi
emulator=$target/debug/partnercenter-emulator$exe
if [ ! -x "$emulator" ]; then
    (cd "$root" && timeout 1800 cargo build -p partnercenter-emulator)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/partnercenter-python.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "=== building the wheel ($PARTNERCENTER_PROFILE library)"
unset PARTNERCENTER_NATIVE_PATH
wheel=$(PYTHON=$python timeout 900 bash "$here/build_wheel.sh" | tail -n 1)
echo "$wheel ($(du -h "$wheel" | cut -f1))"

echo "=== installing it into a fresh venv"
timeout 120 "$python" -m venv "$work/venv"
bin=$work/venv/bin
[ -d "$bin" ] || bin=$work/venv/Scripts
timeout 600 "$bin/python" -m pip install --quiet --disable-pip-version-check "$wheel" "pytest>=7" "pytest-timeout>=2"

echo "=== pytest (the installed wheel, against the emulator)"
# Run from the scratch folder with the config given explicitly: nothing from the source tree
# (bindings/python/src) can shadow the installed package.
cd "$work"
PARTNERCENTER_TEST_VENV=$work/venv PARTNERCENTER_EMULATOR=$emulator \
    timeout 1200 "$bin/python" -m pytest -p no:cacheprovider -c "$here/pyproject.toml" --rootdir "$here" \
    "$here/tests" "$@"
