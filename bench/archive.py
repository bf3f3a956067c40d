"""Benchmark: the archive at department scale (issue 3). Prints one JSON object.

Builds an archive of ``--drills`` drills (default 100,000) with about 100 events each — three
participants from a pool of trainees, eight scenarios, start times spread over five years, a
valid audit chain and row hashes — using executemany in big transactions with
``synchronous=OFF`` for the build only. Then it reopens the file through ``Archive.open``
(``synchronous=FULL``) and measures:

* ``append_ms``: latency of ``Archive.append_event`` (commit + fsync each), ``--appends`` calls;
* ``open_ms``: ``Archive.open`` + ``close`` of the built file;
* ``history_ms``: ``trainee_history`` of a trainee with a typical number of drills;
* ``scenario_quarter_ms``: ``drills_in`` one scenario over one quarter;
* ``interrupted_ms``: ``drills(status="interrupted")``, what the app runs at start-up;
* ``list_all_s``: ``drills()`` of every drill (``simtool drills``), for information;
* ``vitals_append_ms``: latency of ``Archive.append_vitals`` (one hour of 5 s samples, each
  with its audit row from schema 4 on);
* ``quick_check_s``: ``PRAGMA quick_check`` of the whole file, what the first write of a
  session pays (schema 4 on);
* the file size.

Targets: append p99 ≤ 10 ms, open ≤ 200 ms, history ≤ 50 ms, scenario-quarter ≤ 200 ms.
Vitals are not built (72 million rows at 5 s for 100,000 one-hour drills); ``vitals_bytes_per_drill``
measures what one drill's hour of samples adds instead.

    .venv/bin/python bench/archive.py [--drills 100000] [--appends 2000] [--keep | --dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simtool.core.drill import Drill, Participant, PatientParams  # noqa: E402
from simtool.core.events import Event  # noqa: E402
from simtool.core.runner import sample  # noqa: E402
from simtool.core.scenario import load_scenario  # noqa: E402
from simtool.store.archive import Archive  # noqa: E402
from simtool.store.hashing import (GENESIS, audit_sha256, canonical_json,  # noqa: E402
                                   drill_record_sha256, event_row_sha256, sha256_hex)
try:  # schema 4 (audited trainees); absent when this file measures an older simtool
    from simtool.store.hashing import person_record_sha256  # noqa: E402
except ImportError:
    person_record_sha256 = None  # type: ignore[assignment]

SCENARIOS = 8
BATCH = 2000  # drills per build transaction
START, YEARS = datetime(2021, 1, 1, tzinfo=timezone.utc), 5
TEAM = (Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
        Participant("t3", "Chen Jie", "anaesthetist"))


def template_events(loaded) -> list[dict]:
    """About 120 events of a real PPH drill: the good-care bundle plus checks and notes."""
    drill = Drill(loaded, PatientParams(65.0), TEAM)
    plan = {760: ("call_for_help", "t1", {}), 770: ("uterine_massage", "t1", {}),
            790: ("oxytocin", "t1", {"dose": 10, "unit": "IU", "route": "IM"}),
            840: ("crystalloid_bolus", "t3", {"dose": 1000, "unit": "mL", "route": "IV"}),
            870: ("tranexamic_acid", "t3", {"dose": 2, "unit": "g", "route": "IV"}),
            1000: ("bimanual_compression", "t2", {})}
    t = 0
    while len(drill.events) < 120:
        t += 10
        drill.advance_to(t)
        if t in plan:
            action, by, kw = plan[t]
            drill.act(action, by=by, **kw)
        elif t % 60 == 0:
            drill.act("vital_signs_check", by="t1")
        elif t % 30 == 0:
            drill.note(f"team update at {t} s: bleeding reviewed, fluids running", by="t2")
    drill.end()
    return [e.to_dict() for e in drill.events]


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


def build(path: Path, n_drills: int, loaded, seed: int = 3, schema_version: int | None = None) -> dict:
    """``schema_version``: build in that format (default the current one), e.g. as an older
    simtool left it, for a benchmark of the upgrade."""
    rng = random.Random(seed)
    clock = lambda: datetime(2026, 1, 1, tzinfo=timezone.utc)  # noqa: E731
    with Archive.open(path, clock=clock, actor="bench@build", schema_version=schema_version):
        pass  # the real schema, at the current version (or the one asked for)
    events = template_events(loaded)
    datas = [(int(e["seq"]), float(e["t"]), e["kind"], canonical_json(e)) for e in events]
    texts = [loaded.text.replace(f"id: {loaded.scenario.id}", f"id: scenario_{i}", 1) for i in range(SCENARIOS)]
    shas = [sha256_hex(x) for x in texts]
    n_trainees = max(50, n_drills // 20)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")  # the bulk build only; Archive.open sets FULL
    conn.execute("PRAGMA cache_size=-500000")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO texts (sha256, kind, text) VALUES (?, 'scenario', ?)", zip(shas, texts))
    head = conn.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = head if head is not None else (0, GENESIS)
    people = [{"id": f"trainee-{i:06d}", "name": f"Trainee {i}", "staff_id": f"S{i:06d}",
               "department": "Obstetrics"} for i in range(n_trainees)]
    if "audit_seq" in [r[1] for r in conn.execute("PRAGMA table_info(trainees)")]:
        # schema 4: each trainee with its audit row, written first (the guard trigger asks)
        at = iso(START)
        for person in people:
            seq += 1
            rsha = person_record_sha256(person)
            sha = audit_sha256(prev, "insert", "trainees", person["id"], rsha, at, "bench@build")
            conn.execute("INSERT INTO audit (seq, at, actor, op, table_name, record_id, "
                         "record_sha256, prev_sha256, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (seq, at, "bench@build", "insert", "trainees", person["id"], rsha, prev, sha))
            prev = sha
            person["audit_seq"] = seq
    for person in people:
        conn.execute(f"INSERT INTO trainees ({', '.join(person)}) VALUES "
                     f"({', '.join('?' * len(person))})", tuple(person.values()))
    conn.execute("COMMIT")
    ids = sorted(str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n_drills))
    span = YEARS * 365 * 86400
    total_events = 0
    began = time.perf_counter()
    for b in range(0, n_drills, BATCH):
        drills, people, evrows, audit = [], [], [], []
        for did in ids[b:b + BATCH]:
            sc = rng.randrange(SCENARIOS)
            started = START + timedelta(seconds=rng.random() * span)
            k = rng.randint(80, 120)
            row = {"id": did, "scenario_id": f"scenario_{sc}", "scenario_version": "1.0.0",
                   "scenario_sha256": shas[sc], "patient": '{"conditions":[],"weight_kg":65.0}',
                   "evaluation_type": "formative", "status": "ended", "started_at": iso(started),
                   "ended_at": iso(started + timedelta(hours=1)),
                   "updated_at": iso(started + timedelta(hours=1)), "owner_host": "bench-host",
                   "owner_pid": 1000, "owner_start": None}
            team = [{"id": p.id, "trainee_id": f"trainee-{t:06d}", "name": p.name, "role": p.role}
                    for p, t in zip(TEAM, rng.sample(range(n_trainees), 3))]
            seq += 1
            at = row["started_at"]
            rsha = drill_record_sha256(row, team)
            sha = audit_sha256(prev, "insert", "drills", did, rsha, at, "bench@build")
            audit.append((seq, at, "bench@build", "insert", "drills", did, rsha, prev, sha))
            prev = sha
            drills.append((*row.values(), seq))
            people += [(did, p["id"], p["trainee_id"], p["name"], p["role"]) for p in team]
            for s, t, kind, data in datas[:k]:
                seq += 1
                digest = event_row_sha256(did, s, t, kind, data)
                rid = f"{did}/{s}"
                sha = audit_sha256(prev, "insert", "events", rid, digest, at, "bench@build")
                audit.append((seq, at, "bench@build", "insert", "events", rid, digest, prev, sha))
                prev = sha
                evrows.append((did, s, t, kind, data, digest, seq))
            total_events += k
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO drills ({', '.join(row)}, audit_seq) VALUES "
                         f"({', '.join('?' * (len(row) + 1))})", drills)
        conn.executemany("INSERT INTO participants (drill_id, id, trainee_id, name, role) "
                         "VALUES (?, ?, ?, ?, ?)", people)
        conn.executemany("INSERT INTO events (drill_id, seq, t, kind, data, row_sha256, audit_seq) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", evrows)
        conn.executemany("INSERT INTO audit (seq, at, actor, op, table_name, record_id, record_sha256, "
                         "prev_sha256, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", audit)
        conn.execute("COMMIT")
        done = min(b + BATCH, n_drills)
        if done % (BATCH * 5) == 0 or done == n_drills:
            print(f"  {done:,} drills, {total_events:,} events, {time.perf_counter() - began:.0f} s",
                  file=sys.stderr, flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "rb+") as f:  # the OFF build left GBs of dirty pages: not the appends' bill
        os.fsync(f.fileno())
    return {"drills": n_drills, "events": total_events, "trainees": n_trainees,
            "build_s": round(time.perf_counter() - began, 1)}


def timed(fn, repeat: int = 7) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, out


def summary(ms: list[float]) -> dict:
    return {"first": round(ms[0], 2), "median": round(statistics.median(ms), 2), "max": round(max(ms), 2)}


def measure(path: Path, loaded, appends: int) -> dict:
    out: dict = {}
    open_ms, _ = timed(lambda: Archive.open(path).close())
    out["open_ms"] = summary(open_ms)
    with Archive.open(path) as archive:
        assert archive.db.execute("PRAGMA synchronous").fetchone()[0] == 2
        counts = archive.db.execute("SELECT trainee_id, count(*) FROM participants GROUP BY trainee_id "
                                    "ORDER BY 2").fetchall()
        trainee, n_hist = counts[len(counts) // 2]
        hist_ms, hist = timed(lambda: archive.trainee_history(trainee))
        out["history_ms"] = {**summary(hist_ms), "drills": len(hist), "expected": n_hist}
        q_ms, q = timed(lambda: archive.drills_in("scenario_3", date(2023, 4, 1), date(2023, 6, 30)))
        out["scenario_quarter_ms"] = {**summary(q_ms), "drills": len(q)}
        i_ms, _ = timed(lambda: archive.drills(status="interrupted"))
        out["interrupted_ms"] = summary(i_ms)
        t0 = time.perf_counter()
        out["list_all_drills"] = len(archive.drills())
        out["list_all_s"] = round(time.perf_counter() - t0, 2)

        drill_id = archive.start_drill(loaded, PatientParams(65.0), TEAM)
        lat = []
        for i in range(appends):
            event = Event(i, float(i), "note", actor="t1", role="midwife",
                          text=f"benchmark note {i}: fundus checked, bleeding reviewed")
            t0 = time.perf_counter()
            kept = archive.append_event(drill_id, event)
            lat.append((time.perf_counter() - t0) * 1000)
            assert kept is None, kept
        lat.sort()
        out["append_ms"] = {"n": appends, "p50": round(lat[len(lat) // 2], 3),
                            "p99": round(lat[int(len(lat) * 0.99) - 1], 3),
                            "max": round(lat[-1], 3), "mean": round(statistics.fmean(lat), 3)}

        drill = Drill(loaded, PatientParams(65.0), TEAM)
        vid = archive.start_drill(loaded, PatientParams(65.0), TEAM)
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = path.stat().st_size
        vlat = []
        for _ in range(720):
            drill.tick(5)
            row = sample(drill)
            t0 = time.perf_counter()
            kept = archive.append_vitals(vid, row)
            vlat.append((time.perf_counter() - t0) * 1000)
            assert kept is None, kept
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        out["vitals_bytes_per_drill_hour"] = path.stat().st_size - before
        vlat.sort()
        out["vitals_append_ms"] = {"n": len(vlat), "p50": round(vlat[len(vlat) // 2], 3),
                                   "p99": round(vlat[int(len(vlat) * 0.99) - 1], 3),
                                   "max": round(vlat[-1], 3)}
    t0 = time.perf_counter()
    with Archive.open(path) as archive:
        assert archive._conn.execute("PRAGMA quick_check(5)").fetchall() == [("ok",)]
    out["quick_check_s"] = round(time.perf_counter() - t0, 2)
    out["file_size_bytes"] = path.stat().st_size + _wal(path)
    out["file_size_gib"] = round(out["file_size_bytes"] / 2**30, 2)
    return out


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="keep the built archive")
    parser.add_argument("--dir", type=Path, help="build in (or reuse the archive already in) DIR")
    args = parser.parse_args()
    loaded = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
    folder = args.dir or Path(tempfile.mkdtemp(prefix="simtool-bench-archive-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "archive.sqlite"
    print(f"archive benchmark in {path}", file=sys.stderr, flush=True)
    built = None
    if not path.exists():
        built = build(path, args.drills, loaded)
    result = {"benchmark": "archive", "path": str(path), "built": built, **measure(path, loaded, args.appends)}
    result["targets"] = {"append_p99_ms": 10, "open_ms": 200, "history_ms": 50, "scenario_quarter_ms": 200}
    result["met"] = {
        "append_p99_ms": result["append_ms"]["p99"] <= 10,
        "open_ms": result["open_ms"]["median"] <= 200,
        "history_ms": result["history_ms"]["median"] <= 50,
        "scenario_quarter_ms": result["scenario_quarter_ms"]["median"] <= 200,
    }
    if not (args.keep or args.dir):
        shutil.rmtree(folder)
        result["path"] += " (removed; --keep to keep it)"
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
