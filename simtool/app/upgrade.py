"""Telling whoever waits how a long archive upgrade is going.

``Archive.open(path, on_progress=...)`` calls ``on_progress(step, done, total)`` while an
upgrade computes something for every drill (format 10: step "indicators", the indicator
results an earlier simtool left to the first report; seconds on a department's archive). The
window shows it as a progress dialog (``simtool.ui.upgrade``); the command line as a line on
stderr, from ``progress_line``::

    Archive.open(path, on_progress=progress_line())
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int], None]

# what each step computes, in the words of the line on stderr
STEPS = {"indicators": "computing the indicator results of {total:,} drills",
         "indicator groups": "summing the indicator results of {total:,} scenario months"}


def progress_line(stream: TextIO | None = None, *, every_s: float = 1.0,
                  clock: Callable[[], float] = time.monotonic) -> Progress:
    """A progress callback that writes one line when a step starts, one at most every
    ``every_s`` seconds while it runs, and one when it is done, e.g. ``simtool: upgrading the
    archive: computing the indicator results of 100,000 drills … 40 %``. A step with nothing
    to do writes nothing."""
    last: dict[str, float] = {}

    def tell(step: str, done: int, total: int) -> None:
        if total <= 0:
            return
        now = clock()
        if 0 < done < total and now - last.get(step, float("-inf")) < every_s:
            return
        last[step] = now
        what = STEPS.get(step, step).format(total=total)
        out = stream if stream is not None else sys.stderr
        print(f"simtool: upgrading the archive: {what} … {done * 100 // total} %", file=out,
              flush=True)

    return tell
