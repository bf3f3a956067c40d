"""The exam day's clock and sittings (issue 22): one clock for the printed schedule and the
marking server (the exam's recorded start, written once), and every sitting's drill recorded
with its link to the exam in one transaction when the exam starts, so a process killed
half-way leaves no drill without its sitting and a second start adds each sitting once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "web"))
from examday import ZERO, make_exam  # noqa: E402

from simtool.app.exam import ExamDay  # noqa: E402
from simtool.cli import main  # noqa: E402
from simtool.store import Archive  # noqa: E402

SITTINGS = 18          # 6 candidates x 3 stations


def _count(archive: Archive, table: str) -> int:
    return archive._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.fixture
def path(tmp_path, capsys):
    p = make_exam(tmp_path)
    capsys.readouterr()
    return p


def test_starting_records_every_sitting_once_and_a_second_start_adds_nothing(path):
    with Archive.open(path) as archive:
        day = ExamDay(archive, "osce_demo")
        seen: list[tuple[int, int]] = []
        assert day.start(ZERO, progress=lambda done, total: seen.append((done, total))) == ZERO
        assert seen[0] == (1, SITTINGS) and seen[-1] == (SITTINGS, SITTINGS)   # what a face shows
        assert _count(archive, "exam_sittings") == SITTINGS == _count(archive, "drills")
        later = day.start(ZERO + timedelta(hours=2))      # the zero is written once
        assert later == ZERO and day.prepare() == 0
        assert _count(archive, "exam_sittings") == SITTINGS == _count(archive, "drills")
        # every examiner of a station is linked to each of its sittings' drills
        balloon = [r for r in archive._conn.execute(
            "SELECT drill_id FROM exam_sittings WHERE station = 'balloon'")]
        assert all(len(archive.drill_examiners(d)) == 2 for (d,) in balloon)
        assert archive.verify() == []


def test_a_process_killed_between_a_drill_and_its_link_leaves_neither(path):
    script = textwrap.dedent(f"""
        import os
        from datetime import datetime
        from simtool.app.exam import ExamDay
        from simtool.store import Archive
        from simtool.store import exam as store
        linked = []
        real = store.add_sitting
        def add_sitting(*a, **k):
            if linked:              # the second sitting's drill is recorded: die before its link
                os._exit(9)
            linked.append(real(*a, **k))
            return linked[-1]
        store.add_sitting = add_sitting
        day = ExamDay(Archive.open({str(path)!r}), "osce_demo")
        day.start(datetime.fromisoformat({ZERO.isoformat()!r}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, env={**os.environ})
    assert proc.returncode == 9, proc.stderr.decode()
    with Archive.open(path) as archive:
        assert _count(archive, "drills") == 0 and _count(archive, "exam_sittings") == 0
        day = ExamDay(archive, "osce_demo")
        assert day.zero() is None              # the start went with the rest of the transaction
        day.start(ZERO)
        assert _count(archive, "drills") == SITTINGS == _count(archive, "exam_sittings")
        linked = {d for (d,) in archive._conn.execute("SELECT drill_id FROM exam_sittings")}
        assert linked == {d for (d,) in archive._conn.execute("SELECT id FROM drills")}
        assert archive.verify() == []


def test_the_schedule_shows_the_exam_clock_once_started(path, capsys):
    # before the start: the file's planned 08:30
    assert main(["exam", "schedule", "osce_demo", "--json", "--archive", str(path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    first = next(r for r in rows if r["round"] == 1)
    assert (first["start"], first["clock"], first["start_at"]) == ("08:30:00", "planned", None)
    # started late, at 09:02:07 on the lab computer: the schedule and the server's rounds agree
    at = datetime(2026, 12, 1, 9, 2, 7).astimezone()
    with Archive.open(path) as archive:
        day = ExamDay(archive, "osce_demo")
        day.start(at)
        assert day.clock(at + timedelta(seconds=601))["round"] == 2
    assert main(["exam", "schedule", "osce_demo", "--json", "--archive", str(path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    second = next(r for r in rows if r["round"] == 2)
    assert (second["start"], second["clock"]) == ("09:12:07", "started")
    assert second["start_at"] == (at + timedelta(seconds=600)).astimezone(timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%SZ")
    assert main(["exam", "schedule", "osce_demo", "--archive", str(path)]) == 0
    text = capsys.readouterr().out
    assert "started 2026-12-01 09:02:07" in text and "09:12:07" in text and "08:30" not in text


def test_a_server_started_before_the_planned_bell_waits_for_it(path):
    early = datetime(2026, 12, 1, 8, 0).astimezone()
    with Archive.open(path) as archive:
        day = ExamDay(archive, "osce_demo")
        zero = day.start(now=early)
        assert zero == datetime(2026, 12, 1, 8, 30).astimezone()
        assert day.can_join(early) == (True, "")          # examiners join before the bell
        assert day.is_open(early)[0] is False               # but nobody marks yet
        assert day.clock(early)["phase"] == "before" and day.clock(early)["left_s"] == 1800
        assert day.is_open(zero + timedelta(seconds=1)) == (True, "")


def test_marks_after_a_restart_are_scored_on_the_replayed_record(path):
    """A server restarted mid-exam has no live records: it replays them from the archive, and
    the sheet scores and signs the same as before the restart."""
    from examday import full_marks
    at = ZERO + timedelta(seconds=90)
    with Archive.open(path) as archive:
        first = ExamDay(archive, "osce_demo")
        first.start(ZERO)
        eid = first.examiner_by_staff("E01")
        cand = first.turns("massage", eid, at)[0].candidate_id
        rb = first.rubric("massage").rubric
        items = [{"id": i.id, "kind": i.kind,
                  "levels": [{"value": lv.value} for lv in getattr(i, "levels", ())]}
                 for i in rb.items if i.kind in ("observed", "graded")]
        changes = full_marks(items, 5)
        first.save_mark("massage", eid, cand, "p", 1, changes[0], at)
        before = first.sheet("massage", eid, cand, at)["total"]
    with Archive.open(path) as archive:
        again = ExamDay(archive, "osce_demo")            # a new process: nothing in memory
        assert again.warm(at) == 6                       # rounds 1 and 2 of the 3 stations
        assert again.sheet("massage", eid, cand, at)["total"] == before
        for seq, ch in enumerate(changes[1:], start=2):
            assert again.save_mark("massage", eid, cand, "p", seq, ch, at)["duplicate"] is False
        assert again.save_mark("massage", eid, cand, "p", 1, changes[0], at)["duplicate"] is True
        grade = rb.global_rating.grades[-1].id
        again.save_mark("massage", eid, cand, "p", 99, {"global": grade}, at)
        assert again.sign("massage", eid, cand, at)["state"] == "signed"
        assert again.turns("massage", eid, at)[0].state == "signed"
        assert _count(archive, "drills") == SITTINGS      # no second drill for the sitting
        assert archive.verify() == []


def test_an_exam_started_without_its_sittings_records_one_on_the_first_mark(path):
    """An exam whose start was written by an older simtool (no sittings recorded): the first
    mark records that sitting, with its link, once."""
    from simtool.store import exam as store
    at = ZERO + timedelta(seconds=90)
    with Archive.open(path) as archive:
        store.add_event(archive, "osce_demo", "start", at="2026-12-01T00:30:00.000Z")
        day = ExamDay(archive, "osce_demo")
        eid = day.examiner_by_staff("E03")
        cand = day.turns("salvage", eid, at)[0].candidate_id
        item = next(i.id for i in day.rubric("salvage").rubric.items if i.kind == "observed")
        for seq in (1, 2, 2):
            day.save_mark("salvage", eid, cand, "p", seq, {"item": item, "value": True}, at)
        assert _count(archive, "drills") == 1 == _count(archive, "exam_sittings")
        assert _count(archive, "exam_marks") == 2
        assert archive.verify() == []
