"""A client's timeline: interactions and notes written here, and the paged, merged read of everything."""
from __future__ import annotations

from datetime import datetime, timedelta

import peewee as pw

from models import tables as t
from models.errors import ValidationError
from models.rules.text import LONG_LIMIT
from models.rules.vocab import CHANNELS
from models.store import _base as b
from models.store.clients import forget_score, refresh_contact_columns
from models.store.promise_status import GRACE_US, status_of
from models.store.records import (
    ChangeKind,
    Changes,
    InteractionEntry,
    NoteEntry,
    PromiseEntry,
    TimelineCursor,
    TimelineEntry,
    TimelinePage,
)

TIMELINE_KINDS = (ChangeKind.TIMELINE,)
# The future an interaction may be dated in: clocks of desks differ by a few minutes.
CLOCK_SKEW = timedelta(minutes=10)
# At equal times the timeline shows interactions first, then promise steps, notes, computed breaks.
RANK_INTERACTION, RANK_PROMISE, RANK_NOTE, RANK_BREAK = 0, 1, 2, 3
MAX_PAGE = 500


def default_encounter(at: datetime) -> str:
    """SPEC.md: by default an encounter is the client's local calendar day."""
    return at.astimezone().date().isoformat()


def encounter_key(encounter: str | None, interaction_id: int) -> str:
    """The encounter an interaction belongs to; NULL in the table means "its own" (a fix, say)."""
    return encounter if encounter else f"i{interaction_id}"


UNCHANGED = object()  # edit_interaction: "leave the topic as it is"


def check_topic(topic: object) -> str | None:
    """The office's spelling of a topic from its list (hidden ones included, for older entries), or None.

    Runs inside the write, so it checks against the settings as they are in that transaction.
    """
    if topic is None or (isinstance(topic, str) and not topic.strip()):
        return None
    from models.store.settings import current_settings

    name = b.clean(topic, "topic", "The topic", limit=100)
    settings = current_settings()
    for known in (*settings.topics, *settings.hidden_topics):
        if known.casefold() == name.casefold():
            return known
    raise ValidationError("topic", f"'{name}' is not one of the office's topics; choose one from the list "
                                   "(an administrator can add topics in Settings).")


def _check_when(at: object, tx_at: datetime, field: str = "at") -> datetime:
    if at is None:
        return tx_at
    when = b.check_time(at, field, "The date and time")
    assert when is not None
    if when > tx_at + CLOCK_SKEW:
        raise ValidationError(field, "That date is in the future; log it once it has happened.")
    return when


def log_interaction(client_id: int, *, by: int, summary: str, rating: int, channel: str = "phone",
                    at: datetime | None = None, details: str = "", encounter: str | None = None,
                    recovers: int | None = None, apology: bool = False, topic: str | None = None) -> Changes:
    """Log a call, visit, email ... with how it went (rating -2..+2). Changes.id is the new entry's id.

    `encounter` joins an earlier encounter ("continue this visit"); by default interactions of one
    local day form one encounter. `recovers` makes this the fix of a failed interaction (its own
    encounter, with `apology` = "we apologised"). `topic` is one of the office's topics (Settings).
    """
    client_id = b.as_id(client_id, "client")
    summary = b.clean(summary, "summary", "The summary", required=True)
    details = b.clean(details, "details", "The details", multiline=True, plural=True)
    if isinstance(rating, bool) or not isinstance(rating, int) or not -2 <= rating <= 2:
        raise ValidationError("rating", "Choose how it went: a rating from -2 (went wrong) to +2 (excellent).")
    b.check_choice(channel, "channel", CHANNELS, "Choose the channel from the list (phone, email, visit ...).")
    apology = b.check_flag(apology, "apology", "We apologised")
    recovers = b.optional_id(recovers, "recovers")
    if encounter is not None:
        encounter = b.clean(encounter, "encounter", "The encounter", limit=100) or None

    def work(tx: b.Tx) -> int:
        b.require_client(client_id)
        when = _check_when(at, tx.at)
        chosen = check_topic(topic)
        fixed = None
        if recovers is not None:
            fixed = t.Interaction.get_or_none((t.Interaction.id == b.as_id(recovers, "recovers"))
                                              & t.Interaction.deleted_at.is_null())
            if fixed is None or fixed.client_id != client_id:
                raise ValidationError("recovers", "The interaction to fix is not on this client's timeline.")
            if fixed.rating >= 0:
                raise ValidationError("recovers", "Only an interaction that went wrong can be fixed.")
            if when < fixed.at:
                raise ValidationError("at", "A fix cannot be dated before the problem it fixes.")
        key = None if fixed is not None else (encounter or default_encounter(when))
        row = t.Interaction.create(
            client=client_id, at=when, channel=channel, staff=tx.by, summary=summary, details=details,
            rating=rating, encounter=key, recovers=fixed.id if fixed else None,
            apology=apology if fixed else False, created_at=tx.at, topic=chosen,
        )
        refresh_contact_columns(client_id)
        forget_score(client_id)
        tx.log("interaction", row.id, client_id, "add", TIMELINE_KINDS + ("score",),
               after=b.row_dict(row, "at", "channel", "summary", "rating", "encounter", "recovers", "apology", "topic"))
        return row.id
    return b.write(by, work)


