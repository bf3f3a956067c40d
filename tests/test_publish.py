"""A regional view on an existing engine (issue 21 item 7): ``simtool publish -o FILE`` writes an
anonymised, read-only SQLite copy of the drills, real cases and their indicator results with
Datasette metadata; Datasette serves it on 127.0.0.1 and its canned queries give the figures
``simtool stats indicators --json`` gives for the same scope."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from simtool.cli import main

from helpers.paths import ROOT

SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"
# what a summary row of the canned queries shares with a group of stats indicators --json
SAME = ("applies", "done", "met", "compliance", "median_s", "min_s", "max_s", "target_pct")
NAMES = (b"Li Na", b"Wang Fang", b"Chen Jie", b"Liu Yang", b"S-9001", b"Obstetrician Qu")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def script(folder: Path, name: str, until: float = 1000) -> Path:
    """A bundled PPH script cut short (the engine plays every second), with a staff id."""
    data = yaml.safe_load((SCRIPTS / f"{name}.yaml").read_text(encoding="utf-8"))
    data["duration_s"] = min(data["duration_s"], until)
    data["actions"] = [a for a in data["actions"] if a["t"] <= until]
    data["participants"][0]["staff_id"] = "S-9001"
    data["examiners"] = [{"name": "Obstetrician Qu", "staff_id": "E-1"}]
    path = folder / f"{name}-{until:g}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path, Path]:
    """An archive of three drills at two sites and two departments and one real case, and
    the file published from it."""
    folder = tmp_path_factory.mktemp("publish")
    db = folder / "archive.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIMTOOL_DATA_HOME", str(folder / "user-data"))
        for name, site, dept in (("good_care", "Lab A", "Obstetrics"), ("late_care", "Lab A", "Obstetrics"),
                                 ("late_care", "Lab B", "产科")):
            assert main(["run", "pph_uterine_atony", "--script", str(script(folder, name)),
                         "--archive", str(db), "--site", site, "--department", dept]) == 0
        assert main(["cases", "import", str(script(folder, "late_care", 1500)), "--scenario",
                     "pph_uterine_atony", "--archive", str(db), "--site", "Lab A",
                     "--department", "Obstetrics", "--case-ref", "PPH-0042"]) == 0
        out = folder / "hospital-a.sqlite"
        assert main(["publish", "-o", str(out), "--archive", str(db)]) == 0
    return db, out, Path(str(out) + ".metadata.json")


@contextlib.contextmanager
def datasette(*files: Path, metadata: Path):
    """``datasette FILES -m METADATA`` on a free port of 127.0.0.1, as a regional centre
    starts it; its base URL once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "datasette", *map(str, files), "-m", str(metadata),
                             "-h", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start: {proc.stderr.read().decode()}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stderr.close()


def fetch(base: str, path: str, **params: str) -> object:
    query = urllib.parse.urlencode({"_shape": "array", **params})
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=10) as r:
        return json.loads(r.read())


