# Sourced by the PowerShell test scripts: puts dotnet and pwsh on PATH. On the project's own
# machines they come from ../shared/tools (an offline .NET SDK, PowerShell and NuGet feed);
# elsewhere the dotnet and pwsh already on PATH are used (.NET SDK 8+, PowerShell 7.4+).
# Fails with a clear message when there are none.
_pc_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -f "$_pc_repo/../shared/tools/setup.sh" ]]; then
    eval "$(bash "$_pc_repo/../shared/tools/setup.sh")" || { echo "dotnet-env: ../shared/tools/setup.sh failed" >&2; return 1; }
fi
command -v dotnet >/dev/null 2>&1 || { echo "dotnet not found: install the .NET SDK 8 or later (https://dot.net)" >&2; return 1; }
command -v pwsh >/dev/null 2>&1 || { echo "pwsh not found: install PowerShell 7.4 or later (https://aka.ms/powershell)" >&2; return 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off
unset _pc_repo
