"""The quality loop of issue 21 (items 2 and 3): latent safety threats found in a debrief,
corrective actions with owner, deadline and status (overdue on the archive's clock), the
quarter's PDCA decision, and the quality-meeting pack that shows them — in the archive
(append-only, audited, checked by verify), through `simtool quality` and `simtool export
--kind quality-pack`, and against hostile text."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from simtool.app import quality
from simtool.cli import main
from simtool.cli import quality as cli_quality
from simtool.reports.qualitypack import render_quality_pack
from simtool.reports.qualitypackdata import build_quality_pack
from simtool.store import Archive
from simtool.store import quality as store_quality

from helpers.qualityloop import DEPT, build, utc
from helpers.tools import POPPLER, require_tools

FAR = "2099-12-31"   # a deadline no test run reaches


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The Done-when story: a threat found in a 2026-Q3 drill; action 1 agreed in Q2 with a
    Q2 deadline and never done (overdue); action 2 agreed in Q3 against the threat and done;
    the Q3 decision recorded twice (the second counts)."""
    path = tmp_path_factory.mktemp("quality-loop") / "archive.sqlite"
    clock, ids = build(path)
    with Archive.open(path, clock=clock, actor="lead@lab") as a:
        clock.now = utc(2026, 5, 20, 10)
        a1 = quality.add_action(a, title="Restock the PPH trolley after every use", owner="S1001",
                                deadline="2026-06-30", indicator="oxytocin_per_protocol")
        clock.now = utc(2026, 8, 4, 10)
        t = quality.record_threat(a, ids[2], found="Second oxytocin ampoule missing from the trolley",
                                  category="equipment", likelihood=4, severity=3,
                                  root_cause="No restocking check after use", events=[3, 5],
                                  indicators=["oxytocin_per_protocol"])
        a2 = quality.add_action(a, title="Call-for-help card at every bed", owner="E77",
                                deadline=FAR, indicator="warning_delay", threat=t.id)
        clock.now = utc(2026, 9, 10, 10)
        quality.update_action(a, a2.id, "done", "Cards laminated and placed")
        clock.now = utc(2026, 10, 8, 10)
        quality.decide(a, "2026-Q3", "new-cycle", "first thoughts", DEPT)
        quality.decide(a, "2026-Q3", "standardise", "The restocking check becomes the standard", DEPT)
    return path, clock, ids, (a1.id, a2.id, t.id)


def _json(capsys, argv: list[str]) -> object:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _fails(capsys, argv: list[str]) -> str:
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 1, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def test_the_pack_shows_a_threat_and_two_actions_across_two_quarters_one_overdue(built, tmp_path, capsys):
    require_tools(*POPPLER, package="poppler-utils")
    path, clock, _ids, (a1, a2, tid) = built
    rows = _json(capsys, ["quality", "actions", "--json", "--archive", str(path)])
    assert [(r["id"], r["owner"], r["deadline"], r["indicator"], r["status"]) for r in rows] == [
        (a1, "S1001", "2026-06-30", "oxytocin_per_protocol", "overdue"),
        (a2, "E77", FAR, "warning_delay", "done")]
    assert rows[1]["threat"] == tid and rows[1]["history"][0]["note"] == "Cards laminated and placed"
    with Archive.open(path, clock=clock) as a:
        q3 = build_quality_pack(a, "2026-Q3", "en", department=DEPT, min_drills=1)
        q2 = build_quality_pack(a, "2026-Q2", "en", department=DEPT, min_drills=1)
    # the Q2 action is still followed up in Q3 (overdue); the Q3 one was done in Q3
    assert [(x.id, x.status) for x in q3.actions] == [(a1, "overdue"), (a2, "done")]
    assert [(x.id, x.status) for x in q2.actions] == [(a1, "overdue")]
    assert [x.id for x in q3.threats] == [tid] and q2.threats == ()
    assert q3.threats[0].risk == "high (4 × 3 = 12)"
    assert q3.decision is not None and q3.decision.note == "The restocking check becomes the standard"
    assert [d.note for d in q3.earlier_decisions] == ["first thoughts"]
    assert q2.decision is None
    assert q3.quarters == ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3") and q3.drills == 2
    warning = next(c for c in q3.check if c.indicator_id == "warning_delay")
    assert warning.cells[2:] == ("1/2 (50 %)", "1/2 (50 %)") and warning.below[2:] == (True, True)

    for lang in ("en", "zh_CN"):
        out = tmp_path / f"pack-{lang}.pdf"
        capsys.readouterr()
        assert main(["export", "--kind", "quality-pack", "--quarter", "2026-Q3", "--department", DEPT,
                     "--min-drills", "1", "--lang", lang, "--archive", str(path), "-o", str(out)]) == 0
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = re.sub(r"\s+", "", text)
        for needle in ("Restock the PPH trolley", "Call-for-help card", "Second oxytocin ampoule",
                       "2026-06-30", "Therestockingcheckbecomesthestandard"):
            assert re.sub(r"\s+", "", needle) in flat, (lang, needle)
        words = {"en": ("overdue", "done", "Qualitymeetingpack2026-Q3", "Act:thedecision",
                        "Standardise"),
                 "zh_CN": ("已逾期", "已完成", "质控会议资料2026-Q3", "处理（A）：决定", "标准化")}[lang]
        for w in words:
            assert w in flat, (lang, w)


