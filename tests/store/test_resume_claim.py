"""Only one process owns a drill: two copies of simtool resuming the same interrupted drill at
the same moment get one winner and one clear refusal, never a mixed record; a drill taken over
by another process refuses the events its old owner still sends; a drill id is claimed once."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import load_scenario
from simtool.store import Archive, ArchiveError

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
TEAM = (Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
        Participant("t3", "Chen Jie", "anaesthetist"))
PATIENT = PatientParams(65.0)

PLAY = textwrap.dedent("""
    from simtool.core.drill import Drill, Participant, PatientParams
    TEAM = (Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
            Participant("t3", "Chen Jie", "anaesthetist"))
    def first_part(drill):
        for t, action, by in ((60, "call_for_help", "t1"), (90, "uterine_massage", "t1"),
                              (150, "iv_access", "t3")):
            drill.advance_to(t)
            drill.act(action, by=by)
        drill.advance_to(200)
    def second_part(drill):
        drill.advance_to(260)
        drill.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
        drill.advance_to(320)
        drill.act("bimanual_compression", by="t2")
        drill.advance_to(400)
        drill.end()
""")

# a simtool that records the first part of a drill and dies without closing anything
CRASH = PLAY + textwrap.dedent("""
    import os, sys
    from simtool.core.scenario import load_scenario
    from simtool.store import Archive
    archive = Archive.open(sys.argv[1])
    pph = load_scenario(sys.argv[2])
    did = archive.start_drill(pph, PatientParams(65.0), TEAM)
    drill = Drill(pph, PatientParams(65.0), TEAM)
    archive.record(did, drill)
    first_part(drill)
    print(did, flush=True)
    os._exit(3)
""")

# a simtool resuming the drill; both copies meet after replaying (a file barrier), so both
# have read the drill as interrupted before either claims it
RESUMER = PLAY + textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from simtool.core.scenario import load_scenario
    from simtool.store import Archive, ArchiveError
    me, path, scenario, did, sync = sys.argv[1:6]
    real = Drill.replay.__func__
    def replay_then_meet(cls, *args, **kw):
        drill = real(cls, *args, **kw)
        Path(sync, "ready-" + me).touch()
        deadline = time.monotonic() + 60
        while len(list(Path(sync).glob("ready-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        return drill
    Drill.replay = classmethod(replay_then_meet)
    with Archive.open(path, busy_timeout_s=60) as archive:
        try:
            drill = archive.resume(did, load_scenario(scenario))
        except ArchiveError as exc:
            print(json.dumps({"refused": str(exc)}))
            sys.exit(0)
        second_part(drill)
        print(json.dumps({"won": os.getpid()}))
""")


def python(code: str, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, **kw)


def interrupted_drill(path: Path) -> str:
    child = python(CRASH, str(path), str(PPH))
    out, err = child.communicate(timeout=120)
    assert child.returncode == 3, err
    return out.strip()


def the_same_drill_uninterrupted(pph) -> list:
    namespace: dict = {}
    exec(PLAY, namespace)  # the same two parts, played in one go
    drill = Drill(pph, PATIENT, TEAM)
    namespace["first_part"](drill)
    namespace["second_part"](drill)
    return drill.events


def test_two_processes_resuming_one_drill_at_once_get_one_owner_and_one_refusal(tmp_path, pph):
    path = tmp_path / "archive.sqlite"
    did = interrupted_drill(path)
    with Archive.open(path) as archive:
        assert archive.drill(did).status == "interrupted"
    sync = tmp_path / "sync"
    sync.mkdir()
    racers = [python(RESUMER, name, str(path), str(PPH), did, str(sync)) for name in "ab"]
    results = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        results.append(json.loads(out))
    assert sorted(next(iter(r)) for r in results) == ["refused", "won"], results
    (refusal,) = [r["refused"] for r in results if "refused" in r]
    (winner,) = [r["won"] for r in results if "won" in r]
    assert re.fullmatch(rf"drill {did} was resumed or changed by another simtool \(pid {winner} "
                        rf"on [^)]+\) while this one was getting ready; not resumed here", refusal)
    with Archive.open(path) as archive:
        info = archive.drill(did)
        assert info.status == "ended" and info.owner.pid == winner
        # one drill, played on by one simtool: exactly the record of an uninterrupted drill
        assert archive.events(did) == the_same_drill_uninterrupted(pph)
        assert archive.verify() == []


def test_events_of_a_drill_another_process_took_over_are_refused(tmp_path, pph):
    path = tmp_path / "archive.sqlite"
    with Archive.open(path) as archive:
        did = archive.start_drill(pph, PATIENT, TEAM)
        drill = Drill(pph, PATIENT, TEAM)
        archive.record(did, drill)
        drill.advance_to(60)
        drill.act("call_for_help", by="t1")
        # another simtool (on another host, say) takes the drill over
        other = python(textwrap.dedent("""
            import sys
            from simtool.core.scenario import load_scenario
            from simtool.store import Archive
            with Archive.open(sys.argv[1]) as a:
                a.resume(sys.argv[2], load_scenario(sys.argv[3]), record=False, take_over=True)
        """), str(path), did, str(PPH))
        _out, err = other.communicate(timeout=120)
        assert other.returncode == 0, err
        stored = archive.events(did)
        with pytest.raises(ArchiveError, match=rf"drill {did} is now recorded by another "
                                               rf"simtool \(pid {other.pid} on .+\); this one "
                                               rf"may not add to it"):
            drill.act("uterine_massage", by="t1")
        with pytest.raises(ArchiveError, match="now recorded by another simtool"):
            archive.append_vitals(did, {"t": 60.0, "hr": 100})
        assert archive.events(did) == stored and archive.vitals(did) == []
        assert archive.verify() == []


def test_a_drill_id_is_claimed_once(tmp_path, pph):
    with Archive.open(tmp_path / "archive.sqlite") as archive:
        did = archive.start_drill(pph, PATIENT, TEAM, drill_id="drill-1")
        before = archive.drill(did)
        with pytest.raises(ArchiveError, match=r"a drill drill-1 is already in the archive .* "
                                               r"\(pid \d+ on .+\); not started again"):
            archive.start_drill(load_scenario(PPH), PATIENT, TEAM[:1], drill_id="drill-1")
        assert archive.drill(did) == before and archive.verify() == []
