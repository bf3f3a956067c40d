"""A candidate's exam results PDF: who and which exam, whether the results are released (a
red banner when printed before), a table of the stations (verdict, score, examiners, global
rating) with each station's critical items under it, and the total. Lays out a
``ResultsReport``; computes nothing."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from simtool.reports.base import SANS, SHADE, ReportRenderer
from simtool.reports.examresultsdata import ResultsReport
from simtool.reports.examwords import tr

GOOD = colors.HexColor("#d7f0dc")
BAD = colors.HexColor("#f8d5d5")
BANNER = {True: ("#e8edf2", "#33414e"), False: ("#f8d5d5", "#b42318")}


class ResultsRenderer(ReportRenderer):
    report: ResultsReport

    def title(self) -> str:
        return f"{self.report.title} · {self.report.exam_title}"

    def subject(self) -> str:
        names = dict(self.report.facts)
        return f"{self.title()} · {names.get(tr('candidate', self.lang), '')}"

    def _banner(self) -> Table:
        r = self.report
        fill, ink = BANNER[r.released]
        t = Table([[self.p(r.release_line, "big" if not r.released else "body")]], colWidths=[180 * mm])
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
                               ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(ink)),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 4),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        return t

    def story(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [self.p(f"{r.title} · {r.exam_title}", "title"),
                          self.table([list(f) for f in r.facts], [40 * mm, 140 * mm], header=False,
                                     extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
                          Spacer(1, 3 * mm), self._banner(), Spacer(1, 3 * mm)]
        rows: list[list[Any]] = [[tr("station", L), tr("verdict", L), tr("score", L),
                                  tr("examiner", L), tr("global", L)]]
        extra: list[tuple[Any, ...]] = []
        for s in r.stations:
            rows.append([s.station, s.verdict, s.score, s.examiners, s.global_rating])
            k = len(rows) - 1
            tone = {"pass": GOOD, "fail": BAD}.get(s.outcome)
            if tone is not None:
                extra.append(("BACKGROUND", (1, k), (1, k), tone))
        rows.append([tr("total", L), r.overall, r.total, "", ""])
        k = len(rows) - 1
        extra += [("BACKGROUND", (0, k), (-1, k), SHADE),
                  ("BACKGROUND", (1, k), (1, k), GOOD if r.passed_all else BAD)]
        out.append(self.table(rows, [58 * mm, 26 * mm, 30 * mm, 34 * mm, 32 * mm], extra=extra))
        out += [Spacer(1, 2 * mm), self.p(tr("critical", L), "h2")]
        for s in r.stations:
            if s.critical:
                crows: list[list[Any]] = [[s.station, tr("result", L)]]
                cextra: list[tuple[Any, ...]] = []
                for label, word, tone in s.critical:
                    crows.append([label, word])
                    colour = {"pass": GOOD, "fail": BAD}.get(tone)
                    if colour is not None:
                        cextra.append(("BACKGROUND", (1, len(crows) - 1), (1, len(crows) - 1), colour))
                out.append(KeepTogether([self.table(crows, [140 * mm, 40 * mm], extra=cextra),
                                         Spacer(1, 2 * mm)]))
            else:
                out.append(self.p(f"{s.station}: {tr('no_critical', L)}", "body"))
        if r.note:
            out += [Spacer(1, 2 * mm), self.p(r.note, "small")]
        return out


def render_results(report: ResultsReport) -> bytes:
    return ResultsRenderer(report).render()
