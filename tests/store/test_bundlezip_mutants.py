"""Tests that fail when bundlezip.py's behaviour breaks (issue 25: its surviving mutants)."""

from __future__ import annotations
