"""Where the bundled data and the test data are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
PPH = SCENARIOS / "pph_uterine_atony.yaml"
SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"
RUBRICS = ROOT / "rubrics"
STORE_DATA = ROOT / "tests" / "store" / "data"