def test_the_pack_of_a_quarter_without_records_says_so(built):
    path, clock, *_ = built
    with Archive.open(path, clock=clock) as a:
        pack = build_quality_pack(a, "2025-Q1", "zh_TW")
    assert (pack.check, pack.threats, pack.actions, pack.decision) == ((), (), (), None)
    assert render_quality_pack(pack).startswith(b"%PDF")


def test_threats_are_listed_with_their_links_and_filters(built, capsys):
    path, _clock, ids, (_a1, _a2, tid) = built
    found = _json(capsys, ["quality", "threats", "--json", "--archive", str(path)])
    assert [(t["id"], t["drill"], t["category"], t["risk"], t["events"], t["indicators"])
            for t in found] == [(tid, ids[2], "equipment", "high", [3, 5], ["oxytocin_per_protocol"])]
    assert found[0]["root_cause"] == "No restocking check after use"
    assert found[0]["recorded_by"] == "lead@lab" and found[0]["recorded_at"].startswith("2026-08-04")
    assert _json(capsys, ["quality", "threats", "--json", "--from", "2026-09-01", "--archive", str(path)]) == []
    assert _json(capsys, ["quality", "threats", "--json", "--department", "ICU", "--archive", str(path)]) == []
    assert len(_json(capsys, ["quality", "threats", "--json", "--from", "2026-07-01", "--to",
                              "2026-09-30", "--department", DEPT, "--archive", str(path)])) == 1


def test_a_revision_keeps_the_earlier_version(built, tmp_path):
    path, clock, ids, (_a1, _a2, tid) = built
    copy = tmp_path / "a.sqlite"
    shutil.copy(path, copy)
    with Archive.open(copy, clock=clock) as a:
        t = quality.record_threat(a, ids[2], found="Ampoule missing; also no checklist",
                                  category="process", likelihood=2, severity=2,
                                  root_cause="Nobody owns the trolley", revises=tid)
        assert (t.id, t.revisions, t.risk) == (tid, 2, "moderate")
        history = a.safety_threats(threat_id=tid, history=True)
        assert [h.found for h in history] == ["Second oxytocin ampoule missing from the trolley",
                                              "Ampoule missing; also no checklist"]
        with pytest.raises(quality.QualityError, match="belongs to drill"):
            quality.record_threat(a, ids[0], found="x", category="process", likelihood=1,
                                  severity=1, root_cause="y", revises=tid)
        assert a.verify() == []


