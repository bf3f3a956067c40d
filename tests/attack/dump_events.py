"""Print every drill's stored events as the lines ``simtool run`` prints them, as JSON.

``python tests/attack/dump_events.py ARCHIVE`` → ``{"drills": {id: [line, ...]}, "error": null}``.
Opening the archive writes back any journal first (as simtool does at every start), so this is
what the record holds once writing works again: the kill and full-disk cases compare it with
the lines the run printed. Its own failures are reported in ``error``, never as a traceback.
"""

from __future__ import annotations

import json
import sys


def main(path: str) -> int:
    out: dict = {"drills": {}, "error": None}
    try:
        from simtool.cli.run import event_line as _event_line
        from simtool.store import Archive
        with Archive.open(path, create=False) as archive:
            for d in archive.drills():
                out["drills"][d.id] = [_event_line(e) for e in archive.events(d.id)]
    except BaseException as exc:  # noqa: BLE001 - reported to the harness as data
        out["error"] = f"{type(exc).__name__}: {exc}"[:2000]
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
