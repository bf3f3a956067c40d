"""Update the interface translations: ``pyside6-lupdate`` over ``simtool/ui``, then
``pyside6-lrelease`` to the ``.qm`` files the app loads.

    python tools/i18n.py            # update the .ts sources, then compile the .qm files
    python tools/i18n.py --release  # only compile (after editing a .ts in Qt Linguist)

New or changed strings appear in the .ts files as ``type="unfinished"``; translate them in
Qt Linguist (``pyside6-linguist assets/translations/simtool_zh_CN.ts``) and run this again.
The test suite fails while any message is unfinished or a .qm is older than its .ts.
Strings that vanished from the code are dropped (``-no-obsolete``), so the .ts files hold
exactly what the interface shows.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "simtool" / "ui"
TRANSLATIONS = ROOT / "assets" / "translations"
LANGUAGES = ("zh_CN", "zh_TW")


def tool(name: str) -> str:
    """The PySide6 tool beside this Python (the venv's), else the one on PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def ts_path(lang: str) -> Path:
    return TRANSLATIONS / f"simtool_{lang}.ts"


def qm_path(lang: str) -> Path:
    return TRANSLATIONS / f"simtool_{lang}.qm"


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))


def update(ts: Path, lang: str) -> None:
    """Extract every tr()/translate() string of simtool/ui into ``ts`` (kept translations
    stay, vanished strings go)."""
    subprocess.run([tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none",
                    "-target-language", lang, "-ts", str(ts)], cwd=ROOT, check=True)


def release(lang: str) -> None:
    subprocess.run([tool("pyside6-lrelease"), str(ts_path(lang)), "-qm", str(qm_path(lang))],
                   cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile .ts to .qm")
    args = parser.parse_args(argv)
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        if not args.release:
            update(ts_path(lang), lang)
        release(lang)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
