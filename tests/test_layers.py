"""The core stays pure Python: it imports no Qt, no SQLite and no PDF library (docs/ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from importlinter.application.use_cases import lint_imports
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "shiboken6", "sqlite3", "sqlite_utils", "reportlab")


def test_import_linter_contracts_hold() -> None:
    # the contracts live in pyproject.toml; lint_imports returns True when all are kept
    configure()
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True) is True


def test_no_core_module_imports_a_forbidden_library_directly() -> None:
    offenders = []
    for path in sorted((ROOT / "simtool" / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_the_whole_core_loads_none_of_them() -> None:
    modules = [f"simtool.core.{p.stem}" for p in (ROOT / "simtool" / "core").glob("*.py")
               if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_importing_the_application_layer_loads_no_qt_and_no_pdf_library() -> None:
    """The exam server and the command line use ``simtool.app`` without a display or reportlab."""
    modules = [f"simtool.app.{p.stem}" for p in (ROOT / "simtool" / "app").glob("*.py")
               if p.stem != "__init__"]
    assert modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'reportlab')"
        " or n.startswith(('simtool.ui', 'simtool.cli'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "[]"
