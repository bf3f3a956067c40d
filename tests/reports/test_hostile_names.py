"""PDFs handle any name (issue 14, deliverable 5): markup characters are text, a long name
wraps or is cut with an ellipsis where it cannot grow, a character no bundled font has and a
control character are drawn as U+FFFD — and every glyph drawn exists in its font."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import datetime, timezone

import pytest

from simtool.reports.common import Header
from simtool.reports.debrief import DebriefRenderer
from simtool.reports.debriefdata import build_debrief
from simtool.reports.fonts import ELLIPSIS, REPLACEMENT
from simtool.reports.scoredata import build_score_sheet, drill_sheets
from simtool.reports.scoresheet import ScoreSheetRenderer
from simtool.store import Archive

WHEN = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
# a header from the command line can hold anything argv can: controls, markup, a lone
# surrogate (an undecodable byte), a bidi override
HEADER = Header("Inst\x1b[2J <i>&amp;</i>\udcff", "Dept\u202e\x07" + "D" * 300, "Dr\x00 Author\udce9")
# never drawn as themselves: controls, bidi marks/overrides/isolates, lone surrogates
NEVER_DRAWN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def _pdftotext(pdf: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is needed for this test: apt-get install poppler-utils"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _check_drawn(renderer) -> str:
    """Everything the renderer drew, after checking each glyph exists in its font and no
    control, bidi or surrogate character was drawn."""
    assert renderer.drawn.missing() == []
    drawn = "".join(text for _, text in renderer.drawn.items)
    assert not NEVER_DRAWN.search(drawn.replace("\n", "")), sorted(set(NEVER_DRAWN.findall(drawn)))
    return drawn


@pytest.fixture(scope="module")
def hostile(hostile_archive):
    with Archive.open(hostile_archive["db"], create=False) as a:
        yield a, hostile_archive


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_score_sheet_of_hostile_names_renders_with_every_glyph_in_its_font(hostile, lang, tmp_path):
    archive, h = hostile
    sheets = drill_sheets(archive, h["drill"])
    assert len(sheets) == 4
    for sheet in sheets:
        renderer = ScoreSheetRenderer(build_score_sheet(archive, sheet, lang, HEADER, WHEN))
        pdf = renderer.render()
        assert pdf.startswith(b"%PDF-") and 1 <= _pages(pdf) <= 2
        drawn = _check_drawn(renderer)
        who = sheet.data.get("participant")
        if who == "../../t1":
            # markup and a formula are drawn as the characters they are
            assert h["names"]["t1"] in drawn
            text = _pdftotext(pdf, tmp_path)
            # in the page header (drawn on the canvas) and in the trainee's cell (a Paragraph,
            # which would read <b> as bold were it not escaped)
            assert text.count("=cmd|' /C calc'!A0 <b>Li</b> & Co") == 2, text
        if who == "a/b\\c":
            assert "A" * 400 in drawn   # wraps in its cell, whole
        if who == "..":
            # CJK and DejaVu's emoji drawn; ESC, the override and the no-font character replaced
            assert f"王芳😀{REPLACEMENT}[31m{REPLACEMENT}evil{REPLACEMENT}" in drawn
        # the running header is one line: the department is cut with an ellipsis at half the
        # page (a long trainee name in the title, on the other half, likewise)
        assert "D" * 300 not in drawn and re.search(f"DDDD{ELLIPSIS}", drawn)
        if who == "a/b\\c":
            assert re.search(f" — A+{ELLIPSIS}", drawn)


@pytest.mark.parametrize("trainee", ["../../t1", "a/b\\c", "..", None])
def test_debriefs_of_hostile_names_render_with_every_glyph_in_its_font(hostile, trainee):
    archive, h = hostile
    renderer = DebriefRenderer(build_debrief(archive, h["drill"], "en", trainee, HEADER, WHEN))
    pdf = renderer.render()
    assert pdf.startswith(b"%PDF-") and 2 <= _pages(pdf) <= 4
    _check_drawn(renderer)


def test_a_name_no_page_can_hold_is_cut_with_an_ellipsis_and_a_long_comment_is_kept_whole(hostile):
    archive, h = hostile
    team = drill_sheets(archive, h["drill"])[-1]
    report = build_score_sheet(archive, team, "en", HEADER, WHEN)
    huge_name = "Z" * 20000
    comment = " ".join(f"word{i}" for i in range(6000))   # ~ 50,000 characters of remarks
    report = dataclasses.replace(report, subject=huge_name, comment=comment,
                                 examiners=("\x1b]0;pwned\x07" + "E" * 5000,))
    renderer = ScoreSheetRenderer(report)
    pdf = renderer.render()   # no LayoutError: no cell outgrows a page
    drawn = _check_drawn(renderer)
    assert "Z" * 20000 not in drawn and ("Z" * 100) in drawn and ELLIPSIS in drawn
    # the examiner's comment is shown whole, piece after piece
    assert "".join(drawn.split()).count("word5999") == 1
    assert all(f"word{i}" in drawn for i in (0, 2999, 5999))
    assert _pages(pdf) >= 3


def test_pdf_metadata_holds_no_control_or_surrogate(hostile, tmp_path):
    archive, h = hostile
    team = drill_sheets(archive, h["drill"])[0]
    pdf = ScoreSheetRenderer(build_score_sheet(archive, team, "en", HEADER, WHEN)).render()
    assert shutil.which("pdfinfo"), "poppler-utils is needed for this test: apt-get install poppler-utils"
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    author = re.search(r"Author:\s+(.*)", info).group(1)
    assert author.startswith("Dr") and "Author" in author and "\x00" not in author
