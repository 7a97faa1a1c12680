"""Desktop notices: a summary when someone sits down at the desk, and a notice as each promise falls due.

Notices go to the system tray where the desktop has one, and otherwise to a banner in the window.
Nothing needs a server or the internet: the desk reads its own day from the office database.
Which promises to announce, and the sentences, are plain functions (tested without a tray).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon, QWidget

from models import store
from models.store import ChangeKind, Changes, PromiseRow, StaffMember, StoreError
from models.store.day import (
    LATE,
    NOTICE_AHEAD,
    covering_rows,
    needs_cover_today,
    next_check,
    promises_to_announce,
    watched,
)
from models.store.day import mine as mine_of
from ui import fmt
from ui.context import AppContext

if TYPE_CHECKING:  # the promise and score subjects load after the first window (start-up budget)
    from models.store import DeskDay

TRAY_SHOW_MS = 15_000
MAX_LISTED = 3  # more promises than this at once are announced as one notice with a count
NOTICE_KINDS = frozenset({ChangeKind.PROMISE, ChangeKind.STAFF, ChangeKind.CLIENT})
NOTHING_DUE = "Nothing overdue or due today."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def cover_words(covering: Sequence[PromiseRow]) -> str:
    """The Today header's part: '7 to cover today', '7 to cover today (8 this week)', '0 to cover'."""
    today = sum(1 for r in covering if needs_cover_today(r))
    if not covering:
        return "0 to cover"
    if today == len(covering):
        return f"{today} to cover today"
    return f"{today} to cover today ({len(covering)} this week)"


def summary_text(day: DeskDay, staff_id: int | None = None) -> str:
    """The start-of-day sentence: '3 promises overdue, 5 due today, 2 to cover today for colleagues who are away.'"""
    mine = mine_of(day, staff_id)
    late = sum(1 for r in mine if r.status in LATE)
    today = sum(1 for r in mine if r.status == "due_today")
    cover = sum(1 for r in covering_rows(day, staff_id) if needs_cover_today(r))  # as the Today header counts
    parts = []
    for count, words in ((late, "overdue"), (today, "due today"),
                         (cover, "to cover today for colleagues who are away")):
        if count:
            parts.append(f"{_plural(count, 'promise') if not parts else count} {words}")
    if not parts:
        return NOTHING_DUE
    return ", ".join(parts) + "."


def notice_text(rows: list[PromiseRow], now: datetime, staff_id: int | None = None) -> str:
    """The notice for promises falling due: each one named when there are few, a count when there are many."""
    if not rows:
        return ""
    if len(rows) > MAX_LISTED:
        names = sorted({r.client_name for r in rows})
        listed = ", ".join(names[:MAX_LISTED]) + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED
                                                  else "")
        return f"{len(rows)} promises need you now: {listed}. Open Today to see them."
    return "\n".join(_one_notice(r, now, staff_id) for r in rows)


def _one_notice(row: PromiseRow, now: datetime, staff_id: int | None) -> str:
    due = fmt.clock(fmt.local(row.due))
    if row.due > now:
        head = f"Due at {due}" if fmt.local(row.due).date() == fmt.local(now).date() else \
            f"Due {fmt.when(row.due, now)}"
    else:
        same_day = fmt.local(row.due).date() == fmt.local(now).date()  # else the day is said too ("yesterday, ...")
        head = f"Overdue since {due}" if same_day else f"Overdue since {fmt.in_sentence(fmt.when(row.due, now))}"
    whose = f" ({row.owner_name}'s promise; they are away)" if staff_id is not None and row.owner_id != staff_id \
        else ""
    return f"{head}: {row.text} for {row.client_name}{whose}."


