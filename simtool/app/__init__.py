"""The use cases, under every face: the window (``simtool.ui``), the command line
(``simtool.cli``) and the coming exam server ask and show; what a use case does — which records
it writes, in how many transactions, which rules it checks first — is decided here, once.

Pure Python on ``simtool.core`` and ``simtool.store``: no Qt, no PDF (an import-linter contract
in pyproject.toml keeps it so). Started with issue 24; so far:

- ``live``: a drill as it is played and recorded (``LiveDrill``: start with its setup checked,
  resume in the record's language, vitals every 5 s and at the end, the 10-second undo, events
  heard only once durable) — the window's ``DrillSession`` and ``simtool run`` are its faces;
- ``setup``: the rules a drill's setup must meet before it starts (a summative or high-stakes
  drill needs an examiner);
- ``sheets``: storing a drill's sheets, and storing and signing one, each as one transaction;
- ``debriefnotes``: the PEARLS debrief notes and the trainee's reflection, kept in the archive
  as they are typed (every change a new record, the history kept).
"""
