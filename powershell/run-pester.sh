#!/usr/bin/env bash
# Runs every Pester test of the module in real PowerShell: builds the library and the emulator
# (debug), stages the module as it ships (powershell/stage-module.sh --debug), then runs
# Invoke-Pester -Path powershell in a fresh pwsh against that staged module.
# Prints "N passed, N failed" last; exits 1 when anything failed or did not run.
#
# Usage: powershell/run-pester.sh [Pester -Path ...]   (default: powershell)
# Environment: PARTNERCENTER_SKIP_BUILD=1 uses target/debug as it is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/dotnet-env.sh" || exit 1

if [[ "${PARTNERCENTER_SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$repo" && cargo build --quiet -p partnercenter -p partnercenter-emulator) || { echo "run-pester: cargo build failed" >&2; exit 1; }
fi
staged="$(bash "$here/stage-module.sh" --debug --out "$here/build" | tail -n 1)"
export PARTNERCENTER_MODULE_PATH="$staged"
export PARTNERCENTER_EMULATOR="$repo/target/debug/partnercenter-emulator"
paths=("$@")
[[ ${#paths[@]} -gt 0 ]] || paths=("$here")
joined="$(printf "'%s'," "${paths[@]}")"

echo "run-pester: $(pwsh -NoProfile -c '"PowerShell $($PSVersionTable.PSVersion), Pester $((Import-Module Pester -PassThru).Version)"'), module $staged"
cd "$repo"
timeout 1200 pwsh -NoProfile -NonInteractive -Command "
    \$ErrorActionPreference = 'Stop'
    Import-Module Pester -MinimumVersion 5.0
    \$config = New-PesterConfiguration
    \$config.Run.Path = @(${joined%,})
    \$config.Run.PassThru = \$true
    \$config.Output.Verbosity = 'Normal'
    \$result = Invoke-Pester -Configuration \$config
    '{0} passed, {1} failed' -f \$result.PassedCount, (\$result.FailedCount + \$result.FailedBlocksCount + \$result.FailedContainersCount)
    if (\$result.Result -ne 'Passed' -or \$result.PassedCount -eq 0) { exit 1 }
"
