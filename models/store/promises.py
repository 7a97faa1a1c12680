"""Promises the office made: their life (made, kept, renegotiated, reassigned, cancelled) and the desk's day."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import peewee as pw

from models import tables as t
from models.errors import ConflictError, ValidationError
from models.rules import promises as rules
from models.store import _base as b
from models.store.clients import forget_score, refresh_contact_columns
from models.store.promise_status import GRACE_US, local_naive, status_of
from models.store.records import ChangeKind, Changes, PromiseRow

PROMISE_KINDS = (ChangeKind.PROMISE, ChangeKind.TIMELINE, ChangeKind.SCORE)


def _check_due(due: object) -> datetime:
    value = b.check_time(due, "due", "The due date")
    assert value is not None
    return value


def _owner(owner: object, by: int) -> int:
    return b.require_staff(by if owner is None else owner, "owner").id


def _event(tx: b.Tx, promise: t.Promise, action: str, **fields: object) -> None:
    t.PromiseEvent.create(promise=promise.id, client=promise.client_id, at=tx.at, staff=tx.by, action=action,
                          **fields)


def _after_change(tx: b.Tx, promise: t.Promise, action: str, before: dict | None, after: dict | None) -> None:
    refresh_contact_columns(promise.client_id)
    forget_score(promise.client_id)
    tx.log("promise", promise.id, promise.client_id, action, PROMISE_KINDS, before=before, after=after)


def make_promise(client_id: int, *, by: int, text: str, due: datetime, owner: int | None = None,
                 origin: int | None = None) -> Changes:
    """Record a promise made to a client ("we'll call you back Tuesday"). Changes.id is the promise's id.

    The owner defaults to whoever made it. `origin` links the promise to the interaction it answers
    (the second-impression offer after a bad one).
    """
    client_id = b.as_id(client_id, "client")
    text = b.clean(text, "text", "What was promised", required=True)
    when = _check_due(due)

    def work(tx: b.Tx) -> int:
        b.require_client(client_id)
        owner_id = _owner(owner, tx.by)
        origin_id = None
        if origin is not None:
            source = t.Interaction.get_or_none(t.Interaction.id == b.as_id(origin, "origin"))
            if source is None or source.client_id != client_id:
                raise ValidationError("origin",
                                      "The interaction this promise answers is not on this client's timeline.")
            origin_id = source.id
        row = t.Promise.create(client=client_id, made_at=tx.at, made_by=tx.by, owner=owner_id, text=text,
                               due=when, origin=origin_id)
        _event(tx, row, "made", new_due=when, new_owner=owner_id)
        _after_change(tx, row, "add", None, {"text": text, "due": when.isoformat(), "owner": owner_id})
        return row.id
    return b.write(by, work)


def _open_promise(promise_id: int, version: int | None) -> t.Promise:
    row = t.Promise.get_or_none(t.Promise.id == promise_id)
    if row is None or row.deleted_at is not None:
        raise ValidationError("promise", "That promise does not exist (any more).")
    b.require_client(row.client_id)
    if row.status == "kept":
        who = t.Staff.get_or_none(t.Staff.id == row.kept_by_id)
        when = local_naive(row.kept_at).strftime("%d %b at %H:%M") if row.kept_at else ""
        raise ValidationError("promise", f"This promise was already kept{' by ' + who.name if who else ''}"
                                         f"{' on ' + when if when else ''}.")
    if row.status == "cancelled":
        raise ValidationError("promise", "This promise was cancelled; make a new one if something is still owed.")
    if version is not None and row.version != version:
        raise ConflictError(_promise_row(row, b.utcnow()),
                            "A colleague changed this promise while you were looking at it. Check it and try again.")
    return row


def _bump(row: t.Promise, **values: object) -> None:
    count = (t.Promise.update(version=row.version + 1, **values)
             .where((t.Promise.id == row.id) & (t.Promise.version == row.version)).execute())
    if count == 0:  # cannot happen inside BEGIN IMMEDIATE, but never overwrite silently
        raise ConflictError(None, "A colleague changed this promise at the same moment. Try again.")


def keep_promise(promise_id: int, *, by: int, apology: bool = False, at: datetime | None = None,
                 version: int | None = None) -> Changes:
    """Mark a promise kept (`apology`: we apologised for being late). Keeping it twice is refused."""
    promise_id = b.as_id(promise_id, "promise")
    apology = b.check_flag(apology, "apology", "We apologised")

    def work(tx: b.Tx) -> None:
        row = _open_promise(promise_id, version)
        when = tx.at if at is None else b.check_time(at, "at", "When it was kept")
        assert when is not None
        if when > tx.at + timedelta(minutes=10):
            raise ValidationError("at", "A promise cannot be marked kept in the future.")
        if when < row.made_at:
            raise ValidationError("at", "A promise cannot be kept before it was made.")
        _bump(row, status="kept", kept_at=when, kept_by=tx.by, apology=apology)
        _event(tx, row, "kept", apology=apology, new_due=row.due)
        _after_change(tx, row, "keep", {"status": "open"}, {"status": "kept", "kept_at": when.isoformat()})
    return b.write(by, work)


def renegotiate_promise(promise_id: int, *, by: int, due: datetime, version: int | None = None,
                        reason: str = "") -> Changes:
    """A new due date agreed with the client, before the promise broke (after that: a new promise)."""
    promise_id = b.as_id(promise_id, "promise")
    new_due = _check_due(due)
    reason = b.clean(reason, "reason", "The reason")

    def work(tx: b.Tx) -> None:
        row = _open_promise(promise_id, version)
        if not rules.renegotiation_allowed(local_naive(row.due), local_naive(tx.at)):
            raise ValidationError("due", "This promise already broke (it was not kept within two days of its due "
                                         "date). The break stands: make a new promise for the new date.")
        _bump(row, due=new_due)
        _event(tx, row, "renegotiated", old_due=row.due, new_due=new_due, reason=reason)
        _after_change(tx, row, "renegotiate", {"due": row.due.isoformat()}, {"due": new_due.isoformat()})
    return b.write(by, work)


def reassign_promise(promise_id: int, *, by: int, owner: int, version: int | None = None) -> Changes:
    """Give the promise to another team member ("I'll take it" when covering for a colleague)."""
    promise_id = b.as_id(promise_id, "promise")

    def work(tx: b.Tx) -> None:
        row = _open_promise(promise_id, version)
        new_owner = _owner(owner, tx.by)
        if new_owner == row.owner_id:
            raise ValidationError("owner", "The promise already belongs to them.")
        _bump(row, owner=new_owner)
        _event(tx, row, "reassigned", old_owner=row.owner_id, new_owner=new_owner, new_due=row.due)
        _after_change(tx, row, "reassign", {"owner": row.owner_id}, {"owner": new_owner})
    return b.write(by, work)


def edit_promise(promise_id: int, *, by: int, text: str, version: int | None = None) -> Changes:
    """Correct what an open promise says (a typo, a clearer wording); the earlier text stays in the change log."""
    promise_id = b.as_id(promise_id, "promise")
    text = b.clean(text, "text", "What was promised", required=True)

    def work(tx: b.Tx) -> None:
        row = _open_promise(promise_id, version)
        if row.text == text:
            return
        _bump(row, text=text)
        _after_change(tx, row, "edit", {"text": row.text}, {"text": text})
    return b.write(by, work)


def cancel_promise(promise_id: int, *, by: int, reason: str, version: int | None = None) -> Changes:
    """Cancel a promise by agreement with the client (a reason is required)."""
    promise_id = b.as_id(promise_id, "promise")
    reason = b.clean(reason, "reason", "The reason for cancelling", required=True)

    def work(tx: b.Tx) -> None:
        row = _open_promise(promise_id, version)
        _bump(row, status="cancelled", cancelled_at=tx.at, cancelled_by=tx.by, cancel_reason=reason)
        _event(tx, row, "cancelled", reason=reason, new_due=row.due)
        _after_change(tx, row, "cancel", {"status": "open"}, {"status": "cancelled", "reason": reason})
    return b.write(by, work)


# --- reading ------------------------------------------------------------------------------------

def _promise_row(row: t.Promise, now: datetime) -> PromiseRow:
    names = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
    client = t.Client.get_by_id(row.client_id)
    return PromiseRow(row.id, row.client_id, client.name, row.text, row.made_at, row.made_by_id,
                      names.get(row.made_by_id, ""), row.owner_id, names.get(row.owner_id, ""), row.due, row.status,
                      status_of(row.status, row.due, row.kept_at, row.cancelled_at, now), row.kept_at, row.version)


def get_promise(promise_id: int) -> PromiseRow:
    """One promise, with its computed status and `version`."""
    promise_id = b.as_id(promise_id, "promise")

    def work() -> PromiseRow:
        row = t.Promise.get_or_none(t.Promise.id == promise_id)
        if row is None or row.deleted_at is not None:
            raise ValidationError("promise", "That promise does not exist (any more).")
        return _promise_row(row, b.utcnow())
    return b.read(work)


_MAKER = t.Staff.alias("maker")
_OWNER = t.Staff.alias("owner_staff")
# The names, the owner's time away and the client's cached badge come with each promise, so the
# Today view is one SELECT (and its rows need no lookups in Python).
_PROMISE_COLUMNS = (t.Promise.id, t.Promise.client, t.Client.name, t.Promise.text, t.Promise.made_at,
                    t.Promise.made_by, _MAKER.name, t.Promise.owner, _OWNER.name, t.Promise.due, t.Promise.status,
                    t.Promise.kept_at, t.Promise.cancelled_at, t.Promise.version, t.ScoreCache.score,
                    t.ScoreCache.band, t.ScoreCache.stable_until, _OWNER.away_from, _OWNER.away_until)


def _promise_select() -> pw.Select:
    """Promises with their client's name, their people's names and the client's cached score badge."""
    p = t.Promise
    return (p.select(*_PROMISE_COLUMNS)
            .join(t.Client, on=(p.client == t.Client.id))
            .join(_MAKER, pw.JOIN.LEFT_OUTER, on=(p.made_by == _MAKER.id))
            .join(_OWNER, pw.JOIN.LEFT_OUTER, on=(p.owner == _OWNER.id))
            .join(t.ScoreCache, pw.JOIN.LEFT_OUTER, on=(t.ScoreCache.client == p.client)))


