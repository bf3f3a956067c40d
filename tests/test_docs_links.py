"""The documentation points at things that exist: every relative link in ``docs/`` and the
README resolves to a file or folder of the checkout, and every path and ``simtool.`` module
that docs/ARCHITECTURE.md names in backticks is there — so a renamed or deleted module fails
here rather than leaving the architecture guide pointing at nothing.

Links to the web (``http:``, ``https:``, ``mailto:``) and pure ``#anchors`` are not checked;
the architecture guide links to files and folders only, never to a line (``#L12`` rots with
the next edit above it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from helpers.paths import ROOT

DOCS = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"

# [text](target "title") and ![alt](target); the text may hold one level of [brackets]
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
# [label]: target   (a reference definition)
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.M)
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# what a backticked path in the guide starts with: the package (``simtool/...``), one of its
# layers written from inside it (``core/drill.py``), or another top-level folder of the checkout
LAYERS = ("core", "store", "reports", "app", "ui", "cli")
TOP = ("simtool", "tests", "docs", "scenarios", "rubrics", "assets", "tools", "bench", "packaging")


def _outside_code(text: str) -> list[tuple[int, str]]:
    """The lines of a Markdown text with fenced blocks left out and code spans blanked (a link
    written as code is an example, not a link), each with its 1-based number."""
    out, fence = [], None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        out.append((n, CODE_SPAN.sub(lambda m: m.group(1) + "x" * len(m.group(2)) + m.group(1), line)))
    return out


def links(path: Path) -> list[tuple[int, str]]:
    """Every link target written in ``path``, with its line."""
    found = []
    for n, line in _outside_code(path.read_text(encoding="utf-8")):
        found += [(n, m.group(1)) for m in INLINE.finditer(line)]
        found += [(n, m.group(1)) for m in REFERENCE.finditer(line)]
    return [(n, t[1:-1] if t.startswith("<") else t) for n, t in found]


def broken(path: Path, target: str) -> str | None:
    """Why the link ``target`` written in ``path`` does not resolve (None when it does, or when
    it is not a link into the checkout)."""
    if SCHEME.match(target) or target.startswith("#"):
        return None
    rel = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if rel.startswith("/"):
        return "an absolute path: write it relative to the document"
    resolved = (path.parent / rel).resolve()
    if not resolved.is_relative_to(ROOT):
        return "points outside the repository"
    if not resolved.exists():
        return "no such file or folder"
    return None


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_relative_link_resolves(doc: Path) -> None:
    bad = [f"{_rel(doc)}:{n}: ({target}): {why}" for n, target in links(doc)
           if (why := broken(doc, target)) is not None]
    assert bad == []


def test_the_architecture_guide_links_to_files_not_lines() -> None:
    anchored = [f"{_rel(ARCHITECTURE)}:{n}: ({target})" for n, target in links(ARCHITECTURE)
                if not SCHEME.match(target) and not target.startswith("#") and "#" in target]
    assert anchored == []


def _spans(path: Path) -> list[tuple[int, str]]:
    """Every inline code span of ``path`` (fenced blocks included: a diagram names paths too)."""
    return [(n, m.group(2).strip()) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            for m in CODE_SPAN.finditer(line)]


def _path_of(span: str) -> Path | None:
    """The file or folder a backticked span names, if it looks like a path of the checkout
    (a template such as ``reports/<name>.py`` is not one)."""
    if "/" not in span or any(c in span for c in "<>* ") or SCHEME.match(span):
        return None
    head = span.split("/", 1)[0]
    if head in TOP:
        return ROOT / span
    if head in LAYERS:
        return ROOT / "simtool" / span
    return None


def test_every_path_the_architecture_guide_names_exists() -> None:
    missing = []
    for n, span in _spans(ARCHITECTURE):
        path = _path_of(span)
        if path is not None and not path.exists() and not path.with_name(path.name + ".py").exists():
            missing.append(f"{_rel(ARCHITECTURE)}:{n}: `{span}`")
    assert missing == []


def _defines(module: Path, name: str) -> bool:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name) == name for a in node.names):
            return True
    return False


def _dotted_problem(span: str) -> str | None:
    """Why ``simtool.a.b[.Name[.attr]]`` names nothing (None when it names a module, or a
    top-level name of one)."""
    parts = span.split(".")
    for i in range(len(parts), 1, -1):
        base = ROOT.joinpath(*parts[:i])
        module = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if module.is_file():
            rest = parts[i:]
            if rest and not _defines(module, rest[0]):
                return f"{'.'.join(parts[:i])} defines no {rest[0]}"
            return None
    return "no such module"


def test_every_simtool_module_the_architecture_guide_names_exists() -> None:
    bad = [f"{_rel(ARCHITECTURE)}:{n}: `{span}`: {why}" for n, span in _spans(ARCHITECTURE)
           if re.fullmatch(r"simtool(\.\w+)+", span) and (why := _dotted_problem(span)) is not None]
    assert bad == []
