"""The department quality report: the data object checked exactly against indicator values
derived by hand from the test scripts, the PDF in three languages, and `simtool export --kind
quality`.

Per-script indicator seconds (detection → action; time_to_mtp from massive loss):
good_care   warning 10, oxytocin 40, TXA 120, MTP does not apply (no massive loss)
late_care   warning 810, oxytocin 750, TXA 1250, MTP 278 (met)
absent_care none reached: all four missed (massive loss happens, nothing done)
MDT (issue 18, item 6): due in late and absent care (refractory bleeding), never called: not met;
good care never needs it. Arrest (item 10): only absent care arrests; no CPR, no displacement."""

from __future__ import annotations

import argparse
import dataclasses
import re
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from simtool.core.drill import PatientParams
from simtool.core.errors import SimtoolError
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.script import load_script
from simtool.core.timefmt import duration
from simtool.reports import qualitydata
from simtool.reports.common import Header
from simtool.reports.i18n import LANGS, tr
from simtool.reports.quality import QualityRenderer
from simtool.reports.qualitydata import IndicatorTrend, MissRow, QuarterCell, build_quality
from simtool.store import Archive

from helpers.timeforms import old_time_forms
from helpers.tools import POPPLER, require_tools

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"
WHEN = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
HEADER = Header("Example Hospital", "Obstetrics", "Dr Test")
FROM, TO = date(2024, 1, 1), date(2024, 12, 31)
TITLE = "Postpartum haemorrhage — uterine atony after vaginal birth"
PLAN = [("good_care", datetime(2024, 2, 1, 9)), ("late_care", datetime(2024, 2, 10, 9)),
        ("good_care", datetime(2024, 5, 1, 9)), ("absent_care", datetime(2024, 6, 1, 9)),
        ("good_care", datetime(2024, 11, 1, 9)), ("good_care", datetime(2024, 12, 31, 23)),
        ("late_care", datetime(2025, 1, 1, 0, 30))]   # after the range: left out


class Clock:
    """Wall clock for the store: one second passes on every reading."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def build_archive(path: Path) -> list[str]:
    """The PLAN played and stored; the drill ids in PLAN order."""
    pph = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
    clock = Clock()
    ids = []
    with Archive.open(path, clock=clock, actor="tester@lab") as archive:
        for name, start in PLAN:
            drill, _ = run_script(pph, load_script(SCRIPTS / f"{name}.yaml", pph), PatientParams(65.0))
            clock.now = start.replace(tzinfo=timezone.utc)
            did = archive.start_drill(pph, drill.patient, drill.participants, "formative")
            for e in drill.events:
                assert archive.append_event(did, e) is None
            ids.append(did)
    return ids


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("quality") / "archive.sqlite"
    return path, build_archive(path)


@pytest.fixture()
def archive(stored):
    with Archive.open(stored[0], create=False) as a:
        yield a


def _cell(q: str, drills: int, applies: int, met: int, median: str) -> QuarterCell:
    pct = round(100 * met / applies, 1) if applies else None
    return QuarterCell(q, drills, applies, met, median, pct,
                       f"{met}/{applies} ({pct:g} %)" if applies else "—",
                       pct is not None and pct <= 90)


# the PPH drill's MDT and arrest indicators (issue 18, items 6 and 10): id, label, target
MDT = (("mdt_response", "MDT response (activation to all present)", 1800, "≤ 30 min"),
       ("arrival_obstetric_surgeon", "Obstetric surgeon arrival", 900, "≤ 15 min"),
       ("arrival_anaesthetist", "Anaesthetist arrival", 900, "≤ 15 min"),
       ("arrival_blood_bank", "Blood bank arrival", 900, "≤ 15 min"),
       ("arrival_interventional_radiology", "Interventional radiology arrival", 900, "≤ 15 min"),
       ("arrival_icu", "ICU arrival", 900, "≤ 15 min"))
ARREST = (("time_to_cpr", "Time to CPR", 10, "≤ 10 s"),
          ("time_to_uterine_displacement", "Time to left uterine displacement", 30, "≤ 30 s"))


# each indicator's own compliance target (issue 21): oxytocin > 90 % from document 002, the
# others the department's choice in the scenario file
OXYTOCIN_SOURCE = ("document 002 (PPH standardisation, shared/sources 002): oxytocin compliance "
                   ">90 % (縮宮素使用符合率 >90%)")
DEPARTMENT = "design: department's choice (document 002 gives a compliance figure for oxytocin only)"
TARGET_PCT = {"oxytocin_per_protocol": 90, "warning_delay": 90, "time_to_cpr": 90}


def T(ind, label, target_s, text, cells, trend):
    """The expected trend of an indicator with its compliance target; a quarter's cell is
    below it when its compliance is not above the indicator's own target."""
    pct = TARGET_PCT.get(ind, 80)
    cells = tuple(dataclasses.replace(c, below_target=c.compliance_pct is not None
                                      and c.compliance_pct <= pct) for c in cells)
    return IndicatorTrend(ind, label, target_s, text, pct, f"> {pct} %",
                          OXYTOCIN_SOURCE if ind == "oxytocin_per_protocol" else DEPARTMENT,
                          cells, trend)


