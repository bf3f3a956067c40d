"""The standing attack corpus (issue 14, deliver 10): every case a real ``simtool`` process fed a
hostile input generated at run time (tests/attack/), each of which must end *clean* — refused in
one sentence naming the file or field, or done right — never in a traceback, a crash, a hang,
lost or overwritten data, or a hostile input accepted.

The fast subset runs in CI (``./dev test``); the rest is marked ``attack_slow`` and runs with
``./dev test -m attack_slow``. The cases selected in this module are played together, as many
at a time as there are CPUs, the first time one of them is needed; each test then reports its
own case. ``tests/attack_report.py`` prints the same outcomes as JSON.
"""

from __future__ import annotations

import json
import os
import sys

try:
    import fcntl
except ImportError:  # Windows: each worker plays the corpus itself
    fcntl = None  # type: ignore[assignment]

import pytest

from attack import all_cases
from attack.run import Runner, play_all

CASES = all_cases()
FAST = [c for c in CASES if not c.slow]
SLOW = [c for c in CASES if c.slow]


def _play(wanted) -> dict:
    with Runner() as runner:
        results = play_all(wanted, runner, jobs=os.cpu_count() or 2)
    return {r["id"]: r for r in results}


@pytest.fixture(scope="module")
def played(request, tmp_path_factory):
    """Outcome of every attack case selected in this session, played in parallel once.

    Under pytest-xdist every worker collects every case, and any of them may be handed some of
    these tests: the first worker to need the outcomes plays them all (as many at a time as
    there are CPUs) and leaves them in the run's shared temporary folder; the others wait for
    it and read them, instead of playing the whole corpus again."""
    wanted = []
    for item in request.session.items:
        spec = getattr(item, "callspec", None)
        if item.module is request.module and spec is not None and "case" in spec.params:
            wanted.append(spec.params["case"])
    if not os.environ.get("PYTEST_XDIST_WORKER") or fcntl is None:
        return _play(wanted)
    shared = tmp_path_factory.getbasetemp().parent / "attack-outcomes.json"  # one per run
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)      # released when the file is closed
        if not shared.exists():
            outcomes = _play(wanted)
            partial = shared.with_suffix(".partial")
            partial.write_text(json.dumps(outcomes), encoding="utf-8")
            partial.replace(shared)
        return json.loads(shared.read_text(encoding="utf-8"))


@pytest.fixture
def outcome(case, played):
    """What happened to this test's case: id, family, outcome, detail, seconds."""
    return played[case.id]


def _assert_clean(r) -> None:
    # a case this machine cannot play ("skipped": no unshare, no tmpfs) fails saying why
    assert r["outcome"] == "clean", f"{r['id']}: {r['outcome']}: {r['detail']}"


@pytest.mark.parametrize("case", FAST, ids=lambda c: c.id)
def test_attack(outcome):
    _assert_clean(outcome)


@pytest.mark.attack_slow
@pytest.mark.parametrize("case", SLOW, ids=lambda c: c.id)
def test_attack_slow(outcome):
    _assert_clean(outcome)


# --- the harness itself: each outcome is told apart (so a green corpus means something) ---------
def _py(code: str, exit=(1, 2), mention=(), timeout: float = 20.0, **expect):
    from attack.case import Case, Expect
    from attack.run import execute

    def play(ctx, timeout):
        return execute([sys.executable, "-c", code], ctx, timeout)
    return Case(id="self", family="self", argv=None, setup=expect.pop("setup", None),
                expect=Expect(exit=exit, mention=mention, **expect), play=play, timeout=timeout)


def _file(name: str, data: bytes):
    return lambda ctx: (ctx.w / name).write_bytes(data)


def _sqlite(ctx) -> None:
    import sqlite3
    con = sqlite3.connect(ctx.w / "archive.sqlite")
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()


SELF = {
    "clean": _py("import sys; sys.exit('simtool: archive.sqlite is not a simtool archive')",
                 mention=("archive.sqlite",)),
    "traceback": _py("raise ValueError('boom')"),
    "hang": _py("import time; time.sleep(60)", timeout=1.0),
    "crash": _py("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"),
    "accepted_bad": _py("pass"),
    "unclear": _py("import sys; sys.exit('something went wrong')", mention=("archive.sqlite",)),
    "overwritten": _py("open('mine.pdf', 'wb').write(b'%PDF')", exit=(0,), protected=("mine.pdf",),
                       setup=_file("mine.pdf", b"precious")),
    "data_lost": _py("import sqlite3; c = sqlite3.connect('archive.sqlite'); "
                     "c.execute('DELETE FROM t'); c.commit()", exit=(0,),
                     untouched=("archive.sqlite",), setup=_sqlite),
    "leftover": _py("import sys; open('.out.tmp', 'w').write('half'); sys.exit('simtool: disk full')"),
    "memory limit": _py("x = bytearray(3 << 30)"),   # MemoryError under the 2 GiB limit: a traceback
}
EXPECTED = {**{k: k for k in SELF}, "memory limit": "traceback"}


@pytest.mark.parametrize("name", SELF)
def test_the_harness_tells_outcomes_apart(name):
    with Runner() as runner:
        r = runner.run(SELF[name])
    assert r["outcome"] == EXPECTED[name], r
