"""The debrief PDF a trainee keeps (issue 23, item 3): a struck or amended action printed as
corrected (never as a normal row followed by "retracted event N"), the vitals in the monitor's
colours, the chart's numbered marks and state names never overlapping, and no heading left
alone at the foot of a page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from simtool.app.corrections import correct
from simtool.cli import main
from simtool.reports.charts import (CASING, SERIES, Placed, overlapping, spread, vitals_chart,
                                    vitals_layout)
from simtool.reports.debrief import DebriefRenderer, render_debrief
from simtool.reports.debriefdata import Band, ChartMark, VitalPoint, build_debrief
from simtool.reports.fonts import Drawn
from simtool.reports.i18n import LANGS, tr
from simtool.store import Archive

from helpers.tools import require_tools

ROOT = Path(__file__).resolve().parents[2]
STRUCK_REASON = "logged twice by mistake <b>&amp;</b>"


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> tuple[Path, str]:
    """The late-care PPH drill, its crystalloid bolus struck and its oxytocin amended."""
    path = tmp_path_factory.mktemp("debrief") / "archive.sqlite"
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script",
                 str(ROOT / "tests/scripts/pph_uterine_atony/late_care.yaml"),
                 "--archive", str(path)]) == 0
    with Archive.open(path, create=False) as a:
        (info,) = a.drills()
        events = a.record_of(info.id).final.events
        bolus = next(e.seq for e in events if e.action == "crystalloid_bolus")
        oxy = next(e.seq for e in events if e.action == "oxytocin")
        correct(a, info.id, bolus, strike=True, reason=STRUCK_REASON)
        correct(a, info.id, oxy, dose=5.0, at=1470.0, reason="the midwife confirmed 5 IU")
    return path, info.id


def _report(corrected, lang="en"):
    path, did = corrected
    with Archive.open(path, create=False) as a:
        return build_debrief(a, did, lang)


def _pdf_text(pdf: bytes, tmp_path: Path) -> list[str]:
    require_tools("pdftotext", package="poppler-utils")
    path = tmp_path / "debrief.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


def test_a_struck_action_prints_struck_through_with_its_reason(corrected, tmp_path):
    r = _report(corrected)
    bolus = [row for row in r.timeline if "Crystalloid bolus" in row.text]
    assert len(bolus) == 1, "one row for the struck action, not a row and a retraction"
    (row,) = bolus
    assert row.corrected == "struck"
    assert row.was.startswith("28:20 Crystalloid bolus 1000 mL IV (Anaesthetist)")
    assert row.why == f"struck from the record at 1:00:00 by instructor: {STRUCK_REASON}"
    assert not [x for x in r.timeline if x.text.startswith("retracted event")]
    # laid out as a correction: the original inside <strike>, the reason beside it
    renderer = DebriefRenderer(r)
    cell = renderer._event_cell(row)
    markup = cell.text
    assert markup.index("<strike>") < markup.index("Crystalloid bolus") < markup.index("</strike>")
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in markup   # the reason's markup prints as itself
    text = "\n".join(_pdf_text(render_debrief(r), tmp_path))
    assert "retracted event" not in text
    assert "struck from the record at 1:00:00 by instructor: logged twice by mistake <b>&amp;</b>" in text


def test_an_amended_action_shows_what_was_logged_and_the_correction(corrected):
    r = _report(corrected)
    (row,) = [row for row in r.timeline if "Oxytocin" in row.text]
    assert (row.corrected, row.time, row.text) == ("amended", "24:30", "Oxytocin 5 IU IM")
    assert row.was == "25:00 Oxytocin 10 IU IM (Midwife)"
    assert row.why == "corrected at 1:00:00 by instructor: the midwife confirmed 5 IU"
    markup = DebriefRenderer(r)._event_cell(row).text
    assert markup.index("</strike>") < markup.index("Oxytocin 5 IU IM")
    # the chart numbers the action where it now stands; the struck bolus is not on it
    assert [(m.time, m.text) for m in r.action_marks][:3] == [
        ("21:40", "Uterine massage"), ("24:30", "Oxytocin"), ("26:00", "Call for help")]
    assert not [m for m in r.action_marks if "Crystalloid" in m.text]
    # each numbered by its event number in the record (was 1..n): the amended oxytocin keeps
    # the number of the action logged, the one the score sheet's evidence gives
    path, did = corrected
    with Archive.open(path, create=False) as a:
        final = a.record_of(did).final
    oxy = next(e.seq for e in final.events if e.kind == "action" and e.action == "oxytocin")
    assert [m.n for m in r.action_marks if m.text == "Oxytocin"] == [oxy]
    assert sorted(m.n for m in r.action_marks) == sorted(e.seq for e in final.actions_done())


def test_the_chart_draws_vitals_in_the_monitors_colours(corrected):
    """HR green, SpO₂ cyan, blood pressure red: the colours of the patient monitor, read from
    the monitor itself, not a copy."""
    from simtool.ui.monitor.window import COLORS   # the monitor as the trainee saw it

    colours = {key: "#" + c.hexval()[2:] for key, c in SERIES}
    assert colours["hr"] == COLORS["hr"] == "#39e639"
    assert colours["spo2"] == COLORS["spo2"] == "#26d9ff"
    assert colours["sbp"] == COLORS["nibp"]
    r = _report(corrected)
    d = vitals_chart(Drawn(), 510, r.vitals, r.bands, r.action_marks, {k: k for k, _ in SERIES},
                     "min", r.duration_s)
    drawn = {"#" + s.strokeColor.hexval()[2:] for s in d.contents
             if type(s).__name__ == "PolyLine" and s.strokeColor != CASING and s.strokeWidth > 1}
    assert drawn == set(colours.values())


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_labels_of_the_late_care_chart_overlap(corrected, lang):
    r = _report(corrected, lang)
    names = {"hr": tr("hr", lang), "sbp": tr("sbp", lang), "spo2": tr("spo2", lang),
             "blood_loss_ml": tr("blood_loss", lang)}
    lay = vitals_layout(180 / 25.4 * 72, r.bands, r.action_marks, names, tr("minutes", lang),
                        r.duration_s, r.vitals)
    marks = [p for p in lay.labels if p.kind == "mark"]
    assert sorted(int(p.text) for p in marks) == [m.n for m in r.action_marks]
    assert overlapping(lay.labels) == []


def test_crowded_marks_and_short_states_never_overlap():
    """Forty actions in half a minute, thirty brief states with long names, a long legend."""
    marks = [ChartMark(n, 600 + n * 0.7, "", "flag" if n % 5 == 0 else "action", "x", "")
             for n in range(1, 41)]
    marks += [ChartMark(40 + n, 60.0 * n, "", "action", "y", "") for n in range(1, 30)]
    bands = [Band(100 * i, 100 * i + 100, "Massive haemorrhage with coagulopathy " * (i % 3 + 1))
             for i in range(30)]
    vitals = [VitalPoint(t, 80, 120, 98, t) for t in range(0, 3001, 5)]
    names = {"hr": "Heart rate per minute " * 3, "sbp": "Systolic blood pressure " * 3,
             "spo2": "SpO₂ %", "blood_loss_ml": "Blood loss mL " * 4}
    for width in (510.0, 300.0):
        lay = vitals_layout(width, bands, marks, names, "min", 3000, vitals)
        assert overlapping(lay.labels) == []
        numbers = [p for p in lay.labels if p.kind == "mark"]
        assert len(numbers) == len(marks)
        assert all(0 <= p.box[0] and p.box[2] <= width for p in lay.labels)
    # a hundred marks cannot stand in one row: then in lanes, still apart
    many = [ChartMark(n, n * 5.0, "", "action", "z", "") for n in range(1, 101)]
    lay = vitals_layout(300.0, (), many, names, "min", 600, vitals)
    assert overlapping(lay.labels) == []


def test_spread_keeps_order_room_and_bounds():
    lefts = spread([50.0, 50.5, 51.0, 200.0, 499.0], [6, 6, 9, 6, 6], 0.0, 500.0)
    assert lefts is not None
    boxes = list(zip(lefts, [6, 6, 9, 6, 6]))
    for (a, wa), (b, _) in zip(boxes, boxes[1:]):
        assert a + wa + 1.5 <= b + 1e-9
    assert boxes[-1][0] + 6 <= 500 and boxes[0][0] >= 0
    centres = [lefts[0] + 3, lefts[1] + 3, lefts[2] + 4.5]
    assert abs(sum(centres) / 3 - 50.5) < 1e-9   # a crowd is centred where it wants to be
    assert spread([1.0] * 100, [6] * 100, 0, 300) is None
    assert overlapping([Placed("a", 0, 0, 6, 10), Placed("b", 10, 0, 6, 10)]) == []
    assert overlapping([Placed("a", 0, 0, 6, 10), Placed("b", 9, 1, 6, 10)]) != []


def test_no_heading_is_the_last_line_of_a_page(corrected, tmp_path):
    r = _report(corrected)
    headings = {tr(k, "en") for k in ("vitals_chart", "chart_marks", "expected_actions", "indicators",
                                      "flags", "pearls", "team_items", "timeline", "references",
                                      "pearls_reactions", "pearls_description", "pearls_analysis",
                                      "went_well", "to_improve", "pearls_summary")}
    pages = [p for p in _pdf_text(render_debrief(r), tmp_path) if p.strip()]
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        lines = [x.strip() for x in page.splitlines() if x.strip() and not x.strip().startswith("Generated")]
        assert lines[-1] not in headings, f"page {n} ends with the heading {lines[-1]!r}"
