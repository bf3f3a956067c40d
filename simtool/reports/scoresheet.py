"""The score sheet PDF: header block, item table, totals and verdict, non-technical skills,
comments, the signature block and the record hash. One or two A4 pages for a station."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from simtool.reports.base import MARGIN, ReportRenderer, cell_limit, pieces
from simtool.reports.i18n import tr
from simtool.reports.scoredata import ScoreSheetReport

STATUS_COLOURS = {"met": "#d7f0dc", "late": "#fdf0c8", "not met": "#f8d5d5",
                  "not observed": "#f8d5d5", "pending-examiner": "#e3e3e3"}


class ScoreSheetRenderer(ReportRenderer):
    report: ScoreSheetReport

    def title(self) -> str:
        return f"{self.report.title} — {self.report.subject}"

    def subject(self) -> str:
        r = self.report
        return f"{r.scenario} {r.scenario_version} · {tr('drill', self.lang)} {r.drill_id}"

    def story(self) -> list[Any]:
        r, L = self.report, self.lang
        out: list[Any] = [self.p(r.title, "title")]
        if not r.record_sha256:
            # a draft printed to look at must never pass for the signed sheet
            out.append(self.table([[self.p(tr("draft_banner", L), "body", bold=True)]],
                                  [180 * mm], header=False,
                                  extra=[("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fdf0c8")),
                                         ("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#b58900"))]))
            out.append(Spacer(1, 3 * mm))
        info = [
            [tr("scenario", L), f"{r.scenario} ({tr('version', L)} {r.scenario_version})",
             tr("date", L), r.date],
            [tr("drill", L), r.drill_id, tr("evaluation_type", L), r.evaluation_type],
            [tr("trainee", L) if r.role else tr("team", L), r.subject, tr("role", L), r.role or "—"],
            [tr("examiners", L), ", ".join(r.examiners) or "—", "", ""],
        ]
        out.append(self.table(info, [22 * mm, 83 * mm, 25 * mm, 50 * mm], header=False,
                              extra=[("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8edf2")),
                                     ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#e8edf2")),
                                     ("SPAN", (1, 3), (3, 3))]))
        out.append(Spacer(1, 4 * mm))
        rows: list[list[Any]] = [[tr("item", L), tr("result", L), tr("points", L), tr("time", L),
                                  tr("evidence", L)]]
        extra = []
        for n, item in enumerate(r.items, start=1):
            label = ("★ " if item.critical else "") + item.label
            evidence = item.evidence + (("\n" + item.override) if item.override else "")
            rows.append([label, item.result, item.points, item.evidence_time, evidence])
            colour = STATUS_COLOURS.get(item.status)
            if colour:
                extra.append(("BACKGROUND", (1, n), (1, n), colors.HexColor(colour)))
        out.append(self.table(rows, [66 * mm, 24 * mm, 14 * mm, 14 * mm, 62 * mm], extra=extra))
        out.append(self.p(tr("critical_note", L), "small"))
        out.append(Spacer(1, 3 * mm))
        colour = {"pass": "#d7f0dc", "fail": "#f8d5d5"}.get(r.verdict_code, "#e3e3e3")
        verdict = [[tr("total", L), f"{r.total} · {tr('cut_score', L)} {r.cut_score}"],
                   [tr("verdict", L), self.p(r.verdict, "big")],
                   ["", r.verdict_reason]]
        if r.global_grade:
            verdict.append([tr("global_grade", L), r.global_grade])
        out.append(self.table(verdict, [30 * mm, 150 * mm], header=False,
                              extra=[("BACKGROUND", (1, 1), (1, 2), colors.HexColor(colour))]))
        if r.nts:
            out.append(self.p(tr("nts", L), "h2"))
            out.append(self.table([[tr("nts", L), "", tr("points", L)]] +
                                  [[n.block, n.category, n.score] for n in r.nts],
                                  [60 * mm, 60 * mm, 60 * mm]))
        out.append(self.p(tr("comments", L), "h2"))
        # the examiner's words are shown whole: a long comment continues row after row
        comment = [[c] for c in pieces(r.comment, cell_limit(180 * mm, self.styles["cell"].fontSize))]
        out.append(self.table(comment or [[" "]], [180 * mm], header=False,
                              extra=[("BOTTOMPADDING", (0, -1), (-1, -1), 14)]))
        sign = [
            self.p(tr("signature", L), "h2"),
            self.table(([[r.amended, ""]] if r.amended else []) +
                       [[r.signed, ""], [tr("record_hash", L), r.record_sha256 or "—"],
                        [tr("audit_head", L), r.audit_head]], [50 * mm, 130 * mm], header=False,
                       extra=[("SPAN", (0, 0), (1, 0))] + ([("SPAN", (0, 1), (1, 1))] if r.amended else [])
                       + [("BOTTOMPADDING", (0, 1 if r.amended else 0), (-1, 1 if r.amended else 0), 16)]),
            self.p(r.sheet, "small"),
        ]
        out.append(KeepTogether(sign))
        return out


    def footer(self, canv: Any, page: int, pages: int) -> None:
        """A signed sheet carries the audit chain's head on every page: a copy outside the
        archive that shows later whether the archive's log was cut or replaced."""
        super().footer(canv, page, pages)
        head = chain_head_line(self.report)
        if head:
            self._line(canv, MARGIN, 4.5 * mm, head, 7)
        if not self.report.record_sha256:
            self._draft_mark(canv)

    def _draft_mark(self, canv: Any) -> None:
        """"DRAFT" across every page of an unsigned sheet, light enough to read through."""
        from reportlab.lib.pagesizes import A4
        w, h = A4
        canv.saveState()
        canv.setFillColor(colors.Color(0.72, 0.55, 0.0, alpha=0.16))
        canv.translate(w / 2, h / 2)
        canv.rotate(40)
        text = tr("draft_mark", self.lang)
        for font, run in self.drawn.runs(text):
            size = 110
            canv.setFont(font, size)
            canv.drawCentredString(0, -size / 3, run)
        canv.restoreState()


def chain_head_line(report: ScoreSheetReport) -> str:
    """"Audit chain head: 1234 / 9f2c…" (the first 16 hex digits) for a signed sheet, else ""."""
    if not report.record_sha256 or not report.audit_head.startswith("#"):
        return ""
    seq, _, sha = report.audit_head[1:].partition(" ")
    return f"{tr('audit_head', report.lang)}: {seq} / {sha[:16]}…"


def render_score_sheet(report: ScoreSheetReport) -> bytes:
    return ScoreSheetRenderer(report).render()
