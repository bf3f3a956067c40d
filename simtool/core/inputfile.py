"""Reading an input file safely: regular files only, and never more than a size limit.

``open()`` on a FIFO waits for a writer for ever, ``/dev/zero`` never ends and a directory
cannot be read; every reader of a user-given path (YAML files, CSV files) goes through
``read_bytes`` so each of these is one clear sentence instead of a hang or a MemoryError.
The file is opened without blocking and checked with ``fstat`` on the open descriptor, so a
path swapped for a FIFO after a check cannot hang the read either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from simtool.core.errors import SimtoolError
from simtool.core.limits import describe_bytes


class InputFileError(SimtoolError):
    """An input path that is not a readable regular file within the size limit."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def read_bytes(path: str | Path, max_bytes: int, what: str = "this kind of file",
               display: str | None = None) -> bytes:
    """The whole content of the regular file ``path``, at most ``max_bytes`` long.

    Raises ``InputFileError`` naming the path for a missing or unreadable file, a folder, a
    FIFO, a device, or a file over the limit (``what`` says which kind of file the limit is for)."""
    name = display or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) \
        | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise InputFileError(name, "is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise InputFileError(name, f"is {kind}")
        chunks: list[bytes] = []
        left = max_bytes + 1  # one byte more than allowed tells an over-size file
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise InputFileError(name, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise InputFileError(name, f"is larger than {describe_bytes(max_bytes)}, the limit for {what}")
    return data


def read_text(path: str | Path, max_bytes: int, what: str = "this kind of file",
              display: str | None = None) -> str:
    """``read_bytes`` decoded as UTF-8 with newlines translated, as ``Path.read_text`` does.

    Raises ``InputFileError`` also for text that is not UTF-8."""
    data = read_bytes(path, max_bytes, what, display)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputFileError(display or str(path),
                             f"line {line}: not UTF-8 text ({exc.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
