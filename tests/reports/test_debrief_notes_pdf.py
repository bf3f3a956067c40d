"""The debrief PDF prints the notes kept in the archive (issue 16, item 5): each under its PEARLS
heading after the prompt, the trainee's reflection after the summary, exactly as typed — markup
characters as themselves, Chinese in the CJK font — and `simtool export --kind debrief` carries
them. Without a note, a phase keeps its room to write by hand."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import datetime, timezone

import pytest

from simtool.app.debriefnotes import save_note
from simtool.cli import main
from simtool.core.limits import MAX_NOTE_CHARS
from simtool.reports.common import Header, stamp
from simtool.reports.debrief import DebriefRenderer
from simtool.reports.debriefdata import NoteRow, build_debrief
from simtool.reports.i18n import LANGS, tr
from simtool.store import Archive

from helpers.archive import FakeClock, late_care_drill
from helpers.tools import POPPLER, require_tools

WHEN = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
HEADER = Header("Example Hospital", "Obstetrics", "Dr Test")
NOTES = {
    "reactions": "Team felt rushed; <b>& nobody</b> said so",
    "description": "PPH from atony at 12 min.\nOxytocin at 13 min.",
    "analysis": "宫缩乏力：缩宫素给得晚了",
    "summary": "Call for help early. 早呼救。",
    "reflection": "下次我會更早呼叫幫助 & <i>speak up</i>",
}


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    """The late-care drill with a note in every phase: (archive path, drill id)."""
    db, did = late_care_drill(tmp_path_factory.mktemp("notes-pdf"))
    with Archive.open(db, clock=FakeClock(), actor="facilitator@lab") as archive:
        save_note(archive, did, "summary", "an older summary, replaced")
        for phase, text in NOTES.items():
            save_note(archive, did, phase, text)
    return db, did


def _text(path) -> str:
    require_tools(*POPPLER, package="poppler-utils")   # fails, never skips, without it
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_report_data_carries_the_current_note_of_each_phase(noted):
    db, did = noted
    with Archive.open(db, create=False) as archive:
        r = build_debrief(archive, did, "en", None, HEADER, WHEN)
        at = archive.debrief_notes(did)["reactions"].at
        zh = build_debrief(archive, did, "zh_CN", None, HEADER, WHEN)
    assert [(n.phase, n.text) for n in r.notes] == list(NOTES.items())
    assert at.startswith("2025-01-06T09:")   # the archive's clock
    # who noted it and when, the moment as every report shows a wall-clock time
    assert r.notes[0].by == f"noted by facilitator@lab, {stamp(at)}"
    assert zh.notes[0].by == f"记录人：facilitator@lab，{stamp(at)}"


@pytest.mark.parametrize("lang", LANGS)
def test_simtool_export_debrief_prints_the_notes_under_their_headings(noted, lang, tmp_path):
    db, did = noted
    out = tmp_path / f"debrief-{lang}.pdf"
    assert main(["export", did, "--kind", "debrief", "--lang", lang, "--archive", str(db),
                 "-o", str(out)]) == 0
    text = _flat(_text(out))
    for note in NOTES.values():
        for line in note.split("\n"):
            assert _flat(line) in text, line
    assert "<b>& nobody</b>" in text and "& <i>speak up</i>" in text   # markup as itself
    assert "an older summary" not in text                              # only the current note
    # each note after its heading's prompt, in PEARLS order, the reflection after the summary
    at = [text.index(_flat(tr(f"pearls_{p}", lang))) for p in ("reactions", "description", "analysis")]
    at += [text.index(_flat(tr("pearls_summary", lang))), text.index(_flat(tr("pearls_reflection", lang)))]
    notes_at = [text.index(_flat(n.split("\n")[0])) for n in NOTES.values()]
    assert at == sorted(at)
    assert all(h < n for h, n in zip(at, notes_at)), (at, notes_at)
    assert all(n < h for n, h in zip(notes_at, at[1:])), (at, notes_at)


def test_a_drill_without_notes_keeps_room_to_write_and_no_reflection_heading(tmp_path):
    db, did = late_care_drill(tmp_path)
    with Archive.open(db, create=False) as archive:
        r = build_debrief(archive, did, "en", None, HEADER, WHEN)
        save_note(archive, did, "summary", "typed, then emptied")
        save_note(archive, did, "summary", "   ")
        emptied = build_debrief(archive, did, "en", None, HEADER, WHEN)
    assert r.notes == () and emptied.notes == ()
    out = tmp_path / "plain.pdf"
    out.write_bytes(DebriefRenderer(r).render())
    text = _text(out)
    assert tr("pearls_summary", "en") in text and tr("pearls_reflection", "en") not in text


def test_a_note_as_long_as_the_limit_breaks_across_pages_with_every_glyph_drawn():
    line = ("长" * 90 + " ") * 10 + "\n"
    long_cjk = (line * (MAX_NOTE_CHARS // len(line) + 1))[:MAX_NOTE_CHARS]
    one_word = "x" * MAX_NOTE_CHARS
    base = _empty_report()
    for text in (long_cjk, one_word):
        report = dataclasses.replace(base, notes=(NoteRow("analysis", text, "noted by t, now"),))
        renderer = DebriefRenderer(report)
        pdf = renderer.render()
        assert pdf.startswith(b"%PDF-") and renderer.drawn.missing() == []


def _empty_report():
    """A debrief report with nothing in it but a title (no archive needed)."""
    from simtool.reports.debriefdata import DebriefReport
    return DebriefReport(
        lang="en", header=HEADER, title="Debrief report", drill_id="d1", scenario="PPH",
        scenario_version="1", date="2026-01-05", trainee="Team", duration_s=60.0, timeline=(),
        vitals=(), bands=(), action_marks=(), expected=(), indicators=(), flags=(), went_well=(),
        to_improve=(), team_items=(), outcome="", references=(), audit_head="#0", generated="now")