def open_promises_query(*, due_before: datetime | None = None, client_id: int | None = None) -> pw.Select:
    """The plain SELECT behind the Today view and the hand-off card: open promises of live clients."""
    p = t.Promise
    cond = (p.status == "open") & p.deleted_at.is_null() & t.Client.deleted_at.is_null()
    if due_before is not None:
        cond &= p.due < due_before
    if client_id is not None:
        cond &= p.client == client_id
    return _promise_select().where(cond).order_by(p.due, p.id)


# desk_day() runs on every refresh of every desk: its SQL is built once per kind of database.
_SENTINEL_DUE = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)
_DESK_DAY_SQL: dict[type, tuple[str, list[object], int]] = {}


_RowMemo = dict[int, tuple[tuple[object, ...], PromiseRow]]
# The rows of the last desk_day(), by promise id with the raw values they were built from: every desk
# re-reads its day on each change in the office, and most rows are unchanged, so they are not built again
# (frozen rows are safe to share). Keyed by id, not by the raw tuple: hashing 19 values twice a row cost
# more than comparing them once.
_last_desk_day: _RowMemo = {}


def _desk_day_sql(due_before: datetime) -> tuple[str, list[object]]:
    """open_promises_query(due_before=...).sql(), compiled once and reused with the new date."""
    key = type(t.database.obj)
    cached = _DESK_DAY_SQL.get(key)
    if cached is None:
        sql, params = open_promises_query(due_before=_SENTINEL_DUE).sql()
        cached = _DESK_DAY_SQL[key] = (sql, list(params), list(params).index(t.to_micros(_SENTINEL_DUE)))
    sql, params, where = cached
    params = list(params)
    params[where] = t.to_micros(due_before)
    return sql, params


