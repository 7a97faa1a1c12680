"""What every view of one window shares: the database thread, the signals, who is at the desk."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings

from models.store import StaffMember
from ui.drafts import Drafts
from ui.events import Events
from ui.tasks import SyncTasks, Tasks


class AppContext:
    """(A plain class, not a dataclass: one made at start-up costs it ~0.6 ms; issue 10.)"""

    def __init__(self, tasks: Tasks | SyncTasks, events: Events, settings: QSettings, *,
                 staff: StaffMember | None = None, database: str = "", team: list[StaffMember] | None = None,
                 drafts: Drafts | None = None, others_on: Callable[[int], list[str]] | None = None) -> None:
        self.tasks = tasks
        self.events = events
        self.settings = settings
        self.staff = staff
        self.database = database
        self.team: list[StaffMember] = team if team is not None else []
        self.drafts = drafts  # half-typed text of the open office, kept on this computer
        # colleagues at other desks on a client
        self.others_on: Callable[[int], list[str]] = others_on or (lambda _client_id: [])

    @property
    def staff_id(self) -> int | None:
        return self.staff.id if self.staff else None
