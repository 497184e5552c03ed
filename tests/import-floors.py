#!/usr/bin/env python3
"""Finds import circles between the files of each Rust crate of the tree (issue 16).

A file imports another when it names an item of the other's module: `use crate::a::b`, an inline
`crate::a::f()`, `super::X`, or `child::f()` for a module it declares. Module declarations alone
(`mod child;`) are not imports. Files that import each other, directly or round a loop, are
printed as one circle; the exit status is 1 when there is any.

Usage: tests/import-floors.py [--graph] [CRATE_SRC_DIR...]   (default: every crate of the tree)
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every package of the workspace with a src/ (fuzz targets and test files are one-file crates).
DEFAULT_CRATES = ["src", "emulator/src", "cli/src", "bench/src"]
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments_and_strings(text):
    """The code with comments, string and char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    out.append("\n" if text[i] == "\n" else "")
                    i += 1
        elif c == "r" and re.match(r'r#*"', text[i:i + 40]) and (i == 0 or not re.match(r"\w", text[i - 1])):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + 2 + len(hashes))
            end = n if end < 0 else end + 1 + len(hashes)
            out.append('""' + "\n" * text.count("\n", i, end))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]) or (c == "'" and text.startswith("'\\u{", i)):
            j = text.find("'", i + 1)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Crate:
    def __init__(self, src):
        self.src = src
        self.modules = {}  # module path tuple -> file
        root = next((src / n for n in ("lib.rs", "main.rs") if (src / n).exists()), None)
        if root is None:
            raise SystemExit(f"{src}: no lib.rs or main.rs")
        self.root = root
        self._collect((), root)

    def _collect(self, path, file):
        self.modules[path] = file
        code = strip_comments_and_strings(file.read_text())
        here = file.parent if file.name in ("lib.rs", "main.rs", "mod.rs") else file.with_suffix("")
        for name in re.findall(rf"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+({IDENT})\s*;", code, re.M):
            for candidate in (here / f"{name}.rs", here / name / "mod.rs"):
                if candidate.exists():
                    self._collect(path + (name,), candidate)
                    break

    def file_of(self, path):
        """The file holding the longest module prefix of `path`."""
        for k in range(len(path), -1, -1):
            if path[:k] in self.modules:
                return self.modules[path[:k]]
        return None


def expand_use(tree):
    """`a::{b, c::{d, e}}` -> [[a,b],[a,c,d],[a,c,e]] (aliases and globs dropped)."""
    # An alias (`x as y`) is dropped while its spaces still mark it: `access_assignments` is
    # a name, not `access_` aliased.
    tree = re.sub(r"\s+as\s+[A-Za-z_0-9]+", "", tree)
    tree = re.sub(r"\s+", "", tree)

    def split_top(s):
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            parts.append(cur)
        return parts

    def walk(prefix, s):
        m = re.match(r"^((?:[A-Za-z_0-9]+::)*)\{(.*)\}$", s)
        if m:
            head = [p for p in m.group(1).split("::") if p]
            result = []
            for part in split_top(m.group(2)):
                result += walk(prefix + head, part)
            return result
        segs = [p for p in re.split(r"::", s) if p and p != "*"]
        return [prefix + segs]

    return walk([], tree)


def imports(crate):
    """file -> set of files it imports."""
    edges = {}
    for mod_path, file in crate.modules.items():
        code = strip_comments_and_strings(file.read_text())
        children = {p[-1] for p in crate.modules if len(p) == len(mod_path) + 1 and p[:-1] == mod_path}
        targets = set()
        # Inline `mod x { ... }` blocks: `super` inside them is one level less far.
        inline_depth_at = []
        depth, stack = 0, []
        for m in re.finditer(rf"\bmod\s+{IDENT}\s*\{{|\{{|\}}", code):
            tok = m.group(0)
            if tok.startswith("mod"):
                depth += 1
                stack.append(True)
            elif tok == "{":
                stack.append(False)
            else:
                if stack and stack.pop():
                    depth -= 1
            inline_depth_at.append((m.end(), depth))

        def inline_depth(pos):
            d = 0
            for end, dep in inline_depth_at:
                if end > pos:
                    break
                d = dep
            return d

        def resolve(segs, pos):
            if not segs:
                return None
            if segs[0] == "crate":
                return tuple(segs[1:])
            base = list(mod_path)
            extra = inline_depth(pos)
            if segs[0] in ("self", "super"):
                i = 0
                while i < len(segs) and segs[i] in ("self", "super"):
                    if segs[i] == "super":
                        if extra:
                            extra -= 1
                        elif base:
                            base.pop()
                        else:
                            return None
                    i += 1
                return tuple(base + segs[i:])
            if segs[0] in children and not extra:
                return tuple(base + segs)
            return None

        for m in re.finditer(r"\buse\s+([^;]+);", code):
            for segs in expand_use(m.group(1)):
                path = resolve(segs, m.start())
                if path is not None:
                    targets.add(crate.file_of(path))
        for m in re.finditer(rf"(?<![\w:])((?:{IDENT}::)+{IDENT})", code):
            segs = m.group(1).split("::")
            if segs[0] in ("crate", "super", "self") or segs[0] in children:
                path = resolve(segs, m.start())
                if path is not None:
                    targets.add(crate.file_of(path))
        targets.discard(None)
        targets.discard(file)
        edges[file] = targets
    return edges


def circles(edges):
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main(argv):
    show_graph = "--graph" in argv
    dirs = [a for a in argv if not a.startswith("--")] or [d for d in DEFAULT_CRATES if (ROOT / d).is_dir()]
    found = 0
    files = 0
    for d in dirs:
        crate = Crate((ROOT / d).resolve())
        edges = imports(crate)
        files += len(edges)
        if show_graph:
            for f in sorted(edges):
                for t in sorted(edges[f]):
                    print(f"{f.relative_to(ROOT)} -> {t.relative_to(ROOT)}")
        for comp in circles(edges):
            found += 1
            names = [str(f.relative_to(ROOT)) for f in comp]
            print(f"circle in {d} ({len(names)} files): " + ", ".join(names))
            for f in comp:
                inside = sorted(str(t.relative_to(ROOT)) for t in edges[f] if t in comp)
                print(f"    {f.relative_to(ROOT)} -> {', '.join(inside)}")
    print(f"import floors: {files} files in {len(dirs)} crates, {found} circles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