def test_quality_data(archive, stored):
    ids = stored[1]
    r = build_quality(archive, FROM, TO, "en", HEADER, WHEN)
    assert (r.title, r.period, r.drills) == ("Quality report", "2024-01-01 – 2024-12-31", 6)
    assert not hasattr(qualitydata, "COMPLIANCE_TARGET_PCT")   # no global default
    assert r.generated == "Generated 2026-01-05 10:00 (UTC+00:00) by simtool 0.1.0"
    (s,) = r.scenarios
    assert (s.scenario_id, s.title) == ("pph_uterine_atony", TITLE)
    assert s.quarters == ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4")   # Q3: no drill, still shown
    assert (s.drills, s.total_drills) == ((2, 2, 0, 2), 6)
    assert s.indicators == (
        # Q1 good + late: median of 10 and 810 s; Q2 good + absent (never called): median 10 s
        T("warning_delay", "Warning delay (detection to call for help)", 600, "≤ 10 min",
                       (_cell("2024-Q1", 2, 2, 1, "6 min 50 s"), _cell("2024-Q2", 2, 2, 1, "10 s"),
                        _cell("2024-Q4", 2, 2, 2, "10 s")), (50.0, 50.0, None, 100.0)),
        T("oxytocin_per_protocol", "Oxytocin per protocol", 300, "≤ 5 min",
                       (_cell("2024-Q1", 2, 2, 1, "6 min 35 s"), _cell("2024-Q2", 2, 2, 1, "40 s"),
                        _cell("2024-Q4", 2, 2, 2, "40 s")), (50.0, 50.0, None, 100.0)),
        T("time_to_txa", "Time to tranexamic acid", 900, "≤ 15 min",
                       (_cell("2024-Q1", 2, 2, 1, "11 min 25 s"), _cell("2024-Q2", 2, 2, 1, "2 min"),
                        _cell("2024-Q4", 2, 2, 2, "2 min")), (50.0, 50.0, None, 100.0)),
        # massive loss only in late care (met, 278 s) and absent care (never activated)
        T("time_to_mtp", "Time to massive transfusion", 600, "≤ 10 min",
                       (_cell("2024-Q1", 2, 1, 1, "4 min 38 s"), _cell("2024-Q2", 2, 1, 0, ""),
                        _cell("2024-Q4", 2, 0, 0, "")), (100.0, 0.0, None, None)),
        # the MDT: due and never called in late (Q1) and absent care (Q2), never due in good care
        *(T(ind, label, target, text,
                         (_cell("2024-Q1", 2, 1, 0, ""), _cell("2024-Q2", 2, 1, 0, ""),
                          _cell("2024-Q4", 2, 0, 0, "")), (0.0, 0.0, None, None))
          for ind, label, target, text in MDT),
        # the arrest: absent care only (Q2), nobody starts CPR or displaces the uterus
        *(T(ind, label, target, text,
                         (_cell("2024-Q1", 2, 0, 0, ""), _cell("2024-Q2", 2, 1, 0, ""),
                          _cell("2024-Q4", 2, 0, 0, "")), (None, 0.0, None, None))
          for ind, label, target, text in ARREST),
        # FFP after 4 units of red cells (issue 18, item 4): no drill here gives 4 units
        T("ffp_dose_after_rbc", "FFP 12 mL/kg after 4 units of red cells", 1800, "≤ 30 min",
                       (_cell("2024-Q1", 2, 0, 0, ""), _cell("2024-Q2", 2, 0, 0, ""),
                        _cell("2024-Q4", 2, 0, 0, "")), (None, None, None, None)),
    )
    late, absent = ids[1], ids[3]
    assert r.misses == (
        MissRow("2024-02-10", late, late[:8], TITLE, "Warning delay (detection to call for help)", 810.0,
                "13 min 30 s", "≤ 10 min"),
        MissRow("2024-02-10", late, late[:8], TITLE, "Oxytocin per protocol", 750.0, "12 min 30 s", "≤ 5 min"),
        MissRow("2024-02-10", late, late[:8], TITLE, "Time to tranexamic acid", 1250.0, "20 min 50 s",
                "≤ 15 min"),
        *(MissRow("2024-02-10", late, late[:8], TITLE, label, None, "not reached", text)
          for _, label, _, text in MDT),
        MissRow("2024-06-01", absent, absent[:8], TITLE, "Warning delay (detection to call for help)", None,
                "not reached", "≤ 10 min"),
        MissRow("2024-06-01", absent, absent[:8], TITLE, "Oxytocin per protocol", None, "not reached", "≤ 5 min"),
        MissRow("2024-06-01", absent, absent[:8], TITLE, "Time to tranexamic acid", None, "not reached",
                "≤ 15 min"),
        MissRow("2024-06-01", absent, absent[:8], TITLE, "Time to massive transfusion", None, "not reached",
                "≤ 10 min"),
        *(MissRow("2024-06-01", absent, absent[:8], TITLE, label, None, "not reached", text)
          for _, label, _, text in MDT + ARREST),
    )


