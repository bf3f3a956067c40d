"""What every command shares: exit codes, the archive option and where the archive is, JSON
output, the search for YAML files. No command imports another command's module."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
ARCHIVE_HELP = "archive file (default: $SIMTOOL_ARCHIVE or the user data folder)"


def default_archive() -> Path:
    """The archive used when no --archive is given: $SIMTOOL_ARCHIVE, else the user's data dir."""
    from simtool.store.location import default_archive as where
    return where()


def archive_path(args: argparse.Namespace) -> Path:
    """The archive a command works on: ``--archive``, else the default one."""
    return Path(args.archive) if getattr(args, "archive", None) else default_archive()


def open_archive(args: argparse.Namespace, create: bool = False, path: Any = None) -> Any:
    """The archive of ``--archive`` (or ``path``, or the default), opened; the store loads only
    now. An archive from an older simtool is upgraded on opening, its progress a line on stderr
    (computing 100,000 drills' indicator results takes minutes)."""
    from simtool.app.upgrade import progress_line
    from simtool.store import Archive
    return Archive.open(path if path is not None else archive_path(args), create=create,
                        on_progress=progress_line())


def add_archive_option(parser: argparse.ArgumentParser, help: str = ARCHIVE_HELP) -> None:
    parser.add_argument("--archive", metavar="DB", help=help)


def dump_json(obj: Any) -> None:
    """One JSON document on stdout, Chinese kept as it is, NaN refused."""
    json.dump(obj, sys.stdout, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")


def yaml_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files += sorted(x for x in path.rglob("*") if x.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files
