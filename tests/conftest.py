"""Suite-wide settings: headless Qt, each test's own archive and data folder, the PPH scenario.
Paths and shared helpers are in the ``helpers`` package (``from helpers.paths import PPH``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers.paths import PPH, ROOT, SCRIPTS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ram_disk() -> str | None:
    """/dev/shm when it is a writable RAM disk with room to spare, else None."""
    try:
        st = os.statvfs("/dev/shm")
    except OSError:
        return None
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) and st.f_bavail * st.f_frsize > 4 << 30 else None


# Every archive commit, journal append and checkpoint is fsync'd, and on a virtual machine's
# disk an fsync costs milliseconds: the tests' folders (tmp_path, tmp_path_factory) go on a RAM
# disk when there is one, as the attack corpus's do (tests/attack/run.py). No test can tell a
# synced page from a cached one (a SIGKILL leaves the page cache alone); the full-disk tests
# mount their own tmpfs. PYTEST_DEBUG_TEMPROOT set by hand wins.
if "PYTEST_DEBUG_TEMPROOT" not in os.environ and (_shm := _ram_disk()) is not None:
    os.environ["PYTEST_DEBUG_TEMPROOT"] = _shm


@pytest.fixture(scope="session")
def pph():
    from simtool.core.scenario import load_scenario
    return load_scenario(PPH)


@pytest.fixture(scope="session", autouse=True)
def _no_real_user_folder(tmp_path_factory):
    """Module- and session-scoped fixtures run before ``_own_archive``: they too must not
    touch the user's real data folder (closing an archive notes a checkpoint there)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SIMTOOL_DATA_HOME", str(tmp_path_factory.mktemp("user-data-session")))
    mp.setenv("SIMTOOL_ARCHIVE", str(tmp_path_factory.mktemp("archive-session") / "default.sqlite"))
    # wall-clock times are shown in the local zone: the suite reads them in UTC whatever the
    # machine's zone is (a test that wants another sets SIMTOOL_TZ itself)
    mp.setenv("SIMTOOL_TZ", "UTC")
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def _own_archive(tmp_path, monkeypatch):
    """No test writes to the user's real archive or data folder."""
    monkeypatch.setenv("SIMTOOL_ARCHIVE", str(tmp_path / "default-archive.sqlite"))
    monkeypatch.setenv("SIMTOOL_DATA_HOME", str(tmp_path / "user-data"))


# --- an archive whose names and ids are hostile (issue 14: ids and names are data) -------------
# Names reach the archive as typed (the setup form, a script); ids like these arrived through
# bundles imported by earlier versions. Both are written straight into the archive here.
HOSTILE_NAMES = {
    "t1": "=cmd|' /C calc'!A0 <b>Li</b> & Co",    # a formula, markup, an ampersand
    "t2": "A" * 400,                                # longer than any cell is wide
    "t3": "王芳😀\x1b[31m\u202eevil\U0001F9EA",      # CJK, emoji, ESC, a bidi override, no-font char
}
HOSTILE_IDS = {"drill": "../../outside/drill\x1b[2J", "t1": "../../t1", "t2": "a/b\\c", "t3": ".."}


def _rename_ids(db: Path) -> str:
    """Give the drill and its participants the ids of ``HOSTILE_IDS`` with plain SQL (the
    append-only triggers are dropped for the edit and put back); returns the new drill id."""
    import json
    import sqlite3

    new = HOSTILE_IDS["drill"]
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        (old,) = con.execute("SELECT id FROM drills").fetchone()
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            if "drill_id" in [c[1] for c in con.execute(f'PRAGMA table_info("{table}")')]:
                con.execute(f'UPDATE "{table}" SET drill_id = ? WHERE drill_id = ?', (new, old))
        con.execute("UPDATE drills SET id = ? WHERE id = ?", (new, old))
        for pid, hostile in HOSTILE_IDS.items():
            if pid != "drill":
                con.execute("UPDATE participants SET id = ? WHERE id = ?", (hostile, pid))
        for seq, data in con.execute("SELECT seq, data FROM events WHERE drill_id = ?", (new,)).fetchall():
            e = json.loads(data)
            if e.get("actor") in HOSTILE_IDS:
                e["actor"] = HOSTILE_IDS[e["actor"]]
                con.execute("UPDATE events SET data = ? WHERE drill_id = ? AND seq = ?",
                            (json.dumps(e), new, seq))
        for sid, data in con.execute("SELECT id, data FROM score_sheets").fetchall():
            d = json.loads(data)
            if d.get("participant") in HOSTILE_IDS:
                d["participant"] = HOSTILE_IDS[d["participant"]]
                con.execute("UPDATE score_sheets SET data = ? WHERE id = ?", (json.dumps(d), sid))
        for _, sql in triggers:
            con.execute(sql)
        con.commit()
    finally:
        con.close()
    return new


@pytest.fixture(scope="session")
def hostile_archive(tmp_path_factory) -> dict:
    """A recorded, scored drill (late care, three trainees and the team, unsigned sheets) whose
    participants carry ``HOSTILE_NAMES`` and whose ids are ``HOSTILE_IDS``. Copy it before
    changing it."""
    import json

    from simtool.cli import main

    folder = tmp_path_factory.mktemp("hostile")
    script = (SCRIPTS / "late_care.yaml").read_text(encoding="utf-8")
    for pid, name in HOSTILE_NAMES.items():
        line = f"{{id: {pid}, name: {json.dumps(name, ensure_ascii=False)},"
        script = re.sub(rf"\{{id: {pid}, name: [^,]+,", lambda _m, line=line: line, script)
    (folder / "hostile.yaml").write_text(script, encoding="utf-8")
    db = folder / "archive.sqlite"
    with pytest.MonkeyPatch.context() as mp:  # session scope: the per-test folders are not set yet
        mp.setenv("SIMTOOL_DATA_HOME", str(folder / "user-data"))
        mp.setenv("SIMTOOL_ARCHIVE", str(folder / "default.sqlite"))
        assert main(["run", str(PPH), "--script", str(folder / "hostile.yaml"), "--rubric",
                     str(ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"), "--archive", str(db),
                     "--json"]) == 0
    return {"db": db, "drill": _rename_ids(db), "names": HOSTILE_NAMES, "ids": HOSTILE_IDS}
