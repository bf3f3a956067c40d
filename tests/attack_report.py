"""The attack report: play the attack corpus against this checkout and print the counts as JSON.

    .venv/bin/python tests/attack_report.py                # the fast subset (what CI runs)
    .venv/bin/python tests/attack_report.py --slow         # every case
    .venv/bin/python tests/attack_report.py --family bundles --family tamper
    .venv/bin/python tests/attack_report.py --case tamper/event --keep   # keep its folder

Prints ``{"cases", "clean", "traceback", "crash", "hang", "data_lost", "overwritten",
"accepted_bad", "leftover", "unclear", "harness_error", "skipped", "seconds", "by_family",
"failures": [{"id", "family", "outcome", "detail"}]}``; progress goes to stderr. Exit 0 when
every case played is clean (or skipped), else 1. What each outcome means: tests/attack/run.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attack import FAMILIES, all_cases  # noqa: E402
from attack.run import report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Play the attack corpus; print the outcomes as JSON.")
    p.add_argument("--slow", action="store_true", help="every case, not only the fast subset")
    p.add_argument("--family", action="append", choices=FAMILIES, help="only this family; repeatable")
    p.add_argument("--case", action="append", metavar="ID", help="only this case id (or id prefix); repeatable")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="cases played at once")
    p.add_argument("--keep", action="store_true", help="keep the cases' folders (printed at the end)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = p.parse_args(argv)
    cases = all_cases(args.family)
    if args.case:
        cases = [c for c in cases if any(c.id == k or c.id.startswith(k) for k in args.case)]
    elif not args.slow:
        cases = [c for c in cases if not c.slow]
    done = [0]

    def progress(r: dict) -> None:
        done[0] += 1
        if not args.quiet:
            print(f"[{done[0]}/{len(cases)}] {r['outcome']:<13} {r['seconds']:6.1f}s  {r['id']}"
                  + ("" if r["outcome"] == "clean" else f"  — {r['detail'][:160]}"),
                  file=sys.stderr, flush=True)

    base = None
    if args.keep:
        from attack.run import temp_base
        base = temp_base()
        print(f"case folders kept in {base}", file=sys.stderr)
    out = report(cases, jobs=args.jobs, base=base, keep=args.keep, progress=progress)
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0 if all(f["outcome"] == "skipped" for f in out["failures"]) else 1


if __name__ == "__main__":
    sys.exit(main())