def add_note(client_id: int, *, by: int, text: str, at: datetime | None = None, pinned: bool = False) -> Changes:
    """Add an internal note (never part of the score). Changes.id is the new note's id."""
    client_id = b.as_id(client_id, "client")
    text = b.clean(text, "text", "The note", required=True, multiline=True, limit=LONG_LIMIT)
    pinned = b.check_flag(pinned, "pinned", "Pinned")

    def work(tx: b.Tx) -> int:
        b.require_client(client_id)
        when = _check_when(at, tx.at)
        row = t.Note.create(client=client_id, at=when, staff=tx.by, text=text, pinned=pinned, created_at=tx.at)
        tx.log("note", row.id, client_id, "add", TIMELINE_KINDS, after={"text": text, "pinned": pinned})
        return row.id
    return b.write(by, work)


def edit_interaction(interaction_id: int, *, by: int, summary: str | None = None, details: str | None = None,
                     rating: int | None = None, channel: str | None = None,
                     topic: str | None | object = UNCHANGED) -> Changes:
    """Correct an interaction; the earlier text stays in the change log. `topic=None` takes its topic off."""
    interaction_id = b.as_id(interaction_id, "interaction")
    values: dict[str, object] = {}
    if summary is not None:
        values["summary"] = b.clean(summary, "summary", "The summary", required=True)
    if details is not None:
        values["details"] = b.clean(details, "details", "The details", multiline=True, plural=True)
    if rating is not None:
        if isinstance(rating, bool) or not isinstance(rating, int) or not -2 <= rating <= 2:
            raise ValidationError("rating", "Choose how it went: a rating from -2 (went wrong) to +2 (excellent).")
        values["rating"] = rating
    if channel is not None:
        values["channel"] = b.check_choice(channel, "channel", CHANNELS,
                                           "Choose the channel from the list (phone, email, visit ...).")

    def work(tx: b.Tx) -> None:
        row = t.Interaction.get_or_none(t.Interaction.id == interaction_id)
        if row is None or row.deleted_at is not None:
            raise ValidationError("interaction", "That entry is no longer on the timeline.")
        b.require_client(row.client_id)
        if topic is not UNCHANGED:
            values["topic"] = check_topic(topic)
        before = b.row_dict(row, *values)
        if values:
            t.Interaction.update(edited_at=tx.at, **values).where(t.Interaction.id == interaction_id).execute()
        forget_score(row.client_id)
        tx.log("interaction", interaction_id, row.client_id, "edit", TIMELINE_KINDS + ("score",),
               before=before, after={k: v for k, v in values.items()})
    return b.write(by, work)


def edit_note(note_id: int, *, by: int, text: str | None = None, pinned: bool | None = None) -> Changes:
    """Correct a note's text or pin it to the top of the hand-off card; the earlier text stays in the log."""
    note_id = b.as_id(note_id, "note")
    values: dict[str, object] = {}
    if text is not None:
        values["text"] = b.clean(text, "text", "The note", required=True, multiline=True, limit=LONG_LIMIT)
    if pinned is not None:
        values["pinned"] = b.check_flag(pinned, "pinned", "Pinned")

    def work(tx: b.Tx) -> None:
        row = t.Note.get_or_none(t.Note.id == note_id)
        if row is None or row.deleted_at is not None:
            raise ValidationError("note", "That note is no longer on the timeline.")
        b.require_client(row.client_id)
        before = b.row_dict(row, *values)
        extra = {"edited_at": tx.at} if "text" in values else {}
        if values:
            t.Note.update(**values, **extra).where(t.Note.id == note_id).execute()
        tx.log("note", note_id, row.client_id, "edit", TIMELINE_KINDS, before=before, after=dict(values))
    return b.write(by, work)


