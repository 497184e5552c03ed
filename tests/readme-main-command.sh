#!/usr/bin/env bash
# Runs the README's first set-up command exactly as written (the first ```sh block), with no
# PARTNERCENTER_* credentials: it must print an invitation link and say on stderr that it used
# the built-in emulator.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command=$(awk '/^```sh$/ { getline; print; exit }' README.md)
[ -n "$command" ] || { echo "no sh block in README.md" >&2; exit 1; }
echo "README main command: $command"
for var in $(env | grep -o '^PARTNERCENTER_[A-Z_]*'); do unset "$var"; done
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 900 bash -c "$command" >"$out" 2>"$err" || { cat "$err" >&2; echo "the command failed" >&2; exit 1; }
grep -q '^https://.*partnerId=' "$out" || { cat "$out" "$err" >&2; echo "no invitation link on stdout" >&2; exit 1; }
grep -qi 'emulator' "$err" || { cat "$err" >&2; echo "stderr does not say the emulator was used" >&2; exit 1; }
echo "ok: $(head -c 80 "$out")..."
