"""Impression scores in the app: events from the timeline, a shared cache that equals a full recompute,
reasons that name their events, and the score's history."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import peewee as pw

from models import tables as t
from models.rules import impression as imp
from models.rules.promises import GRACE
from models.store import _base as b
from models.store.records import Changes

US_PER_DAY = 86_400_000_000
GRACE_US = int(GRACE.total_seconds() * 1_000_000)
FOREVER_US = 2**62  # "no end" in the cache's integer columns
REFRESH_BATCH = 50  # clients per refresh transaction: short enough never to hold up another desk's save


def day_of_us(value: int) -> float:
    """The score's float days (SPEC.md) from the store's integer microseconds."""
    return value / US_PER_DAY


def _us(day: float) -> int:
    if math.isinf(day):
        return FOREVER_US if day > 0 else -FOREVER_US
    return int(day * US_PER_DAY)


@dataclass(frozen=True, slots=True)
class Badge:
    """What a list row or a header shows: the score, its band, the trend, New / Stale."""

    score: int
    band: str
    trend: str
    trend30: int
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScoreReason:
    """One reason behind a score, naming its event so the UI can jump to it."""

    kind: str  # see models.rules.impression.Reason.kind
    points: float  # the current contribution (a cap's value for a cap)
    entry_kind: str  # "interaction" or "promise" ("" when the reason has no single event)
    entry_id: int | None
    at: datetime | None
    staff_name: str
    summary: str
    sentence: str
    is_cap: bool


@dataclass(frozen=True, slots=True)
class ClientScore:
    client_id: int
    badge: Badge
    reasons: tuple[ScoreReason, ...]


@dataclass(frozen=True, slots=True)
class ScoreHistory:
    """The score at weekly points over the last months, with failures and recoveries to mark on it."""

    points: tuple[tuple[datetime, int], ...]
    failures: tuple[tuple[datetime, str], ...]
    recoveries: tuple[tuple[datetime, str], ...]


# --- events from the timeline --------------------------------------------------------------------

INTERACTION_COLUMNS = (t.Interaction.id, t.Interaction.at, t.Interaction.rating, t.Interaction.encounter,
                       t.Interaction.summary, t.Interaction.recovers, t.Interaction.apology)
PROMISE_COLUMNS = (t.Promise.id, t.Promise.made_at, t.Promise.due, t.Promise.status, t.Promise.kept_at,
                   t.Promise.apology, t.Promise.cancelled_at, t.Promise.text)


def events_for(client_id: int) -> list[imp.Event]:
    """The client's history in the score's terms (SPEC.md "In the app"). Runs inside a read."""
    i, p = t.Interaction, t.Promise
    rows = t.database.obj.execute(
        i.select(*INTERACTION_COLUMNS)
        .where((i.client == client_id) & i.deleted_at.is_null()).order_by(i.at, i.id)).fetchall()
    promises = t.database.obj.execute(
        p.select(*PROMISE_COLUMNS).where((p.client == client_id) & p.deleted_at.is_null())).fetchall()
    return events_from_rows(rows, promises)


def events_from_rows(rows: list[tuple], promises: list[tuple]) -> list[imp.Event]:
    """Score events from one client's rows: INTERACTION_COLUMNS by (at, id), and PROMISE_COLUMNS."""
    keys = {iid: f"e:{enc or f'i{iid}'}" for iid, _, _, enc, _, _, _ in rows}
    events: list[imp.Event] = []
    for iid, at, rating, _enc, summary, recovers, apology in rows:
        day = day_of_us(at)
        events.append(imp.Interaction(day, rating, keys[iid], summary, ("interaction", iid)))
        if recovers is not None and recovers in keys:
            # a fix is its own encounter and also a recovery of the failed one (SPEC.md "In the app")
            events.append(imp.Recovery(keys[recovers], day, bool(apology), ("interaction", iid)))
    for pid, made, due, status, kept_at, apology, cancelled_at, text in promises:
        if status == "cancelled" and cancelled_at is not None and cancelled_at <= due + GRACE_US:
            continue  # cancelled by agreement before it broke: the score ignores it (DUE-DATES.md)
        events.append(imp.Promise(f"p:{pid}", day_of_us(made), day_of_us(due), text, ("promise", pid)))
        if status == "kept" and kept_at is not None:
            events.append(imp.PromiseKept(f"p:{pid}", day_of_us(kept_at), bool(apology), ("promise", pid)))
    return events


# --- the cache -------------------------------------------------------------------------------------

def _badge_of(quick: imp.QuickScore) -> Badge:
    return Badge(quick.value, quick.band, quick.trend, quick.trend30, tuple(quick.flags))


def _store_badge(client_id: int, summary: imp.Summary, now_us: int) -> Badge:
    as_of = day_of_us(now_us)
    quick = imp.quick_score(summary, as_of)
    assert quick is not None  # a summary is always valid at the time it was made
    until = imp.stable_until(summary, as_of)
    values = dict(score=quick.value, band=quick.band, trend=quick.trend, trend30=quick.trend30,
                  flags=",".join(quick.flags), stable_until=_us(until), valid_from=_us(summary.valid_from),
                  valid_until=_us(summary.valid_until), summary=summary.to_json(), computed_at=now_us)
    t.ScoreCache.insert(client=client_id, **values).on_conflict(
        conflict_target=[t.ScoreCache.client],
        update={getattr(t.ScoreCache, k): v for k, v in values.items()}).execute()
    return _badge_of(quick)


