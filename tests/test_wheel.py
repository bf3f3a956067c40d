"""simtool installed from its wheel, away from the checkout (issue 19, item 1).

The wheel must carry the bundled scenarios, rubrics, fonts and translations as package data:
this builds it, installs it into a fresh virtual environment outside the checkout, and from
another folder validates the bundled files, plays a drill with scenario and rubric named by id,
exports a Chinese debrief PDF with its fonts embedded, and opens the window offscreen.

Offline, on purpose (CI must not depend on the package index being up):
- the wheel is built with ``pip wheel --no-build-isolation --no-index`` and the setuptools
  the test extra installs into .venv, from a copy of the sources in a temporary folder (so a
  build never leaves ``build/`` or egg-info in the shared checkout);
- the fresh venv is made without pip (``venv --without-pip``) and the wheel is installed into
  it by this interpreter's pip (``pip --python VENV/bin/python install --no-deps --no-index``);
- simtool's dependencies come from this interpreter's site-packages through a one-line
  ``.pth`` file in the new venv. A plain path line in a ``.pth`` adds that folder to
  ``sys.path`` *after* the venv's own site-packages and does not process the ``.pth`` files
  inside it, so the editable install of the checkout (``__editable__.simtool*.pth``) is not
  seen: ``import simtool`` finds the installed wheel, which the test checks first.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

from helpers.paths import ROOT, SCRIPTS
from helpers.tools import require_tools

pytestmark = pytest.mark.slow

SOURCES = ("simtool", "scenarios", "rubrics", "assets", "programmes", "pyproject.toml", "setup.py",
           "MANIFEST.in", "README.md")


def _copy_sources(to: Path) -> None:
    to.mkdir()
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, to / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.is_file():
            shutil.copy2(src, to / name)


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(cmd)} exited {out.returncode}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def _build_wheel(tmp: Path, env: dict[str, str]) -> Path:
    _copy_sources(tmp / "src")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--disable-pip-version-check", "-q", "-w", str(tmp / "dist"), str(tmp / "src")], tmp, env, 300)
    (wheel,) = (tmp / "dist").glob("simtool-*.whl")
    return wheel


def _venv_with_wheel(tmp: Path, wheel: Path, env: dict[str, str]) -> Path:
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp, env)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--disable-pip-version-check", "-q", str(wheel)], tmp, env)
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                tmp, env).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "simtool-test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return venv


def test_the_wheel_carries_its_data_and_runs_outside_the_checkout(tmp_path):
    tools = require_tools("pdffonts", package="poppler-utils")
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "SIMTOOL_DATA", "SIMTOOL_SCENARIOS", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", SIMTOOL_ARCHIVE=str(tmp_path / "default.sqlite"),
               SIMTOOL_DATA_HOME=str(tmp_path / "user-data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               HOME=str(tmp_path / "home"), SIMTOOL_TZ="UTC")

    wheel = _build_wheel(tmp_path, env)
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled_files = [p.relative_to(ROOT).as_posix() for folder in ("scenarios", "rubrics", "programmes")
                     for p in (ROOT / folder).rglob("*.yaml")]
    for rel in [*bundled_files, "assets/fonts/DroidSansFallbackFull.ttf", "assets/fonts/DejaVuSans.ttf",
                "assets/translations/simtool_zh_CN.qm", "assets/translations/simtool_zh_TW.qm"]:
        assert f"simtool/_bundled/{rel}" in names, f"the wheel lacks {rel}"

    venv = _venv_with_wheel(tmp_path, wheel, env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python, simtool = str(bindir / "python"), str(bindir / "simtool")
    away = tmp_path / "elsewhere"
    away.mkdir()

    # the installed package and its data, not the checkout
    where = _run([python, "-c", "import simtool; from simtool.core.paths import data_root; "
                                "print(simtool.__file__); print(data_root())"], away, env).stdout.split("\n")
    assert Path(where[0]).is_relative_to(venv), where
    assert Path(where[1]) == Path(where[0]).parent / "_bundled", where

    # validate with no path: every bundled file
    out = _run([simtool, "validate"], away, env)
    assert f"{len(bundled_files)} of {len(bundled_files)} files valid" in out.stderr

    # a drill with scenario and rubric named by id, recorded in an archive
    archive = away / "drills.sqlite"
    script = away / "good_care.yaml"
    shutil.copy(SCRIPTS / "good_care.yaml", script)
    out = _run([simtool, "run", "pph_uterine_atony", "--script", script.name,
                "--rubric", "pph_uterine_atony_technical", "--archive", archive.name], away, env)
    assert "unsigned score sheets stored" in out.stderr
    assert re.search(r"^score \S+ \(\w+\): ", out.stdout, re.M), out.stdout[-2000:]
    drill = re.search(r"drill (\S+) in ", out.stderr).group(1)

    # a Chinese debrief: the bundled fonts found, and embedded
    _run([simtool, "export", drill, "--kind", "debrief", "--lang", "zh_CN", "--archive", archive.name,
          "-o", "debrief_zh.pdf"], away, env)
    fonts = _run([tools["pdffonts"], "debrief_zh.pdf"], away, env).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert any(row[0].endswith("+DroidSansFallback") for row in rows), fonts  # the Chinese font
    assert all(row[-5] == "yes" for row in rows), f"a font is not embedded:\n{fonts}"

    # the window, offscreen: through the entry point, and once more to look inside it
    _run([simtool, "--archive", archive.name, "--quit-after", "0"], away, env)
    look = ("from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from simtool.ui.translations import install_translator, qm_file\n"
            "from simtool.ui.app import build_window\n"
            "assert qm_file('zh_CN') is not None\n"
            "install_translator(app, 'zh_CN')\n"
            "print(app.translate('MainWindow', 'Archive'))\n"
            f"w = build_window(archive_path={str(archive)!r})\n"
            "w.show(); app.processEvents(); w.library.finish_check()\n"
            "print(sum(e.valid and e.kind == 'scenario' for e in w.library.entries))\n"
            "print(w.library.heading.text())\n"
            "w.close()\n")
    archive_zh, valid, heading = _run([python, "-c", look], away, env).stdout.splitlines()[-3:]
    assert int(valid) == len(list((ROOT / "scenarios").glob("*.yaml"))) - 1  # all but actions.yaml
    assert archive_zh == "档案库", "the bundled Chinese translation was not loaded"
    assert str(venv) in heading  # the bundled scenarios, from the installed package

    print(f"wheel build, install and checks: {time.monotonic() - started:.1f} s")
