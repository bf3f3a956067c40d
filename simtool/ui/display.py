"""How values read on screen: times, languages, statuses and their colours.

Display only: these map what the core already decided (a status, an outcome) to words and
colours; they never decide anything themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from simtool.core.timefmt import drill_time, duration, wall_date, wall_time

# the bare name with a literal context is what pyside6-lupdate extracts (a helper taking
# a variable text would hide every string from it)
translate = QCoreApplication.translate

# Language codes of the scenario files, with each language's name written in itself, so a
# reader who cannot read the current language still finds their own.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("zh_CN", "简体中文"),
    ("zh_TW", "繁體中文"),
)


# Times are written one way everywhere (``simtool.core.timefmt``); these name the three kinds
# for the screens.

def mmss(seconds: float | None) -> str:
    """A moment in the drill as mm:ss, h:mm:ss from the first hour on; '—' for none."""
    return drill_time(seconds)


def span(seconds: float | None, lang: str) -> str:
    """How long (an indicator, its target, how late) in minutes and seconds in ``lang``
    ('3 min 30 s', '3 分 30 秒'); '—' for none."""
    return duration(seconds, lang)


def wall(iso_utc: str | None, lang: str = "en") -> str:
    """A wall-clock moment the archive keeps in UTC, in the local zone with its offset
    ('2026-11-30 12:47 (UTC+08:00)'); '—' for none."""
    return wall_time(iso_utc, lang)


def wall_day(iso_utc: str | None) -> str:
    """The local day of a wall-clock moment the archive keeps in UTC ('2026-11-30')."""
    return wall_date(iso_utc)


def number(value: float) -> str:
    """A measured number without a needless '.0' (65 kg, 62.5 kg)."""
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"


@dataclass(frozen=True)
class Tone:
    """Foreground and background of a coloured badge; both dark-on-light for legibility."""

    fg: str
    bg: str

    @property
    def fg_color(self) -> QColor:
        return QColor(self.fg)

    @property
    def bg_color(self) -> QColor:
        return QColor(self.bg)


GOOD = Tone("#1b5e20", "#d9f2de")
WARN = Tone("#6d4c00", "#fff1c4")
BAD = Tone("#8e1b1b", "#f9d9d7")
GRAVE = Tone("#ffffff", "#8e1b1b")
INFO = Tone("#0d3c61", "#dcebf9")
NEUTRAL = Tone("#37474f", "#eceff1")


def status_text(status: str) -> str:
    """Words for an expected action's status (core: met / late / missed / not applicable)."""
    words = {
        "met": translate("display", "met"),
        "late": translate("display", "late"),
        "missed": translate("display", "missed"),
        "not applicable": translate("display", "not applicable"),
        "pending": translate("display", "pending"),
        "due": translate("display", "due"),
    }
    return words.get(status, status.replace("_", " "))


def status_tone(status: str) -> Tone:
    return {"met": GOOD, "late": WARN, "missed": BAD}.get(status, NEUTRAL)


def outcome_text(result: str) -> str:
    """The headline for how the drill ended (core outcome 'result')."""
    words = {
        "stabilised": translate("display", "Stabilised"),
        "deteriorated": translate("display", "Deteriorated"),
        "death": translate("display", "Patient died"),
        "handover": translate("display", "Handed over"),
        "final": translate("display", "Ended in a final state"),
        "incomplete": translate("display", "Not resolved when the drill ended"),
    }
    return words.get(result, result)


def outcome_tone(result: str) -> Tone:
    return {"stabilised": GOOD, "deteriorated": BAD, "death": GRAVE, "handover": INFO,
            "incomplete": WARN}.get(result, NEUTRAL)


def condition_text(name: str) -> str:
    """A patient condition id (shared catalogue names) as words."""
    words = {
        "asthma": translate("display", "Asthma"),
        "hypertension": translate("display", "Hypertension"),
        "preeclampsia": translate("display", "Pre-eclampsia"),
        "anticoagulated": translate("display", "Anticoagulated"),
        "cardiac_disease": translate("display", "Cardiac disease"),
        "glaucoma": translate("display", "Glaucoma"),
    }
    return words.get(name, name.replace("_", " ").capitalize())


def category_text(category: str) -> str:
    """An action category id of the shared catalogue (``simtool.core.catalogue.CATEGORIES``)
    as words."""
    words = {
        "uterotonic": translate("display", "Uterotonics"),
        "haemostatic": translate("display", "Haemostatics"),
        "fluid": translate("display", "Fluids"),
        "blood_product": translate("display", "Blood products"),
        "procedure": translate("display", "Procedures"),
        "communication": translate("display", "Communication"),
        "airway": translate("display", "Airway and breathing"),
        "drug": translate("display", "Other drugs"),
        "resuscitation": translate("display", "Resuscitation"),
        "assessment": translate("display", "Assessment"),
    }
    return words.get(category, category.replace("_", " ").capitalize())


def badge_style(tone: Tone) -> str:
    """Style sheet for a QLabel shown as a rounded badge."""
    return (f"color: {tone.fg}; background: {tone.bg}; border-radius: 4px;"
            f" padding: 2px 8px; font-weight: 600;")