def stats(capsys, db: Path, *extra: str) -> dict:
    code, out, err = run(capsys, "stats", "indicators", "--archive", str(db), "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def from_stats(report: dict, department: bool) -> dict:
    return {(g["scenario_id"], g["quarter"], g["department"], i["id"]):
            {"drills": g.get("drills", g.get("cases")), **{k: i[k] for k in SAME}}
            for g in report["groups"] if (g["department"] is not None) == department
            for i in g["indicators"]}


def from_query(rows: list, unit: str = "drills") -> dict:
    return {(r["scenario_id"], r["quarter"], r.get("department"), r["indicator_id"]):
            {"drills": r[unit], **{k: r[k] for k in SAME}} for r in rows}


def test_datasette_serves_the_published_file_and_its_canned_queries_match_stats(published, capsys, tmp_path):
    db, out, _meta = published
    name = out.stem
    # a second hospital's file and one metadata file for both, as a regional centre has them
    other = tmp_path / "hospital-b.sqlite"
    regional = tmp_path / "regional.json"
    assert run(capsys, "publish", "-o", str(other), "-m", str(regional), "--also", str(out),
               "--site-pseudonyms", "--archive", str(db))[0] == 0
    with datasette(out, other, metadata=regional) as base:
        assert len(fetch(base, "/hospital-b/indicators_by_quarter.json")) == \
            len(fetch(base, f"/{name}/indicators_by_quarter.json"))
        assert all(r["site"].startswith("Site ") for r in fetch(base, "/hospital-b/drills.json"))
        # the whole archive, every department: stats' groups with department null
        rows = fetch(base, f"/{name}/indicators_by_quarter.json")
        assert rows and from_query(rows) == from_stats(stats(capsys, db), department=False)
        # one site
        rows = fetch(base, f"/{name}/indicators_by_quarter.json", site="Lab A")
        assert from_query(rows) == from_stats(stats(capsys, db, "--site", "Lab A"), department=False)
        assert rows[0]["drills"] == 2
        # by department (a Chinese name too)
        rows = fetch(base, f"/{name}/indicators_by_department.json")
        assert from_query(rows) == from_stats(stats(capsys, db), department=True)
        assert {r["department"] for r in rows} == {"Obstetrics", "产科"}
        # by site: each site's rows are stats --site for that site
        rows = fetch(base, f"/{name}/indicators_by_site.json")
        for site in ("Lab A", "Lab B"):
            mine = [{k: v for k, v in r.items() if k != "site"} for r in rows if r["site"] == site]
            assert from_query(mine) == from_stats(stats(capsys, db, "--site", site), department=False)
        # real cases: their own query, their own figures, never added to the drills'
        rows = fetch(base, f"/{name}/real_cases_by_quarter.json")
        assert {r["source"] for r in rows} == {"cases"}
        assert from_query(rows, "real_cases") == from_stats(stats(capsys, db, "--source", "cases"),
                                                             department=False)
        # the metadata: titles in Chinese and English, the tables described
        served = fetch(base, "/-/metadata.json")
        db_meta = served["databases"][name]
        assert "质量指标" in served["title"] and "Quality indicators" in served["title"]
        assert "演练" in db_meta["tables"]["drills"]["title"] and "Drills" in db_meta["tables"]["drills"]["title"]
        assert "按院区" in db_meta["queries"]["indicators_by_site"]["title"]
        # a table browsed as a regional centre would
        drills = fetch(base, f"/{name}/drills.json")
        assert len(drills) == 3 and {d["site"] for d in drills} == {"Lab A", "Lab B"}


def test_the_published_file_is_read_only_and_names_no_one(published):
    db, out, _meta = published
    assert not os.stat(out).st_mode & 0o222
    raw = out.read_bytes()
    for word in NAMES + (b"PPH-0042", b"E-1"):
        assert word not in raw, word
    with contextlib.closing(sqlite3.connect(db)) as con:
        ids = [r[0] for r in con.execute("SELECT id FROM drills")]
        archive_id = con.execute("SELECT value FROM meta WHERE key = 'archive_id'").fetchone()[0]
        day = con.execute("SELECT date FROM real_cases").fetchone()[0]
    for secret in (*ids, archive_id):
        assert secret.encode() not in raw
    with contextlib.closing(sqlite3.connect(f"file:{out}?mode=ro", uri=True)) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"publication", "drills", "drill_departments", "drill_indicators",
                          "real_cases", "real_case_indicators", "indicator_targets"}
        for table in tables:   # no column that could hold a name or free text
            cols = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
            assert not cols & {"name", "staff_id", "trainee_id", "text", "note", "case_ref", "date",
                               "started_at", "reason", "timeline"}, table
        assert con.execute("SELECT count(*) FROM real_cases WHERE month = ?", (day[:7],)).fetchone()[0] == 1


def test_publish_refuses_the_archive_and_a_file_it_did_not_write_and_replaces_its_own(published, tmp_path, capsys):
    db, out, meta = published
    code, _o, err = run(capsys, "publish", "-o", str(db), "--archive", str(db))
    assert code == 1 and "refusing to write over it" in err and len(err.strip().splitlines()) == 1
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"mine")
    code, _o, err = run(capsys, "publish", "-o", str(notes), "--archive", str(db))
    assert code == 1 and "exists; use --force" in err and notes.read_bytes() == b"mine"
    code, _o, err = run(capsys, "publish", "-o", str(tmp_path / "x.sqlite"), "-m", str(tmp_path / "x.sqlite"),
                        "--archive", str(db))
    assert code == 1 and "cannot be the published file itself" in err
    # publishing again over its own read-only file: replaced, still read-only; the metadata
    # can describe another hospital's file too (one metadata for a region's Datasette)
    code, _o, err = run(capsys, "publish", "-o", str(out), "--archive", str(db), "--also", "hospital-b.sqlite",
                        "--site-pseudonyms")
    assert code == 0, err
    assert not os.stat(out).st_mode & 0o222
    assert set(json.loads(meta.read_text(encoding="utf-8"))["databases"]) == {"hospital-a", "hospital-b"}
    with contextlib.closing(sqlite3.connect(f"file:{out}?mode=ro", uri=True)) as con:
        sites = {r[0] for r in con.execute("SELECT site FROM drills")}
    assert len(sites) == 2 and all(s.startswith("Site ") for s in sites)
