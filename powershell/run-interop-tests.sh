#!/usr/bin/env bash
# Runs the PartnerCenterNative interop tests: the module's C# interop (C# 5) compiled with
# `mcs -langversion:5` together with powershell/interop-tests/InteropTests.cs, run against the
# emulator under Mono AND under the .NET Core 3.1 runtime of PyPI's `dotnetcore2`.
#
# Usage: powershell/run-interop-tests.sh
# Environment:
#   PARTNERCENTER_SKIP_BUILD=1      use target/debug as it is (no cargo build)
#   PARTNERCENTER_EMULATOR=<path>   the emulator binary (default target/debug/partnercenter-emulator)
#   DOTNET=<path>                   the dotnet host (default: the one inside the dotnetcore2 wheel)
# Needs: cargo, mcs and mono (apt: mono-mcs mono-runtime), python3 with dotnetcore2 (pip).
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
command -v mcs >/dev/null 2>&1 || fail "mcs not found: install Mono's C# compiler (apt-get install -y mono-mcs mono-runtime)"
command -v mono >/dev/null 2>&1 || fail "mono not found: apt-get install -y mono-runtime"
if [[ -z "${DOTNET:-}" ]]; then
    wheel="$(python3 -c 'import dotnetcore2, os; print(os.path.dirname(dotnetcore2.__file__))' 2>/dev/null || true)"
    [[ -n "$wheel" && -x "$wheel/bin/dotnet" ]] || fail "the .NET Core 3.1 runtime was not found: pip install dotnetcore2 (or set DOTNET to a dotnet host)"
    DOTNET="$wheel/bin/dotnet"
fi
[[ -x "$DOTNET" ]] || fail "DOTNET=$DOTNET is not executable"

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

# --- compile: the same source for both runtimes ------------------------------------------------
mcs -langversion:5 -warnaserror+ -nologo -out:"$bin/InteropTests.exe" \
    "$staged/PartnerCenterNative.Interop.cs" "$here/interop-tests/InteropTests.cs" \
    || fail "mcs -langversion:5 failed"
cat >"$bin/InteropTests.runtimeconfig.json" <<'JSON'
{
  "runtimeOptions": {
    "tfm": "netcoreapp3.1",
    "framework": { "name": "Microsoft.NETCore.App", "version": "3.1.0" }
  }
}
JSON

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

# --- run under both CLRs -----------------------------------------------------------------------
status=0
echo "== Mono: $(mono --version | head -n 1)"
if ! timeout 600 mono "$bin/InteropTests.exe" "$staged" "$base_url"; then
    echo "run-interop-tests: FAILED under Mono" >&2
    status=1
fi
echo "== .NET Core: $DOTNET"
if ! DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    timeout 600 "$DOTNET" "$bin/InteropTests.exe" "$staged" "$base_url"; then
    echo "run-interop-tests: FAILED under .NET Core" >&2
    status=1
fi
if [[ $status -eq 0 ]]; then
    echo "run-interop-tests: passed under Mono and .NET Core"
fi
exit $status
