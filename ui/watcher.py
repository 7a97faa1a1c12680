"""Other desks' changes and presence: polls the change feed on the database thread, turns it into data_changed."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from models import store
from models.store import Changes
from ui.context import AppContext

log = logging.getLogger(__name__)

# SHARING.md: a cheap poll every couple of seconds; presence heartbeats about once a minute.
POLL_MS = 2000
HEARTBEAT_MS = 30_000
PRESENCE_MS = 10_000
EVERYTHING = Changes(frozenset(), frozenset({"client", "timeline", "promise", "staff", "score"}))


class Watcher(QObject):
    """Keeps this desk in step with the others: one refresh path, whoever wrote."""

    presence_changed = Signal(object)
    """Who else is online now (a list of models.store.Presence, this desk left out)."""

    connection_changed = Signal(bool)
    """The database stopped answering (False) or answers again (True)."""

    def __init__(self, ctx: AppContext, app_version: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.app_version = app_version
        self.session: str | None = None
        self.last_id = 0
        self.client_id: int | None = None
        self.online: list[store.Presence] = []
        self._polling = False
        self._connected = True
        self.poll_timer = QTimer(self, interval=POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.heartbeat_timer = QTimer(self, interval=HEARTBEAT_MS)
        self.heartbeat_timer.timeout.connect(self.heartbeat)
        self.presence_timer = QTimer(self, interval=PRESENCE_MS)
        self.presence_timer.timeout.connect(self.read_presence)

    def start(self) -> None:
        """Register this desk and start following the feed from the newest change."""
        staff_id = self.ctx.staff_id

        def begin() -> tuple[str, int]:
            return store.start_session(staff_id, app_version=self.app_version), store.latest_change_id()

        self.ctx.tasks.run(begin, self._on_started, self._on_failed)

    def _on_started(self, result: tuple[str, int]) -> None:
        self.session, self.last_id = result
        for timer in (self.poll_timer, self.heartbeat_timer, self.presence_timer):
            timer.start()
        self.read_presence()

    def stop(self) -> None:
        """This desk is closing: stop polling and say goodbye (best effort)."""
        for timer in (self.poll_timer, self.heartbeat_timer, self.presence_timer):
            timer.stop()
        if self.session:
            session, self.session = self.session, None
            self.ctx.tasks.run(lambda: store.end_session(session), None, lambda err: None)

    # --- the feed ---
    def poll(self) -> None:
        if self._polling or self.session is None:
            return
        self._polling = True
        after, session = self.last_id, self.session
        self.ctx.tasks.run(lambda: store.poll(after, skip_origin=session), self._on_polled, self._on_failed)

    def _on_polled(self, result: tuple[int, Changes]) -> None:
        self._polling = False
        self.last_id, changes = result
        if not self._connected:
            self._connected = True
            self.connection_changed.emit(True)
            self.ctx.events.data_changed.emit(EVERYTHING)  # after a gap, everything may have moved: resync
        elif changes:
            self.ctx.events.data_changed.emit(changes)

    def _on_failed(self, error: Any) -> None:
        self._polling = False
        if self._connected:
            self._connected = False
            log.warning("the change feed stopped answering: %s", getattr(error, "message", error))
            self.connection_changed.emit(False)

    # --- presence ---
    def viewing(self, client_id: int | None) -> None:
        """This desk opened another client: tell the others now, not at the next heartbeat."""
        if client_id != self.client_id:
            self.client_id = client_id
            self.heartbeat()

    def heartbeat(self) -> None:
        if self.session is None:
            return
        session, staff_id, client_id = self.session, self.ctx.staff_id, self.client_id
        self.ctx.tasks.run(lambda: store.heartbeat(session, staff_id=staff_id, client_id=client_id), None,
                           self._on_failed)

    def read_presence(self) -> None:
        if self.session is None:
            return
        session = self.session
        self.ctx.tasks.run(lambda: store.online(exclude=session), self._on_presence_read, self._on_failed)

    def _on_presence_read(self, online: list[store.Presence]) -> None:
        if [(p.session_id, p.staff_id, p.client_id) for p in online] != \
                [(p.session_id, p.staff_id, p.client_id) for p in self.online]:
            self.online = online
            self.presence_changed.emit(online)

    def others_on(self, client_id: int) -> list[str]:
        """Names of colleagues at other desks who have this client open."""
        return sorted({p.staff_name or p.host for p in self.online if p.client_id == client_id})


def online_text(online: list[store.Presence]) -> str:
    """The status bar's line: 'Also online: Ben Okafor (FRONT-2), Chloé Martin'."""
    if not online:
        return "No other desk is online"
    names = []
    for p in online:
        names.append(f"{p.staff_name} ({p.host})" if p.staff_name else p.host)
    return "Also online: " + ", ".join(names)


def also_here_text(names: list[str]) -> str:
    """The client header's line: 'Ben Okafor is also on this client'."""
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} is also on this client"
    return f"{', '.join(names[:-1])} and {names[-1]} are also on this client"