_NAIVE_EPOCH = datetime(1970, 1, 1)
_DAY_US = 86_400_000_000  # one UTC day: a UTC offset changes at most once in a day (checked at both ends)
_OFFSETS: dict[tuple[object, ...], dict[int, int | None]] = {}


class _LocalClock:
    """Integer UTC microseconds -> the desk's local wall-clock time, exactly as local_naive() but without
    asking the operating system once per row: the UTC offset is looked up once per day and remembered.

    The Today view turns every open promise of the week into a status; in a big office that is
    hundreds of rows, and an astimezone() per row cost more than the query itself. A day whose
    offset changes (a daylight-saving switch) is converted row by row, exactly.
    """

    def __init__(self) -> None:
        # keyed by the process's time zone, so a desk whose zone changes never uses stale offsets
        self._offsets = _OFFSETS.setdefault((time.timezone, time.altzone, time.tzname), {})

    @staticmethod
    def _offset_at(us: int) -> int:
        local = local_naive(t.from_micros(us))
        return (local - _NAIVE_EPOCH) // timedelta(microseconds=1) - us

    def local_us(self, us: int) -> int:
        """The local wall-clock time of `us`, as microseconds since 1970-01-01 00:00 local."""
        bucket = us // _DAY_US
        try:
            offset = self._offsets[bucket]
        except KeyError:
            start = bucket * _DAY_US
            first, last = self._offset_at(start), self._offset_at(start + _DAY_US - 1)
            offset = self._offsets[bucket] = first if first == last else None
        if offset is None:  # the offset changes on this day: this instant's own offset
            return us + self._offset_at(us)
        return us + offset


def _open_status(due_local_us: int, now_local_us: int) -> str:
    """rules.promise_status() of an unkept promise, on local wall-clock microseconds (exactly the same
    comparisons; tests/store/test_handoff.py checks the two agree)."""
    if now_local_us > due_local_us + GRACE_US:
        return "broken"
    if now_local_us > due_local_us:
        return "overdue"
    if due_local_us // _DAY_US == now_local_us // _DAY_US:  # the same local calendar day
        return "due_today"
    return "pending"


