"""``simtool stats``: department indicators, exam psychometrics and a trainee's portfolio.

``simtool.cli`` calls ``add_stats_parser(sub)`` with its subparsers; each handler returns an
exit code and raises ``SimtoolError`` for a user error (the CLI prints it as one message).
A bad scores or Angoff CSV prints one ``FILE:LINE: column: message`` line per problem.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from simtool.cli.common import ARCHIVE_HELP, EXIT_OK, EXIT_PROBLEMS, dump_json, open_archive
from simtool.cli.argtypes import bounded_int, text, text_encoding
from simtool.core.errors import SimtoolError
from simtool.core.textsafe import printable
from simtool.core.timefmt import duration, wall_time
from simtool.core.limits import MAX_RESAMPLES, MIN_RESAMPLES



def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _points(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 100:   # NaN too
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 0 to 100")
    return value


def _print(text: object, file: Any = None) -> None:
    """One line for a person to read: names and ids from the archive or a CSV are escaped so
    they cannot drive the terminal (``--json`` goes through ``json.dump`` instead)."""
    print(printable(text), file=file)


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _d(x: float | None) -> str:
    """A duration for a person to read ("6 min 50 s"); --json keeps the seconds."""
    return "-" if x is None else duration(x)


def _indicators_with_cases(args: argparse.Namespace) -> int:
    """``--source cases|both``: the real cases' report (``simtool.store.cases``); with ``both``
    beside the drills' one, every group and alert labelled with its source and counted apart
    (``drills`` or ``cases``) — never one figure over drills and cases together."""
    from simtool.store.cases import cases_indicators_report

    scope = {"department": args.department, "site": args.site, "margin_pts": args.alert_margin}
    with open_archive(args) as archive:
        report = cases_indicators_report(archive, args.from_date, args.to_date, **scope)
        if args.source == "both":
            from simtool.store.analytics import indicators_report
            drills = indicators_report(archive, args.from_date, args.to_date, **scope)
            groups = [{"source": "drills", **g} for g in drills["groups"]] + report["groups"]
            groups.sort(key=lambda g: (g["scenario_id"], g["period"], g["department"] or "",
                                       g["source"] != "drills"))
            found = [{"source": "drills", **a} for a in drills["alerts"]] + \
                [{"source": "cases", **a} for a in report["alerts"]]
            report = {"source": "both", "from": report["from"], "to": report["to"],
                      "drills": drills["drills"], "cases": report["cases"], "by": "quarter",
                      "groups": groups, "alert_margin_pts": drills["alert_margin_pts"],
                      "alert_margin_source": drills["alert_margin_source"], "alerts": found}
    if args.json:
        dump_json(report)
        return EXIT_OK
    _print(f"{report['drills']} ended drills and {report['cases']} real cases, reported apart"
           if args.source == "both" else f"{report['cases']} real cases")
    for g in report["groups"]:
        count = f"{g['drills']} drills" if g["source"] == "drills" else f"{g['cases']} real cases"
        _print(f"{g['scenario_id']}  {g['period']}  {g['department'] or 'all departments'}  ({count})")
        for i in g["indicators"]:
            comp = "-" if i["compliance"] is None else f"{100 * i['compliance']:.0f} %"
            target = i["target_s"] if not isinstance(i["target_s"], list) else i["target_s"][-1]
            goal = "no compliance target" if i["target_pct"] is None else f"target > {_pct(i['target_pct'])}"
            _print(f"  {i['id']:<24} median {_d(i['median_s']):>10}  IQR {_d(i['p25_s'])}–{_d(i['p75_s'])}  "
                   f"target ≤ {_d(target)}  met {i['met']}/{i['applies']} ({comp}, {goal})")
    _print(f"alerts: {len(report['alerts'])}")
    for a in report["alerts"]:
        _print(("real cases: " if a.get("source", report["source"]) == "cases" else "drills: ")
               + _alert_line(a).strip())
    return EXIT_OK


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:g} %"


def _alert_line(a: dict[str, Any]) -> str:
    """One alert for a person to read."""
    where = f"{a['scenario_id']} {a['department'] or 'all departments'} {a['indicator']}"
    if a["kind"] == "below_target":
        prev, now = (f"{100 * c:.0f} %" for c in a["compliance"])
        why = f"compliance {prev}, {now}: not above the target > {_pct(a['target_pct'])}"
    elif a["kind"] == "above_time":
        why = (f"median {_d(a['median_s'][0])}, {_d(a['median_s'][1])}: above the target "
               f"≤ {_d(a['target_s'])}")
    else:
        prev, now = (f"{100 * c:.0f} %" for c in a["compliance"])
        why = f"compliance fell {prev} → {now} ({a['drop_pts']:g} points, margin {a['margin_pts']:g})"
    run = f", {a['run']} periods in a row" if a["kind"] != "drop" and a["run"] > 2 else ""
    return f"  {a['period']}  {where}: {why}{run}"


def cmd_indicators(args: argparse.Namespace) -> int:
    from simtool.store.analytics import indicators_report

    if args.from_date and args.to_date and args.from_date > args.to_date:
        raise SimtoolError(f"--from {args.from_date} is after --to {args.to_date}")
    if args.source != "drills":
        if args.by != "quarter":
            raise SimtoolError(f"--by {args.by} reports drills only; real cases (--source "
                               f"{args.source}) are reported by quarter")
        return _indicators_with_cases(args)
    with open_archive(args) as archive:
        if args.resum:
            from simtool.store.analytics import resum_indicators
            resum_indicators(archive)
        report = indicators_report(archive, args.from_date, args.to_date,
                                   department=args.department, site=args.site, by=args.by,
                                   margin_pts=args.alert_margin)
    if args.json:
        dump_json(report)
        return EXIT_OK
    _print(f"{report['drills']} ended drills, by {report['by']}")
    for g in report["groups"]:
        _print(f"{g['scenario_id']}  {g['period']}  {g['department'] or 'all departments'}  "
              f"({g['drills']} drills)")
        for i in g["indicators"]:
            comp = "-" if i["compliance"] is None else f"{100 * i['compliance']:.0f} %"
            target = i["target_s"] if not isinstance(i["target_s"], list) else i["target_s"][-1]
            goal = "no compliance target" if i["target_pct"] is None else f"target > {_pct(i['target_pct'])}"
            _print(f"  {i['id']:<24} median {_d(i['median_s']):>10}  IQR {_d(i['p25_s'])}–{_d(i['p75_s'])}  "
                   f"target ≤ {_d(target)}  met {i['met']}/{i['applies']} ({comp}, {goal})")
    sources: dict[tuple[str, str], tuple[float | None, str | None]] = {}
    for g in report["groups"]:
        for i in g["indicators"]:
            sources.setdefault((g["scenario_id"], i["id"]), (i["target_pct"], i["target_source"]))
    if sources:
        _print("compliance targets:")
        for (sid, iid), (pct, source) in sorted(sources.items()):
            _print(f"  {sid} {iid}: > {_pct(pct)} — {source or 'none given'}")
    _print(f"alerts: {len(report['alerts'])} (a fall beyond {report['alert_margin_pts']:g} points "
           f"counts: {report['alert_margin_source']})")
    for a in report["alerts"]:
        _print(_alert_line(a))
    return EXIT_OK


def cmd_target(args: argparse.Namespace) -> int:
    from simtool.app.targets import set_margin, set_target

    if args.alert_margin is None and args.scenario is None:
        raise SimtoolError("give SCENARIO INDICATOR --pct N, or --alert-margin POINTS")
    if args.scenario is not None and (args.indicator is None or args.pct is None):
        raise SimtoolError("a compliance target needs SCENARIO, INDICATOR and --pct N")
    with open_archive(args) as archive:
        if args.scenario is not None:
            set_target(archive, args.scenario, args.indicator, args.pct, args.source)
            _print(f"{args.scenario} {args.indicator}: compliance target > {args.pct:g} % ({args.source})")
        if args.alert_margin is not None:
            set_margin(archive, args.alert_margin, args.source)
            _print(f"alert margin: {args.alert_margin:g} points ({args.source})")
    return EXIT_OK


def cmd_psychometrics(args: argparse.Namespace) -> int:
    from simtool.core.psychometrics import check_bootstrap, exam_report
    from simtool.core.scorecsv import ScoresCsvError, grade_value, read_angoff, read_scores

    borderline = grade_value(args.borderline)
    if borderline is None:
        raise SimtoolError(f"--borderline '{args.borderline}' is not a number or a grade name")
    try:
        if args.input:
            rows = read_scores(args.input, encoding=args.encoding)
        else:
            from simtool.store.analytics import exam_rows
            with open_archive(args) as archive:
                rows = exam_rows(archive)
            if not rows:
                raise SimtoolError("no signed trainee score sheets with a global grade in the archive")
        angoff = read_angoff(args.angoff, encoding=args.encoding) if args.angoff else None
    except ScoresCsvError as exc:
        for p in exc.problems:
            _print(p, file=sys.stderr)
        return EXIT_PROBLEMS
    check_bootstrap(rows, args.resamples, "--resamples")
    report = exam_report(rows, borderline, angoff=angoff, resamples=args.resamples, seed=args.seed)
    if args.json:
        dump_json(report)
        return EXIT_OK
    _print(f"{report['candidates']} candidates, {len(report['stations'])} stations")
    for s in report["stations"]:
        brm = s["borderline_regression"]
        _print(f"station {s['station']}: n {s['n']}  mean {_s(s['mean'])}  SD {_s(s['sd'])}  "
              f"α {_s(s['alpha'])}  SEM {_s(s['sem'])}  cut {_s(s['cut'])} ({s['cut_method'] or 'none'})  "
              f"pass rate {_s(s['pass_rate'])}")
        if brm:
            ci = brm["ci95"] or [None, None]
            _print(f"  borderline regression: {_s(brm['intercept'])} + {_s(brm['slope'])}·g, R² {_s(brm['r2'])}, "
                  f"cut {_s(brm['cut'])}, 95 % bootstrap {_s(ci[0])}–{_s(ci[1])}")
        _print(f"  borderline group: cut {_s(s['borderline_group']['cut'])} (n {s['borderline_group']['n']})")
        if s["angoff"]:
            _print(f"  modified Angoff: cut {_s(s['angoff']['cut'])} of {s['angoff']['items']} items "
                  f"({s['angoff']['judges']} judges)")
        for it in s["items"]:
            _print(f"  item {it['id']}: difficulty {_s(it['difficulty'])}  D {_s(it['discrimination'])}  "
                  f"item-rest r {_s(it['item_rest'])}")
        for a in s["agreement"]:
            _print(f"  {a['examiners'][0]} vs {a['examiners'][1]} (n {a['n']}): κ grade {_s(a['kappa_grade'])}  "
                  f"κ pass/fail {_s(a['kappa_pass'])}  ICC(2,1) {_s(a['icc2_1'])}  ICC(3,1) {_s(a['icc3_1'])}")
    e = report["exam"]
    _print(f"exam: n {e['n']} over {e['stations']} stations  mean {_s(e['mean'])}  SD {_s(e['sd'])}  "
          f"α {_s(e['alpha'])}  SEM {_s(e['sem'])}")
    for x in report["examiners"]:
        _print(f"examiner {x['examiner']}: mean deviation from the others {_s(x['mean_deviation'])} (n {x['n']})")
    for w in report["warnings"]:
        _print(f"warning: {w}", file=sys.stderr)
    return EXIT_OK


def cmd_portfolio(args: argparse.Namespace) -> int:
    from simtool.store.analytics import portfolio

    with open_archive(args) as archive:
        report = portfolio(archive, args.trainee)
    if args.json:
        dump_json(report)
        return EXIT_OK
    t = report["trainee"]
    _print(f"{t['name']} ({t['staff_id'] or t['id']}), {len(report['drills'])} drills"
           + (f" at {', '.join(t['sites'])}" if t.get("sites") else ""))
    for d in report["drills"]:
        times = ", ".join(f"{i['id']} {_d(i['seconds'])}" for i in d["indicators"] if i["met"] is not None)
        sheets = ", ".join(f"{s['rubric_id']} {_s(s['percentage'])} % {s['verdict']}"
                           for s in d["sheets"] if s["scope"] == "trainee")
        site = (d.get("site") or "-") + (" (imported)" if d.get("imported") else "")
        missed = [c["item_id"] for c in d.get("critical", ()) if c["status"] == "missed"]
        critical = f"  critical missed: {', '.join(missed)}" if missed else ""
        _print(f"{wall_time(d['started_at'])}  {d['scenario_id']}  {d['role']}  {site}  {times}  {sheets}"
               f"{critical}")
    return EXIT_OK


def add_stats_parser(sub: Any) -> None:
    """Add ``stats indicators | target | psychometrics | portfolio`` to the CLI's subparsers."""
    p = sub.add_parser("stats", help="department indicators, exam psychometrics, trainee portfolio",
                       description="Quality indicators over the archive, psychometrics of an exam's "
                                   "scores CSV, and one trainee's portfolio.")
    ssub = p.add_subparsers(dest="stats_command", required=True)

    s = ssub.add_parser("indicators", help="indicator times and compliance by scenario, quarter, department",
                        description="Median and quartiles of each scenario's indicator times and the share "
                                    "of drills meeting the target, by scenario × quarter (and department), "
                                    "over the ended drills in the archive.")
    s.add_argument("--from", dest="from_date", type=_date, metavar="DATE", help="first start day (YYYY-MM-DD)")
    s.add_argument("--to", dest="to_date", type=_date, metavar="DATE", help="last start day, included")
    s.add_argument("--department", type=text, metavar="DEPT",
                   help="only the drills of this department (recorded with it, or with a "
                        "participant of it)")
    s.add_argument("--site", type=text, metavar="SITE", help="only the drills run at this site")
    s.add_argument("--source", choices=("drills", "cases", "both"), default="drills",
                   help="drills (default), real cases (simtool cases import), or both reported "
                        "apart, each group labelled with its source")
    s.add_argument("--by", choices=("quarter", "month"), default="quarter",
                   help="group by calendar quarter (default) or month")
    s.add_argument("--alert-margin", type=_points, metavar="POINTS",
                   help="a compliance fall beyond this many percentage points from one period to "
                        "the next raises an alert (default: the department's setting, else 10)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument("--resum", action="store_true",
                   help="sum every month's indicator results again from the drills first (the "
                        "repair simtool verify names when the kept sums differ)")
    s.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    s.set_defaults(func=cmd_indicators)

    s = ssub.add_parser("target", help="set the department's own compliance target or alert margin",
                        description="Record, in the archive (audited, never overwritten: the latest "
                                    "counts), the department's own compliance target for one "
                                    "indicator of a scenario, or the compliance fall that raises "
                                    "an alert, with where it comes from.")
    s.add_argument("scenario", nargs="?", type=text, metavar="SCENARIO", help="scenario id")
    s.add_argument("indicator", nargs="?", type=text, metavar="INDICATOR", help="indicator id")
    s.add_argument("--pct", type=_points, metavar="PCT",
                   help="compliance target: the share of drills meeting the timing target "
                        "should be above this percentage (0 to under 100)")
    s.add_argument("--alert-margin", type=_points, metavar="POINTS",
                   help="a compliance fall beyond this many percentage points raises an alert")
    s.add_argument("--source", type=text, required=True, metavar="TEXT",
                   help="where the figure comes from, e.g. \"design: department's choice\"")
    s.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    s.set_defaults(func=cmd_target)

    s = ssub.add_parser("psychometrics", help="reliability, cut scores, items and examiners of an exam",
                        description="Per station n, mean, SD, pass rate, α, SEM; borderline regression "
                                    "and group, modified Angoff; item difficulty and discrimination; "
                                    "Cohen's κ, ICC(2,1), ICC(3,1) and examiner deviations, from a "
                                    "scores CSV (see README).")
    s.add_argument("--input", metavar="SCORES.csv",
                   help="one row per candidate × station × examiner (default: the archive's signed "
                        "trainee score sheets)")
    s.add_argument("--archive", metavar="DB", help="archive to read when there is no --input")
    s.add_argument("--borderline", type=text, default="borderline", metavar="GRADE",
                   help="the borderline global grade, a number or a grade name (default borderline = 2)")
    s.add_argument("--angoff", metavar="JUDGES.csv", help="modified-Angoff judgements (station, judge, item:<id>)")
    s.add_argument("--resamples", type=bounded_int(MIN_RESAMPLES, MAX_RESAMPLES), default=1000, metavar="N",
                   help=f"bootstrap resamples for the cut's 95 %% interval ({MIN_RESAMPLES}–{MAX_RESAMPLES:,}; "
                        "default 1000)")
    s.add_argument("--seed", type=bounded_int(-(2 ** 63), 2 ** 63 - 1), default=0, help="bootstrap seed (default 0)")
    s.add_argument("--encoding", type=text_encoding, default="utf-8", metavar="NAME",
                   help="text encoding of the CSV files: utf-8 (default; a BOM is allowed), or e.g. gbk "
                        "for a file saved by Excel in Chinese")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(func=cmd_psychometrics)

    s = ssub.add_parser("portfolio", help="one trainee's drills, indicator times and scores",
                        description="One trainee's drills over time and places (every record merged "
                                    "into the person, every site, imported drills marked) with the "
                                    "drill's indicator times, their score sheets and the critical items "
                                    "missed, and a summary per scenario; --json adds the trends. The PDF "
                                    "for the trainee's file: simtool export --kind portfolio --trainee ID.")
    s.add_argument("trainee", type=text, metavar="TRAINEE", help="trainee id or staff id")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    s.set_defaults(func=cmd_portfolio)
