"""The office and the person at the desk: open and switch them, then the after-start and maintenance work.

The session owns no widgets. It tells the window what happened through its signals (an office is opening, it
opened or failed, somebody must say who is at the desk, the desk is ready), and the window shows it.
"""
from __future__ import annotations

import logging
import threading
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from models import APP_VERSION, store
from models.store import ChangeKind, Changes, Office, StaffMember, StoreError
from ui import settings as desk
from ui.context import AppContext
from ui.drafts import Drafts
from ui.search_upkeep import SearchUpkeep
from ui.watcher import Watcher

if TYPE_CHECKING:  # built on first use, after the window is usable
    from collections.abc import Callable

    from models.store import FirstLook
    from ui.dialogs.backups import AutoBackup
    from ui.notify import Notifier

log = logging.getLogger(__name__)
# Promises fall due and scores fade with no write at all: refresh the views this often, and at midnight.
CLOCK_TICK_MS = 60_000
FULL_REFRESH_MINUTES = 5
AFTER_READY_LATEST_MS = 3000  # Today and the rest come after the list; at the latest this long after start
# The start-up backup and health check each hold the database thread a second or so in a big office: they
# wait until the receptionist's first clicks are answered.
MAINTENANCE_DELAY_MS = 15_000
OPENING = "Opening the office database..."
# After a first look (store.first_look), the store opens the office once the first rows are painted; at the latest
# this long after (a window never shown).
OPEN_AFTER_A_LOOK_AT_THE_LATEST_S = 2.0


