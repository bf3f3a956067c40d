"""The quality-meeting pack PDF of one quarter: the header, Check (indicators against their
targets with the quarters before), alerts, the latent safety threats found, the corrective
actions (overdue ones in red, done ones in green) and the Act decision. Lays out
``simtool.reports.qualitypackdata.QualityPack``; computes nothing."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from simtool.reports.base import SHADE, ReportRenderer
from simtool.reports.i18n import tr
from simtool.reports.qualitypackdata import QualityPack

GOOD, BAD, WARN = "#d7f0dc", "#f8d5d5", "#fdebc8"
RISK = {"low": GOOD, "moderate": "#fff6c2", "high": WARN, "extreme": BAD}
STATUS = {"done": GOOD, "overdue": BAD}


class QualityPackRenderer(ReportRenderer):
    report: QualityPack

    def title(self) -> str:
        return self.report.title

    def subject(self) -> str:
        r = self.report
        return f"{r.title} · {r.header.department or r.header.institution or 'simtool'} · {r.period}"

    def _check(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [self.p(tr("qp_check", L), "h2")]
        if not r.check:
            return out + [self.p(tr("qp_no_indicators", L))]
        qs = r.quarters
        head = [tr("indicator", L), tr("qp_target_drill", L), tr("qp_target_share", L), *qs,
                tr("qp_change", L)]
        rows: list[list[Any]] = [head]
        extra: list[tuple[Any, ...]] = []
        scenario = None
        for c in r.check:
            if c.scenario != scenario:
                scenario = c.scenario
                rows.append([c.scenario] + [""] * (len(head) - 1))
                extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                          ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE)]
            rows.append([c.label, c.target, c.target_share, *c.cells, c.change])
            for k, (cell, below) in enumerate(zip(c.cells, c.below)):
                if cell != "—":
                    extra.append(("BACKGROUND", (3 + k, len(rows) - 1), (3 + k, len(rows) - 1),
                                  colors.HexColor(BAD if below else GOOD)))
        qw = 19 * mm
        widths = [50 * mm, 17 * mm, 15 * mm] + [qw] * len(qs) + [0.0]
        widths[-1] = 180 * mm - sum(widths[:-1])
        out.append(self.table(rows, widths, extra=extra))
        return out

    def _alerts(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [CondPageBreak(30 * mm), self.p(tr("qp_alerts", L), "h2"),
                          self.p(r.alerts_note, "small"), Spacer(1, 1.5 * mm)]
        out += [self.p("• " + a) for a in r.alerts] or [self.p(tr("qp_no_alert", L, q=r.quarter))]
        out += [Spacer(1, 2 * mm), self.p(r.below_note, "body", bold=True)]
        if not r.below:
            return out + [self.p(tr("qp_no_alerts", L, q=r.quarter))]
        return out + [self.p("• " + a, "small") for a in r.below]

    def _threats(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [CondPageBreak(40 * mm), self.p(tr("qp_threats", L, q=r.quarter), "h2")]
        if not r.threats:
            return out + [self.p(tr("qp_no_threats", L))]
        rows: list[list[Any]] = [["#", tr("date", L), tr("qp_category", L), tr("qp_risk", L),
                                  tr("qp_found", L), tr("qp_root_cause", L), tr("qp_links", L)]]
        extra = []
        for t in r.threats:
            rows.append([str(t.id), f"{t.date}\n{t.drill}", t.category, t.risk, t.found,
                         t.root_cause, t.links])
            extra.append(("BACKGROUND", (3, len(rows) - 1), (3, len(rows) - 1),
                          colors.HexColor(RISK.get(t.risk_band, GOOD))))
        out.append(self.table(rows, [8 * mm, 19 * mm, 22 * mm, 24 * mm, 39 * mm, 38 * mm, 30 * mm],
                              extra=extra))
        out.append(self.p(tr("qp_risk_note", L), "small"))
        return out

    def _actions(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [CondPageBreak(40 * mm), self.p(tr("qp_actions", L), "h2")]
        if not r.actions:
            return out + [self.p(tr("qp_no_actions", L))]
        out += [self.p(r.action_counts, "small"), Spacer(1, 1.5 * mm)]
        rows: list[list[Any]] = [["#", tr("qp_action", L), tr("qp_owner", L), tr("qp_deadline", L),
                                  tr("indicator", L), tr("qp_threat", L), tr("qp_status", L)]]
        extra = []
        for a in r.actions:
            title = a.title + (f"\n— {a.note}" if a.note else "")
            rows.append([str(a.id), title, a.owner, a.deadline, a.indicator, a.threat, a.status_text])
            if a.status in STATUS:
                extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                              colors.HexColor(STATUS[a.status])))
        out.append(self.table(rows, [8 * mm, 56 * mm, 30 * mm, 20 * mm, 32 * mm, 14 * mm, 20 * mm],
                              extra=extra))
        return out

    def _act(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [CondPageBreak(30 * mm), self.p(tr("qp_act", L), "h2")]
        if r.decision is None:
            return out + [self.p(tr("qp_no_decision", L, q=r.quarter))]
        d = r.decision
        out.append(self.table([[d.decision], [d.note], [d.recorded]], [180 * mm], header=False,
                              extra=[("BACKGROUND", (0, 0), (0, 0), SHADE)]))
        if r.earlier_decisions:
            out.append(Spacer(1, 2 * mm))
            out.append(self.p(tr("qp_earlier", L, q=r.quarter), "body", bold=True))
            rows = [[e.decision, e.note, e.recorded] for e in r.earlier_decisions]
            out.append(self.table(rows, [50 * mm, 85 * mm, 45 * mm], header=False))
        return out

    def story(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [self.p(r.title, "title")]
        info = [[tr("institution", L), r.header.institution or "—"],
                [tr("department", L), r.header.department or "—"],
                [tr("site", L), r.site or "—"],
                [tr("period", L), r.period],
                [tr("total_drills", L), str(r.drills)]]
        out.append(self.table(info, [35 * mm, 145 * mm], header=False,
                              extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]))
        out += self._check() + self._alerts() + self._threats() + self._actions() + self._act()
        return out


def render_quality_pack(report: QualityPack) -> bytes:
    return QualityPackRenderer(report).render()
