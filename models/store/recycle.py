"""Undo and the Trash: a desk takes back its own last actions, and deleted things can be brought back."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee as pw

from models import tables as t
from models.errors import ValidationError
from models.rules.vocab import channel_label
from models.store import _base as b
from models.store.clients import forget_score, refresh_contact_columns
from models.store.duplicates import merged_away, refuse_if_merged
from models.store.records import ChangeKind, Changes

KINDS = (ChangeKind.CLIENT, ChangeKind.TIMELINE, ChangeKind.PROMISE, ChangeKind.SCORE)
NOT_UNDOABLE = "That can't be undone from here."
CHANGED_SINCE = "A colleague changed this since, so undoing it would overwrite their work. Nothing was changed."
_ENTRY_TABLES: dict[str, type[t.BaseTable]] = {"interaction": t.Interaction, "note": t.Note}


_DESCRIBED_LENGTH = 60  # a menu item names the action and the start of its text
_LOGGED = {"phone": "call"}  # "Log call: ...", as a receptionist says it


def describe(change_ids: tuple[int, ...]) -> str:
    """What Undo would take back, in words, with the text it was about: "Log phone: Called about the invoice",
    "Note added: Wrong client, sorry", "Promise marked kept: Call back"."""
    ids = b.check_ids(change_ids, "undo")

    def work() -> str:
        row = t.Change.get_or_none(t.Change.id == ids[-1]) if ids else None
        if row is None:
            return ""
        if row.entity == "merge":
            return "Clients merged"
        nouns = {"interaction": "interaction", "note": "note", "promise": "promise", "client": "client"}
        verbs = {"add": "added", "edit": "edited", "delete": "moved to the Trash", "restore": "restored",
                 "keep": "marked kept", "cancel": "cancelled", "renegotiate": "given a new date",
                 "reassign": "handed over"}
        what = f"{nouns.get(row.entity, row.entity).capitalize()} {verbs.get(row.action, row.action)}"
        after = _json(row.after)
        if row.entity == "interaction" and row.action == "add" and after.get("summary"):
            channel = str(after.get("channel", ""))
            what = f"Log {_LOGGED.get(channel, channel_label(channel).lower())}"
        about = after.get("summary") or after.get("text") or _subject(row)
        if not about:
            return what
        about = " ".join(str(about).split())
        short = about if len(about) <= _DESCRIBED_LENGTH else about[:_DESCRIBED_LENGTH - 1].rstrip() + "\u2026"
        return f"{what}: {short}"
    return b.read(work)


def _subject(row: t.Change) -> str:
    """The words of the record a change was about, when its log row does not carry them."""
    tables: dict[str, tuple[type[t.BaseTable], str]] = {
        "interaction": (t.Interaction, "summary"), "note": (t.Note, "text"), "promise": (t.Promise, "text"),
        "client": (t.Client, "name")}
    table, column = tables.get(row.entity, (None, ""))  # type: ignore[assignment]
    record = table.get_or_none(table.id == row.entity_id) if table is not None else None
    return str(getattr(record, column, "")) if record is not None else ""


def undo(change_ids: tuple[int, ...], *, by: int) -> Changes:
    """Take back one earlier action of this desk (the change-log rows its write returned), newest first.

    Refused with a sentence when the action cannot be undone or a colleague changed the same record
    since (never a silent overwrite). One transaction: all of the action is undone, or none of it.
    """
    ids = b.check_ids(change_ids, "undo")
    if not ids:
        raise ValidationError("undo", "There is nothing to undo.")

    def work(tx: b.Tx) -> None:
        for change_id in sorted(ids, reverse=True):
            row = t.Change.get_or_none(t.Change.id == change_id)
            if row is None or row.staff != tx.by:
                raise ValidationError("undo", "Only your own recent actions can be undone.")
            _undo_one(tx, row)
    return b.write(by, work)


def _changed_by_a_colleague_since(row: t.Change, by: int | None) -> bool:
    """Whether someone else changed the record of `row` after it (edited it, kept it, moved it ...)."""
    c = t.Change
    return c.select().where((c.entity == row.entity) & (c.entity_id == row.entity_id) & (c.id > row.id)
                            & ((c.staff != by) | c.staff.is_null())).exists()


def _json(text: str | None) -> dict[str, Any]:
    return json.loads(text) if text else {}


def _undo_one(tx: b.Tx, row: t.Change) -> None:
    entity, action, eid = row.entity, row.action, row.entity_id
    if entity == "merge":  # un-merge logs its own rows (models/store/duplicates.py)
        from models.store.duplicates import undo_merge  # noqa: PLC0415

        undo_merge(tx, row)
        return
    if action == "add" and _changed_by_a_colleague_since(row, tx.by):
        raise ValidationError("undo", CHANGED_SINCE)  # the README's promise: never throw away their work
    if entity in _ENTRY_TABLES:
        _undo_entry(tx, row, _ENTRY_TABLES[entity])
    elif entity == "promise":
        _undo_promise(tx, row)
    elif entity == "client":
        _undo_client(tx, row)
    else:
        raise ValidationError("undo", NOT_UNDOABLE)
    tx.log(entity, eid, row.client, "undo", KINDS, before={"undid": row.id, "action": action})


def _undo_entry(tx: b.Tx, row: t.Change, table: type[t.BaseTable]) -> None:
    entry = table.get_or_none(table.id == row.entity_id)
    if entry is None:
        raise ValidationError("undo", "That entry no longer exists.")
    if row.action == "add":
        if entry.deleted_at is not None:
            raise ValidationError("undo", "That entry is already in the Trash.")
        table.update(deleted_at=tx.at, deleted_by=tx.by).where(table.id == entry.id).execute()
    elif row.action in ("delete", "restore"):
        table.update(deleted_at=tx.at if row.action == "restore" else None,
                     deleted_by=tx.by if row.action == "restore" else None).where(table.id == entry.id).execute()
    elif row.action == "edit":
        before, after = _json(row.before), _json(row.after)
        if any(getattr(entry, k) != v for k, v in after.items()):
            raise ValidationError("undo", CHANGED_SINCE)
        table.update(**before).where(table.id == entry.id).execute()
    else:
        raise ValidationError("undo", NOT_UNDOABLE)
    if table is t.Interaction:
        refresh_contact_columns(entry.client_id)
        forget_score(entry.client_id)


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _undo_promise(tx: b.Tx, row: t.Change) -> None:
    promise = t.Promise.get_or_none(t.Promise.id == row.entity_id)
    if promise is None or promise.deleted_at is not None:
        raise ValidationError("undo", "That promise no longer exists.")
    before, after = _json(row.before), _json(row.after)
    values: dict[str, Any]
    if row.action == "add":
        values = {"deleted_at": tx.at}
    elif row.action in ("keep", "cancel"):
        if promise.status != after.get("status"):
            raise ValidationError("undo", CHANGED_SINCE)
        values = {"status": "open", "kept_at": None, "kept_by": None, "apology": False, "cancelled_at": None,
                  "cancelled_by": None, "cancel_reason": ""}
    elif row.action == "renegotiate":
        if promise.due != _when(after["due"]):
            raise ValidationError("undo", CHANGED_SINCE)
        values = {"due": _when(before["due"])}
    elif row.action == "edit":
        if promise.text != after.get("text"):
            raise ValidationError("undo", CHANGED_SINCE)
        values = {"text": before["text"]}
    elif row.action == "reassign":
        if promise.owner_id != after.get("owner"):
            raise ValidationError("undo", CHANGED_SINCE)
        values = {"owner": before["owner"]}
    else:
        raise ValidationError("undo", NOT_UNDOABLE)
    t.Promise.update(version=promise.version + 1, **values).where(t.Promise.id == promise.id).execute()
    if row.action not in ("add", "edit"):  # a corrected wording is not a step in the promise's life
        t.PromiseEvent.create(promise=promise.id, client=promise.client_id, at=tx.at, staff=tx.by,
                              action="reopened" if row.action in ("keep", "cancel") else row.action,
                              old_due=promise.due if row.action == "renegotiate" else None,
                              new_due=values.get("due", promise.due),
                              old_owner=promise.owner_id if row.action == "reassign" else None,
                              new_owner=values.get("owner"), reason="Undone")
    refresh_contact_columns(promise.client_id)
    forget_score(promise.client_id)


def _undo_client(tx: b.Tx, row: t.Change) -> None:
    client = t.Client.get_or_none(t.Client.id == row.entity_id)
    if client is None:
        raise ValidationError("undo", "That client no longer exists.")
    if row.action == "add":
        values: dict[str, Any] = {"deleted_at": tx.at}
    elif row.action in ("delete", "restore"):
        values = {"deleted_at": tx.at if row.action == "restore" else None}
    elif row.action == "edit":
        before, after = _json(row.before), _json(row.after)
        current = {k: (client.usual_handler_id if k == "usual_handler" else getattr(client, k)) for k in after}
        if current != after:
            raise ValidationError("undo", CHANGED_SINCE)
        values = {("usual_handler" if k == "usual_handler" else k): v for k, v in before.items()}
    else:
        raise ValidationError("undo", NOT_UNDOABLE)
    t.Client.update(version=client.version + 1, updated_at=tx.at, **values).where(t.Client.id == client.id).execute()


# --- redo ------------------------------------------------------------------------------------------

_REDONE_STEPS = {"keep": "kept", "cancel": "cancelled", "renegotiate": "renegotiated", "reassign": "reassigned"}


def redo(change_ids: tuple[int, ...], *, by: int) -> Changes:
    """Do again what this desk's Undo took back (the change-log rows that undo returned).

    The action is logged again as itself (its own before and after), so Undo can take it back once more.
    Refused with a sentence when a colleague changed the record since. One transaction.
    """
    change_ids = b.check_ids(change_ids, "redo")
    if not change_ids:
        raise ValidationError("redo", "There is nothing to redo.")

    def work(tx: b.Tx) -> None:
        for change_id in sorted(change_ids):
            row = t.Change.get_or_none(t.Change.id == change_id)
            if row is None or row.staff != tx.by or row.action != "undo":
                raise ValidationError("redo", "Only your own recent undo can be redone.")
            original = t.Change.get_or_none(t.Change.id == _json(row.before).get("undid"))
            if original is None:
                raise ValidationError("redo", NOT_UNDOABLE)
            _redo_one(tx, original)
    return b.write(by, work)


def _redo_one(tx: b.Tx, row: t.Change) -> None:
    entity, action = row.entity, row.action
    before, after = _json(row.before), _json(row.after)
    tables: dict[str, type[t.BaseTable]] = {**_ENTRY_TABLES, "promise": t.Promise, "client": t.Client}
    table = tables.get(entity)
    record = table.get_or_none(table.id == row.entity_id) if table is not None else None
    if record is None:
        raise ValidationError("redo", "That no longer exists.")
    values: dict[str, Any]
    if action in ("add", "restore"):
        values = {"deleted_at": None}
    elif action == "delete":
        values = {"deleted_at": tx.at}
    elif action == "edit":
        current = {k: (record.usual_handler_id if k == "usual_handler" else getattr(record, k)) for k in before}
        if current != before:
            raise ValidationError("redo", CHANGED_SINCE)
        values = dict(after)
    elif entity == "promise" and action in _REDONE_STEPS:
        values = _promise_again(record, row, before, after, tx)
    else:
        raise ValidationError("redo", NOT_UNDOABLE)
    if table in (t.Interaction, t.Note) and "deleted_at" in values:
        values["deleted_by"] = tx.by if values["deleted_at"] is not None else None
    if table in (t.Promise, t.Client):
        values["version"] = record.version + 1
    if table is t.Client:
        values["updated_at"] = tx.at
    table.update(**values).where(table.id == record.id).execute()
    if entity == "promise" and action in _REDONE_STEPS:
        t.PromiseEvent.create(promise=record.id, client=record.client_id, at=tx.at, staff=tx.by,
                              action=_REDONE_STEPS[action], reason="Redone",
                              old_due=record.due if action == "renegotiate" else None,
                              new_due=values.get("due", record.due),
                              old_owner=record.owner_id if action == "reassign" else None,
                              new_owner=values.get("owner"))
    client_id = record.id if table is t.Client else record.client_id
    if table is not t.Client:
        refresh_contact_columns(client_id)
        forget_score(client_id)
    tx.log(entity, record.id, client_id, action, KINDS, before=before or None, after=after or None)


def _promise_again(promise: t.Promise, row: t.Change, before: dict[str, Any], after: dict[str, Any],
                   tx: b.Tx) -> dict[str, Any]:
    """What a promise's keep, cancellation, new date or new owner sets again (refused if it moved since)."""
    action = row.action
    if action in ("keep", "cancel"):
        if promise.status != "open":
            raise ValidationError("redo", CHANGED_SINCE)
        if action == "keep":
            return {"status": "kept", "kept_at": _when(after["kept_at"]), "kept_by": row.staff}
        return {"status": "cancelled", "cancelled_at": tx.at, "cancelled_by": row.staff,
                "cancel_reason": after.get("reason", "")}
    if action == "renegotiate":
        if promise.due != _when(before["due"]):
            raise ValidationError("redo", CHANGED_SINCE)
        return {"due": _when(after["due"])}
    if promise.owner_id != before.get("owner"):
        raise ValidationError("redo", CHANGED_SINCE)
    return {"owner": after["owner"]}


