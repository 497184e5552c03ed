#!/usr/bin/env bash
# Builds the C client against include/partnercenter.h with -Wall -Wextra -Werror, links it to
# the built cdylib, starts the emulator binary and runs the client (under valgrind when it is
# installed: no leaks, no errors), then the SIGPIPE test against the same emulator.
# Usage: tests/c/run.sh [debug|release]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
profile=${1:-debug}
target="$root/target/$profile"
build="$here/build"
mkdir -p "$build"

[ -f "$target/libpartnercenter.so" ] || { echo "missing $target/libpartnercenter.so: run cargo build first" >&2; exit 1; }
[ -x "$target/partnercenter-emulator" ] || { echo "missing $target/partnercenter-emulator" >&2; exit 1; }

gcc -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -pthread \
    -I"$root/include" "$here/client_test.c" -o "$build/client_test" \
    -L"$target" -lpartnercenter -Wl,-rpath,"$target"
gcc -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -pthread \
    -I"$root/include" "$here/sigpipe_test.c" -o "$build/sigpipe_test" \
    -L"$target" -lpartnercenter -Wl,-rpath,"$target"
gcc -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -pthread \
    -I"$root/include" "$here/gdap_test.c" -o "$build/gdap_test" \
    -L"$target" -lpartnercenter -Wl,-rpath,"$target"
# The header must also compile as C++ (cpp_compat) for C++ callers.
if command -v g++ >/dev/null; then
    echo '#include "partnercenter.h"
int main() { return pc_version() == nullptr; }' | g++ -std=c++17 -Wall -Wextra -Werror -x c++ -I"$root/include" - -fsyntax-only
fi

# The hostile caller: against a build with the test-only panic export (never in release), under
# valgrind, and under AddressSanitizer (the C side instrumented; malloc/free interposed for all).
cargo build --quiet --features test-exports --target-dir "$root/target/test-exports" -p partnercenter
hostile_lib="$root/target/test-exports/debug"
gcc -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -DPC_TEST_EXPORTS -I"$root/include" \
    "$here/hostile_test.c" -o "$build/hostile_test" -L"$hostile_lib" -lpartnercenter -Wl,-rpath,"$hostile_lib"
gcc -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
    -DPC_TEST_EXPORTS -I"$root/include" "$here/hostile_test.c" -o "$build/hostile_test_asan" \
    -L"$hostile_lib" -lpartnercenter -Wl,-rpath,"$hostile_lib"
echo "--- hostile caller under AddressSanitizer"
RUST_BACKTRACE=0 ASAN_OPTIONS=detect_leaks=0 "$build/hostile_test_asan" 2> "$build/hostile_asan.log" \
    || { cat "$build/hostile_asan.log" >&2; exit 1; }
if command -v valgrind >/dev/null; then
    echo "--- hostile caller under valgrind"
    RUST_BACKTRACE=0 valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect "$build/hostile_test" 2> "$build/hostile_valgrind.log" \
        || { cat "$build/hostile_valgrind.log" >&2; exit 1; }
fi

echo "--- client against the emulator"
log="$build/emulator.log"
"$target/partnercenter-emulator" --port 0 --device-code-interval 1 --customers 1203 --exit-on-stdin-eof > "$build/emulator.url" 2> "$log" < <(sleep 600) &
emu=$!
trap 'kill $emu 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$build/emulator.url" ] && break; sleep 0.1; done
base=$(head -n1 "$build/emulator.url")
[ -n "$base" ] || { echo "the emulator did not start" >&2; cat "$log" >&2; exit 1; }

if command -v valgrind >/dev/null; then
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect "$build/client_test" "$base"
else
    echo "valgrind not installed: running without it" >&2
    "$build/client_test" "$base"
fi

echo "--- GDAP admin relationships against the emulator's Graph"
# Bounded: a wait that ignored its timeout would otherwise hang the run (it takes ~10 s).
if command -v valgrind >/dev/null; then
    timeout 300 valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect "$build/gdap_test" "$base"
else
    timeout 300 "$build/gdap_test" "$base"
fi

# SIGPIPE with the default disposition, on every write path (token form, PUT body, headers),
# against a peer that closes mid-upload. Not under valgrind: it moves 8 MiB bodies 18 times.
# A death by SIGPIPE shows as exit 141.
echo "--- SIGPIPE: default disposition, peers that close mid-upload"
"$build/sigpipe_test" "$base" || { status=$?; echo "sigpipe_test exited $status (141 = killed by SIGPIPE)" >&2; exit 1; }
