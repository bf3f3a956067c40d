"""The printed record is the stored record (issue 14, deliver 3).

* SIGKILL in the middle of ``run --archive``: after a random number of printed event lines
  (from the seed) the process is killed; every line it printed must be in the archive, in
  order, and ``verify`` must pass on what is left.
* A full disk: the archive lives on a private 400 KiB tmpfs (``unshare --mount
  --map-root-user``, no root needed; the mount dies with the namespace) that fills during the
  run. Every event line printed must be stored — in the archive or its journal, written back
  once there is room again — and the user reads a sentence, not a repr per event.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .case import (BUSY, GOOD, PPH, Case, Ctx, Expect, Result, Skip, Verdict, base_env, limited)

FAMILY = "killdisk"
DUMP = Path(__file__).with_name("dump_events.py")


def event_lines(stdout: str) -> list[str]:
    return [ln for ln in stdout.splitlines() if ln[:2].isdigit() and ln[2:3] == ":"]


def stored_lines(ctx: Ctx, archive: Path) -> dict:
    from .run import execute
    res = execute([sys.executable, str(DUMP), str(archive)], ctx, 60, tag="dump")
    try:
        return json.loads(res.stdout)
    except ValueError:
        return {"drills": {}, "error": f"dump failed: {res.stderr.strip()[-300:]}"}


def printed_is_stored(ctx: Ctx, res: Result) -> Verdict | None:
    printed = ctx.state.get("printed", [])
    dump = ctx.state.get("stored") or {"drills": {}, "error": "nothing stored"}
    drills = dump.get("drills") or {}
    stored = max(drills.values(), key=len) if drills else []
    if printed and stored[:len(printed)] != printed:
        missing = [ln for ln in printed if ln not in stored]
        return Verdict("data_lost", f"{len(printed)} event lines printed, {len(stored)} stored; "
                                    f"{len(missing)} printed lines missing, e.g. {missing[:1]}"
                                    + (f"; {dump['error']}" if dump.get("error") else ""))
    if dump.get("error") and printed:
        return Verdict("data_lost", f"the archive cannot be read after the run: {dump['error']}")
    return None


# --- SIGKILL ------------------------------------------------------------------------------------
def _kill_play(seed: int):
    def play(ctx: Ctx, timeout: float) -> Result:
        from .run import PROCESSES, execute, finish, spawn
        rng = random.Random(seed)
        db = ctx.w / "archive.sqlite"
        out, err = ctx.root.parent / f"{ctx.root.name}.run.out", ctx.root.parent / f"{ctx.root.name}.run.err"
        proc = spawn([sys.executable, "-m", "simtool", "run", str(PPH), "--script", str(BUSY),
                      "--archive", str(db), "--speed", "250"], ctx, out, err)
        target = rng.randint(1, 40)       # kill after this many printed event lines ...
        extra = rng.uniform(0, 0.05)      # ... and a moment more
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if len(event_lines(out.read_text(encoding="utf-8", errors="replace"))) >= target:
                    time.sleep(extra)
                    break
                time.sleep(0.005)
            killed = proc.poll() is None
            if killed:
                os.kill(proc.pid, signal.SIGKILL)
        finally:
            finish(proc, 10)
            PROCESSES.kill(proc.pid)
        ctx.state["printed"] = event_lines(out.read_text(encoding="utf-8", errors="replace"))
        ctx.state["stored"] = stored_lines(ctx, db)
        ctx.state["killed"] = killed
        # what is left must verify: the result classified is verify's
        return execute([sys.executable, "-m", "simtool", "verify", "--archive", str(db)], ctx, 60, tag="verify")
    return play


# --- a full disk --------------------------------------------------------------------------------
FULL_DISK = r'''
set -u
mount -t tmpfs -o size=400k none "$T" || exit 97
timeout -k 5 "$LIMIT" "$PY" -m simtool run "$PPH" --script "$SCRIPT" --archive "$T/archive.sqlite" \
    --sample 1 > "$OUT" 2> "$ERR"
echo $? > "$RC"
mount -o remount,size=64m "$T" || exit 98
"$PY" "$DUMP" "$T/archive.sqlite" > "$STORED" 2>> "$ERR.dump"
'''


def _full_disk_play(script: Path):
    def play(ctx: Ctx, timeout: float) -> Result:
        from .run import PROCESSES, finish
        if shutil.which("unshare") is None or shutil.which("timeout") is None:
            raise Skip("no unshare(1) or timeout(1) here")
        mnt = ctx.root / "mnt"
        mnt.mkdir()
        files = {k: ctx.root.parent / f"{ctx.root.name}.{k}" for k in ("out", "err", "rc", "stored")}
        env = {**base_env(), **ctx.env, "T": str(mnt), "PY": sys.executable, "PPH": str(PPH),
               "SCRIPT": str(script), "DUMP": str(Path(__file__).with_name("dump_events.py")),
               "OUT": str(files["out"]), "ERR": str(files["err"]), "RC": str(files["rc"]),
               "STORED": str(files["stored"]), "LIMIT": str(int(timeout))}
        start = time.monotonic()
        proc = subprocess.Popen(limited(["unshare", "--mount", "--map-root-user", "sh", "-c", FULL_DISK]),
                                env=env, cwd=ctx.w, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        PROCESSES.add(proc.pid)
        rc_ns, timed_out = finish(proc, timeout + 60)
        note = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
        if proc.stdout:
            proc.stdout.close()
        read = lambda p: p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""  # noqa: E731
        stdout, stderr = read(files["out"]), read(files["err"])
        if not timed_out and not files["rc"].exists():
            raise Skip(f"cannot mount a private tmpfs here (exit {rc_ns}): {note.strip()[:200]}")
        ctx.state["printed"] = event_lines(stdout)
        try:
            ctx.state["stored"] = json.loads(read(files["stored"]) or "null")
        except ValueError:
            ctx.state["stored"] = None
        rc_text = read(files["rc"]).strip()
        rc = int(rc_text) if rc_text.lstrip("-").isdigit() else None
        if rc in (124, 137):          # timeout(1) stopped it: the run did not end in time
            timed_out, rc = True, None
        elif rc is not None and rc > 128:
            rc = -(rc - 128)          # the shell reports a signal as 128 + n
        return Result(rc, stdout, stderr, time.monotonic() - start, timed_out or rc is None)
    return play


def full_disk_check(ctx: Ctx, res: Result) -> Verdict | None:
    lost = printed_is_stored(ctx, res)
    if lost is not None:
        return lost
    lines = [ln for ln in res.stderr.splitlines() if ln.strip() and not ln.startswith("simtool run: drill ")]
    if len(lines) > 3:
        return Verdict("unclear", f"{len(lines)} lines on stderr about the full disk, not one sentence: "
                                  f"{lines[0][:200]}")
    return None


def cases() -> list[Case]:
    out: list[Case] = []
    for seed in range(12):
        out.append(Case(id=f"{FAMILY}/sigkill-mid-run-seed{seed}", family=FAMILY, argv=None, setup=None,
                        expect=Expect(exit=(0,), check=printed_is_stored, tidy=False),
                        play=_kill_play(seed), slow=seed >= 2, timeout=60))
    for name, script in (("good-care", GOOD), ("busy-team", BUSY)):
        out.append(Case(id=f"{FAMILY}/full-disk-{name}", family=FAMILY, argv=None, setup=None,
                        expect=Expect(exit=(0, 1), check=full_disk_check, max_lines=4, tidy=False),
                        play=_full_disk_play(script), slow=name != "good-care", timeout=45))
    return out
