"""Build simtool as a one-folder application with PyInstaller: ``dist/simtool/``.

    ./dev package                   (Linux, macOS: the dev script calls this)
    py -3 packaging\\build.py        (Windows, from the repository folder)

Run by any Python 3.11+, it first makes the project's .venv if there is none, installs simtool
with its ``package`` extra (PyInstaller) into it, and carries on under that venv. Then it runs
PyInstaller on packaging/simtool.spec, checks that the built program answers as the command
line (``simtool validate`` on the bundled files), and says how long it took and how big the
folder is. ``--dist DIR`` puts the folder elsewhere; ``--no-check`` skips the check.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
VENV_PYTHON = VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def into_venv(argv: list[str]) -> int:
    """Make .venv if needed, install simtool[package] into it, and run this script there."""
    if not VENV_PYTHON.exists():
        print(f"build: making {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    subprocess.run([str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", f"{ROOT}[package]"], check=True)
    return subprocess.run([str(VENV_PYTHON), __file__, *argv]).returncode


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build simtool with PyInstaller (one folder).")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the simtool folder goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder")
    parser.add_argument("--no-check", action="store_true", help="do not run the built program")
    args = parser.parse_args(argv)
    if not in_project_venv():
        return into_venv(argv)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(args.dist), "--workpath", str(args.work),
                    str(ROOT / "packaging" / "simtool.spec")], check=True, cwd=ROOT)
    built = time.monotonic() - started
    folder = args.dist / "simtool"
    program = folder / ("simtool.exe" if WINDOWS else "simtool")
    print(f"build: {folder} in {built:.0f} s, {folder_size(folder) / 1e6:.0f} MB", flush=True)
    if not args.no_check:
        # from another folder, so that nothing can come from the checkout
        subprocess.run([str(program), "validate"], check=True, cwd=args.dist)
    print(f"build: start it with {program}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