def _materialise(query: pw.Select | tuple[str, list[object]], now: datetime,
                 away: dict[int, tuple[int, int]] | None = None, previous: _RowMemo | None = None,
                 keep: _RowMemo | None = None) -> list[PromiseRow]:
    """PromiseRows straight from the cursor.

    With `away`, also notes (promise id -> away from, until, in microseconds) for each promise whose
    owner is or will be away. With `previous` (an earlier read's rows and their raw values, by id), a row
    whose values and status have not changed is that same object again; `keep` collects this read's.
    """
    db = t.database.obj
    cursor = db.execute_sql(*query) if isinstance(query, tuple) else db.execute(query)
    now_us = t.to_micros(now)
    local_us = _LocalClock().local_us
    now_local = local_us(now_us)
    epoch, delta, row_of = t.from_micros(0), timedelta, PromiseRow
    previous = previous or {}
    out = []
    for raw in cursor.fetchall():
        (pid, cid, cname, text, made_at, made_by, made_by_name, owner, owner_name, due, status, kept_at,
         cancelled_at, version, score, band, stable_until, away_from, away_until) = raw
        if status == "open":  # effective_status() of an open promise, computed on integers
            computed = _open_status(local_us(due), now_local)
        else:
            computed = status_of(status, epoch + delta(0, 0, due), _time(kept_at), _time(cancelled_at), now)
        if stable_until is None or stable_until <= now_us:  # a badge past its stable_until is not shown
            score, band = None, ""
        before = previous.get(pid)
        if before is not None and before[0] == raw and before[1].status == computed \
                and before[1].client_score == score:
            row = before[1]
        else:
            row = row_of(pid, cid, cname, text, epoch + delta(0, 0, made_at), made_by, made_by_name or "", owner,
                         owner_name or "", epoch + delta(0, 0, due), status, computed,
                         None if kept_at is None else _time(kept_at), version, score, band)
        out.append(row)
        if keep is not None:
            keep[pid] = (raw, row)
        if away is not None and away_from is not None and away_until is not None and away_until > now_us:
            away[pid] = (away_from, away_until)
    return out


def _time(value: int | None) -> datetime | None:
    return None if value is None else t.from_micros(value)


def client_promises(client_id: int, *, include_closed: bool = False) -> list[PromiseRow]:
    """A client's promises: open ones by due date (overdue first), then, if asked, kept and cancelled."""
    client_id = b.as_id(client_id, "client")

    def work() -> list[PromiseRow]:
        now = b.utcnow()
        rows = _materialise(open_promises_query(client_id=client_id), now)
        if include_closed:
            p = t.Promise
            closed = (_promise_select()
                      .where((p.client == client_id) & (p.status != "open") & p.deleted_at.is_null())
                      .order_by(p.due.desc(), p.id.desc()))
            rows += _materialise(closed, now)
        return rows
    return b.read(work)


@dataclass(frozen=True, slots=True)
class DeskDay:
    """The Today view: overdue (and broken, still open) first, then due today, then the next days."""

    overdue: tuple[PromiseRow, ...]
    today: tuple[PromiseRow, ...]
    upcoming: tuple[PromiseRow, ...]
    covering: tuple[PromiseRow, ...]  # open promises of colleagues away while they fall due


def desk_day(*, staff_id: int | None = None, days: int = 7) -> DeskDay:
    """What needs doing: every open promise due within `days` days, sorted into the Today sections.

    With `staff_id`, only that person's promises ("mine"); `covering` always lists promises of
    colleagues who are away when the promise falls due (so nothing goes overdue unseen).
    """
    def work() -> DeskDay:
        now = b.utcnow()
        now_us = t.to_micros(now)
        away: dict[int, tuple[int, int]] = {}
        global _last_desk_day
        fresh: _RowMemo = {}
        rows = _materialise(_desk_day_sql(now + timedelta(days=days)), now, away, _last_desk_day, fresh)
        _last_desk_day = fresh

        def covered(row: PromiseRow) -> bool:
            start, end = away[row.id]
            return start <= now_us < end or start <= t.to_micros(row.due) < end

        covering = tuple(r for r in rows if r.id in away and r.owner_id != staff_id and covered(r))
        mine = rows if staff_id is None else [r for r in rows if r.owner_id == staff_id]
        return DeskDay(
            overdue=tuple(r for r in mine if r.status in ("overdue", "broken")),
            today=tuple(r for r in mine if r.status == "due_today"),
            upcoming=tuple(r for r in mine if r.status == "pending"),
            covering=covering,
        )
    return b.read(work)
