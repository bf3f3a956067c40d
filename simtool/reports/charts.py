"""Charts as reportlab ``Drawing``s: the debrief's vitals chart, the quality trend chart and a
trainee's indicator times over their drills (the portfolio).

Drawn from shapes rather than reportlab's chart widgets so every label goes through
``Drawn.string`` (font fallback and the glyph check) and state bands sit under the lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from simtool.reports.labels import lanes, spread
from simtool.core.vitalcolours import BLOOD_LOSS_COLOUR, CASING_COLOUR, VITAL_COLOURS
from simtool.reports.fonts import SANS, Drawn, drawable, fit, runs

SERIES = (("hr", colors.HexColor(VITAL_COLOURS["hr"])), ("sbp", colors.HexColor(VITAL_COLOURS["bp"])),
          ("spo2", colors.HexColor(VITAL_COLOURS["spo2"])), ("blood_loss_ml", colors.HexColor(BLOOD_LOSS_COLOUR)))
CASING = colors.HexColor(CASING_COLOUR)
# indicator trends are not vitals: dark, distinct lines on paper
TREND_PALETTE = tuple(colors.HexColor(c) for c in ("#c0392b", "#2563a8", "#1e8449", "#7d3c98",
                                                   "#d35400", "#117a65"))
BAND_FILLS = ("#f4f6f8", "#e6ecf2")
LABEL_CHARS = 60
MARK_COLOURS = {"action": colors.HexColor("#37474f"), "flag": colors.HexColor("#c62828")}


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


@dataclass(frozen=True)
class Placed:
    """One label of a chart where the layout put it: ``x``, ``y`` is the baseline start, the
    box (``left``, ``bottom``, ``right``, ``top``) what its letters cover."""
    text: str
    x: float
    y: float
    size: float
    width: float
    kind: str = "text"     # text, band, mark, legend
    colour: str = "#000000"

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x, self.y - 0.25 * self.size, self.x + self.width, self.y + 0.9 * self.size)


def _hex(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]


def text_width(text: str, size: float) -> float:
    """How wide ``text`` is drawn, font run by font run, cut as ``_label`` cuts it."""
    return sum(stringWidth(run, font, size) for font, run in runs(drawable(fit(text, LABEL_CHARS), one_line=True)))


def overlapping(labels: Sequence[Placed]) -> list[tuple[Placed, Placed]]:
    """Every pair of labels whose boxes intersect (touching is not overlapping)."""
    out = []
    for i, a in enumerate(labels):
        al, ab, ar, at = a.box
        for b in labels[i + 1:]:
            bl, bb, br, bt = b.box
            if al < br and bl < ar and ab < bt and bb < at:
                out.append((a, b))
    return out


@dataclass(frozen=True)
class VitalsLayout:
    height: float
    x0: float
    x1: float
    y0: float
    y1: float
    t_max: float
    loss_max: float
    labels: tuple[Placed, ...]
    # per mark: (x of its time, x of its number, bottom of its number, kind)
    ticks: tuple[tuple[float, float, float, str], ...]

    def sx(self, t: float) -> float:
        return self.x0 + (self.x1 - self.x0) * t / self.t_max


MARK_SIZE, BAND_SIZE, AXIS_SIZE, LEGEND_SIZE = 6.0, 6.0, 6.0, 6.5
LANE = 8.5            # the height of one lane of numbers or state names above the plot
LEADER = 6.0          # how high a leader climbs from the plot's top to its number
PLOT_HEIGHT = 150.0


def vitals_layout(width: float, bands: Sequence, marks: Sequence, names: dict[str, str],
                  minutes: str, duration_s: float, vitals: Sequence = ()) -> VitalsLayout:
    """Where every label of the vitals chart goes. The numbers of the marks (``n``, ``t``,
    ``kind``) stand in lanes above the plot, each over a dashed line at its time; the state
    names in lanes above them; so no two labels ever overlap, however close the events (the
    list under the chart says what each number is)."""
    x0, x1 = 34.0, width - 40.0
    t_max = max(duration_s, max((v.t for v in vitals), default=0.0), 60.0)
    loss_max = max(500.0, max((v.blood_loss_ml for v in vitals), default=0.0))
    loss_max = ((loss_max // 500) + 1) * 500
    sx = lambda t: x0 + (x1 - x0) * min(max(t, 0.0), t_max) / t_max   # noqa: E731
    labels: list[Placed] = []
    # the legend under the axis, wrapped onto a second row when the names do not fit
    legend: list[tuple[float, int, str, str]] = []
    x, row = x0, 0
    for key, colour in SERIES:
        w = 15 + text_width(names[key], LEGEND_SIZE)
        if x > x0 and x + w > width - 2:
            x, row = x0, row + 1
        legend.append((x, row, key, _hex(colour)))
        x += w + 12
    rows = row + 1
    legend_h = 10.0 * rows
    y0 = legend_h + 26.0
    y1 = y0 + PLOT_HEIGHT
    for x, row, key, colour in legend:
        labels.append(Placed(names[key], x + 15, 4 + 10 * (rows - 1 - row), LEGEND_SIZE,
                             text_width(names[key], LEGEND_SIZE), "legend", colour))
    sy = lambda v: y0 + (y1 - y0) * v / 200                  # noqa: E731
    sl = lambda v: y0 + (y1 - y0) * v / loss_max             # noqa: E731
    for v in range(0, 201, 50):
        w = text_width(str(v), AXIS_SIZE)
        labels.append(Placed(str(v), x0 - 3 - w, sy(v) - 2, AXIS_SIZE, w))
    for k in range(0, 5):
        v = loss_max * k / 4
        labels.append(Placed(f"{v:g}", x1 + 3, sl(v) - 2, AXIS_SIZE, text_width(f"{v:g}", AXIS_SIZE),
                             "text", _hex(SERIES[3][1])))
    step = 300 if t_max <= 3600 else 600 if t_max <= 4 * 3600 else 1800
    for t in range(0, int(t_max) + 1, step):
        w = text_width(f"{t // 60}", AXIS_SIZE)
        labels.append(Placed(f"{t // 60}", sx(t) - w / 2, y0 - 10, AXIS_SIZE, w, "tick"))
    w = text_width(minutes, LEGEND_SIZE)
    labels.append(Placed(minutes, (x0 + x1) / 2 - w / 2, y0 - 19, LEGEND_SIZE, w))
    # the marks' numbers in one row above the plot, each joined to its time by a leader
    # (close marks are spread apart, in order, so leaders never cross); when too many for one
    # row, in lanes over their times
    order = sorted(marks, key=lambda m: (m.t, m.n))
    widths = [text_width(str(m.n), MARK_SIZE) + 3 for m in order]
    lefts = spread([sx(m.t) for m in order], widths, x0 - 6, width - 1)
    if lefts is not None:
        mark_lanes = [0] * len(order)
        boxes = [(left, left + w) for left, w in zip(lefts, widths)]
        rise = LEADER
    else:
        boxes = [(min(max(sx(m.t) - w / 2, x0 - 6), width - w - 1),) for m, w in zip(order, widths)]
        boxes = [(b[0], b[0] + w) for b, w in zip(boxes, widths)]
        mark_lanes = lanes(boxes, 1.0)
        rise = 0.0
    n_mark = max(mark_lanes, default=-1) + 1
    ticks = []
    for m, (left, right), lane in zip(order, boxes, mark_lanes):
        y = y1 + 4 + rise + lane * LANE
        labels.append(Placed(str(m.n), left + 1.5, y, MARK_SIZE, right - left - 3, "mark",
                             _hex(MARK_COLOURS.get(m.kind, MARK_COLOURS["action"]))))
        ticks.append((sx(m.t), (left + right) / 2, y - 0.25 * MARK_SIZE - 0.5, m.kind))
    # the states' names above the numbers, in lanes of their own
    base = y1 + 4 + n_mark * LANE + (2 + rise if n_mark else 0)
    spans = []
    texts = []
    for i, b in enumerate(bands):
        text = f"{i + 1}. {b.state}"
        w = text_width(text, BAND_SIZE)
        left = min(sx(b.start) + 2, width - w - 1)
        spans.append((left, left + w))
        texts.append((text, w))
    band_lanes = lanes(spans, 4.0)
    for (text, w), (left, _r), lane in zip(texts, spans, band_lanes):
        labels.append(Placed(text, left, base + lane * LANE, BAND_SIZE, w, "band"))
    height = base + (max(band_lanes, default=-1) + 1) * LANE + 2
    return VitalsLayout(height, x0, x1, y0, y1, t_max, loss_max, tuple(labels), tuple(ticks))


def vitals_chart(drawn: Drawn, width: float, vitals: Sequence, bands: Sequence,
                 marks: Sequence, names: dict[str, str], minutes: str,
                 duration_s: float) -> Drawing:
    """HR, SBP and SpO₂ on the left axis (0–200) and cumulative blood loss on the right, in the
    monitor's colours (``simtool.core.vitalcolours``, each line on a dark edge so cyan and
    yellow read on paper); state bands behind; each mark (a ``ChartMark``: ``n``, ``t``,
    ``kind``) a dashed line up to its number. Labels are where ``vitals_layout`` puts them."""
    lay = vitals_layout(width, bands, marks, names, minutes, duration_s, vitals)
    d = _drawing(width, lay.height)
    x0, x1, y0, y1 = lay.x0, lay.x1, lay.y0, lay.y1
    sx = lay.sx
    sy = lambda v: y0 + (y1 - y0) * min(max(v, 0), 200) / 200  # noqa: E731
    sl = lambda v: y0 + (y1 - y0) * v / lay.loss_max            # noqa: E731
    for i, b in enumerate(bands):
        d.add(Rect(sx(b.start), y0, sx(b.end) - sx(b.start), y1 - y0, strokeColor=None,
                   fillColor=colors.HexColor(BAND_FILLS[i % 2])))
    for v in range(0, 201, 50):
        d.add(Line(x0, sy(v), x1, sy(v), strokeColor=colors.HexColor("#cccccc"), strokeWidth=0.3))
    for p in lay.labels:
        if p.kind == "tick":
            d.add(Line(p.x + p.width / 2, y0, p.x + p.width / 2, y0 - 3, strokeWidth=0.5))
    d.add(Rect(x0, y0, x1 - x0, y1 - y0, strokeColor=colors.grey, fillColor=None, strokeWidth=0.5))
    for key, colour in SERIES:
        scale = sl if key == "blood_loss_ml" else sy
        pts = [c for v in vitals for c in (sx(v.t), scale(getattr(v, key)))]
        if len(pts) >= 4:
            d.add(PolyLine(pts, strokeColor=CASING, strokeWidth=2.0))
            d.add(PolyLine(pts, strokeColor=colour, strokeWidth=1.2))
    for x, cx, top, kind in lay.ticks:
        colour = MARK_COLOURS.get(kind, MARK_COLOURS["action"])
        d.add(Line(x, y0, x, y1, strokeColor=colour, strokeWidth=0.4, strokeDashArray=[1.5, 1.5]))
        if top > y1:   # the leader from the plot's top edge to the number
            d.add(PolyLine([x, y1, x, y1 + 1.5, cx, top - 1.0, cx, top], strokeColor=colour,
                           strokeWidth=0.4))
    for p in lay.labels:
        d.add(_label(drawn, p.x, p.y, p.text, p.size,
                     colour=colors.black if p.kind == "legend" else colors.HexColor(p.colour)))
        if p.kind == "legend":   # the text in black, the line in the series' colour
            colour = colors.HexColor(p.colour)
            d.add(Line(p.x - 15, p.y + 2, p.x - 3, p.y + 2, strokeColor=CASING, strokeWidth=2.3))
            d.add(Line(p.x - 15, p.y + 2, p.x - 3, p.y + 2, strokeColor=colour, strokeWidth=1.5))
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
    palette = list(TREND_PALETTE)
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
