"""``simtool exam``: the OSCE exam day (issue 22).

``simtool exam create EXAM.yaml`` — check the exam file and store the exam; ``simtool exam
schedule ID [--json]`` — one row per candidate and station (candidate, station, round, start);
``simtool exam serve ID --host H --port P --pin PIN`` — the examiners' marking page on the
lab network (``GET /`` joins, ``/api/`` answers 401 without a valid PIN); ``simtool exam
results ID [--json] [--stats]`` — each candidate with each station's verdict and total;
``simtool exam close ID`` and ``simtool exam release ID``. ``schedule --pdf FILE`` prints the
schedule per station and per candidate; ``results --pdf DIR`` one results PDF per candidate
(after the release, or ``--force`` for the organiser before it). The work is ``simtool.app.exam``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from simtool.cli.argtypes import text
from simtool.cli.common import EXIT_OK, add_archive_option, archive_path, dump_json, open_archive
from simtool.core.errors import SimtoolError
from simtool.core.languages import LANGS
from simtool.core.textsafe import printable


def _day(args: argparse.Namespace) -> Any:
    from simtool.app.exam import ExamDay
    return ExamDay(open_archive(args), args.exam)


def _started(args: argparse.Namespace) -> Any:
    """The exam day with its clock started (once: a restart keeps it) and every sitting's
    drill recorded, on the server's thread before it listens."""
    day = _day(args)
    day.start()
    return day


def cmd_create(args: argparse.Namespace) -> int:
    from simtool.app.exam import create_exam
    out = create_exam(open_archive(args, create=True), args.file)
    if args.json:
        dump_json(out)
        return EXIT_OK
    print(printable(f"exam {out['id']}: {out['title']['en']} — {len(out['stations'])} stations, "
                    f"{out['candidates']} candidates"))
    for s in out["stations"]:
        print(printable(f"  station {s['id']}: {s['rubric']} (examiners {', '.join(s['examiners'])})"))
    for b in out["blueprint"]:
        where = ", ".join(b["stations"]) or "NO STATION"
        print(printable(f"  blueprint {b['competency']}: {where}"))
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    day = _day(args)
    if args.pdf is not None:
        from simtool.store.outputs import write_atomic
        write_atomic(args.pdf, day.schedule_pdf(args.lang), protect=[day.archive.path])
        print(printable(f"exam {day.id}: schedule written to {args.pdf}"))
        return EXIT_OK
    rows = day.schedule_rows()
    if args.json:
        dump_json(rows)
        return EXIT_OK
    print(printable(f"exam {day.id}: {day.plan.rounds} rounds of {day.timing.slot_s} s "
                    f"(reading {day.timing.reading_s} s, station {day.timing.station_s} s, "
                    f"changeover {day.timing.changeover_s} s)"))
    z = day.zero()
    if z is not None:
        print(printable(f"  started {z.astimezone().strftime('%Y-%m-%d %H:%M:%S %Z')}: times are "
                        f"on the exam clock the marking server keeps"))
    elif day.definition.get("start"):
        print(printable(f"  not started: times are planned from the file's start "
                        f"{day.definition['start']}; they move to the exam clock when it starts"))
    else:
        print("  not started: times count from the exam's start")
    key = (lambda r: (r["station"], r["round"])) if args.by == "station" else \
        (lambda r: (r["candidate"], r["round"])) if args.by == "candidate" else \
        (lambda r: (r["round"], r["station"]))
    for r in sorted(rows, key=key):
        print(printable(f"  round {r['round']:>2}  {r['start']:>9}  {r['station']:<16} "
                        f"{r['candidate']}  {r['name']}"))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from simtool.app.exam import hold_server, join_url
    from simtool.web.server import pin_problem, qr_png, serve
    problem = pin_problem(args.pin)
    if problem:
        raise SimtoolError(f"--pin: {problem}")
    if not 1 <= args.port <= 65535:
        raise SimtoolError("--port is a port number from 1 to 65535")
    url = join_url(args.host, args.port)
    # one exam server per archive: refused here, in one sentence naming the server that has
    # it, before the archive is opened or a port listened on; held until this server stops
    with hold_server(archive_path(args), args.exam, url):
        day = _day(args)        # the exam exists: refused here, in one sentence, if not
        day.archive.close()     # the server opens its own, on its own thread
        from simtool.store.location import default_archive
        qr = (default_archive().parent / f"exam-{day.id}-join.png")
        try:
            qr.parent.mkdir(parents=True, exist_ok=True)
            qr_png(url, qr)
            shown = f"; QR code of the join page: {qr}"
        except OSError:
            shown = ""
        print(printable(f"exam {day.id}: examiners join at {url} with the PIN{shown}"), flush=True)
        print("stop with Ctrl-C; marking stops with the server", flush=True)
        try:
            with _exit_on_sigterm():
                serve(lambda: _started(args), args.host, args.port, args.pin)
        except OSError as exc:
            raise SimtoolError(f"cannot listen on {args.host}:{args.port}: "
                               f"{exc.strerror or exc}") from None
    return EXIT_OK


