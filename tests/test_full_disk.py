"""The printed record is the stored record, on a disk that fills up during `simtool run --archive`.

The archive is put on a small private tmpfs (a mount namespace of our own: `unshare --mount
--map-root-user`, no root needed) that a filler file has almost filled, so SQLite runs out of
space part way through the drill. Every event line the run printed must then be in the archive
once the journals are written back — and nothing the run could not store anywhere may have been
printed. The same logic is also tested in-process with SQLite's own page limit (SQLITE_FULL), so
a machine without user namespaces still tests it; the tmpfs tests *fail* (not skip) there, saying
what is missing, because CI runs on machines like this one.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.cli.run import event_line as _event_line
from simtool.store import Archive, connection

ROOT = Path(__file__).resolve().parents[1]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
BUSY = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "busy_team.yaml"
FS_KB = 2048
FREE_KB = 600   # what the filler leaves: room for the drill's start and a dozen events

# run inside the namespace after the run: the record as the archive holds it once every journal
# of it has been written back (Archive.open does that), as JSON on stdout
DUMP = textwrap.dedent("""
    import json, sys
    from simtool.cli.run import event_line as _event_line
    from simtool.store import Archive
    with Archive.open(sys.argv[1], create=False) as a:
        (d,) = a.drills()
        print(json.dumps({"status": d.status, "lines": [_event_line(e) for e in a.events(d.id)],
                          "verify": a.verify(),
                          "journals": [str(p) for p, _n in a.journalled_entries()]}))
""")
# before the journals are written back: how many events the archive itself took
COUNT = textwrap.dedent("""
    import sqlite3, sys
    con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    print(con.execute("SELECT count(*) FROM events").fetchone()[0])
