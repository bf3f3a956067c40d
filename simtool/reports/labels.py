"""Where labels go so that none overlaps another: pure Python (no reportlab, no Qt), shared by
the debrief PDF's chart (``simtool.reports.charts``) and the debrief screen's chart."""

from __future__ import annotations

from collections.abc import Sequence


def lanes(spans: Sequence[tuple[float, float]], gap: float = 2.0) -> list[int]:
    """A lane for each (left, right) span so that no two spans of one lane come closer than
    ``gap``: each span, taken left to right, goes in the lowest lane free at its left edge."""
    ends: list[float] = []
    out = [0] * len(spans)
    for i in sorted(range(len(spans)), key=lambda k: spans[k][0]):
        left, right = spans[i]
        lane = next((n for n, end in enumerate(ends) if end + gap <= left), len(ends))
        if lane == len(ends):
            ends.append(right)
        else:
            ends[lane] = right
        out[i] = lane
    return out


def spread(wanted: Sequence[float], widths: Sequence[float], lo: float, hi: float,
           gap: float = 1.5) -> list[float] | None:
    """Left edges, in the given order, for boxes of ``widths`` that want to be centred at
    ``wanted`` (sorted): neighbours that would touch are moved apart as a group centred on
    where they want to be, and kept between ``lo`` and ``hi``. None if they cannot all fit
    in one row."""
    if sum(widths) + gap * max(len(widths) - 1, 0) > hi - lo:
        return None
    groups: list[list[float]] = []   # [left, width, sum of (wanted left - offset), count]
    for c, w in zip(wanted, widths):
        groups.append([c - w / 2, w, c - w / 2, 1])
        while len(groups) > 1 and groups[-2][0] + groups[-2][1] + gap > groups[-1][0]:
            b = groups.pop()
            a = groups[-1]
            offset = a[1] + gap
            a[2] += b[2] - offset * b[3]
            a[3] += b[3]
            a[1] = offset + b[1]
            a[0] = min(max(a[2] / a[3], lo), hi - a[1])
        g = groups[-1]
        g[0] = min(max(g[0], lo), hi - g[1])
    right = None   # clamping at ``hi`` may push a group onto the one before: move that left
    for g in reversed(groups):
        if right is not None:
            g[0] = min(g[0], right - gap - g[1])
        right = g[0]
    # the group's members, left to right (its count and widths in order)
    lefts: list[float] = []
    k = 0
    for g in groups:
        x = g[0]
        for _ in range(int(g[3])):
            lefts.append(x)
            x += widths[k] + gap
            k += 1
    return lefts
