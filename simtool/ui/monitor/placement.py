"""Where the patient monitor goes when there is only one screen: beside or below the
console, never over it.

Plain rectangles ``(x, y, width, height)`` in screen pixels, so the rule is tested without a
window system. With two screens the monitor goes full-screen on the one the console is not
on (``LiveFlow``); this module is for the one-screen case:

1. the monitor takes the free strip beside the console (right, then left) when it is at
   least ``MIN_MONITOR`` wide, or below it when it is at least ``MIN_MONITOR_H`` high;
2. otherwise the console gives up width down to ``MIN_CONSOLE`` (the narrowest it stays
   usable: its palette and log still read whole) and the monitor takes the rest, about
   three tenths of the screen;
3. a screen too small for both (under ``MIN_CONSOLE + MIN_MONITOR_NARROW``) keeps the
   console whole and puts the monitor behind it (``behind=True``): the instructor shows it
   with "Show monitor", knowing it will cover the console.
"""

from __future__ import annotations

from dataclasses import dataclass

Rect = tuple[int, int, int, int]

MIN_MONITOR = 480          # a free strip this wide beside the console is used as it is
MIN_MONITOR_H = 320        # ... or this high below it
MIN_MONITOR_NARROW = 380   # the narrowest monitor whose numbers still read (one column)
MIN_CONSOLE = 900          # the console's palette and log read whole down to this width
MONITOR_SHARE = 0.3        # of the screen's width, when the console has to make room


@dataclass(frozen=True)
class Placement:
    monitor: Rect
    console: Rect | None = None   # the console's new frame, when it had to make room
    behind: bool = False          # no room: the monitor waits behind the console


def _right(r: Rect) -> int:
    return r[0] + r[2]


def _bottom(r: Rect) -> int:
    return r[1] + r[3]


def place_beside(available: Rect, console: Rect) -> Placement:
    """Where the monitor goes on a screen whose free area is ``available`` when the console's
    window frame is ``console`` (both in the same screen coordinates)."""
    ax, ay, aw, ah = available
    # the part of the console on this screen
    cx0, cy0 = max(ax, console[0]), max(ay, console[1])
    cx1, cy1 = min(ax + aw, _right(console)), min(ay + ah, _bottom(console))
    if cx1 <= cx0 or cy1 <= cy0:        # the console is elsewhere: the whole screen is free
        return Placement((ax, ay, aw, ah))
    right, left = ax + aw - cx1, cx0 - ax
    below = ay + ah - cy1
    if right >= MIN_MONITOR:
        return Placement((cx1, ay, right, ah))
    if left >= MIN_MONITOR:
        return Placement((ax, ay, left, ah))
    if below >= MIN_MONITOR_H:
        return Placement((ax, cy1, aw, below))
    monitor_w = max(MIN_MONITOR_NARROW, round(aw * MONITOR_SHARE))
    console_w = aw - monitor_w
    if console_w < MIN_CONSOLE:
        console_w = MIN_CONSOLE
        monitor_w = aw - console_w
    if monitor_w < MIN_MONITOR_NARROW:
        return Placement((ax, ay, aw, ah), behind=True)
    return Placement((ax + console_w, ay, monitor_w, ah),
                     console=(ax, ay, console_w, min(ah, console[3])))


def overlaps(a: Rect, b: Rect) -> bool:
    """Whether two rectangles share any pixel."""
    return a[0] < _right(b) and b[0] < _right(a) and a[1] < _bottom(b) and b[1] < _bottom(a)