# --- the Trash -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TrashItem:
    """Something deleted that can be brought back."""

    kind: str  # "client", "interaction", "note", "promise"
    id: int
    client_id: int
    client_name: str
    text: str
    deleted_at: datetime
    deleted_by_name: str = ""  # who moved it to the Trash (from the change log; '' when the log does not say)


def _deleters(items: list[TrashItem]) -> dict[tuple[str, int], str]:
    """Who last deleted each item: the newest 'delete' (or undone 'add') row of the change log about it."""
    if not items:
        return {}
    ch, st = t.Change, t.Staff
    query = (ch.select(ch.entity, ch.entity_id, st.name).join(st, on=(ch.staff == st.id))
             .where(ch.action.in_(("delete", "undo")) & ch.entity.in_(sorted({i.kind for i in items}))
                    & ch.entity_id.in_(sorted({i.id for i in items})))
             .order_by(ch.id))
    return {(entity, eid): name for entity, eid, name in t.database.obj.execute(query).fetchall()}


def trash(*, limit: int = 200) -> list[TrashItem]:
    """Deleted clients, interactions, notes and promises, most recently deleted first."""
    limit = b.check_count(limit, "limit", "The number of items", low=1, high=10_000)

    def work() -> list[TrashItem]:
        c = t.Client
        items = [TrashItem("client", cid, cid, name, name, t.from_micros(at))
                 for cid, name, at in t.database.obj.execute(
                     c.select(c.id, c.name, c.deleted_at)
                     .where(c.deleted_at.is_null(False) & c.id.not_in(merged_away()))
                     .order_by(c.deleted_at.desc()).limit(limit)).fetchall()]
        for kind, table, text in (("interaction", t.Interaction, t.Interaction.summary), ("note", t.Note, t.Note.text),
                                  ("promise", t.Promise, t.Promise.text)):
            query = (table.select(table.id, table.client, c.name, text, table.deleted_at)
                     .join(c, on=(table.client == c.id)).where(table.deleted_at.is_null(False))
                     .order_by(table.deleted_at.desc()).limit(limit))
            items += [TrashItem(kind, eid, cid, name, body[:200], t.from_micros(at))
                      for eid, cid, name, body, at in t.database.obj.execute(query).fetchall()]
        items.sort(key=lambda i: i.deleted_at, reverse=True)
        items = items[:limit]
        who = _deleters(items)
        return [dataclasses.replace(i, deleted_by_name=who.get((i.kind, i.id), "")) for i in items]
    return b.read(work)


