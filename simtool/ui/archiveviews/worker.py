"""Long work off the GUI thread: one helper, a success and a failure callback.

``run_in_background(job, on_success, on_failure)`` runs ``job()`` on the global
``QThreadPool``; its return value (or the exception it raised) comes back to the GUI thread
through a queued signal, so the callbacks may touch widgets and the job never does. A job
that needs the archive opens its own ``Archive``: one is not shared between threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]

# relays waiting for their job; held here so Python does not collect them mid-flight
_pending: set["_Relay"] = set()


class _Relay(QObject):
    """Lives on the GUI thread: the worker emits, the relay's slots run the callbacks there."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_success: Success, on_failure: Failure) -> None:
        super().__init__()
        self._on_success, self._on_failure = on_success, on_failure
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, value: Any) -> None:
        _pending.discard(self)
        self._on_success(value)

    @Slot(object)
    def _deliver_failure(self, exc: BaseException) -> None:
        _pending.discard(self)
        self._on_failure(exc)


class _Job(QRunnable):
    def __init__(self, job: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._job, self._relay = job, relay

    def run(self) -> None:
        try:
            value = self._job()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(value)


def run_in_background(job: Callable[[], Any], on_success: Success, on_failure: Failure,
                      pool: QThreadPool | None = None) -> None:
    """Run ``job`` on a pool thread; ``on_success(result)`` or ``on_failure(exc)`` follows on
    the GUI thread. Call from the GUI thread."""
    relay = _Relay(on_success, on_failure)
    app = QCoreApplication.instance()
    if app is not None:
        relay.moveToThread(app.thread())
    _pending.add(relay)
    (pool or QThreadPool.globalInstance()).start(_Job(job, relay))
