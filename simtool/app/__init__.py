"""The use cases, under every face: the window (``simtool.ui``), the command line
(``simtool.cli``) and the coming exam server ask and show; what a use case does — which records
it writes, in how many transactions, which rules it checks first — is decided here, once.

Pure Python on ``simtool.core`` and ``simtool.store``: no Qt, no PDF (an import-linter contract
in pyproject.toml keeps it so). Started with issue 24; so far:

- ``setup``: the rules a drill's setup must meet before it starts (a summative or high-stakes
  drill needs an examiner);
- ``sheets``: storing a drill's sheets, and storing and signing one, each as one transaction.
"""