@contextlib.contextmanager
def _exit_on_sigterm() -> Iterator[None]:
    """SIGTERM (the window's Stop, a service manager) ends the server as Ctrl-C does: uvicorn
    stops serving and raises the signal again once done, and this handler turns it into an
    exit that unwinds, so the lock on the archive is let go and its file removed (killed
    outright, the OS lets the lock go; only its file stays). The handler before is put back."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)
    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def cmd_results(args: argparse.Namespace) -> int:
    day = _day(args)
    if args.pdf is not None:
        paths = day.write_results_pdfs(args.pdf, args.lang, force=args.force)
        for path in paths:
            print(printable(str(path)))
        return EXIT_OK
    if args.force:
        raise SimtoolError("--force goes with --pdf")
    res = day.results()
    stats = day.statistics(resamples=args.resamples) if args.stats else None
    released = day.has("release")
    if args.json:
        dump_json({"exam": day.id, "released": released, "results": res,
                   **({"statistics": stats} if stats is not None else {})})
        return EXIT_OK
    print(printable(f"exam {day.id}: results {'released' if released else 'not released'}"))
    for c in res:
        cells = "  ".join(f"{s['station']} {s['verdict']}"
                          + (f" {s['points']:g}/{s['max_points']:g}" if s["points"] is not None else "")
                          for s in c["stations"])
        print(printable(f"  {c['candidate']} {c['name']}: total {c['total']:g}/{c['max_total']:g}  {cells}"))
    if stats is not None:
        for s in stats.get("stations", []):
            print(printable(f"  station {s['station']}: n {s['n']} mean {s['mean']} cut {s['cut']} "
                            f"({s['cut_method']}) α {s['alpha']}"))
        ex = stats.get("exam") or {}
        print(printable(f"  exam: n {ex.get('n')} α {ex.get('alpha')}"))
        for e in stats.get("examiners", []):
            print(printable(f"  examiner {e['examiner']}: mean deviation {e['mean_deviation']} (n {e['n']})"))
        for w in stats.get("warnings", []):
            print(printable(f"  warning: {w}"), file=sys.stderr)
    return EXIT_OK


def cmd_close(args: argparse.Namespace) -> int:
    _day(args).close()
    print(f"exam {args.exam}: closed; no more marks are taken")
    return EXIT_OK


def cmd_release(args: argparse.Namespace) -> int:
    _day(args).release()
    print(f"exam {args.exam}: results released to candidates")
    return EXIT_OK


def _port(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number")
    return int(value)


def _resamples(value: str) -> int:
    if not value.isdigit() or not 100 <= int(value) <= 100_000:
        raise argparse.ArgumentTypeError("resamples is a whole number from 100 to 100000")
    return int(value)


def add_exam_parser(sub: Any) -> None:
    p = sub.add_parser("exam", help="OSCE exam day: create, schedule, serve the marking page, results",
                       description="An OSCE exam day on the lab's own network: stations, a rotation "
                                   "schedule, examiners marking on their phones, results.")
    esub = p.add_subparsers(dest="exam_command", metavar="COMMAND", required=True)
    c = esub.add_parser("create", help="check an exam file and store the exam")
    c.add_argument("file", type=text, metavar="EXAM.yaml")
    c.add_argument("--json", action="store_true", help="print the exam's summary as JSON")
    add_archive_option(c)
    c.set_defaults(func=cmd_create)
    s = esub.add_parser("schedule", help="the rotation: one row per candidate and station")
    s.add_argument("exam", type=text, metavar="ID")
    s.add_argument("--json", action="store_true", help="print one JSON list")
    s.add_argument("--by", choices=("round", "station", "candidate"), default="round",
                   help="order the printed schedule by round, station or candidate")
    s.add_argument("--pdf", type=text, metavar="FILE", help="write the schedule per station and "
                                                           "per candidate as a PDF")
    s.add_argument("--lang", choices=LANGS, default="en", help="the PDF's language")
    add_archive_option(s)
    s.set_defaults(func=cmd_schedule)
    v = esub.add_parser("serve", help="serve the examiners' marking page on the lab network")
    v.add_argument("exam", type=text, metavar="ID")
    v.add_argument("--host", type=text, required=True, metavar="H",
                   help="the one address to listen on (the lab computer's address on the lab Wi-Fi)")
    v.add_argument("--port", type=_port, required=True, metavar="P")
    v.add_argument("--pin", type=text, required=True, metavar="PIN", help="the exam's PIN (4-12 digits)")
    add_archive_option(v)
    v.set_defaults(func=cmd_serve)
    r = esub.add_parser("results", help="each candidate with each station's verdict and total")
    r.add_argument("exam", type=text, metavar="ID")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    r.add_argument("--stats", action="store_true",
                   help="also the statistics: borderline regression, α, examiner deviations")
    r.add_argument("--resamples", type=_resamples, default=200, metavar="N",
                   help="bootstrap resamples of the cut score's interval (default 200)")
    r.add_argument("--pdf", type=text, metavar="DIR",
                   help="write one results PDF per candidate in DIR (after the results are released)")
    r.add_argument("--lang", choices=LANGS, default="en", help="the PDFs' language")
    r.add_argument("--force", action="store_true",
                   help="with --pdf: write them before the release, for the organiser (each page says so)")
    add_archive_option(r)
    r.set_defaults(func=cmd_results)
    for name, fn, what in (("close", cmd_close, "close the exam: no more marks"),
                           ("release", cmd_release, "release the results to candidates")):
        x = esub.add_parser(name, help=what)
        x.add_argument("exam", type=text, metavar="ID")
        add_archive_option(x)
        x.set_defaults(func=fn)