_DELETABLE = {"interaction": t.Interaction, "note": t.Note}


def delete_entry(kind: str, entry_id: int, *, by: int) -> Changes:
    """Move an interaction or note to the Trash (soft delete; restore_entry brings it back)."""
    return _set_deleted(kind, entry_id, by, deleted=True)


def restore_entry(kind: str, entry_id: int, *, by: int) -> Changes:
    """Bring a deleted interaction or note back onto the timeline."""
    return _set_deleted(kind, entry_id, by, deleted=False)


def _set_deleted(kind: str, entry_id: int, by: int, *, deleted: bool) -> Changes:
    table = _DELETABLE[b.check_choice(kind, "kind", _DELETABLE,
                                      "Only interactions and notes can be deleted from a timeline.")]
    entry_id = b.as_id(entry_id, kind)

    def work(tx: b.Tx) -> None:
        row = table.get_or_none(table.id == entry_id)
        if row is None or (row.deleted_at is not None) == deleted:
            where = "in the Trash" if not deleted else "on the timeline"
            raise ValidationError(kind, f"That entry is not {where} (a colleague may have moved it).")
        b.require_client(row.client_id)
        table.update(deleted_at=tx.at if deleted else None, deleted_by=tx.by if deleted else None) \
            .where(table.id == entry_id).execute()
        if table is t.Interaction:
            refresh_contact_columns(row.client_id)
            forget_score(row.client_id)
        tx.log(kind, entry_id, row.client_id, "delete" if deleted else "restore",
               TIMELINE_KINDS + (("score",) if table is t.Interaction else ()))
    return b.write(by, work)


# --- reading ------------------------------------------------------------------------------------