def test_quality_data_in_traditional_chinese(archive):
    r = build_quality(archive, FROM, TO, "zh_TW", HEADER, WHEN)
    assert r.title == "品質報告"
    assert [i.label for i in r.scenarios[0].indicators] == [
        "預警延遲（辨識至呼叫支援）", "依規範使用催產素", "至傳明酸時間", "至大量輸血時間",
        "多專科團隊回應時間（啟動至全員到場）", "產科手術醫師到場時間", "麻醉科醫師到場時間", "血庫到場時間",
        "介入放射科到場時間", "加護醫學科到場時間", "至心肺復甦時間", "至子宮左推時間",
        "輸紅血球4單位後新鮮冷凍血漿達12 mL/kg"]
    assert r.misses[-1].seconds == "未完成"
    assert (r.scenarios[0].indicators[0].target, r.scenarios[0].indicators[0].cells[0].median) == \
        ("≤ 10 分鐘", "6 分 50 秒")
    assert (r.misses[0].seconds, r.misses[0].target) == ("13 分 30 秒", "≤ 10 分鐘")


def test_quality_range_bounds(archive):
    """Both ends are whole days: the drill at 23:00 on the last day counts, none before."""
    assert build_quality(archive, date(2024, 12, 31), date(2024, 12, 31)).drills == 1
    r = build_quality(archive, date(2023, 1, 1), date(2023, 12, 31))
    assert (r.drills, r.scenarios, r.misses) == (0, (), ())
    assert QualityRenderer(r).render().startswith(b"%PDF-")   # "no drills" page


def test_labels_fall_back_to_ids_without_the_scenario_file(archive, monkeypatch, tmp_path):
    monkeypatch.setattr(qualitydata, "scenarios_dir", lambda: tmp_path)
    r = build_quality(archive, FROM, TO, "en", HEADER, WHEN)
    assert r.scenarios[0].title == "pph_uterine_atony"
    assert [i.label for i in r.scenarios[0].indicators] == [
        "warning_delay", "oxytocin_per_protocol", "time_to_txa", "time_to_mtp",
        *(ind for ind, *_ in MDT + ARREST), "ffp_dose_after_rbc"]
    assert r.misses[0].indicator == "warning_delay"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


@pytest.mark.parametrize("lang", LANGS)
def test_quality_renders_in_each_language(archive, lang):
    renderer = QualityRenderer(build_quality(archive, FROM, TO, lang, HEADER, WHEN))
    pdf = renderer.render()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert 2 <= _pages(pdf) <= 5   # thirteen PPH indicators since the MDT, the arrest and FFP
    assert renderer.drawn.missing() == []
    assert renderer.drawn.items


