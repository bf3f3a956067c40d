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

import os

import pytest

from attack import all_cases
from attack.run import Runner, play_all

CASES = all_cases()
FAST = [c for c in CASES if not c.slow]
SLOW = [c for c in CASES if c.slow]


@pytest.fixture(scope="module")
def played(request):
    """Outcome of every attack case selected in this session, played in parallel once."""
    wanted = [item.callspec.params["case"] for item in request.session.items
              if item.module is request.module and hasattr(item, "callspec")]
    with Runner() as runner:
        results = play_all(wanted, runner, jobs=os.cpu_count() or 2)
    return {r["id"]: r for r in results}


def _assert_clean(case, played) -> None:
    r = played[case.id]
    if r["outcome"] == "skipped":
        pytest.skip(r["detail"])
    assert r["outcome"] == "clean", f"{case.id}: {r['outcome']}: {r['detail']}"


@pytest.mark.parametrize("case", FAST, ids=lambda c: c.id)
def test_attack(case, played):
    _assert_clean(case, played)


@pytest.mark.attack_slow
@pytest.mark.parametrize("case", SLOW, ids=lambda c: c.id)
def test_attack_slow(case, played):
    _assert_clean(case, played)
