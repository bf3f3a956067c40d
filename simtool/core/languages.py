"""The languages simtool speaks, named once: every text in a scenario, rubric or catalogue,
every report, sentence and window is in these (English is the fallback)."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "zh_CN", "zh_TW")   # English, 简体中文, 繁體中文
REQUIRED_LANGS: tuple[str, ...] = ("en", "zh_CN")   # a scenario's texts must have these
