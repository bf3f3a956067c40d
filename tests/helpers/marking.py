"""Filling a scoring panel's sheet the way an examiner would, so that it can be signed."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def complete(panel, key: str) -> None:
    """Mark every examiner item still open (done, or the top level), give the global rating
    and rate every block element and overall rating on the ``key`` sheet — through the
    widgets, as a person would."""
    tab = panel.tabs_by_key[key]
    for item_id, widget in tab.mark_widgets.items():
        if isinstance(widget, QComboBox) and widget.currentData() is None:
            values = [widget.itemData(i) for i in range(widget.count())]
            numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
            widget.setCurrentIndex(widget.findData(max(numbers) if numbers else True))
    if tab.grade.isEnabled() and tab.grade.currentData() is None and tab.grade.count() > 1:
        tab.grade.setCurrentIndex(tab.grade.count() - 2)
    for block in tab.blocks.values():
        for box in block.boxes.values():
            if box.currentData() is None:
                box.setCurrentIndex(1)
    assert panel.missing(key) == [], panel.missing(key)
