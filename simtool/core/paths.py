"""Where the bundled data lives, and the user's own scenario folders added to it.

The bundled data is ``scenarios/``, ``rubrics/``, ``assets/`` (fonts, translations) and
``programmes/``. In a checkout (and its editable install, ``./dev``) they are the folders at
the repository's top level; a wheel carries them as package data under ``simtool/_bundled/``
(setup.py copies them there at build time), and so does the packaged application
(packaging/simtool.spec). ``data_root()`` prefers the checkout when there is one, else the
package resource (``importlib.resources``); ``SIMTOOL_DATA`` overrides both.

A user's own scenarios (``--scenarios DIR``, or the ``SIMTOOL_SCENARIOS`` setting: folders
separated by ``os.pathsep``) are searched before the bundled ones, never instead of them, and
never required.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from simtool.core.errors import SimtoolError

BUNDLED = "_bundled"  # the package folder holding the data in a wheel or a packaged app
SCENARIOS_SETTING = "SIMTOOL_SCENARIOS"


@lru_cache(maxsize=1)
def bundled_root() -> Path:
    """The checkout's top level when simtool runs from one, else ``simtool/_bundled``."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "scenarios" / "actions.yaml").is_file():
        return checkout
    packaged = resources.files("simtool").joinpath(BUNDLED)
    # pip installs a wheel unpacked and PyInstaller unpacks its data: a real folder either way
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return checkout  # neither: the messages about missing files name the checkout's folders


def data_root() -> Path:
    """The folder holding scenarios/, rubrics/ and assets/ (SIMTOOL_DATA overrides)."""
    env = os.environ.get("SIMTOOL_DATA")
    if env:
        return Path(env)
    return bundled_root()


def scenarios_dir() -> Path:
    return data_root() / "scenarios"


def rubrics_dir() -> Path:
    return data_root() / "rubrics"


def stations_dir() -> Path:
    """The bundled stand-alone skills stations (station rubrics, ``core.station``)."""
    return rubrics_dir() / "stations"


def bundled_rubric_folders() -> list[Path]:
    """Where a bundled rubric is found by id: the drills' rubrics, then the skills stations."""
    return [rubrics_dir(), stations_dir()]


def bundled_rubric(rubric_id: str) -> Path | None:
    """The bundled rubric (a drill's or a station's) with this id, or None. An id is a file
    name without its folder: anything with a separator or a leading dot is no id."""
    if not rubric_id or rubric_id.startswith(".") or any(c in rubric_id for c in "/\\\0"):
        return None
    for folder in bundled_rubric_folders():
        for suffix in (".yaml", ".yml"):
            if (folder / f"{rubric_id}{suffix}").is_file():
                return folder / f"{rubric_id}{suffix}"
    return None


def bundled_rubric_ids() -> list[str]:
    """The ids of every bundled rubric, drills' and stations', sorted."""
    return sorted({p.stem for folder in bundled_rubric_folders() if folder.is_dir()
                   for p in folder.glob("*.y*ml")})


def programmes_dir() -> Path:
    return data_root() / "programmes"


def bundled_catalogue() -> Path:
    return scenarios_dir() / "actions.yaml"


def bundled_data_folders() -> list[Path]:
    """The bundled folders ``simtool validate`` checks when given no path."""
    return [p for p in (scenarios_dir(), rubrics_dir(), programmes_dir()) if p.is_dir()]


def user_scenario_folders(extra: Iterable[str | Path | None] = ()) -> list[Path]:
    """The user's own scenario folders: those given (``--scenarios``), then the setting's."""
    folders = [Path(p) for p in extra if p]
    folders += [Path(p) for p in os.environ.get(SCENARIOS_SETTING, "").split(os.pathsep) if p]
    return folders


def _looks_like_path(name: str) -> bool:
    return ("/" in name or os.sep in name or (os.altsep or "/") in name
            or name.endswith((".yaml", ".yml")) or Path(name).is_file())


def _find(name: str, folders: Iterable[Path], what: str) -> Path:
    if _looks_like_path(name):
        return Path(name)
    searched = list(folders)
    for folder in searched:
        for suffix in (".yaml", ".yml"):
            if (folder / f"{name}{suffix}").is_file():
                return folder / f"{name}{suffix}"
    raise SimtoolError(f"{name}: no such {what} file, and no {what} with that id in "
                       + ", ".join(str(f) for f in searched))


def find_scenario(name: str, extra: Iterable[str | Path | None] = ()) -> Path:
    """A scenario named by path, or by id: the user's folders first, then the bundled ones."""
    return _find(name, [*user_scenario_folders(extra), scenarios_dir()], "scenario")


def find_rubric(name: str, extra: Iterable[str | Path | None] = ()) -> Path:
    """A rubric named by path, or by id: in each of the user's scenario folders, its
    ``rubrics`` subfolder or a ``rubrics`` folder beside it first, then the bundled rubrics
    and the bundled skills stations (``rubrics/stations/``)."""
    users = [d for f in user_scenario_folders(extra) for d in (f, f / "rubrics", f.parent / "rubrics")]
    return _find(name, [*users, *bundled_rubric_folders()], "rubric")
