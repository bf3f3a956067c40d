"""Play attack cases as real ``python -m simtool`` processes and classify what happened.

Each case gets its own folder (``root`` with ``w/`` and ``data/``) under one temporary base,
on ``/dev/shm`` when there is room (every archive write is fsync'd; on a RAM disk that costs
nothing), else the system's temporary folder. The process runs with
``SIMTOOL_ARCHIVE``/``SIMTOOL_DATA_HOME`` inside that folder, in its own session (so a timeout
kills it and every child), under ``ulimit -v`` (address space, ~2 GiB: a bomb ends in
MemoryError, not in a swapping machine), ``ulimit -f`` (no single file over 256 MiB: a drill
that never ends cannot fill the disk) and no core files. The limits are set by a ``sh`` in
front of Python rather than a ``preexec_fn``: the report runs cases from several threads, where
a ``preexec_fn`` can deadlock the child.

Outcomes, most severe first (a case gets the first that applies): ``hang`` (no answer within
its timeout), ``crash`` (killed by a signal), ``data_lost`` (printed events not stored, or an
archive that had to stay untouched changed), ``overwritten`` (a protected file's bytes
changed), ``accepted_bad`` (a hostile input accepted: a refusal was due and the exit code was
0, a forged bundle shown as genuine, a tamper ``verify`` did not name, a marker in an
anonymised bundle, ...), ``traceback``, ``leftover`` (a refusal left a file behind),
``unclear`` (refused, but not as the spec says: wrong exit code, the message does not name the
file or field, or a dump of many lines), ``harness_error`` (the case could not be set up: a
bug here, not in simtool), ``skipped`` (this machine cannot play it), else ``clean``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .case import (BUSY, CATALOGUE, GOOD, MINIMAL, OUTCOMES, PPH, ROOT, TECHNICAL, Case, Ctx,
                   HarnessError, Result, Skip, Verdict, base_env, fingerprint, limited, line_with)

READ_CAP = 1 << 20                     # bytes of stdout/stderr kept for classification
SIDE_FILES = ("-wal", "-shm", "-journal", ".journal")


def temp_base() -> Path:
    """A fresh folder for one run: on /dev/shm when it has room, else the temporary folder."""
    shm = Path("/dev/shm")
    try:
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK) and st.f_bavail * st.f_frsize > 4 << 30:
            return Path(tempfile.mkdtemp(prefix="simtool-attack-", dir=shm))
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="simtool-attack-"))


def _read(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            head = f.read(READ_CAP)
            size = os.fstat(f.fileno()).st_size
            tail = b""
            if size > READ_CAP:
                f.seek(max(READ_CAP, size - 65536))
                tail = b"\n[... %d bytes ...]\n" % (size - READ_CAP) + f.read()
        return (head + tail).decode("utf-8", errors="replace")
    except OSError:
        return ""


class Processes:
    """Every process group this run started, so that none outlives it."""

    def __init__(self) -> None:
        self._live: set[int] = set()
        self._lock = threading.Lock()

    def add(self, pid: int) -> None:
        with self._lock:
            self._live.add(pid)

    def kill(self, pid: int) -> None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        with self._lock:
            self._live.discard(pid)

    def kill_all(self) -> None:
        with self._lock:
            pids = list(self._live)
        for pid in pids:
            self.kill(pid)


PROCESSES = Processes()


def spawn(argv: Sequence[str], ctx: Ctx, out: Path, err: Path, **kw: Any) -> subprocess.Popen:
    """Start ``argv`` (already a full command) limited, in its own session, output to files."""
    env = {**base_env(), **ctx.env}
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(limited(argv), stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                                cwd=ctx.cwd or ctx.w, env=env, start_new_session=True, **kw)
    PROCESSES.add(proc.pid)
    return proc


def finish(proc: subprocess.Popen, timeout: float) -> tuple[int | None, bool]:
    """Wait for ``proc``; on timeout kill its whole group. (exit code or None, timed out)."""
    timed_out = False
    try:
        rc: int | None = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        rc = None
    PROCESSES.kill(proc.pid)      # also any child it left behind
    proc.wait()
    return (None if timed_out else rc), timed_out


def execute(cmd: Sequence[str], ctx: Ctx, timeout: float, tag: str = "main") -> Result:
    out, err = ctx.root.parent / f"{ctx.root.name}.{tag}.out", ctx.root.parent / f"{ctx.root.name}.{tag}.err"
    start = time.monotonic()
    proc = spawn(cmd, ctx, out, err)
    rc, timed_out = finish(proc, timeout)
    return Result(rc, _read(out), _read(err), time.monotonic() - start, timed_out)


def simtool_cmd(argv: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "simtool", *argv]


# --- the shared fixture -------------------------------------------------------------------------
class Fixture:
    """The archive with signed sheets that many cases copy; built once, on first use."""

    def __init__(self, base: Path) -> None:
        self.dir = base / "fixture"
        self.main = self.dir / "main.sqlite"
        self.other = self.dir / "other.sqlite"
        self.bundle = self.dir / "bundle.simtool"
        self.data = self.dir / "data"
        self.vars: dict[str, str] = {}
        self.info: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._error: str | None = None
        self._built = False

    def require(self) -> "Fixture":
        with self._lock:
            if not self._built and self._error is None:
                self._build()
        if self._error is not None:
            raise HarnessError(f"the fixture archive could not be built: {self._error}")
        return self

    def _build(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        env = {**base_env(), "SIMTOOL_DATA_HOME": str(self.data),
               "SIMTOOL_ARCHIVE": str(self.dir / "default.sqlite")}
        try:
            res = subprocess.run(limited([sys.executable, str(Path(__file__).with_name("fixture.py")),
                                          str(self.dir)]),
                                 capture_output=True, text=True, errors="replace", env=env,
                                 cwd=self.dir, timeout=300)
        except subprocess.TimeoutExpired:
            self._error = "timed out after 300 s"
            return
        if res.returncode != 0:
            self._error = (res.stderr.strip() or f"exit {res.returncode}")[-3000:]
            return
        self.info = json.loads((self.dir / "info.json").read_text(encoding="utf-8"))
        self.vars = dict(self.info["vars"])
        self._built = True


# --- playing and classifying one case -----------------------------------------------------------
def _listing(root: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            p = os.path.join(dirpath, name)
            try:
                out[os.path.relpath(p, root)] = os.lstat(p).st_size
            except OSError:
                pass
    return out


def _side(rel: str) -> bool:
    return rel.endswith(SIDE_FILES) or rel.startswith("data" + os.sep)


class Runner:
    """Plays cases; ``close()`` removes every folder it made (unless ``keep``)."""

    def __init__(self, base: Path | None = None, keep: bool = False) -> None:
        self.base = base or temp_base()
        self.base.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.fixture = Fixture(self.base)
        self._n = 0
        self._lock = threading.Lock()

    def close(self) -> None:
        PROCESSES.kill_all()
        if not self.keep:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ctx(self) -> Ctx:
        with self._lock:
            self._n += 1
            n = self._n
        root = self.base / f"case{n:05d}"
        w, data = root / "w", root / "data"
        w.mkdir(parents=True)
        data.mkdir()
        ctx = Ctx(root=root, w=w, data=data, fixture=self.fixture)
        ctx.env = {"SIMTOOL_DATA_HOME": str(data), "SIMTOOL_ARCHIVE": str(w / "archive.sqlite")}
        ctx.vars = {"w": str(w), "repo": str(ROOT), "archive": str(w / "archive.sqlite"),
                    "pph": str(PPH), "good": str(GOOD), "busy": str(BUSY),
                    "technical": str(TECHNICAL), "catalogue": str(CATALOGUE),
                    "minimal": str(MINIMAL)}
        return ctx

    def run(self, case: Case) -> dict[str, Any]:
        """Play ``case``; a dict with id, family, outcome, detail and seconds."""
        start = time.monotonic()
        ctx = self._ctx()
        try:
            verdict = self._play(case, ctx)
        except Skip as exc:
            verdict = Verdict("skipped", str(exc))
        except HarnessError as exc:
            verdict = Verdict("harness_error", str(exc))
        except Exception:  # noqa: BLE001 - the harness reports, it never crashes
            verdict = Verdict("harness_error", traceback.format_exc(limit=4)[-1500:])
        finally:
            if not self.keep:
                shutil.rmtree(ctx.root, ignore_errors=True)
                for f in ctx.root.parent.glob(f"{ctx.root.name}.*"):
                    f.unlink(missing_ok=True)
        return {"id": case.id, "family": case.family, "outcome": verdict.outcome,
                "detail": verdict.detail, "found": verdict.found or (verdict.outcome,),
                "seconds": round(time.monotonic() - start, 2)}

    def _play(self, case: Case, ctx: Ctx) -> Verdict:
        if case.needs_fixture:
            self.fixture.require()
        if case.setup is not None:
            case.setup(ctx)
        watched = {rel: fingerprint(ctx.path(rel)) for rel in (*case.expect.untouched, *case.expect.protected)}
        before = ctx.state["listing"] = _listing(ctx.root)
        if case.play is not None:
            res = case.play(ctx, case.timeout)
        else:
            try:
                argv = [a.format_map(ctx.vars) for a in case.argv or ()]
            except (KeyError, IndexError, ValueError) as exc:
                raise HarnessError(f"argv placeholder {exc} not set") from None
            res = execute(simtool_cmd(argv), ctx, case.timeout)
        return classify(case, ctx, res, watched, before)


def _changed(old: tuple[str | None, str | None], new: tuple[str | None, str | None]) -> bool:
    if old[0] == new[0]:
        return False
    # same rows and schema in an SQLite file whose bytes moved (a checkpoint) is not a change
    return not (old[1] is not None and old[1] == new[1])


def _said(res: Result) -> str:
    """The first line the user read: stderr's, else stdout's."""
    return _first_line(res.stderr if res.stderr.strip() else res.stdout)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return "(no output)"


def classify(case: Case, ctx: Ctx, res: Result, watched: dict[str, Any],
             before: dict[str, int]) -> Verdict:
    exp = case.expect
    found: list[tuple[str, str]] = []
    if res.timed_out:
        found.append(("hang", f"no answer within {case.timeout:g} s"))
    elif res.rc is not None and res.rc < 0:
        try:
            name = signal.Signals(-res.rc).name
        except ValueError:
            name = str(-res.rc)
        found.append(("crash", f"killed by {name}; stderr: {_first_line(res.stderr)}"))
    for rel in exp.untouched:
        if _changed(watched[rel], fingerprint(ctx.path(rel))):
            found.append(("data_lost", f"{rel.format_map(ctx.vars)} changed though it had to stay untouched"))
    for rel in exp.protected:
        if _changed(watched[rel], fingerprint(ctx.path(rel))):
            found.append(("overwritten", f"{rel.format_map(ctx.vars)} was overwritten"))
    if exp.check is not None:
        try:
            v = exp.check(ctx, res)
        except Exception:  # noqa: BLE001
            v = Verdict("harness_error", "check failed: " + traceback.format_exc(limit=3)[-800:])
        if v is not None:
            found.append((v.outcome, v.detail))
    output = res.output
    if "Traceback (most recent call last)" in output or "Fatal Python error" in output:
        tail = [ln for ln in res.stderr.splitlines() if ln.strip()]
        found.append(("traceback", tail[-1][:300] if tail else "Traceback on stdout"))
    if not res.timed_out and res.rc is not None and res.rc >= 0:
        rc = res.rc
        if rc not in exp.exit:
            if rc == 0:
                found.append(("accepted_bad", f"exit 0: accepted what must be refused; "
                                              f"stdout: {_first_line(res.stdout)}"))
            elif 0 in exp.exit:
                found.append(("unclear", f"refused (exit {rc}) what must work: {_said(res)}"))
            else:
                found.append(("unclear", f"exit {rc}, expected {'/'.join(map(str, exp.exit))}: "
                                         f"{_said(res)}"))
        if rc != 0:
            if exp.mention and not line_with(output, exp.mention, ctx.vars):
                want = " + ".join(t if isinstance(t, str) else "|".join(t) for t in exp.mention)
                found.append(("unclear", f"no line names {want.format_map(ctx.vars)}: {_said(res)}"))
            lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
            if len(lines) > exp.max_lines:
                found.append(("unclear", f"{len(lines)} lines on stderr, not one sentence: "
                                         f"{_first_line(res.stderr)}"))
            if exp.tidy:
                after = _listing(ctx.root)
                new = sorted(r for r in after if r not in before and not _side(r))
                if new:
                    found.append(("leftover", f"a refusal left {', '.join(new[:5])}"))
    if not found:
        return Verdict("clean", f"exit {res.rc} in {res.seconds:.1f} s")
    found.sort(key=lambda f: OUTCOMES.index(f[0]))
    return Verdict(found[0][0], "; ".join(f"{o}: {d}" if i else d for i, (o, d) in enumerate(found))[:2000],
                   tuple(dict.fromkeys(o for o, _ in found)))


# --- a whole report ----------------------------------------------------------------------------
def play_all(cases: Iterable[Case], runner: Runner, jobs: int = 2, progress: Any = None) -> list[dict[str, Any]]:
    """Play ``cases`` ``jobs`` at a time; their results in the same order."""
    cases = list(cases)
    if any(c.needs_fixture for c in cases):
        try:
            runner.fixture.require()
        except HarnessError:
            pass  # each case that needs it reports the error
    results: list[dict[str, Any]] = []
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        for future in [pool.submit(runner.run, c) for c in cases]:
            r = future.result()
            results.append(r)
            if progress is not None:
                progress(r)
    except BaseException:
        # interrupted: play nothing more, and leave no process behind
        pool.shutdown(wait=False, cancel_futures=True)
        PROCESSES.kill_all()
        raise
    pool.shutdown(wait=True)
    PROCESSES.kill_all()
    return results


def summary(results: list[dict[str, Any]], seconds: float, cpu: float | None = None) -> dict[str, Any]:
    """The report: how many cases ended in each outcome, and every one that was not clean."""
    counts = {o: 0 for o in OUTCOMES}
    by_family: dict[str, dict[str, int]] = {}
    for r in results:
        counts[r["outcome"]] += 1
        fam = by_family.setdefault(r["family"], {})
        fam[r["outcome"]] = fam.get(r["outcome"], 0) + 1
    out: dict[str, Any] = {"cases": len(results)}
    out.update({k: counts[k] for k in ("clean", "traceback", "crash", "hang", "data_lost",
                                       "overwritten", "accepted_bad", "leftover", "unclear",
                                       "harness_error", "skipped")})
    out["seconds"] = round(seconds, 1)
    if cpu is not None:   # CPU time of every process started: ÷ cores ≈ seconds on an idle machine
        out["cpu_seconds"] = round(cpu, 1)
    # a case counts once, under its most severe outcome; "findings" counts every case in which
    # each kind of problem was seen at all (a hang that also lost events counts under both)
    out["findings"] = {o: sum(1 for r in results if o in r.get("found", ())) for o in OUTCOMES
                       if o not in ("clean", "skipped")}
    out["by_family"] = by_family
    out["failures"] = [{k: r[k] for k in ("id", "family", "outcome", "detail")}
                       for r in results if r["outcome"] not in ("clean", "skipped")]
    return out


def report(cases: Iterable[Case], jobs: int = 2, base: Path | None = None,
           keep: bool = False, progress: Any = None) -> dict[str, Any]:
    """Play every case (``jobs`` at a time) and count the outcomes."""
    start, cpu = time.monotonic(), _children_cpu()
    with Runner(base, keep) as runner:
        results = play_all(cases, runner, jobs, progress)
    return summary(results, time.monotonic() - start, _children_cpu() - cpu)


def _children_cpu() -> float:
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime
