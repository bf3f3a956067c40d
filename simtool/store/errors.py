"""Errors the archive reports to a user as one sentence; each names the file it is about."""

from __future__ import annotations

from simtool.core.errors import SimtoolError


class ArchiveError(SimtoolError):
    """The archive cannot do what was asked (bad file, unknown record, refused change)."""


class ArchiveVersionError(ArchiveError):
    """The archive was made by a newer simtool; it is refused and left untouched."""


class ArchiveLockedError(ArchiveError):
    """Another simtool held the archive's write lock for longer than the busy timeout."""


class ArchiveWriteError(ArchiveError):
    """The archive cannot be written now: read-only, disk full or an I/O error."""


class ArchiveDamagedError(ArchiveWriteError):
    """The archive file is damaged (``PRAGMA quick_check`` failed, pages unreadable, a table
    missing); nothing was written to it. A write that is journalled keeps its data."""


class NotFoundError(ArchiveError):
    """No drill, score sheet, trainee or examiner with that id is in the archive."""


class SignedRecordError(ArchiveError):
    """A signed score sheet (or a signed drill) was asked to change; record an amendment."""


class BundleError(ArchiveError):
    """A bundle file is truncated, corrupt, foreign or from a newer simtool; nothing imported."""
