"""The exam schedule PDF: the exam's facts, then a table per station and one per candidate
(each kept whole on a page; a station's table is the sheet pinned on its door). Lays out a
``ScheduleReport``; computes nothing."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from simtool.reports.base import SHADE, ReportRenderer
from simtool.reports.examscheduledata import Block, ScheduleReport
from simtool.reports.examwords import tr

WIDTHS = [18 * mm, 30 * mm, 132 * mm]


class ScheduleRenderer(ReportRenderer):
    report: ScheduleReport

    def title(self) -> str:
        return f"{self.report.title} · {self.report.exam_title}"

    def _block(self, block: Block, third: str) -> list[Any]:
        L = self.lang
        rows: list[list[Any]] = [[tr("round", L), tr("start", L), third]]
        rows += [list(r) for r in block.rows]
        return [CondPageBreak(40 * mm),
                KeepTogether([self.p(block.heading, "h2"), self.table(rows, WIDTHS)])]

    def story(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [self.p(f"{r.title} · {r.exam_title}", "title"),
                          self.table([list(f) for f in r.facts], [40 * mm, 140 * mm], header=False,
                                     extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
                          Spacer(1, 3 * mm), self.p(tr("by_station", L), "big")]
        for b in r.by_station:
            out += self._block(b, tr("candidate", L))
        out += [PageBreak(), self.p(tr("by_candidate", L), "big")]
        for b in r.by_candidate:
            out += self._block(b, tr("station", L))
        return out


def render_schedule(report: ScheduleReport) -> bytes:
    return ScheduleRenderer(report).render()
