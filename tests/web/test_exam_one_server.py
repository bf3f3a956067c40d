"""One exam server per archive: an ``ExamDay`` keeps each sheet's draft marks in memory, so two
servers on one archive would save their drafts over each other's and lose an acknowledged mark.
A server holds an exclusive OS lock on ``ARCHIVE.exam-server.lock`` while it serves; a second
one (any exam, the command line's or the window's) is refused before it opens the archive or
listens, in one sentence naming the first; the lock goes with the server (stopped with Ctrl-C or
SIGTERM, or killed with SIGKILL); a folder where the lock cannot be made is refused in one
sentence, since every mark is written into the archive."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from simtool.app.exam import (ExamDay, ExamDayError, check_can_serve, hold_server,
                              server_lock_path)
from simtool.cli import main
from simtool.store import Archive

PIN = "482913"
ROOT = Path(__file__).resolve().parents[2]


# one station, one candidate: a server is up in the time its imports take (the lock is the same
# whatever the exam; tests/web/examday.py's six candidates × three stations take seconds more)
SMALL = """id: {id}
title: {{en: One-station OSCE, zh_CN: 单站考核, zh_TW: 單站考核}}
timing: {{reading_s: 60, station_s: 480, changeover_s: 60}}
stations:
  - {{id: massage, rubric: pph_uterine_massage_station, examiners: [E01]}}
candidates: [S01]
"""


@pytest.fixture
def path(tmp_path, capsys):
    """An archive in a folder of its own with two exams, osce_demo and osce_two."""
    folder = tmp_path / "lab"
    folder.mkdir()
    p = folder / "exam.sqlite"
    for staff, name in (("E01", "周医生"), ("S01", "李娜")):
        assert main(["people", "add", "--name", name, "--staff-id", staff, "--archive", str(p)]) == 0
    for exam in ("osce_demo", "osce_two"):
        (tmp_path / f"{exam}.yaml").write_text(SMALL.format(id=exam), encoding="utf-8")
        assert main(["exam", "create", str(tmp_path / f"{exam}.yaml"), "--archive", str(p)]) == 0
    capsys.readouterr()
    return p


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _cmd(path: Path, port: int, exam: str = "osce_demo") -> list[str]:
    return [sys.executable, "-m", "simtool", "exam", "serve", exam, "--host", "127.0.0.1",
            "--port", str(port), "--pin", PIN, "--archive", str(path)]


def _serve(path: Path, port: int) -> subprocess.Popen:
    """``simtool exam serve`` in a process of its own, once it answers."""
    proc = subprocess.Popen(_cmd(path, port), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ})
    for _ in range(400):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    _stop(proc, signal.SIGKILL)
    raise AssertionError(proc.stderr_text)      # type: ignore[attr-defined]


def _stop(proc: subprocess.Popen, sig: int) -> int:
    if proc.poll() is None:
        proc.send_signal(sig)
    code = proc.wait(timeout=30)
    proc.stdout_text = proc.stdout.read().decode()     # type: ignore[attr-defined]
    proc.stderr_text = proc.stderr.read().decode()     # type: ignore[attr-defined]
    proc.stdout.close()
    proc.stderr.close()
    return code


def _refused(path: Path, port: int, exams: tuple[str, ...]) -> list[str]:
    """Second ``exam serve`` runs (at once), each to its end: refused (exit 1) without a line
    on stdout, one on stderr, nothing listening on their port."""
    runs = [subprocess.Popen(_cmd(path, port, exam), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ})
            for exam in exams]
    lines = []
    for proc in runs:
        deadline = time.monotonic() + 60
        while proc.poll() is None:          # a second server that serves fails here at once
            serving = _listening(port)
            if serving or time.monotonic() > deadline:
                proc.kill()
                proc.communicate()
                raise AssertionError(f"a second server on {path} was not refused: it "
                                     f"{'listens on' if serving else 'hangs on'} port {port}")
            time.sleep(0.05)
        out, err = proc.communicate()
        assert proc.returncode == 1, (out, err)
        assert out == "" and "Traceback" not in err, err
        assert len(err.strip().splitlines()) == 1, err
        lines.append(err.strip())
    assert not _listening(port)
    return lines


def _holder(path: Path) -> dict:
    return json.loads(server_lock_path(path).read_text(encoding="utf-8"))


def test_a_second_server_is_refused_naming_the_first_and_serves_once_it_stopped_or_died(path):
    lock = server_lock_path(path)
    port, other = _port(), _port()
    first = _serve(path, port)
    try:
        held = _holder(path)
        assert (held["pid"], held["exam"], held["url"]) == (first.pid, "osce_demo",
                                                           f"http://127.0.0.1:{port}/")
        # another exam of the archive (the same exam is the same lock: the application layer's
        # test below asks for both): one server per archive
        for line in _refused(path, other, ("osce_two",)):
            assert line.startswith(f"simtool exam: the archive {path} is already served by "
                                   f"another exam server (exam osce_demo at "
                                   f"http://127.0.0.1:{port}/, pid {first.pid} on "
                                   f"{socket.gethostname()}, since "), line
            assert line.endswith("): one server per archive, so examiners join that one, or stop "
                                 "it first (Ctrl-C in its terminal, or Stop marking page in its "
                                 "window) and serve again"), line
        with pytest.raises(ExamDayError, match=f"pid {first.pid} on "):
            check_can_serve(path)                     # what the window asks before it starts one
        assert _listening(port)                       # the first serves on, untouched
    finally:
        code = _stop(first, signal.SIGINT)            # Ctrl-C
    assert code == 130, first.stderr_text
    assert not lock.exists()                          # let go and removed on the way out

    second = _serve(path, other)                      # the next server starts…
    _stop(second, signal.SIGKILL)                     # …and is killed outright
    assert _holder(path)["pid"] == second.pid         # its file stays, naming the dead server…
    third = _serve(path, port)                        # …but the lock went with it
    try:
        assert _holder(path)["pid"] == third.pid
        with pytest.raises(ExamDayError, match=f"pid {third.pid} on "):
            check_can_serve(path)
    finally:
        code = _stop(third, signal.SIGTERM)           # the window's Stop
    assert code == 128 + signal.SIGTERM, third.stderr_text
    assert not lock.exists()
    check_can_serve(path)


def test_the_application_layer_holds_one_server_per_archive(path):
    """The rule itself, in one process: a lease is exclusive whoever asks (another open file of
    the same lock, as another process's is), names its holder, and goes when released."""
    lease = hold_server(path, "osce_demo", "http://10.0.0.5:8765/")
    try:
        # the same exam or another, the archive named by another path: refused
        for exam, asked in (("osce_demo", path), ("osce_two", Path(os.path.relpath(path)))):
            with pytest.raises(ExamDayError) as refused:
                hold_server(asked, exam, "http://10.0.0.5:9000/")
            assert refused.value.status == 409
            text = str(refused.value)
            assert text.startswith(f"the archive {asked} is already served by another exam "
                                   f"server (exam osce_demo at http://10.0.0.5:8765/, pid "
                                   f"{os.getpid()} on {socket.gethostname()}, since 20"), text
            assert "(UTC+00:00)): one server per archive" in text
    finally:
        lease.release()
    lease.release()                                   # once only
    assert not server_lock_path(path).exists()
    with hold_server(path, "osce_two", "http://10.0.0.5:9000/") as lease:
        assert lease.held and _holder(path)["exam"] == "osce_two"
    assert not lease.held


def test_the_lock_decides_not_the_file(path):
    lock = server_lock_path(path)
    # a file left by a crashed server (its pid long gone): taken over
    lock.write_text(json.dumps({"pid": 999999, "host": socket.gethostname(), "exam": "old"}))
    with hold_server(path, "osce_demo", "http://127.0.0.1:1/"):
        assert _holder(path)["exam"] == "osce_demo"
    # a holder whose file says nothing readable: still refused, saying so
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"\xff not json")
        with pytest.raises(ExamDayError, match=f"who it is cannot be read from {lock}"):
            hold_server(path, "osce_demo", "http://127.0.0.1:1/")
    finally:
        os.close(fd)
    with pytest.raises(ExamDayError, match="no archive at"):
        hold_server(path.with_name("none.sqlite"), "osce_demo", "http://127.0.0.1:1/")
    assert not path.with_name("none.sqlite" + ".exam-server.lock").exists()


