"""App-wide signals: one refresh path for this desk's writes, other desks' writes and the passing of time."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Events(QObject):
    """The signals views listen to; one instance per window, passed down in the AppContext."""

    data_changed = Signal(object)
    """Something in the office database changed (a models.store.Changes), here or at another desk."""

    clock_ticked = Signal()
    """Time moved on enough that promises may have fallen due and scores faded (a timer, or a new day)."""

    error_reported = Signal(str)
    """A sentence for the person at the desk about something that could not be done."""

    written = Signal(object)
    """This desk saved something (a models.store.Changes with change_ids): what Undo can take back."""

    message_reported = Signal(str)
    """A short, calm message for the status bar ("Saved.")."""

    busy_changed = Signal(bool)
    """The shared database is busy at another desk (True) or answering again (False)."""

    client_requested = Signal(int)
    """Somebody asked to open this client (from the list, the Today view, a notification ...)."""

    entry_requested = Signal(int, str, int)
    """Open client, then scroll its timeline to (kind, id): "Why this score?" reasons jump there."""

    notice_reported = Signal(str)
    """A notice for the person at the desk (a promise falling due): the window shows it as a banner."""

    team_changed = Signal()
    """The team was read again (AppContext.team): forms that offer colleagues refill their lists."""

    presence_changed = Signal(object)
    """Who else is online changed (a list of models.store.Presence, this desk left out)."""

    backups_changed = Signal()
    """A backup of the office was made (an open Backups window lists it)."""

    staff_changed = Signal(object)
    """A different person is at the desk now (a models.store.StaffMember)."""
