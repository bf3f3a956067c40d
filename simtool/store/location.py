"""Where simtool keeps things when nobody says: the default archive and the per-user data folder.

The per-user data folder holds what must not live beside the archive: the journal fallback
used when the archive's own file system is full or read-only, the checkpoint of each archive's
audit-chain head (so a truncated archive is noticed), and the list of output files being
written (so a temporary file left by a crash is removed at the next start).
``$SIMTOOL_DATA_HOME`` overrides it (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path


def user_data_dir() -> Path:
    """The per-user data folder (created when missing is the caller's job)."""
    env = os.environ.get("SIMTOOL_DATA_HOME")
    if env:
        return Path(env)
    from platformdirs import user_data_dir as where
    return Path(where("simtool", appauthor=False))


def default_archive() -> Path:
    env = os.environ.get("SIMTOOL_ARCHIVE")
    if env:
        return Path(env)
    return user_data_dir() / "archive.sqlite"
