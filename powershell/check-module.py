#!/usr/bin/env python3
"""Static checks of the PartnerCenterNative PowerShell module, for machines without PowerShell.

- every .ps1/.psm1/.psd1 under powershell/ parses with the tree-sitter PowerShell grammar
  (tree-sitter-language-pack==0.13.0) with no ERROR or MISSING node;
- the manifest: FunctionsToExport lists exactly the functions of Public/, no wildcards, the
  editions and version the style asks for, PSData, and a FileList whose files exist;
- one function per file in Public/ and Private/, named as the file, with an approved verb and
  the PC noun prefix; every public function has [CmdletBinding()], [OutputType()], and
  comment-based help with .SYNOPSIS, .DESCRIPTION, a .PARAMETER for every parameter (and none for a
  parameter that does not exist) and two or more .EXAMPLEs; no secret is a plain [string]
  parameter; no `throw "text"`;
- the interop file is C# 5 (no $"", ?., nameof, out var, expression-bodied members) and, when
  mcs is installed, compiles with -langversion:5;
- the about_ help topic exists;
- every Verb-PCNoun cmdlet mentioned in the repository README exists in Public/.

Usage: python3 powershell/check-module.py        Last line: "N passed, N failed"; exit 1 on failure.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MODULE = HERE / "PartnerCenterNative"
SKIP_DIRS = {"build", "node_modules"}

# Approved verbs (Get-Verb) that a Partner Center module plausibly uses.
APPROVED_VERBS = {
    "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock",
    "Move", "New", "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize",
    "Search", "Select", "Set", "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
    "Connect", "Disconnect", "Read", "Receive", "Send", "Write", "Backup", "Checkpoint", "Compare",
    "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand", "Export", "Group",
    "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync",
    "Unpublish", "Update", "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy",
    "Disable", "Enable", "Install", "Invoke", "Register", "Request", "Restart", "Resume", "Start",
    "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait", "Debug", "Measure", "Ping",
    "Repair", "Resolve", "Test", "Trace", "Block", "Grant", "Protect", "Revoke", "Unblock",
    "Unprotect", "Use",
}
COMMON_PARAMETERS = {
    "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable",
    "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    "WhatIf", "Confirm", "ProgressAction",
}
SECRET_NAME = re.compile(r"(Secret|Token|Password)$", re.IGNORECASE)


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, name: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}")
            for line in detail.strip().splitlines():
                print(f"     {line}")
        return ok


def parser():
    try:
        import tree_sitter_language_pack as pack
    except ImportError:
        print("check-module: pip install tree-sitter-language-pack==0.13.0", file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(1)
    return pack.get_parser("powershell")


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def text(source: bytes, node) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace")


def powershell_files() -> list[Path]:
    files = []
    for path in sorted(HERE.rglob("*")):
        if path.suffix.lower() in (".ps1", ".psm1", ".psd1") and not (set(path.relative_to(HERE).parts) & SKIP_DIRS):
            files.append(path)
    return files


def parse_errors(tree, source: bytes) -> list[str]:
    errors = []
    for node in walk(tree.root_node):
        if node.type == "ERROR" or node.is_missing:
            line, column = node.start_point
            what = "missing " + node.type if node.is_missing else "cannot parse " + repr(text(source, node)[:40])
            errors.append(f"{line + 1}:{column + 1}: {what}")
    return errors


def manifest_entry(tree, source: bytes, key: str):
    for node in walk(tree.root_node):
        if node.type == "hash_entry":
            keys = [c for c in node.children if c.type == "key_expression"]
            if keys and text(source, keys[0]).strip().lower() == key.lower():
                return node
    return None


def manifest_strings(tree, source: bytes, key: str) -> list[str] | None:
    entry = manifest_entry(tree, source, key)
    if entry is None:
        return None
    values = []
    for node in walk(entry):
        if node.type == "string_literal":
            values.append(text(source, node).strip("'\""))
    return values


def help_sections(comment: str) -> dict[str, list[str]]:
    """Keyword -> list of arguments (e.g. PARAMETER -> names) of a comment-based help block."""
    sections: dict[str, list[str]] = {}
    for line in comment.splitlines():
        match = re.match(r"^\s*\.([A-Za-z]+)\s*(\S*)\s*$", line)
        if match:
            sections.setdefault(match.group(1).upper(), []).append(match.group(2))
    return sections


def help_body(comment: str, keyword: str) -> str:
    lines, inside = [], False
    for line in comment.splitlines():
        if re.match(r"^\s*\.[A-Za-z]+", line):
            inside = re.match(rf"^\s*\.{keyword}\b", line, re.IGNORECASE) is not None
            continue
        if inside:
            lines.append(line.strip().rstrip("#>").strip())
    return "\n".join(lines).strip()


def check_function_file(checks: Checks, ts, path: Path, public: bool) -> str | None:
    source = path.read_bytes()
    tree = ts.parse(source)
    rel = path.relative_to(HERE)
    functions = [n for n in walk(tree.root_node) if n.type == "function_statement"]
    top_level = [n for n in functions if n.parent is not None and n.parent.parent is not None and n.parent.parent.type == "program"]
    names = []
    for function in top_level:
        name_nodes = [c for c in function.children if c.type == "function_name"]
        if name_nodes:
            names.append(text(source, name_nodes[0]))
    if not checks.check(names == [path.stem], f"{rel}: one function, named {path.stem}", f"found {names}"):
        return None
    name = names[0]
    verb, _, noun = name.partition("-")
    checks.check(verb in APPROVED_VERBS and noun.startswith("PC") and len(noun) > 2,
                 f"{rel}: approved verb and PC noun prefix", name)
    if not public:
        return name

    function = top_level[0]
    body = text(source, function)
    checks.check("[CmdletBinding(" in body, f"{rel}: [CmdletBinding()]")
    checks.check("[OutputType(" in body, f"{rel}: [OutputType()]")

    parameters = []
    secret_strings = []
    param_blocks = [n for n in walk(function) if n.type == "param_block"]
    if param_blocks:
        block = param_blocks[0]
        for parameter in walk(block):
            if parameter.type != "script_parameter":
                continue
            variables = [c for c in parameter.children if c.type == "variable"]
            if not variables:
                continue
            parameter_name = text(source, variables[0]).lstrip("$")
            parameters.append(parameter_name)
            types = [text(source, a).lower() for a in walk(parameter) if a.type == "type_literal"]
            if SECRET_NAME.search(parameter_name) and any(t in ("[string]", "[system.string]") for t in types):
                secret_strings.append(parameter_name)
    parameters = [p for p in parameters if p not in COMMON_PARAMETERS]
    checks.check(not secret_strings, f"{rel}: secrets are SecureString or PSCredential", ", ".join(secret_strings))

    comments = [text(source, n) for n in walk(function) if n.type == "comment" and text(source, n).startswith("<#")]
    help_text = next((c for c in comments if ".SYNOPSIS" in c.upper()), None)
    if not checks.check(help_text is not None, f"{rel}: comment-based help"):
        return name
    sections = help_sections(help_text)
    checks.check(bool(help_body(help_text, "SYNOPSIS")), f"{rel}: .SYNOPSIS")
    checks.check(bool(help_body(help_text, "DESCRIPTION")), f"{rel}: .DESCRIPTION")
    documented = [p.lower() for p in sections.get("PARAMETER", [])]
    missing = [p for p in parameters if p.lower() not in documented]
    unknown = [p for p in sections.get("PARAMETER", []) if p.lower() not in [q.lower() for q in parameters]]
    checks.check(not missing and not unknown, f"{rel}: a .PARAMETER for each of {len(parameters)} parameters",
                 f"undocumented: {missing}; documented but absent: {unknown}")
    examples = len(sections.get("EXAMPLE", []))
    checks.check(examples >= 2, f"{rel}: {examples} .EXAMPLEs (two or more)")
    return name


def check_no_throw_text(checks: Checks, ts, files: list[Path]) -> None:
    offenders = []
    for path in files:
        if "tests" in path.relative_to(HERE).parts:
            continue
        source = path.read_bytes()
        tree = ts.parse(source)
        for node in walk(tree.root_node):
            if node.type == "flow_control_statement" and text(source, node).lower().startswith("throw"):
                argument = text(source, node)[5:].strip()
                if argument.startswith(("'", '"', "@'", '@"')):
                    line = node.start_point[0] + 1
                    offenders.append(f"{path.relative_to(HERE)}:{line}: {text(source, node)[:60]}")
    checks.check(not offenders, "no `throw \"text\"` in the module (ErrorRecords instead)", "\n".join(offenders))


def check_interop(checks: Checks) -> None:
    path = MODULE / "PartnerCenterNative.Interop.cs"
    if not checks.check(path.is_file(), "interop: PartnerCenterNative.Interop.cs exists"):
        return
    code_lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        # Blank out string contents (keeping a `$` prefix visible), then drop // comments.
        code = re.sub(r'"(?:\\.|[^"\\])*"', '""', line).split("//", 1)[0]
        code_lines.append((number, line, code))
    member = r"^\s*(?:(?:public|private|internal|protected|static|override|sealed|virtual|abstract|new)\s+)+"
    forbidden = {
        r'\$"': "interpolated string (C# 6)",
        r"\?\.": "null-conditional operator (C# 6)",
        r"\?\[": "null-conditional index (C# 6)",
        r"\bnameof\s*\(": "nameof (C# 6)",
        r"\bout\s+var\b": "out var (C# 7)",
        member + r"[^=]*\)\s*=>": "expression-bodied method (C# 6)",
        member + r"[\w<>\[\],. ?]+\s+\w+\s*=>": "expression-bodied property (C# 6)",
        r"\b(?:get|set)\s*=>": "expression-bodied accessor (C# 7)",
        r"\{\s*get;\s*(?:private\s+)?set;\s*\}\s*=": "auto-property initializer (C# 6)",
    }
    problems = []
    for number, line, code in code_lines:
        for pattern, what in forbidden.items():
            if re.search(pattern, code):
                problems.append(f"PartnerCenterNative.Interop.cs:{number}: {what}: {line.strip()}")
    checks.check(not problems, "interop: C# 5 only (no $\"\", ?., nameof, out var, => members)", "\n".join(problems))

    source = path.read_text(encoding="utf-8")
    header = REPO / "include" / "partnercenter.h"
    if header.is_file():
        exported = sorted(set(re.findall(r"\b(pc_[a-z_]+)\s*\(", re.sub(r"/\*.*?\*/", "", re.sub(r"//[^\n]*", "", header.read_text()), flags=re.S))))
        bound = set(re.findall(r'EntryPoint\s*=\s*"(pc_[a-z_]+)"', source))
        missing = [f for f in exported if f not in bound]
        checks.check(not missing, f"interop: binds all {len(exported)} functions of include/partnercenter.h",
                     f"not bound: {missing}")
    mcs = shutil.which("mcs")
    if mcs:
        with tempfile.TemporaryDirectory() as scratch:
            result = subprocess.run([mcs, "-langversion:5", "-target:library", "-warnaserror+", "-nologo",
                                     f"-out:{scratch}/interop.dll", str(path)], capture_output=True, text=True)
        checks.check(result.returncode == 0, "interop: compiles with mcs -langversion:5 -warnaserror+",
                     result.stdout + result.stderr)
    else:
        print("note: mcs not installed; the interop compile check is skipped (apt-get install mono-mcs)")


def main() -> int:
    checks = Checks()
    ts = parser()

    # 1. Every PowerShell file parses.
    files = powershell_files()
    checks.check(len(files) > 0, f"found {len(files)} PowerShell files under powershell/")
    for path in files:
        source = path.read_bytes()
        errors = parse_errors(ts.parse(source), source)
        checks.check(not errors, f"parse {path.relative_to(HERE)}",
                     "\n".join(f"{path.relative_to(REPO)}:{e}" for e in errors))

    # 2. Functions, one per file.
    public_files = sorted((MODULE / "Public").glob("*.ps1"))
    private_files = sorted((MODULE / "Private").glob("*.ps1"))
    public = [n for n in (check_function_file(checks, ts, p, True) for p in public_files) if n]
    for path in private_files:
        check_function_file(checks, ts, path, False)
    check_no_throw_text(checks, ts, files)

    # 3. The manifest.
    manifest_path = MODULE / "PartnerCenterNative.psd1"
    manifest_source = manifest_path.read_bytes()
    manifest = ts.parse(manifest_source)
    exports = manifest_strings(manifest, manifest_source, "FunctionsToExport") or []
    checks.check(sorted(exports) == sorted(public) and len(exports) == len(set(exports)),
                 "manifest: FunctionsToExport is exactly Public/",
                 f"manifest: {sorted(exports)}\nPublic/:  {sorted(public)}")
    checks.check(not any("*" in e for e in exports), "manifest: no wildcard exports")
    for key in ("CmdletsToExport", "VariablesToExport", "AliasesToExport"):
        values = manifest_strings(manifest, manifest_source, key)
        checks.check(values is not None and not any("*" in v for v in values), f"manifest: {key} explicit")
    editions = manifest_strings(manifest, manifest_source, "CompatiblePSEditions") or []
    checks.check(sorted(editions) == ["Core", "Desktop"], "manifest: CompatiblePSEditions Desktop and Core", str(editions))
    checks.check(manifest_strings(manifest, manifest_source, "PowerShellVersion") == ["5.1"], "manifest: PowerShellVersion 5.1")
    checks.check(manifest_strings(manifest, manifest_source, "RootModule") == ["PartnerCenterNative.psm1"], "manifest: RootModule")
    for key in ("Tags", "ProjectUri", "ReleaseNotes"):
        checks.check(manifest_entry(manifest, manifest_source, key) is not None, f"manifest: PSData {key}")
    file_list = manifest_strings(manifest, manifest_source, "FileList") or []
    absent = [f for f in file_list if not (MODULE / f).is_file()]
    shipped = sorted(str(p.relative_to(MODULE)).replace("\\", "/") for p in MODULE.rglob("*")
                     if p.is_file() and "tests" not in p.relative_to(MODULE).parts)
    unlisted = [f for f in shipped if f not in file_list]
    checks.check(not absent and not unlisted, "manifest: FileList matches the module's files",
                 f"listed but absent: {absent}\nnot listed: {unlisted}")
    version = manifest_strings(manifest, manifest_source, "ModuleVersion") or ["?"]
    interop_source = (MODULE / "PartnerCenterNative.Interop.cs").read_text(encoding="utf-8")
    interop_version = re.search(r'InteropVersion\s*=\s*"([^"]+)"', interop_source)
    psm1_version = re.search(r"\$interopVersion\s*=\s*'([^']+)'", (MODULE / "PartnerCenterNative.psm1").read_text(encoding="utf-8"))
    checks.check(bool(interop_version and psm1_version and interop_version.group(1) == psm1_version.group(1) == version[0]),
                 "versions agree: manifest, psm1 and interop",
                 f"manifest {version[0]}, psm1 {psm1_version and psm1_version.group(1)}, interop {interop_version and interop_version.group(1)}")

    # 4. The interop file.
    check_interop(checks)

    # 5. Help topic.
    about = MODULE / "en-US" / "about_PartnerCenterNative.help.txt"
    about_text = about.read_text(encoding="utf-8") if about.is_file() else ""
    checks.check("about_PartnerCenterNative" in about_text and all(f in about_text for f in public),
                 "en-US/about_PartnerCenterNative.help.txt names every public function")

    # 6. Tests exist.
    checks.check(any((MODULE / "tests").glob("*.Tests.ps1")), "Pester tests in PartnerCenterNative/tests/")

    # 7. README cmdlets.
    readme = REPO / "README.md"
    if readme.is_file():
        mentioned = sorted(set(re.findall(r"\b([A-Z][a-z]+-PC[A-Za-z]+)\b", readme.read_text(encoding="utf-8"))))
        unknown = [c for c in mentioned if c not in public]
        checks.check(not unknown, f"README: its {len(mentioned)} PC cmdlets exist in Public/", f"not in Public/: {unknown}")
    else:
        print("note: README.md does not exist yet; the README cmdlet check is skipped")

    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
