#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 30 s each) from the committed seeds.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the stable toolchain provide them.
# A crash fails the run and leaves its input in fuzz/artifacts/<target>/: turn it into a
# regression test (copy it into fuzz/seeds/<target>/ and fix the cause).
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(options service_answer service_error token_answer customer_page next_link models query ffi_strings)
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo fuzz build -O "${targets[@]/#/}" >/dev/null 2>&1 || cargo fuzz build -O
report=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
    log="$(mktemp)"
    if ! cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 > "$log" 2>&1; then
        tail -40 "$log"
        echo "fuzz target $t FAILED (input saved under fuzz/artifacts/$t/)" >&2
        exit 1
    fi
    execs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' || echo "?")
    report+=("$t: $execs executions in ${seconds}s")
    rm -f "$log"
done
printf '%s\n' "${report[@]}"
