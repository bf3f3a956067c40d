"""Correcting the record through the application layer: an ended drill rebuilt from its record,
corrected and stored in one transaction (its indicators follow); a live drill corrected through
its recording; refused, with nothing written, for a signed drill, an impossible correction or a
failing disk; and a drill corrected while it ran resumes after a crash to the same record."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from simtool.app.corrections import CorrectionError, correct, effective_log
from simtool.app.live import LiveDrill
from simtool.app.sheets import sign_new_sheet
from simtool.cli import main
from simtool.core.drill import Participant, PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.scoring import score
from simtool.store import Archive
from simtool.store.analytics import drill_indicators

from helpers.archive import fingerprint, late_care_drill, raw
from helpers.paths import RUBRICS

TEAM = (Participant("t1", "Zhao Min", "midwife"), Participant("t2", "Sun Lei", "obstetrician"),
        Participant("t3", "Zhou Yan", "anaesthetist"))
NOON = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)


@pytest.fixture()
def ended(tmp_path):
    """The late-care drill recorded and ended by the command line: (archive path, drill id)."""
    return late_care_drill(tmp_path)


def _seq(archive, did, action):
    return next(e.seq for e in archive.events(did) if e.kind == "action" and e.action == action)


def _indicator(archive, did, ind):
    (d,) = [d for d in drill_indicators(archive) if d.drill_id == did]
    return next(r for r in d.results if r.id == ind)


def test_an_ended_drill_is_corrected_and_its_indicators_and_scores_follow(ended):
    db, did = ended
    with Archive.open(db) as archive:
        before = _indicator(archive, did, "oxytocin_per_protocol")   # computed and kept
        assert (before.seconds, before.met) == (750.0, False)
        seq = _seq(archive, did, "oxytocin")
        original = archive.events(did)[seq]
        entry = correct(archive, did, seq, reason="given at 13 min, logged at 25", at=780,
                        wall_clock=lambda: NOON)
        assert entry.amended and entry.t == 780.0 and entry.original == original
        stored = archive.events(did)
        # the original entry is unchanged; the amendment is appended, with when and why
        assert stored[seq] == original
        amend = stored[-1]
        assert (amend.kind, amend.ref, amend.text, amend.wall) == \
            ("amend", seq, "given at 13 min, logged at 25", "2026-11-30T04:00:00.000+00:00")
        after = _indicator(archive, did, "oxytocin_per_protocol")
        assert (after.seconds, after.met) == (30.0, True)
        assert archive.verify() == []
        # the record replays to itself, and a score of it sees the corrected time
        drill = archive.replay(did)
        rubric = load_rubric(RUBRICS / "pph_uterine_atony_technical.yaml", drill.loaded)
        sheet = score(rubric, drill).sheet("team")
        cited = [i.evidence for i in sheet.items if i.evidence is not None and i.evidence.seq == seq]
        assert cited and all(ev.t == 780.0 and ev.iid == original.iid for ev in cited)


def test_a_corrected_dose_flags_the_drill_in_the_archive(ended):
    db, did = ended
    with Archive.open(db) as archive:
        seq = _seq(archive, did, "tranexamic_acid")
        entry = correct(archive, did, seq, reason="2 g given", dose=2, unit="g")
        assert sorted(f.rule for f in entry.flags) == ["dose_range", "max_single"]
        again = [e for e in effective_log(archive.replay(did)) if e.seq == seq]
        assert again[0].flags == entry.flags
        assert archive.verify() == []


@pytest.mark.parametrize("seq_of, kw, words", [
    (lambda a, d: _seq(a, d, "oxytocin"), {"reason": "", "dose": 5}, "needs a reason"),
    (lambda a, d: 999, {"reason": "x", "dose": 5}, "there is no event 999"),
    (lambda a, d: 0, {"reason": "x", "dose": 5}, "is a start the drill derived"),
    (lambda a, d: _seq(a, d, "oxytocin"), {"reason": "x", "dose": 0}, "above zero"),
    (lambda a, d: _seq(a, d, "oxytocin"), {"reason": "x", "at": 99_999}, "within the drill"),
    (lambda a, d: _seq(a, d, "oxytocin"), {"reason": "x", "dose": 5, "unit": "g"}, "cannot be corrected"),
    (lambda a, d: _seq(a, d, "oxytocin"), {"reason": "x", "who": "t1", "strike": True}, "no other change"),
])
def test_an_impossible_correction_writes_nothing(ended, seq_of, kw, words):
    db, did = ended
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(CorrectionError, match=words):
            correct(archive, did, seq_of(archive, did), **kw)
    assert fingerprint(db) == before


def test_a_correction_the_disk_fails_halfway_through_writes_nothing(ended):
    db, did = ended
    with Archive.open(db) as archive:
        seq = _seq(archive, did, "tranexamic_acid")
    with raw(db) as c:   # the second event row of the correction fails (the flag after the amendment)
        n = c.execute("SELECT count(*) FROM events").fetchone()[0]
        c.execute(f"CREATE TRIGGER fail_here BEFORE INSERT ON events WHEN (SELECT count(*) FROM events) "
                  f">= {n + 1} BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(sqlite3.IntegrityError):
            correct(archive, did, seq, reason="2 g given", dose=2, unit="g")
    assert fingerprint(db) == before


def test_a_signed_drill_cannot_be_corrected(ended):
    db, did = ended
    with Archive.open(db) as archive:
        drill = archive.replay(did)
        rubric = load_rubric(RUBRICS / "pph_uterine_atony_technical.yaml", drill.loaded)
        sign_new_sheet(archive, did, rubric, score(rubric, drill).sheet("team"), examiner="Dr Zhou")
        seq = _seq(archive, did, "oxytocin")
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(CorrectionError, match="is signed"):
            correct(archive, did, seq, reason="late entry", at=600)
    assert fingerprint(db) == before
    assert main(["amend", did, "--event", str(seq), "--at", "10:00", "--reason", "late",
                 "--archive", str(db)]) == 1
    assert fingerprint(db) == before


def test_a_live_drill_is_corrected_through_its_recording_and_resumes_to_the_same_record(pph, tmp_path):
    db = tmp_path / "live.sqlite"
    archive = Archive.open(db)
    live = LiveDrill.start(pph, PatientParams(65.0), TEAM, archive, wall_clock=lambda: NOON)
    shown = []
    live.subscribe(shown.append)
    live.advance_to(900)
    txa = live.act("tranexamic_acid", by="t3", dose=1, unit="g", route="IV")
    live.advance_to(960)
    amend = live.amend(txa.seq, reason="2 g given", dose=2, unit="g")
    # the same use case from another face of this simtool goes to the live drill, not a copy
    struck = correct(archive, live.drill_id, txa.seq - 0, reason="given to the wrong patient",
                     strike=True)
    assert struck.struck and live.drill.flags() == []
    live.advance_to(1000)
    record = [e.to_dict() for e in live.drill.events]
    assert [e.to_dict() for e in archive.events(live.drill_id)] == record   # stored as made
    assert amend in shown and shown[-1].kind in ("unflag", "retract")
    # the process dies here (no end); another simtool resumes the drill from its record
    again = Archive.open(db)
    resumed = LiveDrill.resume(again, live.drill_id, pph, take_over=True)
    assert [e.to_dict() for e in resumed.drill.events] == record
    assert [e.to_dict() for e in resumed.log()] == [e.to_dict() for e in live.log()]
    again.close()
    archive.close()


def test_a_flag_is_held_against_whoever_the_corrected_record_says_gave_the_drug(tmp_path):
    """A trainee's safety item counts the flags on the actions the corrected record credits to
    them: moving an overdose from the nurse to the anaesthetist moves the failed item too."""
    from simtool.core.rubric import load_rubric
    from simtool.core.scenario import load_scenario
    from helpers.paths import ROOT
    last = load_scenario(ROOT / "scenarios" / "last_nerve_block.yaml")
    text = (RUBRICS / "last_nerve_block_technical.yaml").read_text(encoding="utf-8")
    mine = text.replace("  - id: safe_doses\n    kind: not_done\n    scope: team\n",
                        "  - id: safe_doses\n    kind: not_done\n    scope: trainee\n")
    assert mine != text
    path = tmp_path / "last_trainee.yaml"
    path.write_text(mine, encoding="utf-8")
    rubric = load_rubric(path, last)
    team = (Participant("a1", "Wang Fang", "anaesthetist"), Participant("n1", "Li Na", "nurse"))
    live = LiveDrill.start(last, PatientParams(70.0), team)
    live.advance_to(120)
    epi = live.act("epinephrine", by="n1", dose=1, unit="mg", route="IV")   # 14× the limit
    assert [f.rule for f in live.drill.flags()] == ["max_single"]

    def safe(drill, who):
        sheet = score(rubric, drill).sheet(who)
        return next(i.status for i in sheet.items if i.id == "safe_doses")

    assert (safe(live.drill, "n1"), safe(live.drill, "a1")) == ("not met", "met")
    live.amend(epi.seq, reason="the anaesthetist gave it", who="a1")
    assert (safe(live.drill, "n1"), safe(live.drill, "a1")) == ("met", "not met")


def test_the_debrief_dates_a_flag_a_correction_raised_at_the_action_it_is_on(ended):
    from simtool.reports.debriefdata import build_debrief
    db, did = ended
    with Archive.open(db) as archive:
        seq = _seq(archive, did, "tranexamic_acid")   # logged at 33:20
        correct(archive, did, seq, reason="2 g given", dose=2, unit="g")
        report = build_debrief(archive, did)
        flagged = [line for line in report.to_improve if "Tranexamic acid" in line]
        assert flagged and all("33:20" in line and "60:00" not in line for line in flagged), flagged