@pytest.mark.parametrize("lang", LANGS)
def test_quality_pdf_fonts_metadata_and_text(archive, stored, lang, tmp_path):
    require_tools(*POPPLER, package="poppler-utils")  # fails, never skips, without it
    r = build_quality(archive, FROM, TO, lang, HEADER, WHEN)
    path = tmp_path / "quality.pdf"
    path.write_bytes(QualityRenderer(r).render())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Author:          Dr Test" in info and "CreationDate:" in info
    assert re.search(r"Title:\s+\S", info) and re.search(r"Subject:\s+\S", info)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    flat = re.sub(r"\s+", "", text)   # table cells wrap; compare without spaces
    for needle in (tr("quality", lang), tr("page", lang, n=pages, m=pages), tr("misses", lang),
                   tr("trend", lang), "2024-Q1", "2024-Q4", "1/2(50%)", "2/2(100%)", duration(410, lang),
                   duration(810, lang),
                   stored[1][1][:8], stored[1][3][:8], r.scenarios[0].indicators[0].label,
                   r.scenarios[0].title,
                   # each indicator's two targets and the compliance target's source
                   tr("target_share_h", lang), tr("target_source_h", lang),
                   tr("target_share", lang, t="> 90 %"), tr("target_share", lang, t="> 80 %"),
                   "document 002", "oxytocin compliance >90 %", "department's choice"):
        assert re.sub(r"\s+", "", needle) in flat, needle
    assert stored[1][6][:8] not in text          # the 2025 drill is out of range
    assert old_time_forms(text) == []            # issue 16: no "6:50", "810 s" or "10:00 UTC"


def _export(argv: list[str]) -> int:
    from simtool.cli.export import add_export_parser
    parser = argparse.ArgumentParser()
    add_export_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_export_quality_command(stored, tmp_path):
    out = tmp_path / "q" / "quality.pdf"
    assert _export(["export", "--kind", "quality", "--from", "2024-01-01", "--to", "2024-12-31",
                    "--lang", "zh_CN", "--archive", str(stored[0]), "--department", "产科",
                    "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("argv, message", [
    (["export", "--kind", "debrief"], "needs a DRILL id"),
    (["export", "--kind", "score-sheet"], "needs a DRILL id"),
    (["export", "d1", "--kind", "quality", "--from", "2024-01-01", "--to", "2024-12-31"], "not a DRILL"),
    (["export", "--kind", "quality", "--from", "2099-01-01"], "before --from"),   # --to: last quarter's end
    (["export", "--kind", "quality", "--from", "2024-13-01", "--to", "2024-12-31"], "not a date"),
    (["export", "--kind", "quality", "--from", "2024-12-01", "--to", "2024-01-31"], "before --from"),
    (["export", "d1", "--kind", "debrief", "--from", "2024-01-01"], "go with --kind quality"),
])
def test_export_quality_errors(stored, tmp_path, argv, message):
    with pytest.raises(SimtoolError, match=message):
        _export(argv + ["--archive", str(stored[0]), "-o", str(tmp_path / "x.pdf")])


def test_a_departments_own_target_colours_its_quarters(stored, tmp_path):
    """The red or green of a quarter follows that indicator's own compliance target: with the
    department's 40 % for oxytocin, a quarter at 50 % is above it, while warning delay at 50 %
    stays below its 90 %; the PDF names the department's target and its source."""
    import shutil
    from simtool.store.targets import set_target
    path = tmp_path / "own.sqlite"
    shutil.copy(stored[0], path)
    with Archive.open(path, create=False) as a:
        set_target(a, "pph_uterine_atony", "oxytocin_per_protocol", 40, "quality meeting 2024-12")
        r = build_quality(a, FROM, TO, "en", HEADER, WHEN)
    inds = {i.id: i for i in r.scenarios[0].indicators}
    oxy, warn = inds["oxytocin_per_protocol"], inds["warning_delay"]
    assert (oxy.target_pct, oxy.compliance_target, oxy.target_source) == (40, "> 40 %", "quality meeting 2024-12")
    assert [c.below_target for c in oxy.cells] == [False, False, False]     # 50 %, 50 %, 100 %
    assert [c.below_target for c in warn.cells] == [True, True, False]      # against > 90 %
    out = tmp_path / "own.pdf"
    out.write_bytes(QualityRenderer(r).render())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "quality meeting 2024-12" in text and "compliance > 40 %" in text
