"""Where the archive lives when nobody says: ``$SIMTOOL_ARCHIVE``, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path


def default_archive() -> Path:
    env = os.environ.get("SIMTOOL_ARCHIVE")
    if env:
        return Path(env)
    from platformdirs import user_data_dir
    return Path(user_data_dir("simtool", appauthor=False)) / "archive.sqlite"
