"""One drill being recorded as it happens, and what may be shown as logged.

``Archive.record(drill_id, drill)`` returns a ``Recording``: it is subscribed to the drill and
stores each event as the drill emits it. Whether an event may be shown as logged is decided
here, per event, from what the store reports: an event committed in the archive or fsync'd in
a journal is durable and is passed to the recording's listeners at once; an event that only
memory holds (the archive and every journal refused it) is not, and neither is any later event
(the order of the record is kept) until a later write, a flush or ``Archive.settle`` makes it
durable — then the waiting events are passed on, in order. So a listener of the recording (the
CLI's printer, the window's event list) never shows an event that could still be lost, whatever
order anything subscribed to the drill in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simtool.core.drill import Drill
from simtool.core.events import Event
from simtool.store.journal import Journalled

if TYPE_CHECKING:  # pragma: no cover
    from simtool.store.archive import Archive

Listener = Callable[[Event], None]


class Recording:
    """What ``Archive.record`` returns; calling it (or ``stop()``) stops recording."""

    def __init__(self, archive: "Archive", drill_id: str, drill: Drill,
                 on_journal: Callable[[Journalled], None] | None = None,
                 on_stored: Listener | None = None) -> None:
        self.archive = archive
        self.drill_id = drill_id
        self.drill = drill
        self._on_journal = on_journal
        self._listeners: list[Listener] = [on_stored] if on_stored is not None else []
        # events not yet passed on: (event, its entry while memory holds it, else None)
        self._waiting: deque[tuple[Event, dict[str, Any] | None]] = deque()
        self._releasing = False
        stored = {r[0] for r in archive._conn.execute(
            "SELECT seq FROM events WHERE drill_id = ?", (drill_id,)).fetchall()}
        archive._settle_listeners.append(self._release)
        archive._recordings[drill_id] = self
        for event in list(drill.events):
            if event.seq in stored:
                self._waiting.append((event, None))
            else:
                self._store(event)
        self._unsubscribe = drill.subscribe(self._store)
        self._release()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each later event once it is durable; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @property
    def waiting(self) -> tuple[Event, ...]:
        """Events not yet shown because they (or an earlier one) are held only in memory."""
        return tuple(e for e, _entry in self._waiting)

    def stop(self) -> None:
        self._unsubscribe()
        if self._release in self.archive._settle_listeners:
            self.archive._settle_listeners.remove(self._release)
        if self.archive._recordings.get(self.drill_id) is self:
            del self.archive._recordings[self.drill_id]

    __call__ = stop

    def _store(self, event: Event) -> None:
        entry = self.archive._event_entry(self.drill_id, event)
        kept = self.archive._durable(entry)   # raises only when the archive refuses the event
        if kept is not None and self._on_journal is not None:
            self._on_journal(kept)
        self._waiting.append((event, None if kept is None or kept.durable else entry))
        self._release()

    def _release(self) -> None:
        """Pass on, in order, every waiting event that is now durable."""
        if self._releasing:
            return  # a listener acted on the drill: the loop below picks the new event up
        self._releasing = True
        try:
            while self._waiting:
                event, entry = self._waiting[0]
                if entry is not None and self.archive._is_held(entry):
                    break
                self._waiting.popleft()
                for listener in list(self._listeners):
                    listener(event)
        finally:
            self._releasing = False
