"""The department quality report PDF: the period and drill counts, then per scenario a table
of its indicators by quarter (median, compliance against the indicator's own compliance
target, drills), the targets with their sources, a trend chart per indicator with its
compliance target drawn, and the drills that missed a target."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from simtool.reports.base import SANS, SHADE, ReportRenderer
from simtool.reports.charts import trend_chart
from simtool.reports.i18n import tr
from simtool.reports.qualitydata import QualityReport

GOOD, BAD = "#d7f0dc", "#f8d5d5"
COUNT_COLUMNS = 6   # quarters per row of the drill-count table


class QualityRenderer(ReportRenderer):
    report: QualityReport

    def title(self) -> str:
        return f"{self.report.title} {self.report.period}"

    def subject(self) -> str:
        r = self.report
        return f"{r.title} · {r.header.department or r.header.institution or 'simtool'} · {r.period}"

    def _counts(self) -> list[Any]:
        r, L = self.report, self.lang
        if not r.scenarios:
            return []
        quarters = r.scenarios[0].quarters   # every section spans the same quarters
        out: list[Any] = [self.p(tr("drill_counts", L), "h2")]
        for start in range(0, len(quarters), COUNT_COLUMNS):
            chunk = quarters[start:start + COUNT_COLUMNS]
            rows: list[list[Any]] = [[tr("scenario", L), *chunk]]
            for s in r.scenarios:
                rows.append([s.title, *(str(n) for n in s.drills[start:start + COUNT_COLUMNS])])
            qw = 20 * mm
            out.append(self.table(rows, [180 * mm - qw * len(chunk)] + [qw] * len(chunk)))
            out.append(Spacer(1, 2 * mm))
        return out

    def _section(self, s: Any) -> list[Any]:
        L = self.lang
        out: list[Any] = [CondPageBreak(90 * mm), self.p(s.title, "h2"),
                          self.p(f"{tr('total_drills', L)}: {s.total_drills}", "small"),
                          Spacer(1, 2 * mm)]
        rows: list[list[Any]] = [[tr("indicator", L), tr("quarter", L), tr("median", L),
                                  tr("compliance", L), tr("n_applicable", L), tr("drills", L)]]
        extra: list[tuple[Any, ...]] = []
        for ind in s.indicators:
            first = len(rows)
            label = (f"{ind.label}\n{tr('target_per_drill', L, t=ind.target)}\n"
                     f"{tr('target_share', L, t=ind.compliance_target)}")
            for k, c in enumerate(ind.cells):
                rows.append([label if k == 0 else "", c.quarter, c.median or "—", c.compliance,
                             str(c.applies), str(c.drills)])
                if c.compliance_pct is not None:
                    extra.append(("BACKGROUND", (3, len(rows) - 1), (3, len(rows) - 1),
                                  colors.HexColor(BAD if c.below_target else GOOD)))
            if len(rows) - 1 > first:
                extra.append(("SPAN", (0, first), (0, len(rows) - 1)))
        out.append(self.table(rows, [70 * mm, 20 * mm, 20 * mm, 34 * mm, 16 * mm, 20 * mm], extra=extra))
        out.append(Spacer(1, 2 * mm))
        sources = [[tr("indicator", L), tr("target_per_drill_h", L), tr("target_share_h", L),
                    tr("target_source_h", L)]]
        sources += [[ind.label, ind.target, ind.compliance_target, ind.target_source or "—"]
                    for ind in s.indicators]
        out.append(self.table(sources, [50 * mm, 24 * mm, 32 * mm, 74 * mm]))
        out.append(Spacer(1, 3 * mm))
        # one chart per indicator, two side by side, each with its own compliance target
        w = 88 * mm
        charts = [trend_chart(self.drawn, w, s.quarters, [(ind.label, ind.trend)],
                              0.0 if ind.target_pct is None else ind.target_pct,
                              tr("target_share", L, t=ind.compliance_target))
                  for ind in s.indicators]
        grid = [charts[i:i + 2] + [""] * (2 - len(charts[i:i + 2])) for i in range(0, len(charts), 2)]
        if grid:
            t = Table(grid, colWidths=[90 * mm, 90 * mm])
            t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),  # Helvetica is never embedded
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
            out.append(KeepTogether([self.p(tr("trend", L), "body", bold=True), Spacer(1, 1 * mm), t]))
        return out

    def _misses(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [CondPageBreak(40 * mm), self.p(tr("misses", L), "h2")]
        if not r.misses:
            return out + [self.p(tr("no_misses", L))]
        rows: list[list[Any]] = [[tr("date", L), tr("drill", L), tr("scenario", L), tr("indicator", L),
                                  tr("seconds", L), tr("target", L)]]
        rows += [[m.date, m.drill_short, m.scenario, m.indicator, m.seconds, m.target] for m in r.misses]
        return out + [self.table(rows, [20 * mm, 18 * mm, 52 * mm, 50 * mm, 20 * mm, 20 * mm])]

    def story(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [self.p(r.title, "title")]
        info = [[tr("institution", L), r.header.institution or "—"],
                [tr("department", L), r.header.department or "—"],
                [tr("period", L), r.period],
                [tr("total_drills", L), str(r.drills)],
                [tr("target", L), r.targets_note]]
        out.append(self.table(info, [35 * mm, 145 * mm], header=False,
                              extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]))
        if not r.scenarios:
            return out + [Spacer(1, 4 * mm), self.p(tr("no_drills", L))]
        out += self._counts()
        for s in r.scenarios:
            out += self._section(s)
        out += self._misses()
        return out


def render_quality(report: QualityReport) -> bytes:
    return QualityRenderer(report).render()