""")


def event_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:2].isdigit()]


@pytest.fixture(scope="module")
def straight() -> list[str]:
    """The event lines of the same drill on a disk with room."""
    out = subprocess.run([sys.executable, "-m", "simtool", "run", str(PPH), "--script", str(BUSY)],
                         capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return event_lines(out.stdout)


def need_unshare(probe_dir: Path) -> str:
    exe = shutil.which("unshare")
    if exe is None:
        pytest.fail("the full-disk tests need `unshare` (util-linux) to mount a small private "
                    "tmpfs without root; install util-linux on this machine")
    probe_dir.mkdir()
    probe = subprocess.run([exe, "--mount", "--map-root-user", "sh", "-c",
                            'mount -t tmpfs -o size=64k none "$0"', str(probe_dir)],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.fail("`unshare --mount --map-root-user` cannot mount a private tmpfs here "
                    f"({(probe.stderr or probe.stdout).strip()}); enable unprivileged user "
                    "namespaces (sysctl kernel.unprivileged_userns_clone=1 / "
                    "user.max_user_namespaces) so the full-disk tests can run")
    return exe


def in_full_tmpfs(tmp_path: Path, body: str, data_home: str, free_kb: int = FREE_KB,
                  archive: bool = True) -> dict:
    """Run shell ``body`` in a private mount namespace where ``$FS`` is a fresh tmpfs that a
    filler file has filled up to ``free_kb`` free; ``$DATA`` is $SIMTOOL_DATA_HOME (a path, may
    be under ``$FS``). Returns the files the body wrote into ``$OUT`` (on the real disk)."""
    exe = need_unshare(tmp_path / "probe")
    fs, out = tmp_path / "fs", tmp_path / "out"
    fs.mkdir()
    out.mkdir()
    (out / "dump.py").write_text(DUMP, encoding="utf-8")
    (out / "count.py").write_text(COUNT, encoding="utf-8")
    script = textwrap.dedent(f"""
        set -u
        mount -t tmpfs -o size={FS_KB}k none "$FS"
        head -c {(FS_KB - free_kb) * 1024} /dev/zero > "$FS/filler"
        export SIMTOOL_DATA_HOME="$DATA"
        run() {{ "$PY" -m simtool run "$PPH" --script "$BUSY" --archive "$FS/a.sqlite" "$@"; }}
    """) + textwrap.dedent(body) + (textwrap.dedent("""
        "$PY" "$OUT/count.py" "$FS/a.sqlite" > "$OUT/in_archive.txt"
        ls -1 "$FS" "$DATA/journals" > "$OUT/files.txt" 2>/dev/null
        rm -f "$FS/filler"
        "$PY" "$OUT/dump.py" "$FS/a.sqlite" > "$OUT/after.json"
        ls -1 "$FS" "$DATA/journals" > "$OUT/files_after.txt" 2>/dev/null
        true
    """) if archive else "\ntrue\n")
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "FS": str(fs), "OUT": str(out),
           "DATA": data_home.replace("$FS", str(fs)), "PY": sys.executable, "PPH": str(PPH),
           "BUSY": str(BUSY), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([exe, "--mount", "--map-root-user", "sh", "-c", script], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    files = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix != ".py"}
    if archive:
        assert "after.json" in files and files["after.json"].strip(), done.stderr
        files["after"] = json.loads(files["after.json"])
    return files


def test_a_disk_that_fills_during_a_run_loses_nothing_printed_the_data_folder_keeps_it(
        tmp_path, straight):
    got = in_full_tmpfs(tmp_path, """
        run --speed 1000 > "$OUT/stdout.txt" 2> "$OUT/stderr.txt"; echo $? > "$OUT/rc.txt"
    """, data_home=str(tmp_path / "data"))
    printed, stderr, after = event_lines(got["stdout.txt"]), got["stderr.txt"], got["after"]
    assert got["rc.txt"].strip() == "0", stderr
    in_archive = int(got["in_archive.txt"])
    assert 0 < in_archive < len(straight), "the disk should fill part way through the drill"
    # printed == stored: every line, in order, and the whole drill got through
    assert printed == after["lines"] == straight
    assert after["status"] == "ended" and after["verify"] == [] and after["journals"] == []
    assert ".journal" in got["files.txt"] and ".journal" not in got["files_after.txt"]
    # the user is told once where the record went, and once at the end: no reprs
    assert "Journalled(" not in stderr and len(stderr.splitlines()) <= 3, stderr
    (notice,) = [line for line in stderr.splitlines() if "now kept in" in line]
    assert "the disk is full" in notice and str(tmp_path / "data" / "journals") in notice
    assert "in the per-user data folder" in notice
    assert re.fullmatch(r"simtool run: \d+ entries wait in the journal .+\.journal to be written "
                        r"into the archive, which simtool does the next time it opens the archive "
                        r"and can write to it", stderr.splitlines()[-1]), stderr


def test_when_nothing_can_be_written_nothing_unstored_is_printed_and_the_run_fails(
        tmp_path, straight):
    got = in_full_tmpfs(tmp_path, """
        run --speed 1000 > "$OUT/stdout.txt" 2> "$OUT/stderr.txt"; echo $? > "$OUT/rc.txt"
    """, data_home="$FS/data")  # the data folder is on the full disk too
    printed, stderr, after = event_lines(got["stdout.txt"]), got["stderr.txt"], got["after"]
    assert got["rc.txt"].strip() == "1"
    assert printed == after["lines"], "a line was printed that is not in the archive"
    assert 0 < len(printed) < len(straight)
    assert after["status"] == "interrupted" and after["verify"] == []
    last = stderr.splitlines()[-1]
    lost = re.fullmatch(r"simtool run: (\d+) events and \d+ vitals samples could not be stored "
                        r"anywhere \(cannot write the archive .*: the disk is full, nor the "
                        r"journals .* \(No space left on device\)\); they are lost", last)
    assert lost, last
    assert int(lost.group(1)) == len(straight) - len(printed)
    assert "Journalled(" not in stderr and len(stderr.splitlines()) <= 3, stderr


def test_when_the_disk_has_room_again_the_journal_is_written_back_during_the_run(
        tmp_path, straight):
    got = in_full_tmpfs(tmp_path, """
        run --speed 150 > "$OUT/stdout.txt" 2> "$OUT/stderr.txt" &
        pid=$!
        i=0
        until grep -q "now kept in" "$OUT/stderr.txt" 2>/dev/null || [ $i -ge 600 ]; do
            sleep 0.02; i=$((i + 1))
        done
        rm -f "$FS/filler"              # room again, mid-drill
        wait $pid; echo $? > "$OUT/rc.txt"
    """, data_home=str(tmp_path / "data"))
    printed, stderr, after = event_lines(got["stdout.txt"]), got["stderr.txt"], got["after"]
    assert got["rc.txt"].strip() == "0", stderr
    assert int(got["in_archive.txt"]) == len(straight)  # written back by the run itself
    assert ".journal" not in got["files.txt"]
    assert printed == after["lines"] == straight
    notices = [line for line in stderr.splitlines() if "now kept in" in line]
    again = [line for line in stderr.splitlines() if "written again; everything journalled has been" in line]
    assert len(notices) == 1 and len(again) == 1, stderr


def test_a_journal_append_that_does_not_fit_leaves_the_journal_as_it_was(tmp_path):
    got = in_full_tmpfs(tmp_path, """
        "$PY" - > "$OUT/append.txt" 2>&1 <<'EOF'
    import os
    from pathlib import Path
    from simtool.store.journal import Journal
    j = Journal(Path(os.environ["FS"]) / "x.journal")
    j.append({"n": 1})
    before = j.path.read_bytes()
    try:
        j.append_many([{"n": 2, "pad": "x" * 2_000_000}])
    except OSError as exc:
        print("refused:", exc.strerror)
    print("same" if j.path.read_bytes() == before else "changed")
    j.append({"n": 3})
    print([l for l in j.path.read_text().splitlines()])
    EOF
    """, data_home=str(tmp_path / "data"), free_kb=200, archive=False)
    lines = got["append.txt"].splitlines()
    assert lines[:2] == ["refused: No space left on device", "same"], got["append.txt"]
    assert lines[2] == str(['{"n": 1}', '{"n": 3}'])


# --- the same logic without a namespace: SQLite's own page limit answers SQLITE_FULL ---------

class PageLimit:
    """Every connection the store opens to the archive may grow it by ``extra`` pages only:
    past that SQLite answers SQLITE_FULL, as on a full disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, extra: int) -> None:
        real = connection._connect
        self.conns: list[sqlite3.Connection] = []

        def connect(path: Path, timeout: float) -> sqlite3.Connection:
            conn = real(path, timeout)
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages + extra}")
            self.conns.append(conn)
            return conn

        monkeypatch.setattr(connection, "_connect", connect)
        self.undo = lambda: monkeypatch.setattr(connection, "_connect", real)


