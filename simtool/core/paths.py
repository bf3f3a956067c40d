"""Where the bundled data lives (scenarios/, rubrics/, assets/ at the repository top level)."""

from __future__ import annotations

import os
from pathlib import Path


def data_root() -> Path:
    """The folder holding scenarios/, rubrics/ and assets/ (SIMTOOL_DATA overrides)."""
    env = os.environ.get("SIMTOOL_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


def scenarios_dir() -> Path:
    return data_root() / "scenarios"


def bundled_catalogue() -> Path:
    return scenarios_dir() / "actions.yaml"
