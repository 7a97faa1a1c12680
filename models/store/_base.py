"""The store's machinery: one-transaction writes with their change-log rows, checks."""
from __future__ import annotations

import json
import os
import random
import sys
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import peewee as pw

from models import db as dbmod
from models import tables as t
from models.errors import DatabaseError, PermissionDenied, ValidationError
from models.rules.text import check_text
from models.store.clock import set_clock, utcnow  # noqa: F401 (b.utcnow, b.set_clock)
from models.store.records import Changes

T = TypeVar("T")

# What the store's package keeps for the database module until it is loaded (here, by the first call that needs it):
# the upgrade's backup (models.db calls back instead of importing the store) and the listener to lock waits.
dbmod.set_before_upgrade(sys.modules["models.store"].prepare_upgrade)
dbmod.set_busy_listener(sys.modules["models.store"].busy_listener)

# The desk session writing (models/store/sharing.py); stamped on change rows so a desk can skip its own.
_origin = ""


def set_origin(session_id: str) -> None:
    """Stamp this process's change-log rows with its desk session id."""
    global _origin
    _origin = session_id


def _indexed() -> dict[str, Any]:
    """The entities the search index keeps words for (models/search_index.py, loaded by the first write)."""
    from models import search_index  # noqa: PLC0415

    return search_index.INDEXED


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
        if entity_id is not None and entity in _indexed():
            self.rows.setdefault(entity, set()).add(int(entity_id))
        if client_id is not None:
            self.clients.add(client_id)
        self.kinds.update(kinds)

    def changes(self, new_id: int | None = None) -> Changes:
        return Changes(frozenset(self.clients), frozenset(self.kinds), new_id, tuple(self.change_ids))


# Receipts older than this are deleted (by one write in RECEIPT_PRUNE_EVERY, in its own transaction).
RECEIPT_KEEP = timedelta(days=1)
RECEIPT_PRUNE_EVERY = 200


def write(by: object, work: Callable[[Tx], int | None], *, need_staff: bool = True) -> Changes:
    """Run one user action as one transaction (retried while the shared database is locked).

    `work` may return the id of the record it created; it ends up in Changes.id.

    On PostgreSQL every write has an id, recorded (with its Changes) in a write_receipt row in the same
    transaction. A connection can drop after the server committed but before the desk heard so; the
    retry then finds the receipt and answers what the first attempt did, instead of saving it again.
    The retry looks after taking the write lock that the first attempt held until it committed or
    rolled back (models/db.py, write_transaction), so the answer is never "not yet".
    """
    receipt = uuid.uuid4().hex
    attempts = 0

    def attempt() -> Changes:
        nonlocal attempts
        attempts += 1
        with dbmod.write_transaction() as db:
            keep_receipt = isinstance(db, pw.PostgresqlDatabase)
            if keep_receipt and attempts > 1:
                done = t.WriteReceipt.get_or_none(t.WriteReceipt.id == receipt)
                if done is not None:
                    return _changes_from_json(done.result)
            tx = Tx(as_id(by, "by") if by is not None else None)
            if need_staff:
                require_staff(tx.by)
            new_id = work(tx)
            if "client" in tx.kinds and tx.clients:  # a merge, an erasure ...: the clients' details may have changed
                tx.rows.setdefault("client", set()).update(tx.clients)
            if tx.rows:
                from models import search_index  # noqa: PLC0415 - loaded by the first write, not at start-up

                country = search_index.office_country()
                for kind, ids in tx.rows.items():
                    search_index.refresh_rows(kind, sorted(ids), country)
            changes = tx.changes(new_id)
            if keep_receipt:
                t.WriteReceipt.insert(id=receipt, at=tx.at, result=_changes_to_json(changes)).execute()
                if random.randrange(RECEIPT_PRUNE_EVERY) == 0:
                    t.WriteReceipt.delete().where(t.WriteReceipt.at < tx.at - RECEIPT_KEEP).execute()
            return changes
    return dbmod.with_retry(attempt)


def _changes_to_json(changes: Changes) -> str:
    return json.dumps({"clients": sorted(changes.clients), "kinds": sorted(changes.kinds), "id": changes.id,
                       "change_ids": list(changes.change_ids)})


