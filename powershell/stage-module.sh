#!/usr/bin/env bash
# Builds and stages the PartnerCenterNative binary module with the native library for this
# platform, ready for Import-Module and Publish-Module:
#
#   cargo build --release && bash powershell/stage-module.sh
#   Import-Module ./powershell/build/PartnerCenterNative      # the printed path
#
# It builds PartnerCenterNative.dll (dotnet build of powershell/src, netstandard2.0), generates
# the cmdlet help (MAML) from powershell/help/*.md, and lays out
# <out>/PartnerCenterNative/{PartnerCenterNative.psd1, PartnerCenterNative.dll,
# PartnerCenterNative.format.ps1xml, en-US/, runtimes/<rid>/native/<library>} (tests not shipped).
# Needs: the .NET SDK 8 or later (dotnet) and python3.
#
# Options:
#   --debug          take the library from target/debug instead of target/release, and build
#                    the dll in the Debug configuration
#   --out DIR        stage into DIR/PartnerCenterNative (default: powershell/build)
#   --rid RID        the runtime identifier to stage for (default: this machine's, e.g. linux-x64)
#   --library FILE   the library to stage (default: target/<profile>/<platform file name>)
#   --add            keep the runtimes/ already staged (to gather several platforms in one module)
# Prints the staged module folder on stdout as its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
profile=release
out="$here/build"
rid=""
library=""
add=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        --debug) profile=debug ;;
        --out) out="$2"; shift ;;
        --rid) rid="$2"; shift ;;
        --library) library="$2"; shift ;;
        --add) add=1 ;;
        -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "stage-module: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

os="$(uname -s)"
machine="$(uname -m)"
case "$machine" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    i386 | i686) arch=x86 ;;
    *) arch="$machine" ;;
esac
case "$os" in
    Linux) platform=linux; file=libpartnercenter.so ;;
    Darwin) platform=osx; file=libpartnercenter.dylib ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) platform=win; file=partnercenter.dll ;;
    *) echo "stage-module: unsupported system $os" >&2; exit 1 ;;
esac
rid="${rid:-$platform-$arch}"
case "$rid" in
    win-*) file=partnercenter.dll ;;
    osx*) file=libpartnercenter.dylib ;;
    *) file=libpartnercenter.so ;;
esac

if [[ -z "$library" ]]; then
    target_dir="${CARGO_TARGET_DIR:-$repo/target}"
    library="$target_dir/$profile/$file"
fi
if [[ ! -f "$library" ]]; then
    echo "stage-module: $library not found; build it first: cargo build$([[ $profile == release ]] && echo ' --release')" >&2
    exit 1
fi

command -v dotnet >/dev/null 2>&1 || { echo "stage-module: dotnet not found: install the .NET SDK 8 or later" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "stage-module: python3 not found (it generates the cmdlet help)" >&2; exit 1; }
configuration=Release
[[ $profile == debug ]] && configuration=Debug
dotnet build "$here/src/PartnerCenterNative.csproj" -c "$configuration" --nologo -v quiet >&2 \
    || { echo "stage-module: dotnet build failed" >&2; exit 1; }
assembly="$here/src/bin/$configuration/netstandard2.0/PartnerCenterNative.dll"

staged="$out/PartnerCenterNative"
if [[ $add -eq 1 && -d "$staged/runtimes" ]]; then
    keep="$(mktemp -d)"
    cp -R "$staged/runtimes" "$keep/"
fi
rm -rf "$staged"
mkdir -p "$staged"
source_module="$here/PartnerCenterNative"
cp "$source_module/PartnerCenterNative.psd1" "$source_module/PartnerCenterNative.format.ps1xml" "$assembly" "$staged/"
cp -R "$source_module/en-US" "$staged/"
python3 "$here/help/build-help.py" --out "$staged/en-US" >/dev/null \
    || { echo "stage-module: generating the cmdlet help failed" >&2; exit 1; }
if [[ -n "${keep:-}" ]]; then
    cp -R "$keep/runtimes" "$staged/"
    rm -rf "$keep"
fi
mkdir -p "$staged/runtimes/$rid/native"
cp "$library" "$staged/runtimes/$rid/native/$file"

echo "stage-module: staged $rid ($library)" >&2
staged="$(cd "$staged" && pwd)"
if [[ $platform == win ]] && command -v cygpath >/dev/null 2>&1; then
    cygpath -w "$staged"
else
    echo "$staged"
fi