def timeline(client_id: int, *, limit: int = 50, before: TimelineCursor | None = None,
             around: tuple[str, int] | None = None, after: TimelineCursor | None = None) -> TimelinePage:
    """One page of a client's timeline, newest first. Pass the page's `before` to read the next (older) one.

    Each source (interactions, promise steps, notes, computed promise breaks) is read with its own
    keyset query on (client, at, id) and the pages are merged, so a page costs the same with 50 or
    50,000 entries and stays stable while colleagues add entries.

    `around=(kind, id)` returns the page holding that entry (an interaction, a note, or a promise — its
    "made" step), with about half the page newer than it: what opening a search hit needs. Such a page
    carries `after` too; pass it back as `after` for the page of newer entries above it.
    """
    client_id = b.as_id(client_id, "client")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", f"A timeline page holds 1 to {MAX_PAGE} entries.")
    for name, cursor in (("before", before), ("after", after)):
        if cursor is not None and not isinstance(cursor, TimelineCursor):
            raise ValidationError(name, "That is not a position on a timeline.")
    if around is not None and (not isinstance(around, tuple) or len(around) != 2
                               or around[0] not in ("interaction", "note", "promise")):
        raise ValidationError("around", "That is not an entry on a timeline.")

    def work() -> TimelinePage:
        now = b.utcnow()
        names = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
        if around is not None:
            target = _position(client_id, around[0], b.as_id(around[1], "around"))
            newer = _read(client_id, limit, None, target, names, now)
            older = _read(client_id, limit, _just_after(target), None, names, now)  # the target first
            above = min(len(newer), max(limit // 2, limit - len(older)))
            return _page(newer, older, above, limit - above)
        if after is not None:
            return _page(_read(client_id, limit, None, after, names, now), [], limit, 0, older_exist=True)
        return _page([], _read(client_id, limit, before, None, names, now), 0, limit)
    return b.read(work)


_Row = tuple[int, int, int, TimelineEntry]


def _read(client_id: int, limit: int, before: TimelineCursor | None, after: TimelineCursor | None,
          names: dict[int, str], now: datetime) -> list[_Row]:
    """Up to limit + 1 entries older than `before` (newest first), or newer than `after` (oldest first)."""
    if limit <= 0:
        return []
    rows: list[_Row] = []
    rows += _interactions(client_id, limit, before, names, after)
    rows += _promise_steps(client_id, limit, before, names, now, after)
    rows += _notes(client_id, limit, before, names, after)
    rows += _breaks(client_id, limit, before, names, now, after)
    rows.sort(key=lambda r: (r[0], r[1], r[2]), reverse=after is None)
    return rows[:limit + 1]


def _page(newer: list[_Row], older: list[_Row], newer_limit: int, older_limit: int, *,
          older_exist: bool = False) -> TimelinePage:
    """Newer rows (read oldest first) above older rows (read newest first), with a cursor each way."""
    top = list(reversed(newer[:newer_limit]))
    bottom = older[:older_limit]
    page = top + bottom
    more_older = len(older) > older_limit or (older_exist and bool(page))
    more_newer = len(newer) > newer_limit
    before = TimelineCursor(*page[-1][:3]) if page and more_older else None
    after = TimelineCursor(*page[0][:3]) if page and more_newer else None
    return TimelinePage(tuple(r[3] for r in page), before, after)


def _position(client_id: int, kind: str, entry_id: int) -> TimelineCursor:
    """Where an entry sits on its client's timeline, or a ValidationError when it is not there."""
    if kind == "interaction":
        row = t.Interaction.get_or_none((t.Interaction.id == entry_id) & (t.Interaction.client == client_id)
                                        & t.Interaction.deleted_at.is_null())
        found = None if row is None else TimelineCursor(t.to_micros(row.at), RANK_INTERACTION, row.id)
    elif kind == "note":
        row = t.Note.get_or_none((t.Note.id == entry_id) & (t.Note.client == client_id) & t.Note.deleted_at.is_null())
        found = None if row is None else TimelineCursor(t.to_micros(row.at), RANK_NOTE, row.id)
    else:  # a promise: the step that made it
        e = t.PromiseEvent
        step = (e.select(e.id, e.at).join(t.Promise, on=(e.promise == t.Promise.id))
                .where((e.promise == entry_id) & (e.client == client_id) & e.deleted_at.is_null()
                       & t.Promise.deleted_at.is_null())
                .order_by(e.at, e.id).limit(1).tuples().first())
        found = None if step is None else TimelineCursor(t.to_micros(step[1]), RANK_PROMISE, step[0])
    if found is None:
        raise ValidationError("around", "That entry is no longer on this client's timeline.")
    return found


def _just_after(target: TimelineCursor) -> TimelineCursor:
    """A cursor whose "older than" includes the target itself (ids are whole numbers)."""
    return TimelineCursor(target.at_us, target.rank, target.id + 1)


def _keyset(at: pw.Node, ident: pw.Node, rank: int, before: TimelineCursor | None,
            after: TimelineCursor | None) -> tuple[pw.Node | None, tuple[pw.Node, ...]]:
    """The keyset condition and ordering: older than `before` newest first, or newer than `after` oldest first."""
    if after is None:
        return _after_cursor(at, ident, rank, before), (at.desc(), ident.desc())
    if rank > after.rank:
        cond = at >= after.at_us
    elif rank < after.rank:
        cond = at > after.at_us
    else:
        cond = pw.Tuple(at, ident) > pw.Tuple(after.at_us, after.id)
    return cond, (at.asc(), ident.asc())


def _after_cursor(at: pw.Node, ident: pw.Node, rank: int, before: TimelineCursor | None) -> pw.Node | None:
    """The keyset condition "(at, rank, id) < cursor" for a source whose rank is fixed."""
    if before is None:
        return None
    if rank < before.rank:
        return at <= before.at_us
    if rank > before.rank:
        return at < before.at_us
    # A row-value comparison: SQLite (3.15+) and PostgreSQL both turn it into one index range.
    return pw.Tuple(at, ident) < pw.Tuple(before.at_us, before.id)


def _where(base: pw.Node, extra: pw.Node | None) -> pw.Node:
    return base if extra is None else base & extra


def _interactions(client_id: int, limit: int, before: TimelineCursor | None,
                  names: dict[int, str], after: TimelineCursor | None = None) -> list[_Row]:
    i = t.Interaction
    cond, order = _keyset(i.at, i.id, RANK_INTERACTION, before, after)
    query = (i.select(i.id, i.at, i.channel, i.staff, i.summary, i.details, i.rating, i.encounter, i.recovers,
                      i.apology, i.edited_at, i.topic)
             .where(_where((i.client == client_id) & i.deleted_at.is_null(), cond))
             .order_by(*order).limit(limit + 1))
    raw = list(t.database.obj.execute(query).fetchall())
    fixes: dict[int, list[int]] = {}
    failed = [r[0] for r in raw if r[6] < 0]
    if failed:
        for fix_id, fixed_id in (i.select(i.id, i.recovers)
                                 .where(i.recovers.in_(failed) & i.deleted_at.is_null()).tuples()):
            fixes.setdefault(fixed_id, []).append(fix_id)
    out = []
    for iid, at, channel, staff, summary, details, rating, enc, rec, apology, edited, topic in raw:
        entry = InteractionEntry("interaction", iid, client_id, t.from_micros(at), staff, names.get(staff, ""),
                                 channel, summary, details, rating, encounter_key(enc, iid), rec, bool(apology),
                                 edited is not None, tuple(fixes.get(iid, ())), topic)
        out.append((at, RANK_INTERACTION, iid, entry))
    return out


def _notes(client_id: int, limit: int, before: TimelineCursor | None,
           names: dict[int, str], after: TimelineCursor | None = None) -> list[_Row]:
    n = t.Note
    cond, order = _keyset(n.at, n.id, RANK_NOTE, before, after)
    query = (n.select(n.id, n.at, n.staff, n.text, n.pinned, n.edited_at)
             .where(_where((n.client == client_id) & n.deleted_at.is_null(), cond))
             .order_by(*order).limit(limit + 1))
    return [(at, RANK_NOTE, nid, NoteEntry("note", nid, client_id, t.from_micros(at), staff, names.get(staff, ""),
                                           text, bool(pinned), edited is not None))
            for nid, at, staff, text, pinned, edited in t.database.obj.execute(query).fetchall()]


def _promise_steps(client_id: int, limit: int, before: TimelineCursor | None, names: dict[int, str],
                   now: datetime, after: TimelineCursor | None = None) -> list[_Row]:

    e, p = t.PromiseEvent, t.Promise
    cond, order = _keyset(e.at, e.id, RANK_PROMISE, before, after)
    query = (e.select(e.id, e.at, e.staff, e.action, e.old_due, e.new_due, e.old_owner, e.new_owner, e.apology,
                      e.reason, p.id, p.text, p.due, p.owner, p.status, p.kept_at, p.cancelled_at, p.version)
             .join(p, on=(e.promise == p.id))
             .where(_where((e.client == client_id) & e.deleted_at.is_null() & p.deleted_at.is_null(), cond))
             .order_by(*order).limit(limit + 1))
    out = []
    conv = t.from_micros
    for (eid, at, staff, action, old_due, new_due, old_owner, new_owner, apology, reason, pid, text, due, owner,
         status, kept_at, cancelled_at, version) in t.database.obj.execute(query).fetchall():
        due_dt = conv(due)
        shown_due = conv(new_due) if new_due is not None else due_dt
        current = status_of(status, due_dt, conv(kept_at) if kept_at else None,
                            conv(cancelled_at) if cancelled_at else None, now)
        entry = PromiseEntry("promise", eid, client_id, conv(at), staff, names.get(staff, ""), pid, action, text,
                             shown_due, conv(old_due) if old_due is not None else None,
                             new_owner if new_owner is not None else owner,
                             names.get(new_owner if new_owner is not None else owner, ""),
                             names.get(old_owner, "") if old_owner else "", bool(apology), reason, current, version,
                             due_dt)
        out.append((at, RANK_PROMISE, eid, entry))
    return out


def _breaks(client_id: int, limit: int, before: TimelineCursor | None, names: dict[int, str],
            now: datetime, after: TimelineCursor | None = None) -> list[_Row]:
    """Computed entries: a promise not kept by due + 48 h broke then (DUE-DATES.md: never written)."""

    p = t.Promise
    broke = p.due + GRACE_US
    cond, order = _keyset(broke, p.id, RANK_BREAK, before, after)
    query = (p.select(p.id, broke, p.text, p.due, p.owner, p.status, p.kept_at, p.cancelled_at, p.version)
             .where(_where((p.client == client_id) & p.deleted_at.is_null() & (broke < t.to_micros(now))
                           & (p.kept_at.is_null() | (p.kept_at > broke))
                           & (p.cancelled_at.is_null() | (p.cancelled_at > broke)), cond))
             .order_by(*order).limit(limit + 1))
    out = []
    conv = t.from_micros
    for pid, at, text, due, owner, status, kept_at, cancelled_at, version in t.database.obj.execute(query).fetchall():
        current = status_of(status, conv(due), conv(kept_at) if kept_at else None,
                            conv(cancelled_at) if cancelled_at else None, now)
        entry = PromiseEntry("promise", pid, client_id, conv(at), None, "", pid, "broken", text, conv(due), None,
                             owner, names.get(owner, ""), "", False, "", current, version, conv(due))
        out.append((at, RANK_BREAK, pid, entry))
    return out
