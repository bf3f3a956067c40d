"""PDF reports: the report-data objects checked exactly, and every PDF smoke-tested in the
three languages — bytes, page count, embedded fonts, glyph coverage, metadata, key text."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from simtool.core.errors import SimtoolError
from simtool.reports.common import Header
from simtool.reports.debrief import DebriefRenderer
from simtool.reports.debriefdata import ExpectedRow, IndicatorRow, build_debrief
from simtool.reports.fonts import register_fonts
from simtool.reports.i18n import LANGS, keys, tr
from simtool.reports.scoredata import ItemRow, build_score_sheet, drill_sheets
from simtool.reports.scoresheet import ScoreSheetRenderer
from simtool.store import Archive

from helpers.timeforms import old_time_forms
from helpers.tools import POPPLER, require_tools

ROOT = Path(__file__).resolve().parents[2]
WHEN = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
HEADER = Header("Example Hospital", "Obstetrics", "Dr Test")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The late-care drill recorded and scored by `simtool run --archive`."""
    path = tmp_path_factory.mktemp("reports") / "archive.sqlite"
    out = subprocess.run(
        [sys.executable, "-m", "simtool", "run", "scenarios/pph_uterine_atony.yaml", "--script",
         "tests/scripts/pph_uterine_atony/late_care.yaml", "--rubric",
         "rubrics/pph_uterine_atony_technical.yaml", "--archive", str(path)],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return path


@pytest.fixture()
def archive(db):
    with Archive.open(db, create=False) as a:
        yield a


def _drill(archive: Archive) -> str:
    (info,) = archive.drills()
    return info.id


def test_team_score_sheet_data(archive):
    did = _drill(archive)
    team = drill_sheets(archive, did)[-1]
    r = build_score_sheet(archive, team, "en", HEADER, WHEN)
    assert (r.title, r.subject, r.role, r.scenario, r.scenario_version, r.evaluation_type) == (
        "Team score sheet", "Team", "", "Postpartum haemorrhage — uterine atony after vaginal birth",
        "1.0.0", "formative")
    assert r.items[:3] == (
        ItemRow("help_called", "Help called", True, "late", "late", "0/2", "26:00",
                "Midwife · late by 3 min 30 s", ""),
        ItemRow("uterotonic_given", "A uterotonic given", True, "met", "met", "2/2", "25:00", "Midwife", ""),
        ItemRow("txa_in_window", "Tranexamic acid within its window (15 min of detection, 3 h of birth)",
                True, "late", "late", "1/2", "33:20", "Anaesthetist · late by 5 min 50 s", ""))
    assert len(r.items) == 12   # with the MDT's activation (issue 18, item 6)
    assert (r.total, r.cut_score, r.verdict, r.verdict_code) == ("10/24 (41.67 %)", "70 %", "FAIL", "fail")
    assert r.verdict_reason == ("critical item not met: Help called; Tranexamic acid within its "
                                "window (15 min of detection, 3 h of birth)")
    assert (r.signed, r.record_sha256, r.examiners) == ("Not signed yet", "", ())
    assert r.audit_head.startswith("#") and r.generated == "Generated 2026-01-05 10:00 (UTC+00:00) by simtool 0.1.0"


def test_trainee_score_sheet_in_traditional_chinese(archive):
    did = _drill(archive)
    (sheet,) = drill_sheets(archive, did, "t1")
    r = build_score_sheet(archive, sheet, "zh_TW", HEADER, WHEN)
    assert (r.title, r.subject, r.role, r.verdict, r.verdict_code) == ("評分表", "Zhao Min", "助產師", "待定", "pending")
    assert r.verdict_reason.startswith("待考官評分：")


def test_score_sheet_evidence_is_said_in_the_report_language(archive):
    team = drill_sheets(archive, _drill(archive))[-1]
    said = {lang: {i.id: i.evidence for i in build_score_sheet(archive, team, lang, HEADER, WHEN).items}
            for lang in ("en", "zh_CN", "zh_TW")}
    assert said["en"]["motive_bundle"] == "missed: not done by 27:30"
    assert said["zh_CN"]["motive_bundle"] == "遗漏：27:30 前未完成"
    assert said["zh_TW"]["motive_bundle"] == "遺漏：27:30 前未完成"
    assert said["en"]["oxytocin_per_protocol"] == "12 min 30 s after PPH detected (target: within 5 min)"
    assert said["zh_CN"]["oxytocin_per_protocol"] == "“识别产后出血”后 12 分 30 秒（目标 5 分钟内）"
    assert said["zh_TW"]["oxytocin_per_protocol"] == "「辨識產後出血」後 12 分 30 秒（目標 5 分鐘內）"
    assert said["zh_TW"]["no_unsafe_drug"] == "未觸發安全警示"
    assert said["zh_CN"]["help_called"] == "助产士 · 延迟 3 分 30 秒"
    assert said["zh_TW"]["txa_in_window"] == "麻醉科醫師 · 延遲 5 分 50 秒"


def test_debrief_data(archive):
    did = _drill(archive)
    r = build_debrief(archive, did, "en", "t1", HEADER, WHEN)
    assert r.trainee == "Zhao Min (Midwife)"
    # the MDT was due at refractory bleeding and never called; the arrest, the blood-product
    # and laboratory rules and the pre-eclampsia actions (magnesium, its antidote) apply only to
    # their own course
    after = {e.id: e.status for e in r.expected[6:]}
    assert after.pop("mdt_activation") == "missed"
    assert set(after) >= {"cpr", "left_uterine_displacement", "magnesium", "calcium_antidote"}
    assert set(after.values()) == {"not applicable"}
    assert r.expected[:6] == (
        ExpectedRow("call_for_help", "Call for help", "late", "late", "26:00", "17:30", "Midwife"),
        ExpectedRow("first_uterotonic", "Uterotonic within 5 min", "late", "late", "25:00", "17:30", "Midwife"),
        ExpectedRow("txa", "Tranexamic acid within 15 min (and 3 h of birth)", "late", "late", "33:20",
                    "27:30", "Anaesthetist"),
        ExpectedRow("motive_bundle", "MOTIVE bundle complete within 15 min", "missed", "missed", "", "27:30", ""),
        ExpectedRow("second_line", "Second-line uterotonic when refractory", "missed", "missed", "", "37:30", ""),
        ExpectedRow("massive_transfusion", "Massive transfusion once over 1500 mL", "met", "met", "41:40",
                    "47:02", "Anaesthetist"))
    assert r.indicators[:4] == (
        IndicatorRow("warning_delay", "Warning delay (detection to call for help)", "13 min 30 s", "10 min",
                     False),
        IndicatorRow("oxytocin_per_protocol", "Oxytocin per protocol", "12 min 30 s", "5 min", False),
        IndicatorRow("time_to_txa", "Time to tranexamic acid", "20 min 50 s", "15 min", False),
        IndicatorRow("time_to_mtp", "Time to massive transfusion", "4 min 38 s", "10 min", True))
    # the MDT, due and never called: every one of its indicators not met
    assert [(i.id, i.met) for i in r.indicators[4:10]] == [
        (i, False) for i in ("mdt_response", "arrival_obstetric_surgeon", "arrival_anaesthetist",
                             "arrival_blood_bank", "arrival_interventional_radiology", "arrival_icu")]
    assert r.went_well == ("Massive transfusion once over 1500 mL (at 41:40)",)
    assert r.to_improve[0] == "Call for help: late (26:00, due 17:30)"
    assert r.to_improve[-1] == "MDT activated once over 1500 mL or refractory: missed (due 32:30)"
    assert r.flags == ()
    assert [(b.start, b.end) for b in r.bands] == [(0, 750), (750, 1650), (1650, 2222), (2222, 2700),
                                                   (2700, 3000), (3000, 3600)]
    assert r.timeline[0].text == "drill started" and r.timeline[-1].text == "drill ended"
    assert len(r.vitals) == 721 and r.vitals[-1].blood_loss_ml == 1751.2
    assert len(r.references) == 8   # with the AHA statement and source document 002


def test_debrief_shows_team_items_only(archive):
    """Another trainee's individual sheet never reaches the debrief."""
    did = _drill(archive)
    r = build_debrief(archive, did, "en", "t1", HEADER, WHEN)
    team = drill_sheets(archive, did)[-1].data
    assert [label for label, _, _ in r.team_items] == [i["label"]["en"] for i in team["items"]]
    individual = {i["label"]["en"] for s in drill_sheets(archive, did)[:-1] for i in s.data["items"]}
    shown = {label for label, _, _ in r.team_items}
    assert not (individual - {i["label"]["en"] for i in team["items"]}) & shown


def test_every_string_is_translated():
    for key in keys():
        assert all(tr(key, lang) for lang in LANGS), key


def test_fonts_are_registered_once():
    assert register_fonts() is register_fonts()


def _renderers(archive: Archive, lang: str):
    did = _drill(archive)
    yield "score-team", ScoreSheetRenderer(build_score_sheet(archive, drill_sheets(archive, did)[-1], lang, HEADER, WHEN))
    yield "score-t2", ScoreSheetRenderer(build_score_sheet(archive, drill_sheets(archive, did, "t2")[0], lang, HEADER, WHEN))
    yield "debrief", DebriefRenderer(build_debrief(archive, did, lang, "t1", HEADER, WHEN))


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


@pytest.mark.parametrize("lang", LANGS)
def test_reports_render_in_each_language(archive, lang, tmp_path):
    for name, renderer in _renderers(archive, lang):
        pdf = renderer.render()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF"), name
        assert (1 <= _pages(pdf) <= 2) if name.startswith("score") else (2 <= _pages(pdf) <= 4), name
        # every character drawn exists in the font it is drawn with
        assert renderer.drawn.missing() == [], name
        assert renderer.drawn.items
        (tmp_path / f"{name}.pdf").write_bytes(pdf)


@pytest.mark.parametrize("lang", LANGS)
def test_pdfs_embed_every_font_and_carry_metadata(archive, lang, tmp_path):
    require_tools(*POPPLER, package="poppler-utils")  # fails, never skips, without it
    for name, renderer in _renderers(archive, lang):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(renderer.render())
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows, name
        for row in rows:
            assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), (name, row)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert "Author:          Dr Test" in info
        assert re.search(r"Title:\s+\S", info) and re.search(r"Subject:\s+\S", info)
        assert "CreationDate:" in info
        assert b"/Lang" in path.read_bytes()
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert tr("page", lang, n=pages, m=pages) in text
        title = {"score-team": "team_score_sheet", "score-t2": "score_sheet", "debrief": "debrief"}[name]
        assert tr(title, lang) in text
        if name == "debrief":
            assert "中华医学会妇产科学分会" in text       # the Chinese reference, in every language
            assert tr("went_well", lang) in text
        # issue 16: one way to write times — never "210 s", "4:38" beside "26:00", or "UTC" alone
        assert old_time_forms(text) == [], (name, old_time_forms(text))
        assert "2026-01-05 10:00 (UTC+00:00)" in text, name


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_signed_and_generated_read_in_the_local_zone_and_times_one_way(db, lang, tmp_path, monkeypatch):
    """Issue 16: a user in UTC+8 reads the signature and the "Generated" stamp in their own time,
    with its offset; drill times are mm:ss, durations minutes and seconds, in both PDFs."""
    import shutil

    from simtool.store import Examiner
    require_tools(*POPPLER, package="poppler-utils")
    copy = tmp_path / "signed.sqlite"
    shutil.copy(db, copy)
    signed_at = datetime(2026, 11, 30, 4, 47, 30, tzinfo=timezone.utc)
    with Archive.open(copy, create=False, clock=lambda: signed_at) as archive:
        team = drill_sheets(archive, _drill(archive))[-1]
        archive.sign_sheet(team.id, archive.add_examiner(Examiner("Dr Wu")))
    monkeypatch.setenv("SIMTOOL_TZ", "Asia/Shanghai")
    with Archive.open(copy, create=False) as archive:
        did = _drill(archive)
        team = drill_sheets(archive, did)[-1]
        assert team.signed_at.startswith("2026-11-30T04:47:30")   # the archive keeps UTC
        sheet = build_score_sheet(archive, team, lang, HEADER, WHEN)
        debrief = build_debrief(archive, did, lang, "t1", HEADER, WHEN)
        score_text = _pdf_text(ScoreSheetRenderer(sheet).render(), tmp_path, "score")
        debrief_text = _pdf_text(DebriefRenderer(debrief).render(), tmp_path, "debrief")
    assert sheet.signed == tr("signed", lang, who="Dr Wu", at="2026-11-30 12:47 (UTC+08:00)")
    assert sheet.generated == tr("generated", lang, at="2026-01-05 18:00 (UTC+08:00)", v="0.1.0")
    assert debrief.generated == sheet.generated
    flat = re.sub(r"\s+", "", score_text)
    assert re.sub(r"\s+", "", sheet.signed) in flat and re.sub(r"\s+", "", sheet.generated) in flat
    assert re.sub(r"\s+", "", debrief.generated) in re.sub(r"\s+", "", debrief_text)
    for text in (score_text, debrief_text):
        assert old_time_forms(text) == [], old_time_forms(text)
    # the late items and the indicators in minutes and seconds; drill times mm:ss
    late = tr("late_by", lang, s={"en": "3 min 30 s", "zh_CN": "3 分 30 秒", "zh_TW": "3 分 30 秒"}[lang])
    assert re.sub(r"\s+", "", late) in flat
    assert "26:00" in score_text and "33:20" in score_text
    assert re.sub(r"\s+", "", debrief.indicators[0].seconds) in re.sub(r"\s+", "", debrief_text)
    assert next(i for i in debrief.indicators if i.id == "time_to_mtp").seconds == {"en": "4 min 38 s", "zh_CN": "4 分 38 秒", "zh_TW": "4 分 38 秒"}[lang]


