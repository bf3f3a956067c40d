"""Shared test helpers, imported as ``helpers.<module>`` (``tests/`` is on ``sys.path`` through
``pythonpath`` in pyproject.toml).

Fixtures stay in the ``conftest.py`` files; plain values and functions live here, because
``from conftest import ...`` finds whichever conftest pytest loaded last (tests/ui's when a
tests/store file and a tests/ui file run in one call).

- ``helpers.paths``: ROOT, SCENARIOS, PPH, SCRIPTS, RUBRICS, STORE_DATA;
- ``helpers.archive``: FakeClock, TEAM, PATIENT, play, start_recorded, file_sha, raw, fingerprint;
- ``helpers.drills``: a bundled scenario driven to a boundary — a team with one person per
  role, a marker made to happen its own way, a dose no rule flags, ``fork`` of a drill;
- ``helpers.rulecases``: the action catalogue's limits as boundary cases, and a still scenario
  to log them in;
- ``helpers.mutation``: loaded data as mutable plain data, and every path in it;
- ``helpers.tools``: ``require_tools`` — a test that needs an external program fails, never skips,
  when the program is missing.
"""
