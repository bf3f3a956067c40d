"""Pure-Python core: scenario model, drill engine, physiology, scoring.

Nothing here imports Qt, SQLite or reportlab (tests/test_layers.py enforces it), and nothing
reads the wall clock: time advances only through ``Drill.tick``.
"""
