"""A trainee's portfolio PDF for their file: who and over what span, a table of their drills
(date, scenario, role, site, department, own score), per scenario a small trend chart of each
indicator's times with its n ("too few drills" and no chart under two), and the critical items
as a drills × items grid (met / missed / not applicable)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from simtool.reports.base import SANS, SHADE, ReportRenderer, cell_limit
from simtool.reports.charts import time_trend_chart
from simtool.reports.fonts import fit
from simtool.reports.i18n import tr
from simtool.reports.portfoliodata import PortfolioReport

TONE = {"met": "#d7f0dc", "missed": "#f8d5d5", "pending": "#fdf0c8", "not applicable": "#eeeeee"}
ITEM_COLUMNS = 5        # critical items per grid; more go to a second grid below
CHART_W = 86 * mm


class PortfolioRenderer(ReportRenderer):
    report: PortfolioReport

    def title(self) -> str:
        return f"{self.report.title} · {self.report.name}"

    def subject(self) -> str:
        r = self.report
        return f"{r.title} · {r.name} ({r.staff_id}) · {r.span}"

    def _who(self) -> list[Any]:
        r, L = self.report, self.lang
        info = [[tr("name", L), r.name], [tr("staff_id", L), r.staff_id],
                [tr("profession", L), r.profession], [tr("home", L), r.home],
                [tr("sites", L), r.sites]]
        if r.records:
            info.append([tr("records", L), r.records])
        info += [[tr("span", L), r.span], [tr("generated_on", L), r.generated_on]]
        return [self.p(r.title, "title"),
                self.table(info, [40 * mm, 140 * mm], header=False,
                           extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])]

    def _drills(self) -> list[Any]:
        r, L = self.report, self.lang
        rows: list[list[Any]] = [[tr("date", L), tr("scenario", L), tr("role", L), tr("site", L),
                                  tr("department", L), tr("score", L)]]
        rows += [[d.date, d.scenario, d.role, d.site, d.department, d.score] for d in r.drills]
        return [self.p(tr("drill_list", L), "h2"),
                self.table(rows, [20 * mm, 52 * mm, 24 * mm, 30 * mm, 24 * mm, 30 * mm])]

    def _series_cell(self, s: Any) -> list[Any]:
        limit = cell_limit(CHART_W, 8)
        out: list[Any] = [self.p(fit(s.label, limit), "cell", bold=True),
                          self.p(f"{s.target} · {s.summary}", "small")]
        if s.too_few:   # no chart: one point is no trend, and no line is drawn through it
            return out
        points = [(p.date, p.seconds, p.met) for p in s.points]
        out.append(time_trend_chart(self.drawn, CHART_W, points, s.target_s, s.target,
                                    tr("minutes", self.lang)))
        return out

    def _trends(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [CondPageBreak(60 * mm), self.p(tr("indicator_trends", L), "h2"),
                          self.p(tr("indicator_trends_note", L), "small"), Spacer(1, 2 * mm)]
        if not r.scenarios:
            return out + [self.p(tr("no_indicators", L))]
        for sc in r.scenarios:
            cells = [self._series_cell(s) for s in sc.indicators]
            grid = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
            t = Table(grid, colWidths=[90 * mm, 90 * mm])
            t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),  # Helvetica is never embedded
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
            out.append(CondPageBreak(50 * mm))
            out.append(self.p(sc.title, "body", bold=True))
            out.append(Spacer(1, 1 * mm))
            out.append(t)
        return out

    def _critical(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [CondPageBreak(50 * mm), self.p(tr("critical_items", L), "h2"),
                          self.p(tr("critical_note_grid", L), "small"), Spacer(1, 2 * mm)]
        cols = r.critical_columns
        if not cols:
            return out + [self.p(tr("no_critical", L))]
        for start in range(0, len(cols), ITEM_COLUMNS):
            chunk = cols[start:start + ITEM_COLUMNS]
            iw = 120 * mm / len(chunk)
            rows: list[list[Any]] = [[tr("date", L), tr("scenario", L), *(c.label for c in chunk)]]
            extra: list[tuple[Any, ...]] = []
            for row in r.critical_rows:
                cells = row.cells[start:start + ITEM_COLUMNS]
                rows.append([row.date, row.scenario, *(text for _k, text in cells)])
                for k, (key, _text) in enumerate(cells):
                    if key in TONE:
                        extra.append(("BACKGROUND", (2 + k, len(rows) - 1), (2 + k, len(rows) - 1),
                                      colors.HexColor(TONE[key])))
            rows.append(["", "", *(c.summary for c in chunk)])
            extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE))
            out.append(self.table(rows, [20 * mm, 40 * mm] + [iw] * len(chunk), extra=extra))
            out.append(Spacer(1, 3 * mm))
        return out

    def story(self) -> list[Any]:
        r, L = self.report, self.lang
        out = self._who()
        if not r.drills:
            return out + [Spacer(1, 4 * mm), self.p(tr("no_person_drills", L))]
        out += self._drills()
        out += self._trends()
        out += self._critical()
        return [KeepTogether(out[:2])] + out[2:]


def render_portfolio(report: PortfolioReport) -> bytes:
    return PortfolioRenderer(report).render()
