"""The wheel carries simtool's data: setuptools reads everything else from pyproject.toml.

The bundled scenarios, rubrics, programmes, fonts and translations stay at the repository's
top level (``scenarios/``, ``rubrics/``, ``programmes/``, ``assets/``), where authors and
reviewers find them; building a wheel copies them into the package as ``simtool/_bundled/``,
where ``simtool.core.paths`` finds them with ``importlib.resources`` once installed. An
editable install (``./dev``) copies nothing: it reads the checkout's folders directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA = ("scenarios", "rubrics", "programmes", "assets")
BUNDLED = "_bundled"  # simtool.core.paths.BUNDLED
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.ts", ".*")  # *.ts: Qt Linguist sources


class BuildPyWithData(build_py):
    """build_py, then the data folders into ``<build>/simtool/_bundled/`` (afresh each time)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "simtool" / BUNDLED
        shutil.rmtree(target, ignore_errors=True)
        for name in DATA:
            if (HERE / name).is_dir():
                shutil.copytree(HERE / name, target / name, ignore=LEFT_OUT)


setup(cmdclass={"build_py": BuildPyWithData})
