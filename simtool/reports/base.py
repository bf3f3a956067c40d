"""The renderer every report derives from (pretix's habit): overridable steps — fonts,
stylesheet, story, page decoration — over a ``BaseDocTemplate`` with a first-page and a
later-page template, and "page N of M" in the footer.

A renderer turns one plain report-data object into PDF bytes; it computes nothing.

Any name fits: text in a table cell wraps (a long word is split) and is cut with an ellipsis
only past what a cell can hold without outgrowing a page (``cell_limit``); the running header
is cut to its half of the line; markup characters are escaped (``Drawn.markup``) and what no
font has is drawn as U+FFFD (``fonts.runs``)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

from simtool.reports.common import Header
from simtool.reports.fonts import CJK, ELLIPSIS, SANS, SANS_BOLD, Drawn, drawable, fit, register_fonts
from simtool.reports.i18n import PDF_LANG, tr

MARGIN = 15 * mm
GRID = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#e8edf2")
CELL_LINES = 30        # the most lines a table cell holds: a row never outgrows a page
META_CHARS = 300       # title, subject and author in the PDF's metadata


def pieces(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, broken at a line break or a space
    where there is one in the second half of a piece — for a free text (an examiner's comment)
    that must be shown whole, row after row, rather than cut."""
    out: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        out.append(rest)
    return out


def cell_limit(width: float, font_size: float) -> int:
    """How many characters a cell ``width`` points wide holds in ``CELL_LINES`` lines, counting
    every character a full em (as wide as a Chinese one)."""
    return max(12, int(max(width - 6, font_size) / font_size) * CELL_LINES)


class _NumberedCanvas(rl_canvas.Canvas):
    """Holds pages back until the end so the footer can say how many there are."""

    footer: Any = None   # set per build: callable(canvas, page, pages)

    def __init__(self, *args: Any, **kw: Any) -> None:
        # reportlab otherwise opens every page in Helvetica, a font it never embeds
        kw["initialFontName"] = kw.get("initialFontName") or SANS
        super().__init__(*args, **kw)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self.footer is not None:
                self.footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


