"""The bundled fonts, registered with Qt at start-up so that Chinese renders on a machine
with no CJK font of its own (a fresh Windows or Linux install): Qt falls back to an
application font for characters the UI font lacks."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from simtool.core.paths import data_root

FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf")
_families: list[str] | None = None


def register_fonts() -> list[str]:
    """Register the bundled fonts once; returns their family names (empty if none loaded)."""
    global _families
    if _families is None:
        found: list[str] = []
        for name in FONTS:
            font_id = QFontDatabase.addApplicationFont(str(data_root() / "assets" / "fonts" / name))
            if font_id >= 0:
                found += QFontDatabase.applicationFontFamilies(font_id)
        _families = sorted(set(found))
    return list(_families)