def test_records_are_append_only_and_verify_names_a_tampered_one(built, tmp_path, capsys):
    path, *_ = built
    copy = tmp_path / "a.sqlite"
    shutil.copy(path, copy)
    con = sqlite3.connect(copy, isolation_level=None)
    for table in ("safety_threats", "quality_actions", "quality_action_updates", "quality_decisions"):
        col = {"safety_threats": "found", "quality_actions": "title",
               "quality_action_updates": "note", "quality_decisions": "note"}[table]
        with pytest.raises(sqlite3.DatabaseError):
            con.execute(f"UPDATE {table} SET {col} = 'rewritten'")
        with pytest.raises(sqlite3.DatabaseError):
            con.execute(f"DELETE FROM {table}")
    con.execute("DROP TRIGGER quality_actions_no_update")
    con.execute("UPDATE quality_actions SET deadline = '2099-01-01' WHERE id = 1")
    con.execute("DROP TRIGGER quality_decisions_no_delete")
    con.execute("DELETE FROM quality_decisions WHERE id = 2")
    con.close()
    capsys.readouterr()
    assert main(["verify", "--archive", str(copy)]) != 0
    out = capsys.readouterr().out
    assert "corrective action 1 (owner S1001): record changed after it was written" in out
    assert "PDCA decision 2: missing" in out
    assert "guard trigger quality_actions_no_update is missing" in out


@pytest.mark.parametrize("argv, says", [
    (["action", "add", "--title", "T", "--owner", "NOBODY", "--deadline", "2026-12-01"],
     "no person with staff id 'NOBODY'"),
    (["action", "add", "--title", "T", "--owner", "S1001", "--deadline", "2026-02-30"],
     "is not a date of the calendar"),
    (["action", "add", "--title", "T", "--owner", "S1001", "--deadline", "30/12/2026"],
     "is not a date (YYYY-MM-DD)"),
    (["action", "add", "--title", "T", "--owner", "S1001", "--deadline", "2026-12-01",
      "--indicator", "no_such_indicator"], "there is no indicator 'no_such_indicator'"),
    (["action", "add", "--title", "T", "--owner", "S1001", "--deadline", "2026-12-01",
      "--threat", "99"], "there is no safety threat 99"),
    (["action", "add", "--title", "   ", "--owner", "S1001", "--deadline", "2026-12-01"],
     "the action's title is empty"),
    (["action", "update", "42", "--status", "done"], "no corrective action 42"),
    (["decide", "--quarter", "2026-Q5", "--decision", "standardise", "--note", "n"],
     "is not written YYYY-Qn"),
    (["decide", "--quarter", "2026-Q3", "--decision", "other", "--note", ""],
     "the decision's note is empty"),
    (["threats", "--from", "yesterday"], "--from 'yesterday' is not a date"),
    (["threat", "add", "DRILL-X", "--found", "f", "--category", "people", "--likelihood", "2",
      "--severity", "2", "--root-cause", "r"], "no drill DRILL-X"),
])
def test_bad_input_is_one_sentence_and_nothing_is_written(built, tmp_path, capsys, argv, says):
    path, *_ = built
    copy = tmp_path / "a.sqlite"
    shutil.copy(path, copy)
    before = copy.read_bytes()
    err = _fails(capsys, ["quality", *argv, "--archive", str(copy)])
    assert says in err
    with Archive.open(copy, create=False) as a:
        assert len(a.quality_actions()) == 2 and len(a.safety_threats()) == 1
        assert len(a.quality_decisions(any_department=True)) == 2
    assert before  # the archive was there before and its records are as they were


def test_export_quality_pack_options_are_checked(built, tmp_path, capsys):
    path, *_ = built
    out = str(tmp_path / "p.pdf")
    assert "needs --quarter" in _fails(capsys, ["export", "--kind", "quality-pack", "--archive",
                                                str(path), "-o", out])
    assert "is not a quarter" in _fails(capsys, ["export", "--kind", "quality-pack", "--quarter",
                                                 "Q3-2026", "--archive", str(path), "-o", out])
    assert "--quarter goes with --kind quality-pack" in _fails(
        capsys, ["export", "--kind", "quality", "--quarter", "2026-Q3", "--archive", str(path), "-o", out])
    assert not Path(out).exists()


