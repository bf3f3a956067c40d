"""The debrief report PDF: timeline, vitals chart, expected actions, indicators, flags, the
debrief notes kept in the archive and what went well and what to improve under the PEARLS
headings (room to write where no note was kept), the trainee's reflection, team items,
references. With key frames (asked for), each flag has the video's picture at its moment
beside it."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Image, Paragraph, Spacer

from simtool.reports.base import ReportRenderer, cell_limit
from simtool.reports.charts import vitals_chart
from simtool.reports.debriefdata import DebriefReport, NoteRow, TimelineRow
from simtool.reports.fonts import SANS, SANS_BOLD, fit
from simtool.reports.i18n import tr

RESULT_COLOURS = {"met": "#d7f0dc", "late": "#fdf0c8", "missed": "#f8d5d5"}
CORRECTION_COLOUR = "#8a1c1c"
FLAG_COLOUR = "#c62828"
EVENT_WIDTH = 122 * mm
FRAME_WIDTH, FRAME_HEIGHT = 42 * mm, 32 * mm   # a key frame beside its flag


class DebriefRenderer(ReportRenderer):
    report: DebriefReport

    def title(self) -> str:
        return f"{self.report.title} — {self.report.trainee}"

    def subject(self) -> str:
        r = self.report
        return f"{r.scenario} {r.scenario_version} · {tr('drill', self.lang)} {r.drill_id}"

    def stylesheet(self) -> dict[str, ParagraphStyle]:
        styles = super().stylesheet()
        # a heading stays on the page of what follows it
        styles["h2"] = ParagraphStyle("h2k", parent=styles["h2"], keepWithNext=1)
        styles["h3"] = ParagraphStyle("h3", parent=styles["body"], fontName=SANS_BOLD, keepWithNext=1)
        return styles

    def h2(self, text: str, room: float = 30 * mm) -> list[Any]:
        """A section heading, on a new page unless ``room`` is left under it: a heading is
        never the last line of a page."""
        return [CondPageBreak(room), self.p(text, "h2")]

    def h3(self, text: str) -> list[Any]:
        return [CondPageBreak(18 * mm), self.p(text, "h3")]

    def _event_cell(self, row: TimelineRow) -> Any:
        """A timeline entry; a corrected action as corrected: what was first logged struck
        through, the record as it now stands beside it (a struck action: nothing), and the
        correction with its reason."""
        if not row.corrected:
            return row.text
        limit = cell_limit(EVENT_WIDTH, self.styles["cell"].fontSize) // 3
        was = f"<strike>{self.drawn.markup(fit(row.was, limit), SANS)}</strike>"
        why = f'<font color="{CORRECTION_COLOUR}" size="7">{self.drawn.markup(fit(row.why, limit), SANS)}</font>'
        if row.corrected == "struck":
            body = f"{was}<br/>{why}"
        else:
            body = f"{was} → {self.drawn.markup(fit(row.text, limit), SANS)}<br/>{why}"
        return Paragraph(body, self.styles["cell"])

    def _flags_with_frames(self) -> Any:
        """Each flag with the video picture at its moment beside it (key frames, when asked)."""
        r, L = self.report, self.lang
        rows: list[list[Any]] = [[tr("flags", L), tr("key_frame", L)]]
        for text, frame in zip(r.flags, r.key_frames or ()):
            cell: list[Any] = []
            if frame.image is not None:
                reader = ImageReader(io.BytesIO(frame.image))
                w, h = reader.getSize()
                scale = min(FRAME_WIDTH / w, FRAME_HEIGHT / h)
                cell.append(Image(io.BytesIO(frame.image), width=w * scale, height=h * scale))
            cell.append(self.p(frame.caption, "small"))
            rows.append([text, cell])
        return self.table(rows, [180 * mm - FRAME_WIDTH - 6, FRAME_WIDTH + 6])

    def _bullets(self, lines: tuple[str, ...]) -> list[Any]:
        if not lines:
            return [self.p(tr("nothing", self.lang))]
        return [self.p(f"• {line}") for line in lines]

    def _note(self, note: NoteRow | None, room: bool = True) -> list[Any]:
        """A kept note under its heading, as typed (markup characters print as themselves;
        one paragraph per line, so a long note breaks across pages), and who noted it when;
        without one, ``room`` to write by hand."""
        if note is None:
            return [Spacer(1, 8 * mm)] if room else []
        out: list[Any] = []
        for line in note.text.strip("\n").split("\n"):
            out.append(self.p(line) if line.strip() else Spacer(1, 2 * mm))
        out.append(self.p(note.by, "small"))
        out.append(Spacer(1, 2 * mm))
        return out

    def story(self) -> list[Any]:
        r, L = self.report, self.lang
        width = 180 * mm
        out: list[Any] = [self.p(r.title, "title")]
        out.append(self.table([
            [tr("scenario", L), f"{r.scenario} ({tr('version', L)} {r.scenario_version})", tr("date", L), r.date],
            [tr("drill", L), r.drill_id, tr("trainee", L), r.trainee],
            [tr("outcome", L), r.outcome, "", ""],
            [tr("audit_head", L), r.audit_head, "", ""]],
            [22 * mm, 83 * mm, 25 * mm, 50 * mm], header=False,
            extra=[("SPAN", (1, 2), (3, 2)), ("SPAN", (1, 3), (3, 3)), ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8edf2")),
                   ("BACKGROUND", (2, 0), (2, 1), colors.HexColor("#e8edf2"))]))
        names = {"hr": tr("hr", L), "sbp": tr("sbp", L), "spo2": tr("spo2", L),
                 "blood_loss_ml": tr("blood_loss", L)}
        chart = vitals_chart(self.drawn, width, r.vitals, r.bands, r.action_marks, names,
                             tr("minutes", L), r.duration_s)
        out += self.h2(tr("vitals_chart", L), chart.height + 12 * mm)
        out.append(chart)
        if r.action_marks:   # what each number on the chart is: its event number in the record
            out += self.h3(tr("chart_marks", L))
            rows = [[tr("number", L), tr("time", L), tr("event", L), tr("by", L)]]
            extra = []
            for k, m in enumerate(r.action_marks, start=1):
                text = f"{tr('flag_mark', L)}: {m.text}" if m.kind == "flag" else m.text
                rows.append([str(m.n), m.time, text, m.by])
                if m.kind == "flag":
                    extra.append(("TEXTCOLOR", (0, k), (0, k), colors.HexColor(FLAG_COLOUR)))
            out.append(self.table(rows, [18 * mm, 16 * mm, 106 * mm, 40 * mm], extra=extra))
        out += self.h2(tr("expected_actions", L))
        rows: list[list[Any]] = [[tr("item", L), tr("status", L), tr("done_at", L), tr("due_by", L), tr("by", L)]]
        extra = []
        for n, e in enumerate(r.expected, start=1):
            rows.append([e.label, e.result, e.done, e.due, e.by])
            if e.status in RESULT_COLOURS:
                extra.append(("BACKGROUND", (1, n), (1, n), colors.HexColor(RESULT_COLOURS[e.status])))
        out.append(self.table(rows, [80 * mm, 25 * mm, 20 * mm, 20 * mm, 35 * mm], extra=extra))
        out += self.h2(tr("indicators", L))
        rows = [[tr("indicator", L), tr("seconds", L), tr("target", L), tr("result", L)]]
        extra = []
        for n, i in enumerate(r.indicators, start=1):
            code = {True: "met", False: "missed", None: "not applicable"}[i.met]
            rows.append([i.label, i.seconds, "≤ " + i.target, tr(code, L)])
            if code in RESULT_COLOURS:
                extra.append(("BACKGROUND", (3, n), (3, n), colors.HexColor(RESULT_COLOURS[code])))
        out.append(self.table(rows, [95 * mm, 25 * mm, 25 * mm, 35 * mm], extra=extra))
        out += self.h2(tr("flags", L))
        if r.flags and r.key_frames:
            out.append(self._flags_with_frames())
        else:
            out += self._bullets(r.flags) if r.flags else [self.p(tr("no_flags", L))]
        if r.key_frames_note:
            out.append(self.p(r.key_frames_note, "small"))
        out += self.h2(tr("pearls", L))
        notes = {n.phase: n for n in r.notes}
        for phase in ("reactions", "description"):
            out += self.h3(tr(f"pearls_{phase}", L))
            out += self._note(notes.get(phase))
        out += self.h3(tr("pearls_analysis", L))
        out += self._note(notes.get("analysis"), room=False)
        out += self.h3(tr("went_well", L))
        out += self._bullets(r.went_well)
        out += self.h3(tr("to_improve", L))
        out += self._bullets(r.to_improve)
        out.append(Spacer(1, 3 * mm))
        out += self.h3(tr("pearls_summary", L))
        out += self._note(notes.get("summary"))
        if "reflection" in notes:
            out += self.h3(tr("pearls_reflection", L))
            out += self._note(notes["reflection"])
        if r.team_items:
            out += self.h2(tr("team_items", L))
            out.append(self.table([[tr("item", L), tr("result", L), tr("points", L)]] +
                                  [list(t) for t in r.team_items], [120 * mm, 35 * mm, 25 * mm]))
        out += self.h2(tr("timeline", L))
        rows = [[tr("time", L), tr("event", L), tr("by", L)]]
        rows += [[row.time, self._event_cell(row), row.by] for row in r.timeline]
        out.append(self.table(rows, [18 * mm, EVENT_WIDTH, 40 * mm]))
        out += self.h2(tr("references", L))
        out += [self.p(f"[{n}] {ref}", "small") for n, ref in enumerate(r.references, start=1)]
        return out


def render_debrief(report: DebriefReport) -> bytes:
    return DebriefRenderer(report).render()
