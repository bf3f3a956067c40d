"""``simtool validate``: check scenario, catalogue, rubric and programme files (never loads the
archive)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simtool.cli.common import EXIT_OK, EXIT_PROBLEMS, yaml_files
from simtool.core.textsafe import printable
from simtool.core.validate import validate_file


def cmd_validate(args: argparse.Namespace) -> int:
    from simtool.core.paths import bundled_data_folders
    # no path: the bundled scenarios, catalogue, rubrics and programmes (wheel or checkout)
    files = yaml_files(args.paths or [str(p) for p in bundled_data_folders()])
    if not files:
        print("simtool validate: no YAML files found", file=sys.stderr)
        return EXIT_PROBLEMS
    bad = 0
    for f in files:
        problems = validate_file(f)
        for p in problems:
            print(printable(p))
        bad += bool(problems)
    if args.unverified:
        from simtool.core.unverified import unverified
        found = [u for f in files for u in unverified(f)]
        for u in found:
            print(printable(f"unverified {u}"))
        print(f"{len(found)} numbers marked verify: true await a clinical reviewer", file=sys.stderr)
    if not args.quiet:
        print(f"{len(files) - bad} of {len(files)} files valid", file=sys.stderr)
    return EXIT_PROBLEMS if bad else EXIT_OK



def add_validate_parser(sub: Any) -> None:
    p = sub.add_parser("validate", help="check scenario, catalogue and rubric files",
                       description="Check scenario, action-catalogue, rubric and NTS-block files. Prints one line per "
                                   "problem as FILE:LINE: field: message and exits 1, or exits 0.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (searched for *.yaml; default: the bundled ones)")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")
    p.add_argument("--unverified", action="store_true",
                   help="also list every number marked 'verify: true' with file, line and source")
    p.set_defaults(func=cmd_validate)