HOSTILE = {
    "markup": "<b>bold</b> <script>alert(1)</script> &amp; <para>",
    "sql": "'); DROP TABLE quality_actions; --",
    "chinese": "抢救车缩宫素不足；交接班未核对",
    "path": "../../etc/passwd",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_kept_verbatim_and_printed_safely(built, tmp_path, capsys, name):
    require_tools(*POPPLER, package="poppler-utils")
    path, clock, ids, _ = built
    copy = tmp_path / "a.sqlite"
    shutil.copy(path, copy)
    text = HOSTILE[name]
    with Archive.open(copy, clock=clock) as a:
        clock.now = utc(2026, 9, 2, 9)
        t = quality.record_threat(a, ids[3], found=text, category="communication", likelihood=1,
                                  severity=5, root_cause=text)
        act = quality.add_action(a, title=text, owner="S1001", deadline=FAR)
        quality.update_action(a, act.id, "open", text)
        quality.decide(a, "2026-Q3", "other", text)
        assert a.safety_threats(threat_id=t.id)[0].found == text
        assert a.quality_action(act.id).title == text and a.verify() == []
        pdf = render_quality_pack(build_quality_pack(a, "2026-Q3", "en"))
    out = tmp_path / "p.pdf"
    out.write_bytes(pdf)
    flat = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    assert re.sub(r"\s+", "", text)[:20] in flat
    rows = _json(capsys, ["quality", "actions", "--json", "--archive", str(copy)])
    assert rows[-1]["title"] == text


@pytest.mark.parametrize("bad, says", [
    ("x" * 20_001, "characters long"),
    ("ring\x07bell", "control character (U+0007)"),
    ("esc\x1b[31mred", "control character (U+001B)"),
    ("nul\x00", "control character (U+0000)"),
    ("\ud800", "control character (U+D800)"),
])
def test_huge_or_control_text_is_refused_in_one_sentence(built, tmp_path, bad, says):
    path, clock, ids, _ = built
    copy = tmp_path / "a.sqlite"
    shutil.copy(path, copy)
    with Archive.open(copy, clock=clock) as a:
        with pytest.raises(quality.QualityError, match=re.escape(says)) as exc:
            quality.record_threat(a, ids[2], found=bad, category="people", likelihood=1,
                                  severity=1, root_cause="r")
        assert "\n" not in str(exc.value) and "nothing was saved" in str(exc.value)
        with pytest.raises(quality.QualityError, match=re.escape(says) if len(bad) < 400 else "characters"):
            quality.add_action(a, title=bad, owner="S1001", deadline=FAR)
        with pytest.raises(quality.QualityError):
            quality.decide(a, "2026-Q3", "other", bad)
        assert len(a.safety_threats()) == 1 and len(a.quality_actions()) == 2


def test_a_title_is_one_line_and_a_risk_rating_is_1_to_5(built, tmp_path):
    path, clock, ids, _ = built
    copy = tmp_path / "a.sqlite"
    shutil.copy(path, copy)
    with Archive.open(copy, clock=clock) as a:
        with pytest.raises(quality.QualityError, match="holds a line break"):
            quality.add_action(a, title="two\nlines", owner="S1001", deadline=FAR)
        for bad in (0, 6, 2.5, float("nan"), True, "high", None):
            with pytest.raises(quality.QualityError, match="whole number from 1 to 5"):
                quality.record_threat(a, ids[2], found="f", category="people", likelihood=bad,
                                      severity=1, root_cause="r")
        with pytest.raises(quality.QualityError, match="has no event 9999"):
            quality.record_threat(a, ids[2], found="f", category="people", likelihood=1,
                                  severity=1, root_cause="r", events=[9999])
        with pytest.raises(quality.QualityError, match="has no indicator 'time_to_help'"):
            quality.record_threat(a, ids[2], found="f", category="people", likelihood=1,
                                  severity=1, root_cause="r", indicators=["time_to_help"])
        with pytest.raises(quality.QualityError, match="no threat category 'weather'"):
            quality.record_threat(a, ids[2], found="f", category="weather", likelihood=1,
                                  severity=1, root_cause="r")


def test_the_npsa_matrix_grades_and_the_cli_vocabularies_agree():
    grades = {(lik, sev): store_quality.risk_band(lik, sev) for lik in range(1, 6) for sev in range(1, 6)}
    assert grades[(1, 3)] == "low" and grades[(2, 2)] == "moderate" and grades[(3, 2)] == "moderate"
    assert grades[(2, 4)] == "high" and grades[(3, 4)] == "high" and grades[(3, 5)] == "extreme"
    assert grades[(5, 5)] == "extreme" and grades[(1, 1)] == "low"
    assert cli_quality.CATEGORIES == store_quality.CATEGORIES
    assert cli_quality.DECISIONS == store_quality.DECISIONS
