"""What one attack case is, and what the runner hands to its setup and checks.

A ``Case`` is data plus small functions: ``argv`` (the simtool arguments, with ``{name}``
placeholders filled from ``Ctx.vars`` after ``setup``), ``setup(ctx)`` (generates the hostile
input into the case's own temporary folder: no bomb is ever stored in the repository) and
``expect`` (what the issue's spec says a user must see). The runner (``run.py``) plays the case
as a real ``python -m simtool`` process and classifies the outcome.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]          # the repository
SCENARIOS = ROOT / "scenarios"
RUBRICS = ROOT / "rubrics"
PPH = SCENARIOS / "pph_uterine_atony.yaml"
CATALOGUE = SCENARIOS / "actions.yaml"
MINIMAL = ROOT / "tests" / "core" / "data" / "minimal_scenario.yaml"
SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"
GOOD = SCRIPTS / "good_care.yaml"
BUSY = SCRIPTS / "busy_team.yaml"
TECHNICAL = RUBRICS / "pph_uterine_atony_technical.yaml"

# outcomes, most severe first: a case gets the first one that applies
OUTCOMES = ("hang", "crash", "data_lost", "overwritten", "accepted_bad", "traceback",
            "leftover", "unclear", "harness_error", "skipped", "clean")


class HarnessError(Exception):
    """The case could not be set up: a problem of this harness, reported, never raised on."""


class Skip(Exception):
    """Raised by a setup when this machine cannot play the case (e.g. no user namespaces)."""


@dataclass
class Verdict:
    outcome: str
    detail: str = ""
    found: tuple[str, ...] = ()      # every outcome seen, most severe first


@dataclass
class Result:
    """What the simtool process did."""

    rc: int | None               # None: killed by the runner after the timeout
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    @property
    def output(self) -> str:
        return self.stderr + "\n" + self.stdout


@dataclass
class Ctx:
    """The case's own folders and placeholders.

    ``root`` holds everything of the case: ``w`` (the working directory, where hostile files
    go) and ``data`` (``SIMTOOL_DATA_HOME``). Nothing may be written outside ``root``."""

    root: Path
    w: Path
    data: Path
    fixture: Any                 # run.Fixture, built once per run (an archive with signed sheets)
    vars: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    state: dict[str, Any] = field(default_factory=dict)   # setup → check

    def path(self, rel: str) -> Path:
        return self.w / rel.format(**self.vars)

    def use_fixture(self, name: str = "archive.sqlite") -> Path:
        """Copy the fixture archive (and its per-user data folder) into this case."""
        fx = self.fixture.require()
        target = self.w / name
        shutil.copyfile(fx.main, target)
        if fx.data.is_dir():
            shutil.copytree(fx.data, self.data, dirs_exist_ok=True)
        self.vars.update(fx.vars)
        return target

    def simtool(self, *args: str, timeout: float = 120, cwd: Path | None = None) -> Any:
        """Run simtool during setup (e.g. record a drill to attack later); not classified."""
        import subprocess
        return subprocess.run(limited([sys.executable, "-m", "simtool", *args]), capture_output=True,
                              text=True, encoding="utf-8", errors="replace",
                              env={**base_env(), **self.env}, cwd=cwd or self.w, timeout=timeout,
                              stdin=subprocess.DEVNULL)


MEMORY_KB = 2 * 1024 * 1024            # ulimit -v: 2 GiB of address space
FILE_BLOCKS = 256 * 1024 * 1024 // 512  # ulimit -f (512-byte blocks in POSIX sh): 256 MiB


def base_env() -> dict[str, str]:
    """The environment of every simtool process: this checkout's code, no SIMTOOL_* of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMTOOL_")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONWARNINGS", None)
    return env


def limited(argv: Sequence[str]) -> list[str]:
    """``argv`` run under the memory, file-size and core-file limits (set by ``sh``: see run.py)."""
    script = f'ulimit -v {MEMORY_KB} && ulimit -f {FILE_BLOCKS} && ulimit -c 0 && exec "$@"'
    return ["sh", "-c", script, "sh", *argv]


Check = Callable[[Ctx, Result], "Verdict | None"]


@dataclass
class Expect:
    """What a user must see.

    ``exit``: the exit codes that are right (a refusal is 1, or 2 for a usage error).
    ``mention``: for a refusal, one line of output names each of these (a string, or a tuple
    of alternatives; case-insensitive; ``{placeholders}`` allowed) — e.g. the file's name.
    ``untouched``: files (relative to ``w``) whose content must not change (else data_lost);
    ``protected``: files that must not be overwritten (else overwritten). SQLite files are
    compared by content (every table's rows and the schema), other files by bytes.
    ``check``: further checks after the run (verify named the edit, nothing leaked, ...).
    ``max_lines``: a refusal is a sentence or a few ``FILE:LINE`` lines, not a dump.
    ``tidy``: after a refusal no new file may be left anywhere in the case's folders."""

    exit: tuple[int, ...] = (1, 2)
    mention: Sequence[str | tuple[str, ...]] = ()
    untouched: Sequence[str] = ()
    protected: Sequence[str] = ()
    check: Check | None = None
    max_lines: int = 6
    tidy: bool = True


@dataclass
class Case:
    id: str
    family: str
    argv: Sequence[str] | None
    setup: Callable[[Ctx], None] | None
    expect: Expect
    slow: bool = False
    timeout: float = 30.0
    needs_fixture: bool = False
    # a case that is not one simtool process (SIGKILL mid-run, a filling tmpfs) plays itself
    play: Callable[[Ctx, float], Result] | None = None

    def __repr__(self) -> str:
        return f"Case({self.id})"


# --- helpers for generators and checks ----------------------------------------------------------
def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding)
    path.write_bytes(data)
    return path


def sha_file(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def sqlite_content(path: Path) -> str | None:
    """A digest of an SQLite file's content (schema and every row), or None if unreadable.

    Read through a private copy, so that looking never changes the file itself."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite"
        try:
            shutil.copyfile(path, copy)
            for suffix in ("-wal",):
                side = Path(str(path) + suffix)
                if side.is_file():
                    shutil.copyfile(side, Path(str(copy) + suffix))
            con = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        except (OSError, sqlite3.Error):
            return None
        try:
            h = hashlib.sha256()
            tables = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
            for kind, name, sql in tables:
                h.update(repr((kind, name, sql)).encode())
                if kind == "table" and not name.startswith("sqlite_"):
                    for row in sorted(repr(r) for r in con.execute(f'SELECT * FROM "{name}"')):
                        h.update(row.encode())
            return h.hexdigest()
        except sqlite3.Error:
            return None
        finally:
            con.close()


def fingerprint(path: Path) -> tuple[str | None, str | None]:
    """(bytes digest, SQLite content digest or None)."""
    if path.is_symlink() and not path.exists():
        return ("dangling", None)
    if path.is_dir():
        return ("dir", None)
    if path.exists() and not path.is_file():
        return ("special", None)
    return sha_file(path), (sqlite_content(path) if path.is_file() else None)


def sqlite_rows(path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def line_with(output: str, tokens: Sequence[str | tuple[str, ...]], fmt: dict[str, str]) -> bool:
    """True when one line of ``output`` contains every token (each maybe a tuple of alternatives)."""
    wanted = [tuple(t.format(**fmt).lower() for t in ((tok,) if isinstance(tok, str) else tok))
              for tok in tokens]
    for line in output.lower().splitlines():
        if all(any(alt in line for alt in alts) for alts in wanted):
            return True
    return False
