"""What every report shares: the header settings, the scenario a drill was played on, the
record hash, and small formatting helpers. Pure functions of archive data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simtool.core.errors import SimtoolError
from simtool.core.scenario import LoadedScenario
from simtool.core.scoresheet import clock
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
    """Drill time as m:ss, or an empty string."""
    return "" if t is None else clock(t)


def num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def day(iso_text: str | None) -> str:
    """The date part of an ISO 8601 timestamp (UTC, as the archive stores it)."""
    return (iso_text or "")[:10]


def stamp(iso_text: str | None) -> str:
    """An ISO timestamp shortened to 'YYYY-MM-DD HH:MM UTC'."""
    if not iso_text:
        return ""
    return f"{iso_text[:10]} {iso_text[11:16]} UTC"


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