class Session(QObject):
    """One office database open at this desk, and who is at the desk."""

    opening = Signal(str)
    """An office is being opened (or left): the sentence to show meanwhile."""

    looked = Signal(object)
    """A first look at the office (store.first_look) read the client list's first rows (a list of ClientRow) before
    the store opened it: the list shows them as its own first read (start-up budget, issue 10)."""

    opened = Signal(object)
    """The office database is open (a models.store.Office); the team is being read."""

    open_failed = Signal(object)
    """The office could not be opened (a StoreError with its sentence)."""

    staff_needed = Signal()
    """Nobody is known to be at this desk: the window asks who (ctx.team is the team)."""

    staff_found = Signal(object)
    """The desk remembers (or was told) this person (a StaffMember) but they have a PIN: the window asks it."""

    staff_set = Signal(object, bool)
    """This person is at the desk now (a StaffMember; True when the desk just became usable)."""

    ready = Signal()
    """The list is on screen: the after-start work ran (Today, notices); the window may show Today."""

    left = Signal()
    """The open office was left (before another opens): the window forgets what it showed."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.office: Office | None = None
        self.location = ""
        self.drafts: Drafts | None = None
        self.notifier: Notifier | None = None
        self.auto_backup: AutoBackup | None = None
        self._wanted_staff: str | None = None
        self._create = True
        self._demo = False
        self._after_ready_pending = False
        self._looked = False  # the window shows a first look at the office: the store opens it once that is painted
        self._open_gate: threading.Event | None = None  # (what the store's opening waits for, after a first look)
        self._open_it: Callable[[], Office] | None = None
        self._last_date = date.today()
        self._ticks = 0
        self.watcher = Watcher(ctx, APP_VERSION, self)
        ctx.others_on = self.watcher.others_on
        self.watcher.presence_changed.connect(ctx.events.presence_changed)
        self.watcher.connection_changed.connect(self._on_watcher_connection_changed)
        self.clock = QTimer(self, interval=CLOCK_TICK_MS)
        self.clock.timeout.connect(self._on_clock_timeout)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        ctx.events.busy_changed.connect(self._on_events_busy_changed)
        self.search_upkeep = SearchUpkeep(ctx, self)  # issue 14: the index after a change of the office's country

    # --- the office ---
    def start(self, location: str, *, demo: bool = False, allow_cloud: bool = False, staff: str | None = None,
              create: bool = True, first_rows: int = 0) -> None:
        """Open the database on the database thread; the window is already on screen meanwhile.

        `staff` names who is at the desk (the --staff option); otherwise the desk remembers or asks.
        `create=False` (the office this desk remembers) never makes a new, empty office where it used to
        be: a missing file is said, and "Try again" keeps that promise too (issue 12).
        `first_rows` (the desk app): first look at a SQLite office for that many of the list's first rows and the
        team (store.first_look, without the ORM), and open it with the store once they are painted.
        """
        self._wanted_staff = staff
        self._demo = demo
        self.location = location
        self._create = create
        self._looked = False
        self._let_the_store_open()
        self.opening.emit(OPENING)

        def open_it() -> Office:
            office = store.open(location, allow_cloud=allow_cloud, create=create)
            if demo and office.created:
                from models.demo import seed_demo
                seed_demo()
            return office

        self._open_it = open_it
        if first_rows and not demo and not location.startswith(("postgresql://", "postgres://")):
            self.ctx.tasks.run(lambda: store.first_look(location, first_rows), self._on_first_look,
                               lambda _error: self._open())
            return
        self._open()

    def _open(self, gate: threading.Event | None = None) -> None:
        open_it = self._open_it
        if open_it is None:
            return

        def job() -> Office:
            if gate is not None:  # (the database thread waits without the GIL: the window paints meanwhile)
                gate.wait(OPEN_AFTER_A_LOOK_AT_THE_LATEST_S)
            return open_it()
        self.ctx.tasks.run(job, self._on_database_opened, self._on_open_failed)

    def _on_first_look(self, look: FirstLook | None) -> None:
        here = None if look is None else self._at_the_desk(look.team, look.location)
        if look is None or here is None or here.has_pin:
            # Not a file to just look at (the store opens it as always, and says what is wrong), or a name or a PIN
            # to ask for: that needs the store, which opens the office first, as always.
            self._open()
            return
        # The store's opening is queued first, so every store call the desk makes from here on comes after it; it
        # waits until the first rows are painted (first_rows_painted).
        self._looked = True
        self._open_gate = threading.Event()
        self._open(self._open_gate)
        self.ctx.database = look.location
        self.looked.emit(look.rows)
        self.ctx.team = look.team
        self.ctx.events.team_changed.emit()
        self.set_staff(here)

    def _let_the_store_open(self) -> None:
        if self._open_gate is not None:
            self._open_gate.set()
            self._open_gate = None

    def switch(self, location: str, allow_cloud: bool = False, *, create: bool = True) -> None:
        """Open another office database at this desk (and remember it for the next start)."""
        self.leave(OPENING)
        desk.remember_location(self.ctx.settings, location, allow_cloud)
        self.start(location, allow_cloud=allow_cloud, create=create)

    def retry(self, allow_cloud: bool = False) -> None:
        self.switch(self.location, allow_cloud, create=self._create)

    @property
    def created_here(self) -> bool:
        """The open office was made by this start (not a demo): its first start, when its country is settled."""
        return self.office is not None and self.office.created and not self._demo

    def leave(self, doing: str) -> None:
        """Stop working on the open office (before another one opens): nothing of this desk touches it after."""
        self.left.emit()  # the window flushes its drafts into the office they belong to first
        self.watcher.stop()
        if self.notifier is not None:
            self.notifier.stop()
        if self.auto_backup is not None:
            self.auto_backup.stop()
        self.ctx.staff = None
        self.ctx.database = ""
        self._after_ready_pending = False
        self._looked = False
        self._let_the_store_open()  # (an opening queued after a first look does not wait any more)
        self.opening.emit(doing)

    def _on_database_opened(self, office: Office) -> None:
        looked, self._looked = self._looked, False
        self.office = office
        self.ctx.database = office.location
        self.drafts = self.ctx.drafts = Drafts(office.location)
        for warning in office.warnings:
            self.ctx.events.error_reported.emit(warning)
        self.opened.emit(office)
        if looked:  # the desk is set up from the first look: the team as the store reads it, then the rest
            self.ctx.tasks.run(store.list_staff, self._on_team_refreshed)
            self.run_after_ready()
            return
        self.ctx.tasks.run(store.list_staff, self._on_team_loaded)

    def _on_open_failed(self, error: StoreError) -> None:
        if self._looked:  # the window shows the first look's rows: it leaves them for what went wrong
            self.leave(OPENING)
        self.open_failed.emit(error)

    # --- the person at the desk ---
    def _on_team_loaded(self, team: list[StaffMember]) -> None:
        self.ctx.team = team
        self.ctx.events.team_changed.emit()
        match = self._at_the_desk(team, self.ctx.database)
        if self._wanted_staff and match is None:
            self.ctx.events.error_reported.emit(
                f"Nobody called {self._wanted_staff} is on the team; choose who is at the desk.")
        if match is not None and match.has_pin:
            self.staff_found.emit(match)
        elif match is not None:
            self.set_staff(match)
        else:
            self.staff_needed.emit()

    def _at_the_desk(self, team: list[StaffMember], database: str) -> StaffMember | None:
        """Who is at the desk, of `team`: the person named at start (--staff), else the one it remembers."""
        if self._wanted_staff:
            wanted = self._wanted_staff.casefold()
            return next((m for m in team if m.name.casefold() == wanted), None)
        remembered = desk.remembered_staff(self.ctx.settings, database)
        return next((m for m in team if str(m.id) == remembered), None)

    def set_staff(self, member: StaffMember) -> None:
        """This person is at the desk now: every write from here on is recorded under their name."""
        first = self.ctx.staff is None
        self.ctx.staff = member
        desk.remember_staff(self.ctx.settings, self.ctx.database, member.id)
        if member.id not in {m.id for m in self.ctx.team}:
            self.ctx.tasks.run(store.list_staff, self._on_team_refreshed)
        self.staff_set.emit(member, first)
        self.ctx.events.staff_changed.emit(member)
        if first:
            self.clock.start()
            self._after_ready_pending = True  # once the list is on screen (start-up budget, DESIGN.md)
            QTimer.singleShot(AFTER_READY_LATEST_MS, self, self.run_after_ready)
        else:
            self.watcher.heartbeat()

    def _on_watcher_connection_changed(self, connected: bool) -> None:
        if connected:
            self.ctx.events.message_reported.emit("The office database is answering again; everything is up to date.")
        else:
            self.ctx.events.error_reported.emit(
                "The office database is not answering (the network or the shared folder may be down). What you "
                "type is kept; Rapport keeps trying.")

    def _on_events_busy_changed(self, busy: bool) -> None:
        if not busy:
            self.ctx.events.message_reported.emit("The shared database is answering again; everything is saved.")

    def _on_team_refreshed(self, team: list[StaffMember]) -> None:
        self.ctx.team = team
        self.ctx.events.team_changed.emit()

    def _on_events_data_changed(self, changes: Changes) -> None:
        if ChangeKind.STAFF in changes.kinds and self.ctx.database:
            self.ctx.tasks.run(store.list_staff, self._on_team_refreshed)

    # --- after start, and maintenance ---
    def first_rows_painted(self) -> None:
        """The list's first rows are on screen: after a first look, the store opens the office now."""
        self._let_the_store_open()

    def run_after_ready(self) -> None:
        """Once the list is on screen (or at the latest AFTER_READY_LATEST_MS): Today, notices, maintenance."""
        if not self._after_ready_pending:
            return
        if self._looked:  # the first rows came from a first look: the rest once the store has opened the office
            return
        self._after_ready_pending = False
        if self.ctx.staff is None:
            return
        # This desk joins the change feed and the desks online now: registering it while the first rows were
        # being painted slowed them down (a write on the database thread; issue 10).
        self.watcher.start()
        self.ready.emit()
        if self.notifier is None:
            from ui.notify import Notifier

            self.notifier = Notifier(self.ctx, self.parent())  # type: ignore[arg-type]
            self.notifier.banner_requested.connect(self.ctx.events.notice_reported)
        self.notifier.refresh()
        self.nudge_review()
        if self.office is not None and self.office.engine == "sqlite":
            database = self.ctx.database
            QTimer.singleShot(MAINTENANCE_DELAY_MS, self, lambda: self.maintain(database))

    def maintain(self, database: str) -> None:
        """A backup if one is due, then SQLite's quick health check (a SQLite office, still the one open)."""
        if self.ctx.staff is None or self.ctx.database != database:
            return
        if self.auto_backup is None:
            from ui.dialogs.backups import AutoBackup

            self.auto_backup = AutoBackup(self.ctx, self)
            self.auto_backup.failed.connect(self.ctx.events.error_reported)
            self.auto_backup.made.connect(self.ctx.events.backups_changed)
        self.auto_backup.start()
        self.ctx.tasks.run(store.check_integrity, self._on_integrity_checked, lambda _error: None)

    def _on_integrity_checked(self, problem: str | None) -> None:
        if problem:
            self.ctx.events.error_reported.emit(problem)

    def _on_clock_timeout(self) -> None:
        self._ticks += 1
        today = date.today()
        if today != self._last_date or self._ticks % FULL_REFRESH_MINUTES == 0:
            self._last_date = today
            self.ctx.events.clock_ticked.emit()
            self.nudge_review()

    def nudge_review(self) -> None:
        """On the office's review day, each administrator is told once, at whichever desk (issue 17)."""
        staff = self.ctx.staff
        if staff is None:
            return
        self.ctx.tasks.run(lambda: store.review_nudge(staff.id), self._on_review_nudged, lambda _error: None)

    def _on_review_nudged(self, told: bool) -> None:
        if told:
            self.ctx.events.notice_reported.emit("This week's review is ready: Office > Review (Ctrl+Shift+R).")

    def stop(self) -> None:
        """The window is closing: no more timers, presence or notices."""
        self._let_the_store_open()  # the database thread is not kept waiting
        self.clock.stop()
        self.watcher.stop()
        if self.notifier is not None:
            self.notifier.stop()
        if self.auto_backup is not None:
            self.auto_backup.stop()
