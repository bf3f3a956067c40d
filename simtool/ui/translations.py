"""The interface language: which one (a setting, else the system locale), and the Qt
translators that make ``self.tr()`` answer in it.

The ``.ts`` sources and their compiled ``.qm`` live in ``assets/translations`` (``make
translations`` rebuilds both). A ``.qm`` that is missing or older than its ``.ts`` — a
translator just edited it in Qt Linguist — is compiled again with ``pyside6-lrelease`` into
the user's cache folder, so the app never shows a stale translation.

``SIMTOOL_PSEUDO=1`` replaces every translation with a stretched, accented copy of the English
(``[Ŝţàŕţ ļîṽé ðŕîļļ…~~~~]``): layouts that would clip a longer language show it at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from platformdirs import user_cache_dir
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from simtool.core.languages import LANGS
from simtool.core.paths import data_root

LANGUAGES = LANGS
SETTING = "language"
PSEUDO_ENV = "SIMTOOL_PSEUDO"

_installed: list[QTranslator] = []


def translations_dir() -> Path:
    return data_root() / "assets" / "translations"


def system_language(locale: QLocale | None = None) -> str:
    """zh_CN (and Singapore) → zh_CN; zh_TW, zh_HK, zh_MO and traditional script → zh_TW;
    anything else → en."""
    locale = locale or QLocale.system()
    if locale.language() != QLocale.Language.Chinese:
        return "en"
    if (locale.script() == QLocale.Script.TraditionalChineseScript
            or QLocale.territoryToCode(locale.territory()) in ("TW", "HK", "MO")):
        return "zh_TW"
    return "zh_CN"


def saved_language() -> str:
    """The language chosen in the window, else the system's."""
    value = QSettings().value(SETTING)
    return value if isinstance(value, str) and value in LANGUAGES else system_language()


def save_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'")
    QSettings().setValue(SETTING, lang)


def pseudo_enabled() -> bool:
    return os.environ.get(PSEUDO_ENV, "") not in ("", "0")


# --- pseudo-translation --------------------------------------------------------------------
_ACCENTS = str.maketrans("AaCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
                         "ÀàĆćÐðÉéĜĝĤĥÎîĴĵĶķĻļÑñÖöŔŕŜŝŢţÛûŴŵÝýŽž")


def pseudo(text: str) -> str:
    """``text`` accented and 50 % longer, in brackets; placeholders ({x}, %1, %n), HTML tags
    and the & of a mnemonic are kept so that formatting still works."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        end = -1
        if ch == "{":
            end = text.find("}", i)
        elif ch == "<":
            end = text.find(">", i)
        elif ch == "%" and i + 1 < len(text) and (text[i + 1].isdigit() or text[i + 1] == "n"):
            end = i + 1
        if end >= 0:
            out.append(text[i:end + 1])
            i = end + 1
            continue
        out.append(ch.translate(_ACCENTS))
        i += 1
    # brackets and tildes together make the text half as long again
    return "[" + "".join(out) + "~" * max(1, (len(text) + 1) // 2 - 2) + "]"


class PseudoTranslator(QTranslator):
    """Answers every lookup with ``pseudo(source)``."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if not source:
            return source
        return pseudo(source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


# --- real translations ---------------------------------------------------------------------
def _lrelease() -> str | None:
    here = Path(sys.executable).parent / "pyside6-lrelease"
    return str(here) if here.exists() else shutil.which("pyside6-lrelease")


def qm_file(lang: str, folder: Path | None = None) -> Path | None:
    """The .qm to load for ``lang``: the bundled one if it is as new as its .ts, else one
    compiled from the .ts into the cache (``None`` if there is neither)."""
    folder = folder or translations_dir()
    ts, qm = folder / f"simtool_{lang}.ts", folder / f"simtool_{lang}.qm"
    if not ts.exists():
        return qm if qm.exists() else None
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:12]
    cached = Path(user_cache_dir("simtool")) / "translations" / f"simtool_{lang}-{digest}.qm"
    if cached.exists():
        return cached
    tool = _lrelease()
    if tool is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([tool, "-silent", str(ts), "-qm", str(cached)],
                              capture_output=True, check=False)
        if done.returncode == 0 and cached.exists():
            return cached
    return qm if qm.exists() else None  # a stale translation beats none


def install_translator(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Make ``lang`` the interface language of ``app`` (replacing any earlier choice); Qt then
    sends every widget a LanguageChange event. Returns the installed translators."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if pseudo_enabled():
        _installed.append(PseudoTranslator(app))
    elif lang != "en":
        # Qt's standard buttons and dialogs (OK, Cancel, …): qtbase's catalogue (the "qt_"
        # meta-catalogue does not load when one of the modules it names is not installed)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_own = QTranslator(app)
        if qt_own.load(f"qtbase_{lang}", folder) or qt_own.load(f"qt_{lang}", folder):
            _installed.append(qt_own)
        path = qm_file(lang)
        ours = QTranslator(app)
        if path is not None and ours.load(str(path)):
            _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)
    return list(_installed)
