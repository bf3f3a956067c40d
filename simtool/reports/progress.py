"""A trainee's progress report against a training programme, for their file (issue 20, item 3):
who, the programme and version, the cleared-to-work status in a coloured box (green: cleared;
amber: not cleared, with what is missing; red: retraining due, with its date), per stage a table
of procedures × supervision level (required / done / pending / missing, the source as a numbered
note), the simulation requirements with the sheets that credit them, and the exams with their
history. Lays out a ``ProgressReport``; computes nothing. A stage's heading stays with the start
of its table, and a table's header row repeats on every page it runs over."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from simtool.reports.base import SANS, SHADE, ReportRenderer
from simtool.reports.i18n import tr
from simtool.reports.progressdata import ProgressReport

MET = colors.HexColor("#d7f0dc")
SHORT = colors.HexColor("#f8d5d5")
PENDING = colors.HexColor("#fdf0c8")
BOX = {"cleared": ("#d7f0dc", "#1e7b34"), "not_cleared": ("#fdf0c8", "#8a6100"),
       "retrain": ("#f8d5d5", "#b42318")}
KEEP = 45 * mm   # a heading starts a new page unless this much room is left under it


class ProgressRenderer(ReportRenderer):
    report: ProgressReport

    def title(self) -> str:
        return f"{self.report.title} · {self.report.name}"

    def subject(self) -> str:
        r = self.report
        return f"{r.title} · {r.name} ({r.staff_id}) · {r.programme} {r.version}"

    def _who(self) -> list[Any]:
        r, L = self.report, self.lang
        info = [[tr("name", L), r.name], [tr("staff_id", L), r.staff_id],
                [tr("programme", L), f"{r.programme} ({r.programme_id}, {tr('version', L)} {r.version})"],
                [tr("generated_on", L), r.generated_on]]
        return [self.p(r.title, "title"),
                self.table(info, [40 * mm, 140 * mm], header=False,
                           extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])]

    def _status(self) -> list[Any]:
        """The status box: one big line, then what is missing, then retraining (in red)."""
        r = self.report
        fill, ink = BOX[r.status_tone]
        rows: list[list[Any]] = [[self.p(r.status, "big")]]
        if r.retrain:
            rows.append([self.p(r.retrain, "big")])
        rows += [[self.p(line, "body")] for line in r.missing_lines]
        t = Table(rows, colWidths=[180 * mm])
        style = [("FONTNAME", (0, 0), (-1, -1), SANS),
                 ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
                 ("BOX", (0, 0), (-1, -1), 1.6, colors.HexColor(ink)),
                 ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                 ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
        if r.retrain:   # retraining stands out whatever the rest says
            style.append(("BACKGROUND", (0, 1), (0, 1), colors.HexColor(BOX["retrain"][0])))
            style.append(("LINEABOVE", (0, 1), (0, 1), 1.2, colors.HexColor(BOX["retrain"][1])))
        t.setStyle(TableStyle(style))
        return [Spacer(1, 3 * mm), t, Spacer(1, 2 * mm)]

    def _stages(self) -> list[Any]:
        r, L = self.report, self.lang
        head = [self.p(tr("procedures_by_stage", L), "h2"), self.p(tr("procedures_note", L), "small")]
        if not r.stages:
            return [KeepTogether([head[0], self.p(tr("no_requirements", L))])]
        out: list[Any] = [CondPageBreak(KEEP), *head]
        widths = [75 * mm, 27 * mm, 17 * mm, 17 * mm, 17 * mm, 17 * mm, 10 * mm]
        for st in r.stages:
            rows: list[list[Any]] = [[tr("procedure", L), tr("level", L), tr("required", L),
                                      tr("done_n", L), tr("pending_n", L), tr("missing_n", L),
                                      tr("source_short", L)]]
            extra: list[tuple[Any, ...]] = []
            for row in st.rows:
                rows.append([row.procedure, row.level, str(row.required), str(row.done),
                             str(row.pending) if row.pending else "", str(row.missing),
                             f"[{row.note}]"])
                k = len(rows) - 1
                extra.append(("BACKGROUND", (5, k), (5, k), MET if row.missing == 0 else SHORT))
                if row.pending:
                    extra.append(("BACKGROUND", (4, k), (4, k), PENDING))
            table = self.table(rows, widths, extra=extra)
            title = [Spacer(1, 2 * mm), self.p(st.title, "body", bold=True), self.p(st.summary, "small"),
                     Spacer(1, 1 * mm)]
            out += [CondPageBreak(KEEP), KeepTogether(title), table]
            out.append(self.p("\n".join(f"[{i}] {note}" for i, note in enumerate(st.notes, 1)), "small"))
        return out

    def _simulation(self) -> list[Any]:
        r, L = self.report, self.lang
        head = [self.p(tr("simulation_reqs", L), "h2"), self.p(tr("simulation_note", L), "small")]
        if not r.simulation:
            return [KeepTogether([*head, self.p(tr("no_simulation", L))])]
        rows: list[list[Any]] = [[tr("requirement", L), tr("stage", L), tr("required", L), tr("done_n", L),
                                  tr("missing_n", L), tr("credited_by", L)]]
        extra: list[tuple[Any, ...]] = []
        for s in r.simulation:
            rows.append([s.label, s.stage, str(s.required), str(s.done), str(s.missing), s.sheets])
            k = len(rows) - 1
            extra.append(("BACKGROUND", (4, k), (4, k), MET if s.missing == 0 else SHORT))
        table = self.table(rows, [56 * mm, 28 * mm, 17 * mm, 17 * mm, 17 * mm, 45 * mm], extra=extra)
        return [CondPageBreak(KEEP), KeepTogether([*head, Spacer(1, 1 * mm), table])]

    def _exams(self) -> list[Any]:
        r, L = self.report, self.lang
        head = [self.p(tr("exams", L), "h2")]
        if not r.exams:
            return [KeepTogether([*head, self.p(tr("no_exams", L))])]
        rows: list[list[Any]] = [[tr("exam", L), tr("latest", L), tr("retraining", L), tr("history", L)]]
        extra: list[tuple[Any, ...]] = []
        for x in r.exams:
            rows.append([x.label, x.result, x.retrain_due or tr("nothing", L),
                         "\n".join(x.history) or tr("nothing", L)])
            k = len(rows) - 1
            tone = {"pass": MET, "fail": SHORT}.get(x.outcome or "", PENDING if x.clears else None)
            if tone is not None:
                extra.append(("BACKGROUND", (1, k), (1, k), tone))
            if x.retrain_due:
                extra.append(("BACKGROUND", (2, k), (2, k), SHORT))
        table = self.table(rows, [62 * mm, 34 * mm, 26 * mm, 58 * mm], extra=extra)
        rules = [self.p(f"{x.label} ({x.kind}" + (f", {tr('clears_to_work', L)}" if x.clears else "")
                        + f") — {tr('pass_rule', L)}: {x.pass_rule} ({tr('sources', L)}: {x.source})",
                        "small") for x in r.exams]
        return [CondPageBreak(KEEP), KeepTogether([*head, table]), Spacer(1, 1 * mm), *rules]

    def story(self) -> list[Any]:
        out = self._who() + self._status()
        return [KeepTogether(out)] + self._exams() + self._simulation() + self._stages()


def render_progress(report: ProgressReport) -> bytes:
    return ProgressRenderer(report).render()
