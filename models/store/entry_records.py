"""The store's records of a client's timeline (entries, cursors, pages), the promise rows of Today and the
hand-off card, and a client's details: frozen dataclasses like those of records.py, made when first needed, not at
start-up (issue 10)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from models.store.dataclass_init import fast_init


@dataclass(frozen=True, slots=True)
class TimelineCursor:
    """Where the next page starts (opaque to callers): the last entry's time, kind rank and id."""

    at_us: int
    rank: int
    id: int


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """Common fields of everything on a timeline."""

    kind: str  # "interaction", "note", "promise"
    id: int
    client_id: int
    at: datetime
    staff_id: int | None
    staff_name: str


@dataclass(frozen=True, slots=True)
class InteractionEntry(TimelineEntry):
    channel: str = ""
    summary: str = ""
    details: str = ""
    rating: int = 0
    encounter: str = ""
    recovers_id: int | None = None
    apology: bool = False
    edited: bool = False
    recovered_by: tuple[int, ...] = ()
    topic: str | None = None  # the office's topic (Settings), None when it has none


@dataclass(frozen=True, slots=True)
class NoteEntry(TimelineEntry):
    text: str = ""
    pinned: bool = False
    edited: bool = False


@dataclass(frozen=True, slots=True)
class PromiseEntry(TimelineEntry):
    """One step in a promise's life; `action` is made/kept/renegotiated/reassigned/cancelled/broken."""

    promise_id: int = 0
    action: str = ""
    text: str = ""
    due: datetime | None = None
    old_due: datetime | None = None
    owner_id: int | None = None
    owner_name: str = ""
    old_owner_name: str = ""
    apology: bool = False
    reason: str = ""
    status: str = ""  # the promise's status now (see models.rules.promises)
    version: int = 0  # the promise's version now (changes are saved with it: never a silent overwrite)
    current_due: datetime | None = None  # the promise's due date now (`due` is the one of this step)


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """A page of a client's timeline, newest first; pass `before` back to read the next page.

    A page read `around` an entry also has `after` when newer entries lie above it (pass it back as `after`).
    """

    entries: tuple[TimelineEntry, ...]
    before: TimelineCursor | None = None
    after: TimelineCursor | None = None

    def __iter__(self) -> Iterator[TimelineEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index: int) -> TimelineEntry:
        return self.entries[index]


@fast_init
@dataclass(frozen=True, slots=True)
class PromiseRow:
    """A promise as the Today view and the hand-off card show it."""

    id: int
    client_id: int
    client_name: str
    text: str
    made_at: datetime
    made_by_id: int
    made_by_name: str
    owner_id: int
    owner_name: str
    due: datetime
    record_status: str  # open / kept / cancelled
    status: str  # computed: pending, due_today, overdue, broken, kept, kept_late, cancelled
    kept_at: datetime | None
    version: int
    client_score: int | None = None
    client_band: str = ""


@dataclass(frozen=True, slots=True)
class ClientDetails:
    """One client's contact details, as the edit form needs them (with `version` for conflicts)."""

    id: int
    name: str
    organisation: str
    phone: str
    email: str
    address: str
    preferred_channel: str
    caution: str
    usual_handler_id: int | None
    usual_handler_name: str
    created_at: datetime
    updated_at: datetime
    version: int
    deleted_at: datetime | None
    last_contact_at: datetime | None
    next_due_at: datetime | None
    more_details: str = ""  # every other phone, email, address, birthday, title, website (issue 15)
    saved_by_name: str = ""  # who saved this version (filled where it matters: a conflict names the colleague)