def block(path: Path) -> None:
    """A folder where a journal file should go: appending to it fails, as on a full disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir()


def simulated_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys,
                  block_fallback: bool) -> tuple[int, str, str, Path]:
    db = tmp_path / "a.sqlite"
    Archive.open(db).close()  # the schema, before the "disk" is nearly full
    with Archive.open(db) as a:
        beside, fallback = a.journal.path, a.fallback_journal.path
    block(beside)
    if block_fallback:
        block(fallback)
    # room for the scenario text the drill keeps at its start (it grows with the scenario: 45 KB
    # since issue 18), then 8 pages of record before the "disk" is full
    limit = PageLimit(monkeypatch, extra=8 + -(-len(PPH.read_bytes()) // 4096))
    rc = main(["run", str(PPH), "--script", str(BUSY), "--archive", str(db)])
    out = capsys.readouterr()
    limit.undo()
    return rc, out.out, out.err, db


def test_printed_equals_stored_on_a_simulated_full_disk_with_the_fallback_journal(
        tmp_path, monkeypatch, capsys, straight):
    rc, out, err, db = simulated_run(tmp_path, monkeypatch, capsys, block_fallback=False)
    printed = event_lines(out)
    assert rc == 0, err
    with sqlite3.connect(db) as con:
        in_archive = con.execute("SELECT count(*) FROM events").fetchone()[0]
    assert 0 < in_archive < len(straight)
    with Archive.open(db) as archive:  # reads the fallback journal back
        (info,) = archive.drills()
        assert printed == [_event_line(e) for e in archive.events(info.id)] == straight
        assert info.status == "ended" and archive.verify() == []
    assert "Journalled(" not in err and len(err.splitlines()) <= 3, err
    assert sum("now kept in the fallback journal" in line for line in err.splitlines()) == 1


def test_nothing_is_printed_that_could_not_be_stored_on_a_simulated_full_disk(
        tmp_path, monkeypatch, capsys, straight):
    rc, out, err, db = simulated_run(tmp_path, monkeypatch, capsys, block_fallback=True)
    printed = event_lines(out)
    assert rc == 1
    with Archive.open(db) as archive:
        (info,) = archive.drills()
        stored = [_event_line(e) for e in archive.events(info.id)]
    assert printed == stored and 0 < len(stored) < len(straight)
    assert re.search(rf"{len(straight) - len(stored)} events and \d+ vitals samples could not be "
                     r"stored anywhere \(cannot write the archive .*: the disk is full, nor the "
                     r"journals .*\); they are lost$", err.strip()), err
    assert "Journalled(" not in err and len(err.splitlines()) <= 3, err
    assert "outcome:" not in out  # no result computed from a record that is not all there
