"""Suite-wide settings: headless Qt, each test's own archive and data folder, the PPH scenario.
Paths and shared helpers are in the ``helpers`` package (``from helpers.paths import PPH``)."""

from __future__ import annotations

import os

import pytest

from helpers.paths import PPH

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def pph():
    from simtool.core.scenario import load_scenario
    return load_scenario(PPH)


@pytest.fixture(autouse=True)
def _own_archive(tmp_path, monkeypatch):
    """No test writes to the user's real archive or data folder."""
    monkeypatch.setenv("SIMTOOL_ARCHIVE", str(tmp_path / "default-archive.sqlite"))
    monkeypatch.setenv("SIMTOOL_DATA_HOME", str(tmp_path / "user-data"))
