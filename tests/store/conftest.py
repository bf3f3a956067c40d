"""Archive fixtures: archives on tmp_path closed after each test, with a controllable clock.
Plain helpers (the team, a recorded drill, fingerprints) are in ``helpers.archive``."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.archive import FakeClock
from simtool.store.archive import Archive


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_archive(tmp_path, clock):
    """``open_archive(name="archive.sqlite", **kw)``: archives closed when the test ends."""
    opened: list[Archive] = []

    def open_(name: str | Path = "archive.sqlite", **kw) -> Archive:
        kw.setdefault("clock", clock)
        kw.setdefault("actor", "tester@lab")
        archive = Archive.open(tmp_path / name, **kw)
        opened.append(archive)
        return archive

    yield open_
    for a in opened:
        a.close()


@pytest.fixture
def archive(open_archive) -> Archive:
    return open_archive()
