"""What the store's reads return: small frozen dataclasses, never ORM rows."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_T = TypeVar("_T")


def fast_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass built by the thousand a quicker __init__ with the same signature.

    dataclasses' frozen __init__ calls object.__setattr__ once per field; this one stores each field
    through its slot's descriptor, which is what that call ends in, at about half the cost (the Today
    view builds hundreds of rows on its first read). Immutability is unchanged: __setattr__ still refuses.
    """
    params, body, space = [], [], {}
    for i, f in enumerate(fields(cls)):  # type: ignore[arg-type]
        if f.default_factory is not MISSING:
            return cls  # not needed by the rows this is used on; keep dataclasses' own __init__
        if f.default is not MISSING:
            space[f"_d{i}"] = f.default
            params.append(f"{f.name}=_d{i}")
        else:
            params.append(f.name)
        space[f"_s{i}"] = cls.__dict__[f.name].__set__
        body.append(f"    _s{i}(self, {f.name})")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body), space)  # noqa: S102
    init = space["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


class ChangeKind(StrEnum):
    """What a write touched, for the views deciding whether to re-read (Changes.kinds; the change log's `kinds`).

    A member equals its string ("client"), so a change read back from the log compares equal to these.
    """

    CLIENT = "client"        # a client's details, their deletion or restoration
    TIMELINE = "timeline"    # an interaction or note added, corrected, deleted, restored
    PROMISE = "promise"      # a promise made, kept, moved, handed over, cancelled
    SCORE = "score"          # a client's impression score may have changed
    STAFF = "staff"          # the team: a member added, edited, away
    PRESENCE = "presence"    # which desks are open and what they look at
    SETTINGS = "settings"    # the office-wide settings


ALL_KINDS = frozenset(ChangeKind)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a write changed: which clients, which kinds ("client", "timeline", "promise", "staff", ...).

    A write that creates a record also carries the new record's `id` (as Anki's OpChangesWithId does);
    `int(changes)` gives it, so `store.get_client(store.add_client(...))` reads what was just made.
    """

    clients: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()
    id: int | None = None
    change_ids: tuple[int, ...] = ()  # the change-log rows this write added (what Undo reverses)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.clients | other.clients, self.kinds | other.kinds)

    def __index__(self) -> int:
        if self.id is None:
            raise TypeError("this change created no record, so it has no id")
        return self.id

    __int__ = __index__

    def __bool__(self) -> bool:
        return bool(self.clients or self.kinds)

    def touches(self, client_id: int | None = None, *kinds: str) -> bool:
        """True when this change concerns `client_id` (or any client when None) and any of `kinds`."""
        if kinds and not (self.kinds & set(kinds)):
            return False
        return client_id is None or client_id in self.clients or not self.clients


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    name: str
    initials: str
    role: str
    active: bool
    away_from: datetime | None
    away_until: datetime | None
    away_reason: str
    version: int
    has_pin: bool = False

    def is_away(self, at: datetime) -> bool:
        return (self.away_from is not None and self.away_until is not None
                and self.away_from <= at < self.away_until)


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


@fast_init
@dataclass(frozen=True, slots=True)
class ClientRow:
    """One line of the client list (10,000 of them are made at once, so times stay integers until read)."""

    id: int
    name: str
    organisation: str
    phone: str
    email: str
    last_contact_us: int | None
    next_due_us: int | None
    search_text: str
    score: int | None = None
    band: str = ""
    trend: str = ""
    flags: tuple[str, ...] = ()

    @property
    def last_contact_at(self) -> datetime | None:
        return None if self.last_contact_us is None else _EPOCH + timedelta(microseconds=self.last_contact_us)

    @property
    def next_due_at(self) -> datetime | None:
        return None if self.next_due_us is None else _EPOCH + timedelta(microseconds=self.next_due_us)


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
class Office:
    """Facts about the open database for the status bar."""

    engine: str
    location: str
    display: str
    schema_version: int
    created: bool
    warnings: tuple[str, ...] = field(default_factory=tuple)