def restore(kind: str, item_id: int, *, by: int) -> Changes:
    """Bring something back from the Trash."""
    tables: dict[str, type[t.BaseTable]] = {"client": t.Client, "interaction": t.Interaction, "note": t.Note,
                                            "promise": t.Promise}
    table = tables[b.check_choice(kind, "kind", tables,
                                  "Only clients, interactions, notes and promises are kept in the Trash.")]
    item_id = b.as_id(item_id, kind)

    def work(tx: b.Tx) -> None:
        row = table.get_or_none(table.id == item_id)
        if row is None or row.deleted_at is None:
            raise ValidationError(kind, "That is not in the Trash (a colleague may have restored it).")
        if table is t.Client:
            refuse_if_merged(item_id)
        values: dict[pw.Field, Any] = {table.deleted_at: None}
        if hasattr(table, "deleted_by"):
            values[table.deleted_by] = None
        table.update(values).where(table.id == item_id).execute()
        client_id = row.id if table is t.Client else row.client_id
        if table is not t.Client:
            b.require_client(client_id)
            refresh_contact_columns(client_id)
            forget_score(client_id)
        tx.log(kind, item_id, client_id, "restore", KINDS)
    return b.write(by, work)


def delete_promise(promise_id: int, *, by: int) -> Changes:
    """Move a promise made by mistake to the Trash (a promise that was really made is cancelled instead)."""
    promise_id = b.as_id(promise_id, "promise")

    def work(tx: b.Tx) -> None:
        row = t.Promise.get_or_none(t.Promise.id == promise_id)
        if row is None or row.deleted_at is not None:
            raise ValidationError("promise", "That promise does not exist (any more).")
        t.Promise.update(deleted_at=tx.at, version=row.version + 1).where(t.Promise.id == promise_id).execute()
        refresh_contact_columns(row.client_id)
        forget_score(row.client_id)
        tx.log("promise", promise_id, row.client_id, "delete", KINDS)
    return b.write(by, work)
