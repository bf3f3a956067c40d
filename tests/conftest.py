"""Suite-wide settings: headless Qt, and paths to the bundled data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
PPH = SCENARIOS / "pph_uterine_atony.yaml"
SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"


@pytest.fixture(scope="session")
def pph():
    from simtool.core.scenario import load_scenario
    return load_scenario(PPH)


@pytest.fixture(scope="session", autouse=True)
def _no_real_user_folder(tmp_path_factory):
    """Module- and session-scoped fixtures run before ``_own_archive``: they too must not
    touch the user's real data folder (closing an archive notes a checkpoint there)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SIMTOOL_DATA_HOME", str(tmp_path_factory.mktemp("user-data-session")))
    mp.setenv("SIMTOOL_ARCHIVE", str(tmp_path_factory.mktemp("archive-session") / "default.sqlite"))
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def _own_archive(tmp_path, monkeypatch):
    """No test writes to the user's real archive or data folder."""
    monkeypatch.setenv("SIMTOOL_ARCHIVE", str(tmp_path / "default-archive.sqlite"))
    monkeypatch.setenv("SIMTOOL_DATA_HOME", str(tmp_path / "user-data"))
