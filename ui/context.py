"""What every view of one window shares: the database thread, the signals, who is at the desk."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QSettings

from models.store import StaffMember
from ui.drafts import Drafts
from ui.events import Events
from ui.tasks import SyncTasks, Tasks


@dataclass
class AppContext:
    tasks: Tasks | SyncTasks
    events: Events
    settings: QSettings
    staff: StaffMember | None = None
    database: str = ""
    team: list[StaffMember] = field(default_factory=list)
    drafts: Drafts | None = None  # half-typed text of the open office, kept on this computer
    others_on: Callable[[int], list[str]] = lambda _client_id: []  # colleagues at other desks on a client

    @property
    def staff_id(self) -> int | None:
        return self.staff.id if self.staff else None
