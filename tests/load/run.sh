#!/usr/bin/env bash
# Bounded load and soak through the C ABI against the emulator, with ~2% 429 and ~2% 503
# injected. Usage: tests/load/run.sh [debug|release] [CALLS] [THREADS] [CYCLES]
# Prints the figures as JSON (RELIABILITY.md records a release run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
profile=${1:-release}
calls=${2:-20000}
threads=${3:-16}
cycles=${4:-1000}
target="$root/target/$profile"
build="$root/target/load"
mkdir -p "$build"
if [ "$profile" = release ]; then
    cargo build --quiet --release -p partnercenter -p partnercenter-emulator
fi
gcc -std=c11 -Wall -Wextra -Werror -O2 -pthread -I"$root/include" "$here/load.c" -o "$build/load" \
    -L"$target" -lpartnercenter -Wl,-rpath,"$target"

"$target/partnercenter-emulator" --port 0 --exit-on-stdin-eof > "$build/url" 2> "$build/emulator.log" < <(sleep 1200) &
emu=$!
trap 'kill $emu 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$build/url" ] && break; sleep 0.1; done
base=$(head -n1 "$build/url")
[ -n "$base" ] || { echo "the emulator did not start" >&2; exit 1; }
post() {
    python3 -c 'import sys, urllib.request
r = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), headers={"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(r, timeout=5).read()' "$base/_emulator/faults" "$1"
}
post '{"method":"GET","path":"/v1/customers/relationshiprequests","status":429,"retryAfter":0,"count":0,"probability":0.02,"seed":7}'
post '{"method":"GET","path":"/v1/customers/relationshiprequests","status":503,"retryAfter":0,"count":0,"probability":0.02,"seed":11}'
timeout 900 "$build/load" "$base" "$calls" "$threads" "$cycles"