def refresh_scores(*, limit: int = REFRESH_BATCH, client_ids: Iterable[int] | None = None) -> Changes:
    """Bring the cached badges of up to `limit` clients up to date (those missing or past stable_until).

    Runs as one short write transaction, so a colleague's save cannot slip between reading a
    client's events and storing their badge. Returns Changes(kinds={"score"}) naming the clients
    whose badge was refreshed; an empty Changes when everything is current.
    """
    wanted = None if client_ids is None else b.check_ids(client_ids, "client_ids")
    limit = b.check_count(limit, "limit", "The number of clients", low=1, high=100_000)

    def work(tx: b.Tx) -> None:
        now_us = t.to_micros(tx.at)
        c, s = t.Client, t.ScoreCache
        query = (c.select(c.id, s.summary, s.valid_from, s.valid_until)
                 .join(s, pw.JOIN.LEFT_OUTER, on=(s.client == c.id)))
        if wanted is not None:
            query = query.where(c.id.in_(wanted) & c.deleted_at.is_null()
                                & (s.client.is_null() | (s.stable_until <= now_us)))
        else:
            query = query.where(c.id.in_(_stale_ids(now_us, limit)))
        for cid, cached, valid_from, valid_until in t.database.obj.execute(query.limit(limit)).fetchall():
            summary = None
            if cached is not None and valid_from <= now_us < valid_until:
                summary = imp.Summary.from_json(cached)  # only time moved: no need to read the events
            if summary is None:
                summary = imp.summarize(events_for(cid), day_of_us(now_us))
            _store_badge(cid, summary, now_us)
            tx.clients.add(cid)
        if tx.clients:
            tx.kinds.add("score")
    return b.write(None, work, need_staff=False)


def _run_out(now_us: int) -> pw.Select:
    """The live clients whose cached badge has run out: a range of the score cache's `stable_until` index (schema
    step 9), then each client by its id; never a pass over every client."""
    c, s = t.Client, t.ScoreCache
    return c.select(c.id).where(c.deleted_at.is_null() & c.id.in_(s.select(s.client).where(s.stable_until <= now_us)))


def _count(query: pw.Select) -> int:
    return int(query.select(pw.fn.COUNT(pw.SQL("*"))).scalar() or 0)


def _never_scored() -> int:
    """How many live clients have no cached badge at all (new ones): a difference of counts, not a search.

    A write forgets a badge by running it out (clients.forget_score), so only a client never scored lacks a row.
    A plain count of a whole table is a count of its smallest index's pages on SQLite; the clients in the Trash
    are a short range of the client list's index.
    """
    c, s = t.Client, t.ScoreCache
    deleted = c.deleted_at.is_null(False)
    live = _count(c.select()) - _count(c.select().where(deleted))
    cached_live = _count(s.select()) - _count(s.select().join(c, on=(c.id == s.client)).where(deleted))
    return live - cached_live


def _stale_ids(now_us: int, limit: int) -> list[int]:
    """Up to `limit` live clients whose badge is stale: run out first, then never scored (looked for only when the
    counts say there are some)."""
    ids = [cid for (cid,) in t.database.obj.execute(_run_out(now_us).limit(limit)).fetchall()]
    if len(ids) < limit and _never_scored() > 0:
        c, s = t.Client, t.ScoreCache
        missing = (c.select(c.id).join(s, pw.JOIN.LEFT_OUTER, on=(s.client == c.id))
                   .where(c.deleted_at.is_null() & s.client.is_null()).limit(limit - len(ids)))
        ids += [cid for (cid,) in t.database.obj.execute(missing).fetchall()]
    return ids


def stale_scores() -> int:
    """How many live clients have no current cached badge (the UI keeps refreshing while this is > 0).

    Answered from indexes (schema step 9): the badges that ran out are a range of `stable_until`, the clients
    never scored a difference of counts (issue 10: this was a pass over every client, 39 ms at 50,000).
    """
    def work() -> int:
        return _count(_run_out(t.to_micros(b.utcnow()))) + _never_scored()
    return b.read(work)


def _failure_days(events: list[imp.Event]) -> list[tuple[float, str]]:
    """(day, label) of every failed encounter (SPEC.md rule 3a) and every broken promise, for the chart."""
    encounters: dict[str, list[imp.Interaction]] = {}
    for e in events:
        if isinstance(e, imp.Interaction):
            encounters.setdefault(e.encounter or "", []).append(e)
    out = [(touches[-1].day, touches[-1].label) for touches in encounters.values()
           if imp.encounter_value([imp.points_of(x.valence) for x in touches]) <= imp.FAILURE_THRESHOLD]
    kept = {e.links: e.day for e in events if isinstance(e, imp.PromiseKept)}
    out += [(e.due + imp.PROMISE_GRACE_DAYS, e.label) for e in events
            if isinstance(e, imp.Promise) and kept.get(e.id, math.inf) > e.due + imp.PROMISE_GRACE_DAYS]
    return sorted(out)


