"""simtool's command line: the same capabilities as the window, for scripts, tests and CI.

One module per group of commands, each with its ``add_*_parser(sub)``; what they share (exit
codes, ``--archive`` and where the default archive is, JSON output) is in ``common``, the
option types in ``argtypes``. A command module imports app, core, store and reports — never
another command's module, and the window never imports the command line (import-linter).

  validate.py  validate            run.py     run
  archive.py   drills, verify, bundle
  export.py    export (debrief, score sheets, quality, portfolio PDFs)
  stats.py     stats indicators | psychometrics | portfolio
  record.py    events, amend, discard          marking.py  score, sheets
  people.py    people [add | edit | merge | unmerge]
  calendar.py  calendar (drills due or overdue by department and site)
  cases.py     cases import | list (real cases beside drills)
  publish.py   publish (an anonymised copy for Datasette)
  quality.py   quality threats | threat add | action add | action update | actions | decide

Every user error (bad file, bad option value) ends as one clear message and exit code 1 or 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import NoReturn

from simtool import __version__
from simtool.cli.argtypes import finite_float
from simtool.cli.common import EXIT_OK, EXIT_PROBLEMS, archive_path
from simtool.core.errors import FileProblemsError, SimtoolError
from simtool.core.textsafe import printable


def cmd_gui(args: argparse.Namespace) -> int:
    from simtool.ui.app import run_app
    return run_app(args.scenarios, getattr(args, "archive", None), quit_after=args.quit_after)


class _Parser(argparse.ArgumentParser):
    """argparse, saying a wrong option in one sentence and where the options are listed
    (the whole usage of a command with many options hides the sentence that matters)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, printable(f"{self.prog}: error: {message}") + f"\n(`{self.prog} --help` lists the options)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="simtool", description="Clinical simulation drills: run, score, debrief, archive.")
    parser.add_argument("--version", action="version", version=f"simtool {__version__}")
    parser.add_argument("--scenarios", default=None, metavar="DIR",
                        help="your own folder of scenarios: the window opens it, and 'run' finds "
                             "scenario and rubric ids there before the bundled ones")
    parser.add_argument("--quit-after", type=finite_float(0), default=None, metavar="SECONDS",
                        help="close the window this long after it opens (smoke tests, start-up timing)")
    parser.add_argument("--archive", default=None, metavar="DB",
                        help="archive the window records drills in (default: $SIMTOOL_ARCHIVE or the user data folder)")
    sub = parser.add_subparsers(dest="command")

    from simtool.cli.archive import add_archive_parsers
    from simtool.cli.calendar import add_calendar_parser
    from simtool.cli.exam import add_exam_parser
    from simtool.cli.cases import add_cases_parser
    from simtool.cli.export import add_export_parser
    from simtool.cli.logbook import add_logbook_parser
    from simtool.cli.marking import add_marking_parser
    from simtool.cli.media import add_media_parser
    from simtool.cli.people import add_people_parser
    from simtool.cli.progress import add_progress_parser
    from simtool.cli.publish import add_publish_parser
    from simtool.cli.quality import add_quality_parser
    from simtool.cli.record import add_record_parser
    from simtool.cli.run import add_run_parser
    from simtool.cli.station import add_station_parser
    from simtool.cli.stats import add_stats_parser
    from simtool.cli.validate import add_validate_parser
    add_validate_parser(sub)
    add_run_parser(sub)
    add_archive_parsers(sub)
    add_export_parser(sub)
    add_stats_parser(sub)
    add_record_parser(sub)
    add_marking_parser(sub)
    add_people_parser(sub)
    add_logbook_parser(sub)
    add_progress_parser(sub)
    add_calendar_parser(sub)
    add_station_parser(sub)
    add_media_parser(sub)
    add_exam_parser(sub)
    add_cases_parser(sub)
    add_publish_parser(sub)
    add_quality_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return cmd_gui(args)
    if args.command != "validate":  # validate never writes; it need not load the store
        from simtool.store.outputs import clean_stale_outputs
        clean_stale_outputs()  # temp files of a killed export; never raises
    try:
        return int(args.func(args))
    except FileProblemsError as exc:
        for p in exc.problems:
            print(printable(p), file=sys.stderr)
        return EXIT_PROBLEMS
    except SimtoolError as exc:
        print(printable(f"simtool {args.command}: {exc}"), file=sys.stderr)  # one line, always
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # the reader went away (`simtool run ... | head`): not an error worth a message
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
        return EXIT_OK
    except OSError as exc:
        print(printable(f"simtool {args.command}: {exc.filename or ''}: {exc.strerror or exc}"),
              file=sys.stderr)
        return EXIT_PROBLEMS
    except sqlite3.DatabaseError as exc:
        # the last resort: a damaged page the store did not name itself
        where = f"the archive {archive_path(args)}" if hasattr(args, "archive") else "an archive"
        print(printable(f"simtool {args.command}: {where} is damaged or unreadable ({exc}); it "
                        f"was not changed. Restore a backup or run simtool verify"), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
