"""Start-up loads only what showing the main window needs (issue 19: within 5x a bare Qt
window; issue 23: ≤1.0 s). The archive (SQLite), the engine and its state machines
(``transitions``, which pulls asyncio), the console, the scoring and PDF code and the pinyin
tables load when first used; the validators (pydantic, the YAML reader with line numbers) load
when the scenario list is checked, once the window has painted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LATER = ("asyncio", "transitions", "sqlite_utils", "sqlite3", "reportlab", "pypinyin",
         "simtool.core.drill", "simtool.core.runner", "simtool.store.archive",
         "simtool.store.analytics", "simtool.ui.archiveviews", "simtool.ui.console",
         "simtool.ui.session", "simtool.ui.monitor", "simtool.reports", "PySide6.QtMultimedia")

# the scenario list's check (one file per turn of the event loop, after the first paint) is
# held back, so what is loaded is what the window itself needed to show
VALIDATORS = ("pydantic", "ruamel.yaml", "simtool.core.schema", "simtool.core.scenario",
              "simtool.core.catalogue", "simtool.core.validate")

SHOW = """
import json, sys
from simtool.ui.library import LibraryView
LibraryView._start_steps = lambda self: None   # the scenario files are checked after this
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from simtool.ui.app import build_window
w = build_window(None)
w.show()
app.processEvents()
print(json.dumps(sorted(sys.modules)))
"""


def test_the_window_shows_without_loading_what_it_does_not_show(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SIMTOOL_DATA_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=True, timeout=120).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    assert "simtool.ui.window" in loaded and "simtool.ui.library" in loaded
    assert sorted(m for m in LATER if m in loaded) == []
    assert sorted(m for m in VALIDATORS if m in loaded) == []
