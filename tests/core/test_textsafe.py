"""``simtool.core.textsafe``: what a terminal or a spreadsheet gets from a name."""

from __future__ import annotations

import pytest

from simtool.core.textsafe import printable, spreadsheet_safe


@pytest.mark.parametrize("text, shown", [
    ("Li Na", "Li Na"), ("王芳", "王芳"), ("😀", "😀"), ("tab\there", "tab\\x09here"),
    ("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"), ("a\nfake line", "a\\x0afake line"),
    ("\r", "\\x0d"), ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"), ("\u202eevil\u202c", "\\u202eevil\\u202c"),
    ("\u2066x\u2069", "\\u2066x\\u2069"), ("\u200f\u061c", "\\u200f\\u061c"), ("\udcff", "\\udcff"),
    (None, "None"), (3.5, "3.5"),
])
def test_printable_escapes_whatever_could_drive_a_terminal(text, shown):
    assert printable(text) == shown
    printable(text).encode("utf-8")   # a lone surrogate no longer breaks printing


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Li=Na", "Li=Na"), ("", ""), (None, ""), ("'=x", "'=x"),
])
def test_spreadsheet_safe_neutralises_formula_starts_only(cell, safe):
    assert spreadsheet_safe(cell) == safe
