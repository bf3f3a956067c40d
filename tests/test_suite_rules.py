"""Rules the test suite keeps about itself: a test never passes by skipping because a tool is
missing, and shared helpers come from the ``helpers`` package, never ``from conftest import``
(which finds whichever conftest pytest loaded last)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers.paths import ROOT
from helpers.tools import POPPLER, require_tools

TESTS = ROOT / "tests"
SKIP = re.compile(r"\bpytest\.skip\b|\bskipif\b|\bimportorskip\b|\bmark\.skip\b|\bxfail\b")
FROM_CONFTEST = re.compile(r"^\s*(from conftest import|import conftest)\b", re.M)


def _test_sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py")
            if p.name != "test_suite_rules.py"}


def test_no_test_skips_or_expects_to_fail():
    found = [f"{name}:{text[:m.start()].count(chr(10)) + 1}" for name, text in _test_sources().items()
             for m in SKIP.finditer(text)]
    assert found == [], "a test that needs a tool must fail saying what to install (helpers.tools)"


def test_no_test_imports_from_conftest():
    found = [name for name, text in _test_sources().items() if FROM_CONFTEST.search(text)]
    assert found == [], "import shared helpers from the helpers package (tests/helpers)"


def test_a_missing_tool_fails_the_test_saying_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it
    with pytest.raises(pytest.fail.Exception,
                       match=r"pdffonts, pdfinfo, pdftotext not found on PATH.*"
                             r"sudo apt-get install poppler-utils"):
        require_tools(*POPPLER, package="poppler-utils")


def test_a_present_tool_is_found(monkeypatch, tmp_path):
    tool = tmp_path / "pdffonts"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert require_tools("pdffonts", package="poppler-utils") == {"pdffonts": str(tool)}


@pytest.mark.slow
def test_a_store_file_and_a_ui_file_collect_together():
    """tests/store and tests/ui each have a conftest; one pytest call over both must collect."""
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                          "tests/store/test_analytics.py", "tests/ui/test_dashboard.py",
                          "tests/core/test_rubric.py", "tests/test_cli_stats.py"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "error" not in out.stdout.lower().splitlines()[-1], out.stdout[-2000:]