def test_a_read_only_archive_folder_is_refused_in_one_sentence(path, tmp_path):
    """Serving writes every mark into the archive: a folder where even the lock file cannot be
    made is refused before the archive is opened (a read-only bind mount in a private mount
    namespace, as tests/test_full_disk.py does: it binds root too)."""
    exe = shutil.which("unshare")
    if exe is None:
        pytest.fail("this test needs `unshare` (util-linux) for a private mount namespace")
    out = tmp_path / "out"          # beside the read-only folder, not in it
    out.mkdir()
    body = textwrap.dedent("""
        set -u
        mount --bind "$RO" "$RO" && mount -o remount,bind,ro "$RO"
        "$PY" -m simtool exam serve osce_demo --host 127.0.0.1 --port "$PORT" --pin 482913 \\
            --archive "$DB" > "$OUT/out.txt" 2>&1
        echo $? > "$OUT/code.txt"
    """)
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "PY": sys.executable, "LANG": "C.UTF-8",
           "PYTHONIOENCODING": "utf-8", "SIMTOOL_DATA_HOME": str(out / "home"),
           "SIMTOOL_ARCHIVE": str(out / "default.sqlite"), "PYTHONPATH": str(ROOT),
           "RO": str(path.parent), "DB": str(path), "OUT": str(out), "PORT": str(_port())}
    done = subprocess.run([exe, "--mount", "--map-root-user", "sh", "-c", body], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    text = (out / "out.txt").read_text()
    assert (out / "code.txt").read_text().strip() == "1", text
    assert text.strip() == (f"simtool exam: cannot serve the archive {path}: the lock file "
                            f"{server_lock_path(path)} that keeps a second exam server off it "
                            f"cannot be made (Read-only file system); a server writes every "
                            f"mark into the archive, so serve it from a folder this account can "
                            f"write to"), text
    with Archive.open(path, create=False) as archive:
        assert ExamDay(archive, "osce_demo").zero() is None      # nothing was started


def test_the_window_names_the_running_server_and_stays_usable(qtbot, path):
    from simtool.ui.exam import ExamView
    archive = Archive.open(path)
    view = ExamView(archive, "en", sound=lambda kind: None, exam_id="osce_two")
    qtbot.addWidget(view)
    view.timer.stop()
    view.host.setEditText("127.0.0.1")
    view.pin.setText(PIN)
    idle = view.serve_button.text()
    try:
        with hold_server(path, "osce_demo", "http://192.168.1.20:8765/"):
            view.serve_button.click()
            assert not view.serving() and view.server is None
            assert view.status.text().startswith(
                f"the archive {path} is already served by another exam server (exam osce_demo "
                f"at http://192.168.1.20:8765/, pid {os.getpid()} on ")
            assert view.serve_button.text() == idle
            assert all(w.isEnabled() for w in (view.host, view.port, view.pin, view.serve_button,
                                               view.print_button, view.start_button))
    finally:
        view.stop_serving()          # were it not refused
        archive.close()
