"""Client > What happened: one client's complete, dated record, for answering a complaint point by point (issue 11).

Everything is in it, oldest first: every interaction, note and promise (made / due / kept / broken /
cancelled with times and who), entries moved to the Trash (marked so), the client's own detail changes,
and every later edit of an entry with its earlier text, from the change log.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models import tables as t
from models.rules import history as hist
from models.rules.vocab import channel_label, rating_label
from models.store import _base as b
from models.store.clients import get_client
from models.store.records import ClientDetails

_ENTITIES = ("interaction", "note", "promise")
FULL = 1_000_000  # earlier texts are quoted whole in the report


@dataclass(frozen=True, slots=True)
class RecordItem:
    """One thing that happened: when, what kind, who, its text, and the dated lines under it."""

    at: datetime
    kind: str  # "interaction", "note", "promise", "client"
    id: int
    staff_name: str
    title: str  # "Phone, −1 Not great" / "Internal note" / "Promise" / "Client details changed"
    text: str
    lines: tuple[tuple[datetime, str], ...] = ()  # dated steps: due, kept, broken, edits with earlier text
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class ClientRecord:
    client: ClientDetails
    erased: bool
    items: tuple[RecordItem, ...]
    made_at: datetime


def client_record(client_id: int) -> ClientRecord:
    """The whole record of one client, oldest first (a read; a few queries on the (client, at) indexes)."""
    client_id = b.as_id(client_id, "client")
    details = get_client(client_id)

    def work() -> ClientRecord:
        from models.store.promises import GRACE_US  # promises.py imports the timeline helpers

        now = b.utcnow()
        names: dict[int, str] = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
        who = lambda sid: names.get(sid, "") if sid else ""  # noqa: E731
        edits = _edits(client_id, names)
        items: list[RecordItem] = []
        i = t.Interaction
        for row in i.select().where(i.client == client_id).order_by(i.at, i.id):
            title = f"{channel_label(row.channel)}, {row.rating:+d} {rating_label(row.rating)}" if row.rating \
                else f"{channel_label(row.channel)}, 0 {rating_label(0)}"
            if row.recovers_id:
                title += " — the fix of an earlier problem" + (", with an apology" if row.apology else "")
            text = row.summary + (f"\n{row.details}" if row.details else "")
            lines = edits.get(("interaction", row.id), []) + _trash_line(row, names)
            items.append(RecordItem(row.at, "interaction", row.id, who(row.staff_id), title, text,
                                    tuple(sorted(lines, key=lambda x: x[0])), row.deleted_at is not None))
        n = t.Note
        for row in n.select().where(n.client == client_id).order_by(n.at, n.id):
            lines = edits.get(("note", row.id), []) + _trash_line(row, names)
            items.append(RecordItem(row.at, "note", row.id, who(row.staff_id),
                                    "Internal note" + (" (pinned)" if row.pinned else ""), row.text,
                                    tuple(sorted(lines, key=lambda x: x[0])), row.deleted_at is not None))
        p, e = t.Promise, t.PromiseEvent
        steps: dict[int, list[tuple[datetime, str]]] = {}
        for ev in e.select().where(e.client == client_id).order_by(e.at, e.id):
            steps.setdefault(ev.promise_id, []).append((ev.at, _step(ev, who)))
        for row in p.select().where(p.client == client_id).order_by(p.made_at, p.id):
            lines = list(steps.get(row.id, []))
            broke_us = t.to_micros(row.due) + GRACE_US
            kept_us = t.to_micros(row.kept_at) if row.kept_at else None
            cancelled_us = t.to_micros(row.cancelled_at) if row.cancelled_at else None
            if broke_us < t.to_micros(now) and (kept_us is None or kept_us > broke_us) \
                    and (cancelled_us is None or cancelled_us > broke_us):
                lines.append((t.from_micros(broke_us), "Broken: not kept within 48 hours of its due time"))
            if row.deleted_at is not None:
                lines.append((row.deleted_at, "Moved to the Trash"))
            lines += edits.get(("promise", row.id), [])
            items.append(RecordItem(row.made_at, "promise", row.id, who(row.made_by_id), "Promise", row.text,
                                    tuple(sorted(lines, key=lambda x: x[0])), row.deleted_at is not None))
        for at, sid, text in edits.get(("client", client_id), []):
            items.append(RecordItem(at, "client", client_id, names.get(sid, ""), "Client record", text))
        items.sort(key=lambda item: (item.at, item.kind, item.id))
        erased = t.Erasure.select().where(t.Erasure.client == client_id).exists()
        return ClientRecord(details, erased, tuple(items), now)
    return b.read(work)


def _trash_line(row: Any, names: dict[int, str]) -> list[tuple[datetime, str]]:
    if row.deleted_at is None:
        return []
    by = names.get(row.deleted_by_id, "") if row.deleted_by_id else ""
    return [(row.deleted_at, "Moved to the Trash" + (f" by {by}" if by else ""))]


def _step(ev: t.PromiseEvent, who: Any) -> str:
    """One step of a promise's life as a line of the report."""
    from models.rules.words import clock, short_date

    def when(value: datetime | None) -> str:
        if value is None:
            return "(none)"
        local = value.astimezone()
        return f"{short_date(local, local)}, {clock(local)}"
    by = who(ev.staff_id)
    if ev.action == "made":
        return f"Made by {by}, due {when(ev.new_due)}, owner {who(ev.new_owner_id)}"
    if ev.action == "kept":
        return f"Kept, marked by {by}" + (" (with an apology)" if ev.apology else "")
    if ev.action == "renegotiated":
        return f"New due date agreed by {by}: {when(ev.old_due)} → {when(ev.new_due)}" + \
            (f" ({ev.reason})" if ev.reason else "")
    if ev.action == "reassigned":
        return f"Handed over by {by}: {who(ev.old_owner_id)} → {who(ev.new_owner_id)}"
    if ev.action == "cancelled":
        return f"Cancelled by {by}" + (f": {ev.reason}" if ev.reason else "")
    if ev.action == "reopened":
        return f"Reopened by {by} ({ev.reason or 'undone'})"
    return f"{ev.action.capitalize()} by {by}"


def _edits(client_id: int, names: dict[int, str]) -> dict[tuple[str, int], list[Any]]:
    """Later edits from the change log: per entry (at, "Corrected ...: summary “old” → “new” (by Ben)") with
    the earlier text in full; for the client itself (at, staff, sentence) triples."""
    c = t.Change
    out: dict[tuple[str, int], list[Any]] = {}
    today = b.utcnow().astimezone().date()
    rows = (c.select(c.at, c.staff, c.entity, c.entity_id, c.action, c.before, c.after)
            .where((c.client == client_id) & (c.entity.in_(("client",) + _ENTITIES)))
            .order_by(c.id).tuples())
    for at, staff, entity, entity_id, action, before, after in rows:
        if entity == "client":
            if action == "add":
                continue  # the record opens with the client as they are
            sentence = hist.describe(entity, action, entity_id, _json(before), _json(after), names=names,
                                     today=today, to_local=lambda m: m.astimezone(), limit=FULL)
            out.setdefault(("client", client_id), []).append((at, staff, sentence))
        elif action in ("edit", "undo"):
            sentence = hist.describe(entity, action, entity_id, _json(before), _json(after), names=names,
                                     today=today, to_local=lambda m: m.astimezone(), limit=FULL)
            by = names.get(staff, "") if staff else ""
            out.setdefault((entity, entity_id), []).append((at, f"{sentence}" + (f" (by {by})" if by else "")))
    return out


def _json(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
