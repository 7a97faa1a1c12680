"""The store's machinery: the clock, one-transaction writes with their change-log rows, checks."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

import peewee as pw

from models import db as dbmod
from models import search_index
from models import tables as t
from models.errors import DatabaseError, PermissionDenied, ValidationError
from models.rules.text import check_text
from models.store.records import Changes

T = TypeVar("T")

_clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731
# The desk session writing (models/store/sharing.py); stamped on change rows so a desk can skip its own.
_origin = ""


def set_origin(session_id: str) -> None:
    """Stamp this process's change-log rows with its desk session id."""
    global _origin
    _origin = session_id


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (tests may set a fixed clock)."""
    return _clock()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the store's clock (for tests and the demo); None restores the real one."""
    global _clock
    _clock = clock or (lambda: datetime.now(UTC))


class Tx:
    """The open write transaction: collects what changed and appends change-log rows."""

    def __init__(self, by: int | None) -> None:
        self.by = by
        self.at = utcnow()
        self.clients: set[int] = set()
        self.kinds: set[str] = set()
        self.change_ids: list[int] = []
        self.rows: dict[str, set[int]] = {}  # the rows written, whose search words are refreshed at the end

    def log(self, entity: str, entity_id: int | None, client_id: int | None, action: str,
            kinds: Iterable[str], before: dict[str, Any] | None = None,
            after: dict[str, Any] | None = None) -> None:
        """Record one change in the change log, in this transaction."""
        kinds = tuple(kinds)
        change_id = t.Change.insert(
            at=self.at, staff=self.by, entity=entity, entity_id=entity_id, client=client_id, action=action,
            kinds=",".join(kinds), origin=_origin,
            before=None if before is None else json.dumps(before, default=str, ensure_ascii=False),
            after=None if after is None else json.dumps(after, default=str, ensure_ascii=False),
        ).execute()
        self.change_ids.append(int(change_id))
        if entity_id is not None and entity in search_index.INDEXED:
            self.rows.setdefault(entity, set()).add(int(entity_id))
        if client_id is not None:
            self.clients.add(client_id)
        self.kinds.update(kinds)

    def changes(self, new_id: int | None = None) -> Changes:
        return Changes(frozenset(self.clients), frozenset(self.kinds), new_id, tuple(self.change_ids))


def write(by: object, work: Callable[[Tx], int | None], *, need_staff: bool = True) -> Changes:
    """Run one user action as one transaction (retried while the shared database is locked).

    `work` may return the id of the record it created; it ends up in Changes.id.
    """
    def attempt() -> Changes:
        with dbmod.write_transaction():
            tx = Tx(as_id(by, "by") if by is not None else None)
            if need_staff:
                require_staff(tx.by)
            new_id = work(tx)
            if "client" in tx.kinds and tx.clients:  # a merge, an erasure ...: the clients' details may have changed
                tx.rows.setdefault("client", set()).update(tx.clients)
            if tx.rows:
                country = search_index.office_country()
                for kind, ids in tx.rows.items():
                    search_index.refresh_rows(kind, sorted(ids), country)
            return tx.changes(new_id)
    return dbmod.with_retry(attempt)


def read(work: Callable[[], T]) -> T:
    """Run a read (no transaction held open), retried while the database is locked."""
    if t.database.obj is None:
        raise DatabaseError("No office database is open.")
    return dbmod.with_retry(work)


# --- checks -------------------------------------------------------------------------------------

def as_id(value: object, field: str) -> int:
    """An id given as an int, or as the Changes a creating write returned."""
    if isinstance(value, bool):
        raise ValidationError(field, "That is not a record number.")
    if isinstance(value, int):
        return value
    if isinstance(value, Changes) and value.id is not None:
        return value.id
    raise ValidationError(field, "That is not a record number.")


def require_staff(staff_id: int | None, field: str = "by") -> t.Staff:
    """The acting staff member, or a ValidationError naming the field."""
    if staff_id is None:
        raise ValidationError(field, "Choose who is at the desk first.")
    staff_id = as_id(staff_id, field)
    row = t.Staff.get_or_none(t.Staff.id == staff_id)
    if row is None or not row.active:
        raise ValidationError(field, "That staff member is not (or no longer) on the team.")
    return row


def require_admin(staff_id: int | None, doing: str, field: str = "by") -> t.Staff:
    """The acting staff member if they are an administrator; PermissionDenied with a sentence otherwise.

    `doing` completes "Only an administrator can ...", e.g. "restore a backup".
    """
    row = require_staff(staff_id, field)
    if row.role != "admin":
        raise PermissionDenied(f"Only an administrator can {doing}. Ask an administrator of the office.")
    return row


ERASED_CLIENT = "This client's personal data was erased, so nothing can be added to or changed on the record."


def require_client(client_id: object, *, allow_deleted: bool = False, allow_erased: bool = False) -> t.Client:
    """The client, or a ValidationError when it does not exist or was deleted; inside a write, also when the
    client was erased (a tombstone takes nothing new)."""
    if client_id is None:
        raise ValidationError("client", "Choose a client first.")
    client_id = as_id(client_id, "client")
    row = t.Client.get_or_none(t.Client.id == client_id)
    if row is None:
        raise ValidationError("client", "That client does not exist (any more).")
    if row.deleted_at is not None and not allow_deleted:
        raise ValidationError("client", f"{row.name} was deleted; restore the client from the Trash first.")
    if not allow_erased and t.database.in_transaction() \
            and t.Erasure.select().where(t.Erasure.client == row.id).exists():
        raise ValidationError("client", ERASED_CLIENT)
    return row


def clean(value: object, field: str, label: str, **kwargs: Any) -> str:
    """check_text() that raises ValidationError(field, sentence) instead of returning the sentence."""
    text, problem = check_text(value, label, **kwargs)
    if problem:
        raise ValidationError(field, problem)
    return text


def check_time(value: object, field: str, label: str, *, optional: bool = False) -> datetime | None:
    """An aware datetime within a sane range, or a ValidationError."""
    if value is None and optional:
        return None
    if not isinstance(value, datetime):
        raise ValidationError(field, f"{label} must be a date and time.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, f"{label} needs a time zone, or Rapport cannot tell which moment is meant. "
                                     "Please enter it again.")
    value = value.astimezone(UTC)
    if not (1900 <= value.year <= 2200):
        raise ValidationError(field, f"{label} is not a believable date ({value.year}).")
    return value


def check_flag(value: object, field: str, label: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, f"{label} must be yes or no.")
    return value


def row_dict(row: pw.Model, *fields: str) -> dict[str, Any]:
    """A JSON-friendly picture of a row for the change log."""
    data = row.__data__
    names = fields or tuple(data)
    out: dict[str, Any] = {}
    for name in names:
        value = data.get(name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out
