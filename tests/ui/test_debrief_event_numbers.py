"""One event, one number (review defect): the score sheet's evidence says "done at 21:40 by
the midwife (event 4)" with the record's event number (its seq, as `simtool events` and
`simtool amend` give it). The debrief's timeline "#" column, the chart's numbered marker and
the debrief PDF's "Numbered on the chart" list now give that action, or that flag, the same
number; they used to count the actions and flags 1..n, so event 4 was "1" there."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.evidencetext import describe, names_for
from simtool.reports.charts import vitals_layout
from simtool.reports.debrief import render_debrief
from simtool.reports.debriefdata import build_debrief
from simtool.reports.i18n import tr
from simtool.store import Archive

from helpers.tools import require_tools

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
LATE = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "late_care.yaml"
RUBRIC = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"
# a dose far above the usual range: three flags on one action, all at its moment
FLAGGED = """duration_s: 600
participants:
  - {id: t1, name: Zhao Min, role: midwife}
actions:
  - {t: 60, action: uterine_massage, by: midwife}
  - {t: 101, action: call_for_help, by: midwife}
  - {t: 200, action: oxytocin, dose: 100, unit: IU, route: IM, by: midwife}
"""


@pytest.fixture(scope="module")
def drills(tmp_path_factory) -> tuple[Path, str, str]:
    """The late-care drill and a flagged one, each scored on the technical rubric (its
    sheets stored with their evidence)."""
    d = tmp_path_factory.mktemp("numbers")
    db, flagged = d / "archive.sqlite", d / "flagged.yaml"
    flagged.write_text(FLAGGED)
    ids = []
    for script in (LATE, flagged):
        assert main(["run", str(PPH), "--script", str(script), "--archive", str(db),
                     "--rubric", str(RUBRIC)]) == 0
        with Archive.open(db, create=False) as a:
            ids.append(next(i.id for i in a.drills() if i.id not in ids))
    return db, ids[0], ids[1]


def _evidence_number(a: Archive, did: str, item: str, lang: str) -> int:
    """N of "(event N)" in the evidence of ``item`` as the score sheet words it in ``lang``."""
    record = a.record_of(did)
    names = names_for(record.loaded, lang, record.info.participants)
    texts = [describe(i["evidence"], lang, names) for s in a.sheets(did)
             for i in s.data["items"] if i["id"] == item]
    assert texts, item
    pattern = r"\(event (\d+)\)" if lang == "en" else r"（事件 (\d+)）"
    numbers = {int(m.group(1)) for text in texts for m in [re.search(pattern, text)] if m}
    assert len(numbers) == 1, texts
    return numbers.pop()


def _shown_on_screen(qtbot, a: Archive, did: str, seq: int) -> tuple[str, list[float]]:
    """The timeline's "#" for the event ``seq``, and the drill times of the chart's marks
    painted with that number. Every painted number is that of a standing action or flag."""
    from simtool.ui.archiveviews.debrief import DebriefView
    v = DebriefView(a, did)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    v.show()
    v.grab()   # paint: the chart places its numbers
    row = next(r for r, e in enumerate(v._timeline_events) if e.seq == seq)
    shown = v.timeline.item(row, 0).text()
    final = v.record.final
    standing = {e.seq for e in final.actions_done()} | {e.seq for e in final.flags()}
    assert sorted(n for n, _box in v.chart.mark_boxes) == sorted(standing)
    at = {n: t for n, t, _kind in v.chart.marks}
    painted = [at[n] for n, _box in v.chart.mark_boxes if n == seq]
    v.video.stop()
    v.close()
    return shown, painted


def _pdf_legend(pdf: bytes, tmp_path: Path) -> str:
    require_tools("pdftotext", package="poppler-utils")
    path = tmp_path / "debrief.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text[text.index("Numbered on the chart"):text.index("Expected actions")]


def _pdf_chart_numbers(report) -> list[str]:
    names = {k: k for k in ("hr", "sbp", "spo2", "blood_loss_ml")}
    lay = vitals_layout(180 / 25.4 * 72, report.bands, report.action_marks, names,
                        tr("minutes", "en"), report.duration_s, report.vitals)
    return [p.text for p in lay.labels if p.kind == "mark"]


def test_an_action_has_the_evidences_number_everywhere(qtbot, drills, tmp_path):
    db, late, _flagged = drills
    with Archive.open(db, create=False) as a:
        n = _evidence_number(a, late, "massage_by_midwife", "en")
        assert _evidence_number(a, late, "massage_by_midwife", "zh_CN") == n
        # the record's event n is the uterine massage (as `simtool events` lists it)
        event = a.record_of(late).final.events[n]
        assert (event.kind, event.action, event.t) == ("action", "uterine_massage", 1300.0)
        assert n != 1   # the first action and mark: the old count called it 1
        shown, painted = _shown_on_screen(qtbot, a, late, n)
        assert shown == str(n) and painted == [1300.0]
        report = build_debrief(a, late, "en")
    (mark,) = [m for m in report.action_marks if m.text == "Uterine massage"]
    assert (mark.n, mark.time, mark.kind) == (n, "21:40", "action")
    assert _pdf_chart_numbers(report).count(str(n)) == 1
    legend = _pdf_legend(render_debrief(report), tmp_path)
    assert re.search(rf"^\s*{n}\s+21:40\s+Uterine massage\s+Midwife\s*$", legend, re.M), legend


def test_a_flag_has_the_evidences_number_everywhere(qtbot, drills, tmp_path):
    db, _late, flagged = drills
    with Archive.open(db, create=False) as a:
        n = _evidence_number(a, flagged, "no_unsafe_drug", "en")
        final = a.record_of(flagged).final
        assert final.events[n].kind == "flag" and final.events[n] in final.flags()
        shown, painted = _shown_on_screen(qtbot, a, flagged, n)
        assert shown == str(n) and painted == [200.0]
        report = build_debrief(a, flagged, "en")
    (mark,) = [m for m in report.action_marks if m.n == n]
    assert (mark.kind, mark.time) == ("flag", "03:20") and mark.text.startswith("Oxytocin: ")
    # every number on the PDF's chart and in its list is that of an action or flag in the record
    standing = {e.seq for e in final.actions_done()} | {e.seq for e in final.flags()}
    assert sorted(int(x) for x in _pdf_chart_numbers(report)) == sorted(standing)
    legend = _pdf_legend(render_debrief(report), tmp_path)
    assert re.search(rf"^\s*{n}\s+03:20\s+flag: Oxytocin: ", legend, re.M), legend
