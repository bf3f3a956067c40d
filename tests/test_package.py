"""The packaged application (issue 19, item 2): ``./dev package`` builds the one-folder
PyInstaller application, which opens its window offscreen and plays a headless drill with its
own command line, from a folder where nothing can come from the checkout.

The build takes minutes (about 3 on this machine's two loaded cores); it is part of CI (issue
19: "the packaged-app test passes in CI") and carries the ``package`` marker, so
``./dev test -m package`` runs it alone and ``-m 'not package'`` leaves it out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from helpers.paths import ROOT, SCENARIOS, SCRIPTS
from helpers.tools import require_tools

pytestmark = pytest.mark.package


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(cmd)} exited {out.returncode}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def test_dev_package_builds_an_app_that_opens_and_runs_a_drill(tmp_path):
    tools = require_tools("pdffonts", package="poppler-utils")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "SIMTOOL_DATA", "SIMTOOL_SCENARIOS", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", SIMTOOL_ARCHIVE=str(tmp_path / "default.sqlite"),
               SIMTOOL_DATA_HOME=str(tmp_path / "user-data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               SIMTOOL_TZ="UTC")

    started = time.monotonic()
    out = _run([str(ROOT / "dev"), "package", "--dist", str(tmp_path / "dist"), "--work", str(tmp_path / "work")],
               ROOT, env, timeout=1500)
    built = time.monotonic() - started
    folder = tmp_path / "dist" / "simtool"
    program = str(folder / "simtool")
    n = len([*SCENARIOS.rglob("*.yaml"), *(ROOT / "rubrics").rglob("*.yaml"),
             *(ROOT / "programmes").rglob("*.yaml")])
    assert f"{n} of {n} files valid" in out.stderr  # build.py's own check of the built program
    assert (folder / "_internal" / "simtool" / "_bundled" / "scenarios" / "pph_uterine_atony.yaml").is_file()

    away = tmp_path / "elsewhere"
    away.mkdir()
    t0 = time.monotonic()
    _run([program, "--archive", "drills.sqlite", "--quit-after", "0"], away, env)
    opened = time.monotonic() - t0

    shutil.copy(SCRIPTS / "good_care.yaml", away / "good_care.yaml")
    out = _run([program, "run", "pph_uterine_atony", "--script", "good_care.yaml",
                "--rubric", "pph_uterine_atony_technical", "--archive", "drills.sqlite"], away, env)
    assert "unsigned score sheets stored" in out.stderr
    assert re.search(r"^outcome: ", out.stdout, re.M), out.stdout[-2000:]
    drill = re.search(r"drill (\S+) in ", out.stderr).group(1)
    _run([program, "export", drill, "--kind", "debrief", "--lang", "zh_CN", "--archive", "drills.sqlite",
          "-o", "debrief_zh.pdf"], away, env)
    fonts = _run([tools["pdffonts"], "debrief_zh.pdf"], away, env).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert any(row[0].endswith("+DroidSansFallback") for row in rows), fonts
    assert all(row[-5] == "yes" for row in rows), fonts

    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"package: built in {built:.0f} s, {size / 1e6:.0f} MB; window opened and closed in {opened:.1f} s")
