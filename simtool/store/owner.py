"""Which process owns a running drill, and whether that process is still alive.

A drill records the host, pid and (where the OS tells us) the process start time of the simtool
that runs it. A ``running`` or ``paused`` drill whose owner is on this host and no longer alive
was interrupted (a crash, a kill, a power cut) and is offered for resumption. The start time
guards against a recycled pid; a zombie (killed but not yet reaped) counts as dead. Owners on
other hosts cannot be checked and are taken at their word.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    start: str | None = None


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) from /proc on Linux; None elsewhere or if gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


def this_process() -> Owner:
    stat = _proc_stat(os.getpid())
    return Owner(socket.gethostname(), os.getpid(), stat[1] if stat else None)


def _windows_alive(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def is_alive(owner: Owner) -> bool | None:
    """True or False for an owner on this host; None when it is on another host."""
    if owner.host != socket.gethostname():
        return None
    if sys.platform == "win32":
        return owner.pid == os.getpid() or _windows_alive(owner.pid)
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, belongs to someone else
    stat = _proc_stat(owner.pid)
    if stat is None:
        return True
    state, start = stat
    if state in ("Z", "X"):
        return False
    return owner.start is None or owner.start == start
