"""A test that must not hang the suite when the code under test waits on a pipe or reads a
device for ever: ``with deadline(10): ...`` fails it after ``seconds`` instead."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def deadline(seconds: float = 10.0) -> Iterator[None]:
    """Fail, instead of hanging the suite, when the body waits on a pipe or reads for ever."""
    def expired(*_: object) -> None:
        raise AssertionError(f"still running after {seconds:g} s: it waits or reads for ever")
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
