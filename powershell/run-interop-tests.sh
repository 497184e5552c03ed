#!/usr/bin/env bash
# Runs the PartnerCenterNative interop tests (powershell/interop-tests, over the module's
# assembly: library lookup and loading, UTF-8, handles, errors, threads) against the emulator
# on the .NET runtime.
#
# Usage: powershell/run-interop-tests.sh
# Environment:
#   PARTNERCENTER_SKIP_BUILD=1      use target/debug as it is (no cargo build)
#   PARTNERCENTER_EMULATOR=<path>   the emulator binary (default target/debug/partnercenter-emulator)
# Needs: cargo, python3, the .NET SDK 8+ (on this project's machines from ../shared/tools).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="$here/build"
staged="$build/PartnerCenterNative"
bin="$build/interop-tests"

fail() {
    echo "run-interop-tests: $*" >&2
    exit 1
}

# --- prerequisites, each with a clear message --------------------------------------------------
source "$here/dotnet-env.sh" || exit 1

# --- native library and emulator ---------------------------------------------------------------
if [[ "${PARTNERCENTER_SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$repo" && cargo build --quiet -p partnercenter -p partnercenter-emulator) || fail "cargo build failed"
fi
library="$repo/target/debug/libpartnercenter.so"
emulator="${PARTNERCENTER_EMULATOR:-$repo/target/debug/partnercenter-emulator}"
[[ -f "$library" ]] || fail "$library not found (cargo build)"
[[ -x "$emulator" ]] || fail "$emulator not found (cargo build -p partnercenter-emulator)"

# --- stage the module as it ships: runtimes/<rid>/native/ (the packaging command itself) ------
rm -rf "$bin"
mkdir -p "$bin"
bash "$here/stage-module.sh" --debug --out "$build" --rid linux-x64 --library "$library" >/dev/null \
    || fail "stage-module.sh failed"
[[ -f "$staged/runtimes/linux-x64/native/libpartnercenter.so" ]] || fail "staging did not place the library"

# --- build the tests over the module's assembly ---------------------------------------------
dotnet build "$here/interop-tests/InteropTests.csproj" -c Debug --nologo -v quiet -o "$bin" >/dev/null \
    || fail "dotnet build of the interop tests failed"

# --- the emulator, stopped on exit -------------------------------------------------------------
emulator_pid=""
emulator_out="$bin/emulator.out"
cleanup() {
    if [[ -n "$emulator_pid" ]]; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT INT TERM
# 1,200 customers: a complete listing takes three pages of 500. A tight rate limit (200 requests
# per 2 s) lets a test run into it and survive it through Retry-After in a few seconds; the tests
# learn both figures from the environment.
export PARTNERCENTER_EMULATOR_CUSTOMERS=1200
export PARTNERCENTER_EMULATOR_RATE_LIMIT=200
"$emulator" --port 0 --device-code-interval 1 --customers "$PARTNERCENTER_EMULATOR_CUSTOMERS" --seed 7 \
    --customer-rate-limit "$PARTNERCENTER_EMULATOR_RATE_LIMIT" --customer-rate-window 2 \
    >"$emulator_out" 2>"$bin/emulator.err" &
emulator_pid=$!
base_url=""
for _ in $(seq 1 100); do
    base_url="$(head -n 1 "$emulator_out" 2>/dev/null || true)"
    [[ "$base_url" == http* ]] && break
    kill -0 "$emulator_pid" 2>/dev/null || fail "the emulator exited: $(cat "$bin/emulator.err")"
    sleep 0.1
done
[[ "$base_url" == http* ]] || fail "the emulator printed no base URL within 10 s"
echo "emulator: $base_url"

# --- run -------------------------------------------------------------------------------------
echo "== $(dotnet --list-runtimes | grep Microsoft.NETCore.App | tail -n 1)"
if ! timeout 600 dotnet "$bin/PartnerCenterNative.InteropTests.dll" "$staged" "$base_url"; then
    fail "FAILED"
fi
echo "run-interop-tests: passed"
