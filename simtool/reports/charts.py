"""Charts as reportlab ``Drawing``s: the debrief's vitals chart, the quality trend chart and a
trainee's indicator times over their drills (the portfolio).

Drawn from shapes rather than reportlab's chart widgets so every label goes through
``Drawn.string`` (font fallback and the glyph check) and state bands sit under the lines."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from simtool.reports.fonts import SANS, Drawn, fit

SERIES = (("hr", colors.HexColor("#c0392b")), ("sbp", colors.HexColor("#2563a8")),
          ("spo2", colors.HexColor("#1e8449")), ("blood_loss_ml", colors.HexColor("#7d3c98")))
BAND_FILLS = ("#f4f6f8", "#e6ecf2")
LABEL_CHARS = 60


def _label(drawn: Drawn, x: float, y: float, text: str, size: float = 6.5,
           anchor: str = "start", colour: colors.Color = colors.black) -> Group:
    """One label as a String per font run (the CJK font has no Latin letters); a label from
    data is cut with an ellipsis at ``LABEL_CHARS``."""
    parts = drawn.runs(fit(text, LABEL_CHARS))
    widths = [stringWidth(run, font, size) for font, run in parts]
    cx = x - {"start": 0.0, "middle": sum(widths) / 2, "end": sum(widths)}[anchor]
    g = Group()
    for (font, run), w in zip(parts, widths):
        g.add(String(cx, y, run, fontName=font, fontSize=size, fillColor=colour))
        cx += w
    return g


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = SANS  # the renderer would otherwise start in Helvetica, never embedded
    return d


def vitals_chart(drawn: Drawn, width: float, vitals: Sequence, bands: Sequence,
                 marks: Sequence[tuple[float, str]], names: dict[str, str], minutes: str,
                 duration_s: float) -> Drawing:
    """HR, SBP and SpO₂ on the left axis (0–200), cumulative blood loss on the right, state
    bands behind, a tick and a rotated label for each action."""
    height = 230.0
    d = _drawing(width, height)
    x0, x1, y0, y1 = 34.0, width - 40.0, 62.0, height - 22.0
    t_max = max(duration_s, max((v.t for v in vitals), default=0.0), 60.0)
    loss_max = max(500.0, max((v.blood_loss_ml for v in vitals), default=0.0))
    loss_max = ((loss_max // 500) + 1) * 500
    sx = lambda t: x0 + (x1 - x0) * t / t_max                  # noqa: E731
    sy = lambda v: y0 + (y1 - y0) * min(max(v, 0), 200) / 200  # noqa: E731
    sl = lambda v: y0 + (y1 - y0) * v / loss_max                # noqa: E731
    for i, b in enumerate(bands):
        d.add(Rect(sx(b.start), y0, sx(b.end) - sx(b.start), y1 - y0, strokeColor=None,
                   fillColor=colors.HexColor(BAND_FILLS[i % 2])))
        d.add(_label(drawn, sx(b.start) + 2, y1 + 3 + (i % 2) * 8, f"{i + 1}. {b.state}", 6))
    for v in range(0, 201, 50):
        d.add(Line(x0, sy(v), x1, sy(v), strokeColor=colors.HexColor("#cccccc"), strokeWidth=0.3))
        d.add(_label(drawn, x0 - 3, sy(v) - 2, str(v), 6, "end"))
    for k in range(0, 5):
        v = loss_max * k / 4
        d.add(_label(drawn, x1 + 3, sl(v) - 2, f"{v:g}", 6, colour=SERIES[3][1]))
    step = 300 if t_max <= 3600 else 600
    for t in range(0, int(t_max) + 1, step):
        d.add(Line(sx(t), y0, sx(t), y0 - 3, strokeWidth=0.5))
        d.add(_label(drawn, sx(t), y0 - 10, f"{t // 60}", 6, "middle"))
    d.add(_label(drawn, (x0 + x1) / 2, y0 - 19, minutes, 6.5, "middle"))
    d.add(Rect(x0, y0, x1 - x0, y1 - y0, strokeColor=colors.grey, fillColor=None, strokeWidth=0.5))
    for key, colour in SERIES:
        scale = sl if key == "blood_loss_ml" else sy
        pts = [(sx(v.t), scale(getattr(v, key))) for v in vitals]
        if len(pts) >= 2:
            d.add(PolyLine([c for p in pts for c in p], strokeColor=colour, strokeWidth=1.1))
    for t, label in marks:
        d.add(Line(sx(t), y0, sx(t), y1, strokeColor=colors.HexColor("#555555"), strokeWidth=0.4,
                   strokeDashArray=[1.5, 1.5]))
        g = _label(drawn, 0, 0, label, 5.5, colour=colors.HexColor("#333333"))
        g.translate(sx(t) + 2, y0 + 3)
        g.rotate(90)
        d.add(g)
    # legend under the axis
    x = x0
    for key, colour in SERIES:
        d.add(Line(x, 28, x + 12, 28, strokeColor=colour, strokeWidth=1.5))
        s = _label(drawn, x + 15, 26, names[key], 6.5)
        d.add(s)
        x += 20 + len(names[key]) * 4.2 + 10
    return d


def trend_chart(drawn: Drawn, width: float, quarters: Sequence[str],
                series: Sequence[tuple[str, Sequence[float | None]]], target_pct: float,
                target_label: str = "") -> Drawing:
    """Share of drills meeting each indicator by quarter (0–100 %), the target as a dashed line
    (labelled ``target_label`` at its right end). A quarter without a value breaks the line."""
    height = 170.0 + 10.0 * len(series)
    d = _drawing(width, height)
    x0, x1, y0, y1 = 30.0, width - 10.0, 28.0 + 10.0 * len(series), height - 10.0
    n = max(len(quarters), 1)
    sx = lambda i: x0 + (x1 - x0) * (i + 0.5) / n      # noqa: E731
    sy = lambda p: y0 + (y1 - y0) * p / 100            # noqa: E731
    for p in range(0, 101, 25):
        d.add(Line(x0, sy(p), x1, sy(p), strokeColor=colors.HexColor("#cccccc"), strokeWidth=0.3))
        d.add(_label(drawn, x0 - 3, sy(p) - 2, f"{p} %", 6, "end"))
    d.add(Line(x0, sy(target_pct), x1, sy(target_pct), strokeColor=colors.red, strokeWidth=0.8,
               strokeDashArray=[3, 2]))
    if target_label:
        d.add(_label(drawn, x1, sy(target_pct) + 2, target_label, 6, "end", colour=colors.red))
    for i, q in enumerate(quarters):
        d.add(_label(drawn, sx(i), y0 - 10, q, 6.5, "middle"))
    palette = [c for _, c in SERIES] + [colors.HexColor("#d35400"), colors.HexColor("#117a65")]
    for k, (name, values) in enumerate(series):
        colour = palette[k % len(palette)]
        pts = [(sx(i), sy(v)) for i, v in enumerate(values) if v is not None]
        run: list[tuple[float, float]] = []
        for i, v in enumerate([*values, None]):
            if v is not None:
                run.append((sx(i), sy(v)))
                continue
            if len(run) >= 2:
                d.add(PolyLine([c for p in run for c in p], strokeColor=colour, strokeWidth=1.2))
            run = []
        for x, y in pts:
            d.add(Rect(x - 1.8, y - 1.8, 3.6, 3.6, fillColor=colour, strokeColor=None))
        ly = 4 + 10 * (len(series) - 1 - k)
        d.add(Line(x0, ly + 2, x0 + 12, ly + 2, strokeColor=colour, strokeWidth=1.5))
        d.add(_label(drawn, x0 + 15, ly, name, 6.5))
    return d


MET_COLOUR, MISSED_COLOUR = colors.HexColor("#1e8449"), colors.HexColor("#c0392b")


def _nice_step(top: float) -> float:
    """A gridline step (in minutes) giving at most 6 lines up to ``top`` minutes."""
    for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0):
        if top / step <= 6:
            return step
    return 60.0 * (int(top / 360.0) + 1)


def time_trend_chart(drawn: Drawn, width: float, points: Sequence[tuple[str, float | None, bool]],
                     target_s: float | None, target_label: str = "", minutes: str = "min") -> Drawing:
    """One indicator's times over a trainee's drills: one point per drill (``(x label,
    seconds or None for not done, met)``), oldest left; met points green, missed red; a drill
    where it was not done is a red mark at the top. A line joins neighbouring timed points only
    (no line through a single point, none across a not-done drill). The target is a dashed
    line (``target_label``, if given, is written above the plot, where no point can cover
    it). The time axis is in minutes (``minutes`` names the unit above the axis)."""
    height = 118.0
    d = _drawing(width, height)
    x0, x1, y0, y1 = 30.0, width - 8.0, 24.0, height - 18.0
    n = max(len(points), 1)
    secs = [s for _, s, _ in points if s is not None]
    top = max([*secs, target_s or 0.0, 60.0]) * 1.15
    step = _nice_step(top / 60.0) * 60.0
    top = step * (int(top // step) + 1)
    sx = lambda i: x0 + (x1 - x0) * (i + 0.5) / n      # noqa: E731
    sy = lambda s: y0 + (y1 - y0) * min(s, top) / top  # noqa: E731
    v = 0.0
    while v <= top + 1e-9:
        d.add(Line(x0, sy(v), x1, sy(v), strokeColor=colors.HexColor("#cccccc"), strokeWidth=0.3))
        d.add(_label(drawn, x0 - 3, sy(v) - 2, f"{v / 60:g}", 6, "end"))
        v += step
    d.add(_label(drawn, x0 - 3, y1 + 8, minutes, 6, "end"))
    d.add(Rect(x0, y0, x1 - x0, y1 - y0, strokeColor=colors.grey, fillColor=None, strokeWidth=0.5))
    if target_s is not None:
        d.add(Line(x0, sy(target_s), x1, sy(target_s), strokeColor=colors.HexColor("#555555"),
                   strokeWidth=0.7, strokeDashArray=[3, 2]))
        if target_label:
            d.add(Line(x1 - 60, y1 + 10, x1 - 48, y1 + 10, strokeColor=colors.HexColor("#555555"),
                       strokeWidth=0.7, strokeDashArray=[3, 2]))
            d.add(_label(drawn, x1 - 45, y1 + 8, target_label, 6, colour=colors.HexColor("#555555")))
    # x labels: every drill when they fit, else the first, the last and evenly between
    room = max(int((x1 - x0) // 34), 2)
    shown = set(range(len(points))) if len(points) <= room else \
        {round(k * (len(points) - 1) / (room - 1)) for k in range(room)}
    for i, (label, _s, _m) in enumerate(points):
        d.add(Line(sx(i), y0, sx(i), y0 - 2, strokeWidth=0.4))
        if i in shown:
            d.add(_label(drawn, sx(i), y0 - 9, label, 5.5, "middle"))
    run: list[tuple[float, float]] = []
    for i, (_label_text, s, _m) in enumerate([*points, ("", None, False)]):
        if s is not None:
            run.append((sx(i), sy(s)))
            continue
        if len(run) >= 2:
            d.add(PolyLine([c for p in run for c in p], strokeColor=colors.HexColor("#2563a8"),
                           strokeWidth=0.9))
        run = []
    for i, (_l, s, met) in enumerate(points):
        colour = MET_COLOUR if met else MISSED_COLOUR
        if s is None:   # not done: a cross at the top edge
            x, y = sx(i), y1 - 4
            d.add(Line(x - 2.5, y - 2.5, x + 2.5, y + 2.5, strokeColor=MISSED_COLOUR, strokeWidth=1.2))
            d.add(Line(x - 2.5, y + 2.5, x + 2.5, y - 2.5, strokeColor=MISSED_COLOUR, strokeWidth=1.2))
            continue
        d.add(Rect(sx(i) - 2, sy(s) - 2, 4, 4, fillColor=colour, strokeColor=None))
    return d
