"""What the store's reads return: small immutable records, never ORM rows.

The four the first window needs (Changes, StaffMember, ClientRow, Office) are NamedTuples: making a frozen, slotted
dataclass compiles six methods at import, about 0.7 ms each class; a NamedTuple compiles one (start-up, issue 10).
The rest are dataclasses in models/store/entry_records.py, made when first asked for."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


class Changes(NamedTuple):
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


class StaffMember(NamedTuple):
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


class ClientRow(NamedTuple):
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


def client_rows(found: list[tuple], now_us: int) -> list[ClientRow]:
    """The client list's rows from its SELECT's (store.list_clients; store.first_look reads the same): a cached badge
    is shown only while it is exactly what a full recompute would say (its `stable_until` lies ahead of `now_us`);
    otherwise the row's score is None until refresh_scores() runs. Made straight from the cursor's tuples: 10,000
    rows stay cheap."""
    return [
        ClientRow(cid, name, org, phone, email, last, due, st, score, band, trend,
                  tuple(flags.split(",")) if flags else ())
        if until is not None and until > now_us else ClientRow(cid, name, org, phone, email, last, due, st)
        for cid, name, org, phone, email, last, due, st, score, band, trend, flags, until in found
    ]


class Office(NamedTuple):
    """Facts about the open database for the status bar."""

    engine: str
    location: str
    display: str
    schema_version: int
    created: bool
    warnings: tuple[str, ...] = ()


# A timeline's entries and pages, the promise rows and a client's details are made in
# models/store/entry_records.py, loaded the first time one is asked for (a 12-class module cost start-up ~10 ms of
# dataclass making; issue 10). They are still found here: `from models.store.records import PromiseRow` works.
_ENTRY_RECORDS = frozenset({"TimelineCursor", "TimelineEntry", "InteractionEntry", "NoteEntry", "PromiseEntry",
                            "TimelinePage", "PromiseRow", "ClientDetails"})


def __getattr__(name: str) -> Any:
    if name not in _ENTRY_RECORDS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from models.store import entry_records  # noqa: PLC0415

    value = getattr(entry_records, name)
    globals()[name] = value
    return value