class ReportRenderer:
    """Override ``story`` (and ``title``/``subject``); the rest is shared."""

    def __init__(self, report: Any) -> None:
        self.report = report
        self.lang: str = report.lang
        self.header: Header = report.header
        self.drawn = Drawn()
        self.fonts()
        self.styles = self.stylesheet()

    # --- overridable steps ---------------------------------------------------------------
    def fonts(self) -> None:
        register_fonts()

    def stylesheet(self) -> dict[str, ParagraphStyle]:
        base = ParagraphStyle("body", fontName=SANS, fontSize=9, leading=12)
        return {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
            "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
            "title": ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=15, leading=19,
                                    spaceAfter=4),
            "h2": ParagraphStyle("h2", parent=base, fontName=SANS_BOLD, fontSize=11, leading=14,
                                 spaceBefore=8, spaceAfter=4),
            "big": ParagraphStyle("big", parent=base, fontName=SANS_BOLD, fontSize=13, leading=17),
        }

    def title(self) -> str:
        return str(self.report.title)

    def subject(self) -> str:
        return str(self.report.title)

    def story(self) -> list[Any]:
        raise NotImplementedError

    def decorate(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        """The running header on every page: institution, department, report title."""
        canv.saveState()
        w, h = doc.pagesize
        left = " · ".join(x for x in (self.header.institution, self.header.department) if x)
        half = (w - 2 * MARGIN) / 2 - 3 * mm
        self._line(canv, MARGIN, h - 10 * mm, left, 8, max_width=half)
        self._line(canv, w - MARGIN, h - 10 * mm, self.title(), 8, right=True, max_width=half)
        canv.setStrokeColor(GRID)
        canv.line(MARGIN, h - 11.5 * mm, w - MARGIN, h - 11.5 * mm)
        canv.restoreState()

    def footer(self, canv: rl_canvas.Canvas, page: int, pages: int) -> None:
        w, _ = A4
        canv.saveState()
        canv.setStrokeColor(GRID)
        canv.line(MARGIN, 12 * mm, w - MARGIN, 12 * mm)
        self._line(canv, MARGIN, 8 * mm, self.report.generated, 7, max_width=(w - 2 * MARGIN) * 0.7)
        self._line(canv, w - MARGIN, 8 * mm, tr("page", self.lang, n=page, m=pages), 7, right=True)
        canv.restoreState()

    # --- helpers -------------------------------------------------------------------------
    def _line(self, canv: rl_canvas.Canvas, x: float, y: float, text: str, size: float,
              right: bool = False, max_width: float | None = None) -> None:
        """Draw one line of text directly on the canvas, font run by font run; cut with an
        ellipsis to ``max_width`` points."""
        text = drawable(text, one_line=True)
        if max_width is not None:
            text = self._fit_width(canv, text, size, max_width)
        parts = self.drawn.runs(text)
        width = sum(canv.stringWidth(run, f, size) for f, run in parts)
        cx = x - width if right else x
        for f, run in parts:
            canv.setFont(f, size)
            canv.drawString(cx, y, run)
            cx += canv.stringWidth(run, f, size)

    @staticmethod
    def _fit_width(canv: rl_canvas.Canvas, text: str, size: float, max_width: float) -> str:
        from simtool.reports.fonts import runs

        def width(t: str) -> float:
            return sum(canv.stringWidth(run, f, size) for f, run in runs(t))

        if width(text) <= max_width:
            return text
        lo, hi = 0, len(text)   # the longest prefix that fits with the ellipsis
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if width(text[:mid] + ELLIPSIS) <= max_width:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + ELLIPSIS

    def p(self, text: str, style: str = "body", bold: bool = False) -> Paragraph:
        st = self.styles[style]
        return Paragraph(self.drawn.markup(text, SANS_BOLD if bold or st.fontName == SANS_BOLD else SANS), st)

    def table(self, rows: list[list[Any]], widths: list[float], header: bool = True,
              extra: list[tuple[Any, ...]] = ()) -> Table:
        """A grid table; plain strings become wrapped paragraphs, each cut with an ellipsis
        past what its column holds in ``CELL_LINES`` lines."""
        size = self.styles["cell"].fontSize
        limits = [cell_limit(w, size) for w in widths]
        cells = [[self.p(fit(c, limits[k]), "cell", bold=header and r == 0) if isinstance(c, str) else c
                  for k, c in enumerate(row)] for r, row in enumerate(rows)]
        t = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
        style = [("FONTNAME", (0, 0), (-1, -1), SANS),  # the default, Helvetica, is never embedded
                 ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        t.setStyle(TableStyle(style + list(extra)))
        return t

    # --- building ------------------------------------------------------------------------
    @staticmethod
    def _meta(text: str) -> str:
        """A metadata string: one line, no controls or lone surrogates, not too long."""
        return fit(drawable(text, one_line=True), META_CHARS)

    def render(self) -> bytes:
        buf = io.BytesIO()
        doc = BaseDocTemplate(
            buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
            bottomMargin=16 * mm, title=self._meta(self.title()), author=self._meta(self.header.author),
            subject=self._meta(self.subject()), creator="simtool", lang=PDF_LANG[self.lang],
            initialFontName=SANS)
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate("first", [frame], onPage=self.decorate,
                                           autoNextPageTemplate="later"),
                              PageTemplate("later", [frame], onPage=self.decorate)])
        story = self.story()
        canvas_cls = type("Canvas", (_NumberedCanvas,), {"footer": staticmethod(self.footer)})
        doc.build(story, canvasmaker=canvas_cls)
        return buf.getvalue()


__all__ = ["ReportRenderer", "CJK", "SANS", "SANS_BOLD", "MARGIN", "GRID", "SHADE"]
