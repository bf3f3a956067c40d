"""What every report shares: the header settings, the scenario a drill was played on, the
record hash, and small formatting helpers. Pure functions of archive data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simtool.core.errors import SimtoolError
from simtool.core.scenario import LoadedScenario
from simtool.core.timefmt import drill_time, duration, wall_date, wall_time
from simtool.reports.i18n import tr
from simtool.store import Archive
from simtool.store.verify import head


@dataclass(frozen=True)
class Header:
    """The configurable page header, and who the PDF names as its author."""

    institution: str = ""
    department: str = ""
    author: str = "simtool"


def text_of(label: Any, lang: str) -> str:
    """A scenario ``Text`` or a sheet's label dict in ``lang`` (falling back like ``Text.get``)."""
    if label is None:
        return ""
    if hasattr(label, "get") and not isinstance(label, dict):
        return str(label.get(lang))
    if lang == "zh_TW" and label.get("zh_TW"):
        return str(label["zh_TW"])
    if lang in ("zh_CN", "zh_TW") and label.get("zh_CN"):
        return str(label["zh_CN"])
    return str(label.get("en", ""))


def when(t: float | None) -> str:
    """A moment in the drill as mm:ss (h:mm:ss past an hour), or an empty string."""
    return "" if t is None else drill_time(t)


def span(seconds: float | None, lang: str) -> str:
    """A duration in minutes and seconds in ``lang`` (``3 min 30 s``), or an empty string."""
    return "" if seconds is None else duration(seconds, lang)


def num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def day(iso_text: str | None) -> str:
    """The local day of an ISO 8601 timestamp the archive stores in UTC, or an empty string."""
    return wall_date(iso_text) if iso_text else ""


def stamp(moment: str | datetime | None) -> str:
    """A wall-clock moment (the archive's UTC ISO text, or a datetime) in the local zone with its
    offset, 'YYYY-MM-DD HH:MM (UTC+08:00)', or an empty string."""
    return wall_time(moment) if moment else ""


def record_head(archive: Archive) -> str:
    seq, sha = head(archive)
    return f"#{seq} {sha}"


def role_label(loaded: LoadedScenario, role: str | None, lang: str) -> str:
    if role is None:
        return ""
    for r in loaded.scenario.roles:
        if r.id == role:
            return r.label.get(lang)
    return role


def action_label(loaded: LoadedScenario, action: str | None, lang: str) -> str:
    a = loaded.catalogue.get(action) if action else None
    return a.label.get(lang) if a is not None else (action or "")


def status_text(status: str, lang: str) -> str:
    try:
        return tr(status, lang)
    except KeyError:
        return status


def require(condition: bool, message: str) -> None:
    if not condition:
        raise SimtoolError(message)