# --- one client in full ---------------------------------------------------------------------------

def _entries(refs: set[tuple[str, int]]) -> dict[tuple[str, int], tuple[datetime, str, str]]:
    """(at, staff name, summary) of the interactions and promises the reasons refer to."""
    names = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
    out: dict[tuple[str, int], tuple[datetime, str, str]] = {}
    ids = [i for kind, i in refs if kind == "interaction"]
    if ids:
        for iid, at, staff, summary in (t.Interaction.select(t.Interaction.id, t.Interaction.at, t.Interaction.staff,
                                                             t.Interaction.summary)
                                        .where(t.Interaction.id.in_(ids)).tuples()):
            out[("interaction", iid)] = (at, names.get(staff, ""), summary)
    ids = [i for kind, i in refs if kind == "promise"]
    if ids:
        for pid, due, owner, text in (t.Promise.select(t.Promise.id, t.Promise.due, t.Promise.owner, t.Promise.text)
                                      .where(t.Promise.id.in_(ids)).tuples()):
            out[("promise", pid)] = (due, names.get(owner, ""), text)
    return out


def _when(value: datetime) -> str:
    local = value.astimezone()
    return f"{local:%a} {local.day} {local:%b}"


def _sentence(reason: imp.Reason, entry: tuple[datetime, str, str] | None) -> str:
    """The reason as the desk reads it (the caps as plain sentences, SPEC.md and the impression issue)."""
    label = entry[2] if entry else reason.label
    when = _when(entry[0]) if entry else ""
    points = f"{reason.points:+.0f} point{'' if round(abs(reason.points)) == 1 else 's'}"  # "+4 points"
    if reason.kind == "cap_overdue_promise":
        return f"Can't be green while the promise '{label}' (due {when}) is overdue."
    if reason.kind == "cap_open_failure" and reason.ref and reason.ref[0] == "promise":
        return f"Can't be green until the broken promise '{label}' (due {when}) is made good."
    if reason.kind == "cap_open_failure":
        return f"Can't be green until '{label}' ({when}) is put right."
    if reason.kind in ("cap_repeat_failures", "cap_two_failures"):
        return reason.sentence
    if reason.kind == "broken_promise":
        return f"Broken promise: '{label}' {points}"
    if reason.kind == "failure":
        return f"Went wrong: '{label}' {points}"
    if reason.kind == "recovery_bonus":
        return f"Put right quickly, with an apology: '{label}' {points}"
    if reason.kind == "kept_bonus":
        return f"Promise kept on time: '{label}' {points}"
    return f"'{label}' {points}"


def _score_reason(reason: imp.Reason, entries: dict[tuple[str, int], tuple[datetime, str, str]]) -> ScoreReason:
    ref = reason.ref if isinstance(reason.ref, tuple) else None
    entry = entries.get(ref) if ref else None
    return ScoreReason(reason.kind, reason.points, ref[0] if ref else "", ref[1] if ref else None,
                       entry[0] if entry else None, entry[1] if entry else "", entry[2] if entry else reason.label,
                       _sentence(reason, entry), reason.kind.startswith("cap_"))


def client_score(client_id: int) -> ClientScore:
    """The client's score now, with its top reasons (at most three) resolved to their events."""
    client_id = b.as_id(client_id, "client")

    def work() -> ClientScore:
        b.require_client(client_id, allow_deleted=True)
        now_us = t.to_micros(b.utcnow())
        full = imp.evaluate(events_for(client_id), day_of_us(now_us))
        refs = {r.ref for r in full.reasons if isinstance(r.ref, tuple)}
        entries = _entries(refs)
        badge = Badge(full.value, full.band, full.trend, full.trend30, tuple(full.flags))
        return ClientScore(client_id, badge, tuple(_score_reason(r, entries) for r in full.reasons))
    return b.read(work)


def score_history(client_id: int, *, weeks: int = 26) -> ScoreHistory:
    """The score at weekly points over the last `weeks` weeks, with the failures and fixes in that time."""
    client_id = b.as_id(client_id, "client")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 520:
        from models.errors import ValidationError
        raise ValidationError("weeks", "The history covers 1 to 520 weeks.")

    def work() -> ScoreHistory:
        now_us = t.to_micros(b.utcnow())
        events = events_for(client_id)
        as_of = day_of_us(now_us)
        points = tuple((t.from_micros(_us(day)), value) for day, value in imp.history(events, as_of, weeks=weeks))
        start = as_of - 7 * weeks
        failures = tuple((t.from_micros(_us(day)), label) for day, label in _failure_days(events)
                         if start <= day <= as_of)
        recoveries = tuple((t.from_micros(_us(e.day)), "") for e in events
                           if isinstance(e, imp.Recovery) and start <= e.day <= as_of)
        return ScoreHistory(points, failures, recoveries)
    return b.read(work)