def _changes_from_json(text: str) -> Changes:
    data = json.loads(text)
    return Changes(frozenset(data["clients"]), frozenset(data["kinds"]), data["id"], tuple(data["change_ids"]))


def read(work: Callable[[], T]) -> T:
    """Run a read (no transaction held open), retried while the database is locked."""
    if t.database.obj is None:
        raise DatabaseError("No office database is open.")
    dbmod.check_office_file()  # never serve what a deleted or replaced file still holds
    return dbmod.with_retry(work)


# --- checks -------------------------------------------------------------------------------------

# Both engines store ids and counts as signed 64-bit integers; a larger Python int never reaches them.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# A list of ids (a view's rows, one action's change rows) is a page, not the whole office.
MAX_IDS = 100_000
PATH_LIMIT = 4096  # characters in a whole path
NAME_LIMIT = 255  # bytes in one file or folder name (the usual file system limit)


def as_id(value: object, field: str) -> int:
    """An id given as an int, or as the Changes a creating write returned."""
    if isinstance(value, Changes) and value.id is not None:
        value = value.id
    if isinstance(value, bool) or not isinstance(value, int) or not INT_MIN <= value <= INT_MAX:
        raise ValidationError(field, "That is not a record number.")
    return value


def optional_id(value: object, field: str, *, bits: int = 64) -> int | None:
    """as_id(), or None for "nobody"/"none"; `bits=32` for a column PostgreSQL keeps as a 4-byte integer."""
    if value is None:
        return None
    number = as_id(value, field)
    if bits < 64 and not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
        raise ValidationError(field, "That is not a record number.")
    return number


def check_ids(values: object, field: str) -> list[int]:
    """A collection of ids (a list, tuple, set ... never one number or a text), each checked by as_id()."""
    if isinstance(values, (str, bytes, dict)) or not isinstance(values, Iterable):
        raise ValidationError(field, "That is not a list of record numbers.")
    out: list[int] = []
    for value in values:
        out.append(as_id(value, field))
        if len(out) > MAX_IDS:
            raise ValidationError(field, f"That is more than {MAX_IDS:,} records at once.")
    return out


def check_count(value: object, field: str, label: str, *, low: int, high: int) -> int:
    """A whole number from `low` to `high` (a limit, a number of days, of weeks, of backups to keep ...)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"{label} must be a whole number.")
    if not low <= value <= high:
        raise ValidationError(field, f"{label} must be from {low:,} to {high:,}.")
    return value


def check_version(value: object, field: str = "version") -> int:
    """The `version` a form read (for WHERE version = ?): a whole number, never anything the engine chokes on."""
    return check_count(value, field, "The record's version", low=0, high=INT_MAX - 1)  # version + 1 must fit


def optional_version(value: object) -> int | None:
    return None if value is None else check_version(value)


def check_choice(value: object, field: str, choices: Iterable[str], message: str) -> str:
    """One of `choices` (a kind, a channel, a role), or ValidationError(field, message)."""
    if not isinstance(value, str) or value not in choices:
        raise ValidationError(field, message)
    return value


def check_path(value: object, field: str = "path", label: str = "The file") -> Path:
    """A file location given as text or a path object that the operating system can take."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise ValidationError(field, f"{label} must be given as a location on this computer.")
    if not value.strip():
        raise ValidationError(field, f"Choose where {label[0].lower() + label[1:]} is.")
    if len(value) > PATH_LIMIT or any(ord(ch) < 32 or ch == "\x7f" for ch in value):
        raise ValidationError(field, f"{label} cannot have that name: it is too long or holds invisible characters.")
    try:
        parts = [os.fsencode(part) for part in Path(value).parts]
    except UnicodeError:
        raise ValidationError(field, f"{label} cannot have that name: it holds broken characters.") from None
    if any(len(part) > NAME_LIMIT for part in parts):
        raise ValidationError(field, f"{label} cannot have that name: a part of it is longer than "
                                     f"{NAME_LIMIT} characters.")
    return Path(value).expanduser()


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
    try:
        value = value.astimezone(UTC)
    except OverflowError:  # year 1 east of Greenwich, year 9999 west of it: no such moment in UTC
        raise ValidationError(field, f"{label} is not a believable date ({value.year}).") from None
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
