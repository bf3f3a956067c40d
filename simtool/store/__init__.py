"""The drill archive (SQLite through sqlite-utils). Imports no Qt.

Public API (see each module's docstring):

- ``Archive`` (``archive.py``, ``sheets.py``): ``Archive.open(path, busy_timeout_s=5.0)``;
  drills, events, vitals, crash recovery (``resume``), trainees and examiners (corrected only
  by ``update_trainee`` / ``update_examiner``, audited), score sheets, sign-off, amendments,
  ``flush_journal``, ``verify``.
- ``checkpoint.py``: the audit-chain head of each archive, kept in the per-user data folder.
- ``export_bundle`` / ``import_bundle`` / ``ImportReport`` (``bundle.py``).
- ``write_drills_csv`` / ``write_scores_csv`` (``export.py``).
- records (``records.py``): ``Trainee``, ``Examiner``, ``DrillInfo``, ``ParticipantInfo``,
  ``HistoryEntry``, ``Sheet``, ``SheetItem``, ``Amendment``, ``FlushReport``; ``Journalled``
  (``journal.py``).
- errors (``errors.py``), all ``SimtoolError``s: ``ArchiveError`` and its kinds
  ``ArchiveVersionError``, ``ArchiveLockedError``, ``ArchiveWriteError`` (and its kind
  ``ArchiveDamagedError``), ``NotFoundError``, ``SignedRecordError``, ``BundleError``.
- schema history (``schema.py``): ``CURRENT_VERSION``, ``MIGRATIONS``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# each public name and the module it lives in: loaded when first asked for, so that importing a
# light part of the store (``location``, ``errors``, ``outputs``) does not load SQLite and
# sqlite-utils with it — the window starts without the archive and opens it when first needed
_WHERE = {
    "Archive": "archive", "ImportReport": "bundle", "export_bundle": "bundle",
    "import_bundle": "bundle", "write_drills_csv": "export", "write_scores_csv": "export",
    "Journalled": "journal", "CURRENT_VERSION": "schema",
    **{name: "errors" for name in ("ArchiveDamagedError", "ArchiveError", "ArchiveLockedError",
                                   "ArchiveVersionError", "ArchiveWriteError", "BundleError",
                                   "NotFoundError", "SignedRecordError")},
    **{name: "records" for name in ("Amendment", "DrillInfo", "Examiner", "FlushReport",
                                    "HistoryEntry", "ParticipantInfo", "Sheet", "SheetItem",
                                    "Trainee")},
}

if TYPE_CHECKING:
    from simtool.store.archive import Archive
    from simtool.store.bundle import ImportReport, export_bundle, import_bundle
    from simtool.store.errors import (ArchiveDamagedError, ArchiveError, ArchiveLockedError,
                                      ArchiveVersionError, ArchiveWriteError, BundleError,
                                      NotFoundError, SignedRecordError)
    from simtool.store.export import write_drills_csv, write_scores_csv
    from simtool.store.journal import Journalled
    from simtool.store.records import (Amendment, DrillInfo, Examiner, FlushReport, HistoryEntry,
                                       ParticipantInfo, Sheet, SheetItem, Trainee)
    from simtool.store.schema import CURRENT_VERSION


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'simtool.store' has no attribute '{name}'")
    value = getattr(import_module(f"simtool.store.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Amendment", "Archive", "ArchiveDamagedError", "ArchiveError", "ArchiveLockedError", "ArchiveVersionError",
    "ArchiveWriteError", "BundleError", "CURRENT_VERSION", "DrillInfo", "Examiner",
    "FlushReport", "HistoryEntry", "ImportReport", "Journalled", "NotFoundError",
    "ParticipantInfo", "Sheet", "SheetItem", "SignedRecordError", "Trainee", "export_bundle",
    "import_bundle", "write_drills_csv", "write_scores_csv",
]
