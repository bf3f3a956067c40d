"""Shared by the tests of where outputs go (command line, window, the store's writer)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers.paths import ROOT


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hostile_copy(hostile_archive: dict, tmp_path: Path) -> Path:
    """A private copy of the session's hostile archive, as ``work/w.db`` in its own folder."""
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "w.db"
    shutil.copy(hostile_archive["db"], path)
    return path


# a writer killed half-way through a replace (run with the target as argv[1])
KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from simtool.store.outputs import write_atomic

    def half(f):
        f.write(b"%PDF-1.4 half")
        f.flush()
        print("half written", flush=True)
        time.sleep(60)

    write_atomic(sys.argv[1], half, force=True)
""")


def kill_a_writer(target: Path) -> None:
    """Run a writer of ``target`` in another process and SIGKILL it mid-write."""
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT, env=os.environ.copy())
    assert proc.stdout.readline().strip() == "half written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