class Notifier(QObject):
    """Tells the person at the desk when their promises (and those they cover) fall due; never twice a session."""

    banner_requested = Signal(str)
    """A notice to show as a banner in the window (this desktop has no system tray); '' takes it away."""

    announced = Signal(str)
    """A notice was given to the person at the desk (by tray message or banner)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 tray: QSystemTrayIcon | None | bool = True) -> None:
        """`tray`: True to use the system tray when there is one, False for banners only, or a tray icon to use."""
        super().__init__(parent)
        self.ctx = ctx
        self.announced_ids: set[int] = set()
        self.summarised: set[int] = set()  # staff ids who had their summary this session
        self.notices: list[str] = []
        self._client_of_last: int | None = None
        self._loading = False
        # What the banner says now, so it follows the day (a kept promise, a restore, a colleague's change):
        # the summary (None: not the summary) and the promises a notice names.
        self._banner_summary: str | None = None
        self._banner_ids: set[int] = set()
        if isinstance(tray, QSystemTrayIcon):
            self.tray: QSystemTrayIcon | None = tray
        elif tray and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self._icon(parent), self)
            self.tray.setToolTip("Rapport")
        else:
            self.tray = None
        if self.tray is not None:
            self.tray.messageClicked.connect(self._on_tray_message_clicked)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.refresh)
        ctx.events.clock_ticked.connect(self.refresh)
        ctx.events.staff_changed.connect(self._on_events_staff_changed)
        ctx.events.data_changed.connect(self._on_events_data_changed)

    @staticmethod
    def _icon(parent: QWidget | None) -> Any:
        app = QApplication.instance()
        icon = app.windowIcon() if isinstance(app, QApplication) else None
        if icon is None or icon.isNull():
            style = parent.style() if parent is not None else QApplication.style()
            icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        return icon

    def refresh(self) -> None:
        """Read the day of the person at the desk on the database thread, then check it."""
        if self.ctx.staff_id is None or self._loading:
            return
        self._loading = True
        staff_id = self.ctx.staff_id
        self.ctx.tasks.run(lambda: store.desk_day(staff_id=staff_id), self._on_day_read, self._on_day_failed)

    def _on_day_read(self, day: DeskDay) -> None:
        self._loading = False
        self.check(day)

    def _on_day_failed(self, error: StoreError) -> None:
        self._loading = False  # the next tick tries again; a missed notice is not worth a second banner

    def check(self, day: DeskDay) -> None:
        """Announce what fell due since the last look (or the summary, the first time this person looks)."""
        staff_id = self.ctx.staff_id
        if staff_id is None:
            return
        now = store.utcnow()
        due = promises_to_announce(day, staff_id, now, self.announced_ids)
        if staff_id not in self.summarised:
            self.summarised.add(staff_id)
            self.announced_ids.update(r.id for r in due)  # the summary covers them
            text = summary_text(day, staff_id)
            if text == NOTHING_DUE:
                self.ctx.events.message_reported.emit(text)  # good news needs no pop-up
            else:
                self._announce(text, None)
                self._banner_summary, self._banner_ids = text, set()
        elif due:
            self.announced_ids.update(r.id for r in due)
            clients = {r.client_id for r in due}
            self._announce(notice_text(due, now, staff_id), clients.pop() if len(clients) == 1 else None)
            self._banner_summary, self._banner_ids = None, {r.id for r in due}
        else:
            self._follow_banner(day, staff_id, now)
        wait = next_check(day, staff_id, now, self.announced_ids) - now
        self.timer.start(max(1000, int(wait.total_seconds() * 1000)))

    def _follow_banner(self, day: DeskDay, staff_id: int, now: datetime) -> None:
        """The banner says what is true now: the summary counted again, a notice gone once its promises are."""
        if self.tray is not None:
            return  # a tray message fades by itself
        if self._banner_summary is not None:
            text = summary_text(day, staff_id)
            if text != self._banner_summary:
                self._banner_summary = text
                self.banner_requested.emit("" if text == NOTHING_DUE else text)
        elif self._banner_ids:
            still = [r for r in watched(day, staff_id) if r.id in self._banner_ids and r.due <= now + NOTICE_AHEAD]
            if len(still) != len(self._banner_ids):
                self._banner_ids = {r.id for r in still}
                self.banner_requested.emit(notice_text(still, now, staff_id))  # '' when none is left

    def _announce(self, text: str, client_id: int | None) -> None:
        self.notices.append(text)
        self._client_of_last = client_id
        if self.tray is not None:
            self.tray.show()
            self.tray.showMessage("Rapport", text, QSystemTrayIcon.MessageIcon.Information, TRAY_SHOW_MS)
        else:
            self.banner_requested.emit(text)
        self.announced.emit(text)

    def _on_tray_message_clicked(self) -> None:
        if self._client_of_last is not None:
            self.ctx.events.client_requested.emit(self._client_of_last)

    def _on_events_staff_changed(self, member: StaffMember) -> None:
        self.refresh()

    def _on_events_data_changed(self, changes: Changes) -> None:
        if changes.kinds & NOTICE_KINDS:
            self.refresh()  # a promise made or moved may fall due before the timer would look again

    def stop(self) -> None:
        """Stop looking (the window is closing); hides the tray icon."""
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()