def _export(argv: list[str]) -> int:
    from simtool.cli.export import add_export_parser
    parser = argparse.ArgumentParser()
    add_export_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_export_command(db, tmp_path):
    with Archive.open(db, create=False) as a:
        did = _drill(a)
    out = tmp_path / "team.pdf"
    assert _export(["export", did, "--kind", "score-sheet", "--archive", str(db), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert _export(["export", did, "--kind", "debrief", "--trainee", "t1", "--lang", "zh_CN",
                    "--archive", str(db), "-o", str(tmp_path / "d.pdf")]) == 0
    folder = tmp_path / "all"
    assert _export(["export", did, "--kind", "score-sheet", "--all-sheets", "--lang", "zh_TW",
                    "--archive", str(db), "-o", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{did}-{w}-zh_TW.pdf" for w in ("t1", "t2", "t3", "team"))


def test_export_errors_are_one_message(db, tmp_path):
    with pytest.raises(SimtoolError, match="no drill nope"):
        _export(["export", "nope", "--kind", "debrief", "--archive", str(db), "-o", str(tmp_path / "x.pdf")])
    with pytest.raises(SimtoolError, match="no archive"):
        _export(["export", "x", "--kind", "debrief", "--archive", str(tmp_path / "none.sqlite"),
                 "-o", str(tmp_path / "x.pdf")])


@pytest.mark.parametrize("lang", LANGS)
def test_an_unsigned_score_sheet_says_draft_and_a_signed_one_does_not(db, lang, tmp_path):
    """A sheet printed before it is signed (a verdict in large type, the same title) must not
    pass for the signed record: a banner under the title and DRAFT across every page."""
    import shutil

    from simtool.store import Examiner
    require_tools(*POPPLER, package="poppler-utils")
    copy = tmp_path / "draft.sqlite"
    shutil.copy(db, copy)
    with Archive.open(copy, create=False) as archive:
        team = drill_sheets(archive, _drill(archive))[-1]
        draft = _pdf_text(ScoreSheetRenderer(build_score_sheet(archive, team, lang, HEADER, WHEN)).render(),
                          tmp_path, "draft")
        archive.sign_sheet(team.id, archive.add_examiner(Examiner("Dr Wu")))
        team = drill_sheets(archive, _drill(archive))[-1]
        signed = _pdf_text(ScoreSheetRenderer(build_score_sheet(archive, team, lang, HEADER, WHEN)).render(),
                           tmp_path, "signed")
    flat = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
    banner, mark = flat(tr("draft_banner", lang)), tr("draft_mark", lang)
    assert banner in flat(draft) and mark in draft
    assert banner not in flat(signed) and mark not in signed.replace(tr("draft_banner", lang), "")
