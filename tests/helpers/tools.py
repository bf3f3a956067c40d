"""External programs some tests need. A missing one FAILS the test with a sentence saying what
to install: a machine without it must not pass those tests by skipping them."""

from __future__ import annotations

import shutil

import pytest

# pdffonts (every font embedded), pdfinfo (metadata), pdftotext (what the page says)
POPPLER = ("pdffonts", "pdfinfo", "pdftotext")


def require_tools(*names: str, package: str) -> dict[str, str]:
    """The full path of each program in ``names``; fail the calling test if any is missing."""
    found = {n: shutil.which(n) for n in names}
    missing = [n for n, path in found.items() if path is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found on PATH: this test needs the Debian package "
                    f"{package} (sudo apt-get install {package}; `./dev test` installs it when run "
                    f"as root)", pytrace=False)
    return {n: p for n, p in found.items() if p is not None}
