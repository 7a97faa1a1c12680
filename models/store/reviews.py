"""The weekly review (REPORTS.md): the rows it counts, read in a few queries, counted by models/rules/review.py.

(Not `review.py`: a submodule of that name would shadow the function `store.review` on the package.)

`review()` = the period's figures (office, per colleague, channel, topic), the clients' band moves and the
at-risk list, and Needs attention. `review_events()` lists what one number counts. `review_trend()` counts
12 weeks in one pass. `review_job()` is `review()` in steps for the desk (progress between batches of
clients), so the database thread can serve other reads in between.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee as pw

from models import tables as t
from models.errors import ValidationError
from models.rules import impression as imp
from models.rules import review as rr
from models.rules.review import Figures, Share
from models.store import _base as b
from models.store import scores as sc
from models.store.settings import current_settings, office_settings

CLIENT_BATCH = 400  # clients per band-move step: one short read each
EVENT_LIMIT = 50  # events resolved per Needs attention line (the full list is one review_events() away)
CHUNK = 500  # ids per IN (...) list
TREND_DAYS = 30  # the score's trend (SPEC.md rule 10), for "Amber and falling"

__all__ = ["Attention", "BandMoves", "ClientMove", "Figures", "Review", "ReviewEvent", "RiskClient", "Share",
           "review", "review_clients", "review_events", "review_job", "review_nudge", "review_trend", "trend_bounds"]


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One interaction, promise or client behind a number, as a listing shows it."""

    kind: str  # "interaction", "promise" or "client"
    id: int
    client_id: int
    client_name: str
    at: datetime | None
    staff_id: int | None
    staff_name: str
    channel: str
    topic: str | None
    summary: str  # what happened / was promised ("" for an erased client's entries)
    rating: int | None
    note: str  # "fixed after 5 h", "broken, kept later", "moved into Red: ..."


@dataclass(frozen=True, slots=True)
class ClientMove:
    client_id: int
    name: str
    score_before: int
    score_after: int
    reason: str  # the biggest negative reason at the end of the period, as a sentence
    reason_kind: str  # "interaction" / "promise" / ""
    reason_id: int | None


@dataclass(frozen=True, slots=True)
class BandMoves:
    """Green / Amber / Red counts at both ends of the period, and who moved into Red (and why)."""

    at_since: dict[str, int]
    at_until: dict[str, int]
    into_red: tuple[ClientMove, ...]
    moves: dict[tuple[str, str], int]  # (band at the start, band at the end) -> clients, every pair present


@dataclass(frozen=True, slots=True)
class RiskClient:
    client_id: int
    name: str
    score: int
    band: str
    trend30: int


@dataclass(frozen=True, slots=True)
class Attention:
    """One line of Needs attention with the events behind it (the first EVENT_LIMIT; `count` in all)."""

    kind: str  # unfixed / into_red / touch_point / colleague / second_impressions
    sentence: str
    figure: str  # for review_events(): the figure and group behind the line
    group: rr.Group
    count: int
    events: tuple[ReviewEvent, ...]


@dataclass(frozen=True, slots=True)
class Review:
    since: datetime
    until: datetime
    now: datetime
    office: Figures
    by_staff: dict[int, Figures]
    by_channel: dict[str, Figures]
    by_topic: dict[str | None, Figures]
    band_moves: BandMoves | None  # None when asked for without clients
    at_risk: tuple[RiskClient, ...]
    attention: tuple[Attention, ...]
    staff_names: dict[int, str]


# --- reading ---------------------------------------------------------------------------------------

_I = t.Interaction
_TOUCH = (_I.id, _I.client, _I.at, _I.staff, _I.channel, _I.topic, _I.rating, _I.encounter, _I.recovers, _I.apology)


def _touches(rows: Sequence[tuple], out: dict[int, rr.Touch]) -> None:
    # tuple.__new__ and the epoch arithmetic inline: this runs for every row the review reads
    new, touch, epoch, micros = tuple.__new__, rr.Touch, t.EPOCH, timedelta
    for iid, client, at, staff, channel, topic, rating, enc, recovers, apology in rows:
        if iid not in out:
            out[iid] = new(touch, (iid, client, epoch + micros(0, 0, at), staff, channel, topic, rating,
                                   enc or f"i{iid}", recovers, apology == 1))


def _fetch(query: pw.Select) -> list[tuple]:
    return t.database.obj.execute(query).fetchall()


def touch_queries(since_us: int, until_us: int, now_us: int) -> list[pw.Select]:
    """The interactions the figures need: the period's, every member of their encounters, every encounter
    that holds a -2 (any date: a failure needs one), and every fix. Five queries, none per client."""
    i = _I
    # No "at <= now" here (the rules leave later rows out): SQLite would take it as a reason to walk the
    # time index instead of the encounter and fix indexes.
    live = i.deleted_at.is_null()
    window = (i.at >= since_us) & (i.at < until_us)
    inner = i.alias("w")
    # joins on a DISTINCT list of (client, encounter): SQLite then looks each pair up in interaction_encounter
    # (a row-value IN (...) would only use its first column)
    members = (inner.select(inner.client, inner.encounter)
               .where(inner.deleted_at.is_null() & (inner.at >= since_us) & (inner.at < until_us)
                      & inner.encounter.is_null(False)).distinct().alias("m"))
    bad = (inner.select(inner.client, inner.encounter)
           .where((inner.rating == -2) & inner.encounter.is_null(False) & inner.deleted_at.is_null())
           .distinct().alias("f"))
    return [i.select(*_TOUCH).where(live & window),
            i.select(*_TOUCH).join(members, on=(i.client == members.c.client_id)
                                   & (i.encounter == members.c.encounter)).where(live & ~window),
            i.select(*_TOUCH).join(bad, on=(i.client == bad.c.client_id) & (i.encounter == bad.c.encounter))
            .where(live),
            i.select(*_TOUCH).where(live & (i.rating == -2) & i.encounter.is_null()),
            i.select(*_TOUCH).where(live & i.recovers.is_null(False))]


def read_touches(since_us: int, until_us: int, now_us: int) -> list[rr.Touch]:
    """The rows of touch_queries() as Touch records (each once)."""
    out: dict[int, rr.Touch] = {}
    for query in touch_queries(since_us, until_us, now_us):
        _touches(_fetch(query), out)
    # an encounter continued from one of its own ("i<id>", a fix continued): rare, read by key
    own = sorted({x.encounter for x in out.values() if x.encounter == f"i{x.id}"})
    i = _I
    for start in range(0, len(own), CHUNK):
        _touches(_fetch(i.select(*_TOUCH).where(i.deleted_at.is_null() & i.encounter.in_(own[start:start + CHUNK]))),
                 out)
    return list(out.values())


def promise_queries(since_us: int, until_us: int, now_us: int) -> list[pw.Select]:
    """Promises due in the period and every promise that may have broken (any date); their hand-overs."""
    p, e = t.Promise, t.PromiseEvent
    broke = p.due + sc.GRACE_US
    wanted = p.deleted_at.is_null() & (
        ((p.due >= since_us) & (p.due < until_us))
        | ((broke < now_us) & (p.kept_at.is_null() | (p.kept_at > broke))))
    return [p.select(p.id, p.client, p.due, p.owner, p.status, p.kept_at, p.apology, p.cancelled_at).where(wanted),
            e.select(e.promise, e.at, e.old_owner, e.new_owner).join(p, on=(e.promise == p.id))
            .where(wanted & (e.action == "reassigned") & e.deleted_at.is_null()).order_by(e.at, e.id)]


def read_promises(since_us: int, until_us: int, now_us: int) -> list[rr.PromiseRecord]:
    """The rows of promise_queries() as PromiseRecords."""
    promises, events = promise_queries(since_us, until_us, now_us)
    rows = _fetch(promises)
    handovers: dict[int, list[tuple[datetime, int, int]]] = {}
    for pid, at, old, new in _fetch(events):
        handovers.setdefault(pid, []).append((t.from_micros(at), old, new))
    conv = t.from_micros
    return [rr.PromiseRecord(pid, client, conv(due), owner, status, conv(kept) if kept is not None else None,
                             bool(apology), conv(cancelled) if cancelled is not None else None,
                             tuple(handovers.get(pid, ())))
            for pid, client, due, owner, status, kept, apology, cancelled in rows]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Hold Python's cycle collector while a review builds its ~100,000 small records (none form cycles):
    otherwise it rescans them all, again and again, and the review takes half as long again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Hand what was made to the oldest generation (two list splices) rather than let the next young
        # collection walk it all: these records are freed by reference counting, never by the collector.
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _facts(since: datetime, until: datetime, now: datetime) -> rr.Facts:
    s, u, n = t.to_micros(since), t.to_micros(until), t.to_micros(now)
    with _no_gc():
        return rr.facts(read_touches(s, u, n), read_promises(s, u, n), now)


# --- checks ------------------------------------------------------------------------------------------

def _period(since: object, until: object, now: object) -> tuple[datetime, datetime, datetime]:
    start = b.check_time(since, "since", "The start of the period")
    end = b.check_time(until, "until", "The end of the period")
    moment = b.check_time(now, "now", "The moment of the review", optional=True) or b.utcnow()
    assert start is not None and end is not None
    if end <= start:
        raise ValidationError("until", "The period must end after it starts.")
    if end - start > timedelta(days=3 * 366):
        raise ValidationError("until", "A review covers at most three years.")
    return start, end, moment


def _thresholds() -> rr.Thresholds:
    s = office_settings()
    return rr.Thresholds(s.attention_min_interactions, s.attention_wrong_ratio, s.attention_wrong_points,
                         s.attention_min_promises, s.attention_kept_points, s.attention_min_second,
                         s.attention_second_below)


# --- resolving events ----------------------------------------------------------------------------------

def _names() -> dict[int, str]:
    return dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())


def _resolve(items: Sequence[rr.Item], staff: dict[int, str]) -> tuple[ReviewEvent, ...]:
    """Items as ReviewEvents: the summaries and client names read in a few IN (...) queries."""
    i, p, c = t.Interaction, t.Promise, t.Client
    texts: dict[rr.Ref, tuple[str, int | None]] = {}
    ids = [it.ref[1] for it in items if it.ref[0] == "interaction"]
    for start in range(0, len(ids), CHUNK):
        for iid, summary, rating in i.select(i.id, i.summary, i.rating).where(i.id.in_(ids[start:start + CHUNK])) \
                .tuples():
            texts[("interaction", iid)] = (summary, rating)
    ids = [it.ref[1] for it in items if it.ref[0] == "promise"]
    for start in range(0, len(ids), CHUNK):
        for pid, text in p.select(p.id, p.text).where(p.id.in_(ids[start:start + CHUNK])).tuples():
            texts[("promise", pid)] = (text, None)
    clients = sorted({it.client for it in items})
    names: dict[int, str] = {}
    for start in range(0, len(clients), CHUNK):
        names.update(c.select(c.id, c.name).where(c.id.in_(clients[start:start + CHUNK])).tuples())
    out = []
    for it in items:
        summary, rating = texts.get(it.ref, ("", None))
        out.append(ReviewEvent(it.ref[0], it.ref[1], it.client, names.get(it.client, ""), it.at, it.staff,
                               staff.get(it.staff, ""), it.channel, it.topic, summary, rating, it.note))
    return tuple(out)


# --- clients ---------------------------------------------------------------------------------------------

def _day(moment: datetime) -> float:
    return sc.day_of_us(t.to_micros(moment))


def _client_scores(ids: Sequence[int], since: datetime, end: datetime) -> Iterator[tuple[int, int, int, int,
                                                                                         list[imp.Event]]]:
    """(client, score at since, score at end, score 30 days before end, events) for a batch of clients."""
    i, p = t.Interaction, t.Promise
    end_us = t.to_micros(end)
    rows: dict[int, list[tuple]] = {cid: [] for cid in ids}
    for row in _fetch(i.select(i.client, *sc.INTERACTION_COLUMNS)
                      .where(i.client.in_(list(ids)) & i.deleted_at.is_null() & (i.at <= end_us))
                      .order_by(i.client, i.at, i.id)):
        rows[row[0]].append(row[1:])
    promises: dict[int, list[tuple]] = {cid: [] for cid in ids}
    for row in _fetch(p.select(p.client, *sc.PROMISE_COLUMNS).where(p.client.in_(list(ids))
                                                                     & p.deleted_at.is_null()
                                                                     & (p.made_at <= end_us))):
        promises[row[0]].append(row[1:])
    first, last = _day(since), _day(end)
    for cid in ids:
        events = sc.events_from_rows(rows[cid], promises[cid])
        at_since, at_end, month_before = imp.scores_at(events, (first, last, last - TREND_DAYS))
        yield cid, at_since, at_end, month_before, events


def _biggest_negative(events: list[imp.Event], end: datetime) -> tuple[str, str, int | None]:
    full = imp.evaluate(events, _day(end))
    reasons = sorted((r for r in full.reasons if not r.kind.startswith("cap_") and r.points < 0),
                     key=lambda r: r.points) or [r for r in full.reasons if r.kind.startswith("cap_")]
    if not reasons:
        return "", "", None
    reason = reasons[0]
    ref = reason.ref if isinstance(reason.ref, tuple) else None
    scored = sc._score_reason(reason, sc._entries({ref} if ref else set()))
    return scored.sentence, scored.entry_kind, scored.entry_id


def _move(cid: int, names: dict[int, str], before: int, after: int, events: list[imp.Event],
          end: datetime) -> ClientMove:
    sentence, kind, ref = _biggest_negative(events, end)
    return ClientMove(cid, names.get(cid, ""), before, after, sentence, kind, ref)


def _active_ids() -> list[int]:
    return [cid for (cid,) in t.Client.select(t.Client.id).where(t.Client.deleted_at.is_null())
            .order_by(t.Client.id).tuples()]


# The clients' scores of the last review, so that a click on a band count, a band move, "into Red" or "at
# risk" lists its clients at once instead of scoring every client again (6 s for 10,000 clients). Kept
# while the office's data is as it was: every write records a change, so the change log's newest id and
# its length (a transaction committed late on PostgreSQL adds to the length) say whether anything changed.
_SCORED: dict[tuple[object, ...], list[tuple[int, int, int, int]]] = {}


def _office_version() -> tuple[object, ...]:
    db = t.database.obj
    head, count = db.execute(t.Change.select(pw.fn.MAX(t.Change.id), pw.fn.COUNT(t.Change.id))).fetchone()
    return id(db), str(getattr(db, "database", "")), head, count


def _remember(key: tuple[object, ...], scored: list[tuple[int, int, int, int]]) -> None:
    _SCORED.clear()  # one review's worth: 10,000 clients are 4 small ints each
    _SCORED[key] = scored


def _scored(since: datetime, end: datetime) -> list[tuple[int, int, int, int]]:
    """(client, score at since, score at end, score 30 days before end) of every active client, by id:
    the last review's when nothing changed since, else scored now (and remembered). Inside a read."""
    key = (_office_version(), since, end)
    if key not in _SCORED:
        ids = _active_ids()
        scored = []
        for first in range(0, len(ids), CLIENT_BATCH):
            scored.extend((cid, s0, s1, s30) for cid, s0, s1, s30, _events
                          in _client_scores(ids[first:first + CLIENT_BATCH], since, end))
        _remember(key, scored)
    return _SCORED[key]


def _moved(moves: BandMoves) -> tuple[ReviewEvent, ...]:
    return tuple(ReviewEvent("client", m.client_id, m.client_id, m.name, None, None, "", "", None, m.reason, None,
                             f"{m.score_before} → {m.score_after}") for m in moves.into_red)


# --- the review -------------------------------------------------------------------------------------------

_KIND_NAMES = {"unfixed": 1, "into_red": 2, "touch_point": 3, "colleague": 4, "second_impressions": 5}


def _group_name(group: rr.Group, staff: dict[int, str]) -> str:
    kind, key = group
    if kind == "staff":
        return staff.get(key, "someone") if isinstance(key, int) else "someone"
    if kind == "channel":
        from models.rules.vocab import channel_label
        return channel_label(str(key))
    if kind == "topic":
        return "no topic" if key is None else str(key)
    return "the office"


def _attention(facts: rr.Facts, items: list[rr.Item], period: rr.PeriodFigures, limits: rr.Thresholds,
               moves: BandMoves | None, staff: dict[int, str]) -> tuple[Attention, ...]:
    out: list[Attention] = []
    unfixed = rr.unfixed_failures(facts)
    if unfixed:
        events = _resolve([rr.failure_item(f) for f in unfixed[-EVENT_LIMIT:]][::-1], staff)
        out.append(Attention("unfixed", f"{rr.plural(len(unfixed), 'problem')} still unfixed after 48 hours.",
                             "unfixed", rr.OFFICE, len(unfixed), events))
    if moves is not None and moves.into_red:
        events = _moved(moves)
        out.append(Attention("into_red", f"{rr.plural(len(moves.into_red), 'client')} moved into Red.",
                             "into_red", rr.OFFICE, len(moves.into_red), events[:EVENT_LIMIT]))
    for flag in (rr.touch_points_to_watch(period, limits) + rr.colleagues_to_watch(period, limits)
                 + rr.second_impressions_to_watch(period, limits)):
        listed = rr.listed(items, flag.figure, flag.group, "count")
        name = _group_name(flag.group, staff)
        assert flag.share is not None
        sentence = rr.attention_sentence(flag, name)
        out.append(Attention(flag.kind, sentence, flag.figure, flag.group, len(listed),
                             _resolve(listed[:EVENT_LIMIT], staff)))
    return tuple(out)


def review_job(since: datetime, until: datetime, *, now: datetime | None = None,
               clients: bool = True) -> Iterator[tuple[int, int, Review | None]]:
    """review() in steps: yields (done, total, partial) between short reads, then (total, total, Review).

    The first step yields the figures at once (a Review without band moves, `band_moves` None); the
    steps after it score a batch of clients each and yield None; the last yields the whole Review.

    Step 1 counts the figures; each later step scores one batch of clients (band moves, at risk).
    """
    since, until, now = _period(since, until, now)
    facts, staff, limits = b.read(lambda: (_facts(since, until, now), _names(), _thresholds()))
    with _no_gc():
        items = rr.period_items(facts, since, until)
        period = rr.figures_of(items)
    ids, version = b.read(lambda: (_active_ids(), _office_version())) if clients else ([], ())
    total = len(ids) + 1
    if ids:
        first = b.read(lambda: _attention(facts, items, period, limits, None, staff))
        yield 1, total, Review(since, until, now, period.office, period.by_staff, period.by_channel,
                               period.by_topic, None, (), first, staff)
    moves: BandMoves | None = None
    risk: list[RiskClient] = []
    if clients:
        end = min(until, now)
        before: dict[int, int] = {}
        after: dict[int, int] = {}
        red: list[tuple[int, list[imp.Event]]] = []
        scored: list[tuple[int, int, int, int]] = []
        for start in range(0, len(ids), CLIENT_BATCH):
            batch = ids[start:start + CLIENT_BATCH]
            for cid, s0, s1, s30, events in b.read(lambda batch=batch: list(_client_scores(batch, since, end))):
                before[cid], after[cid] = s0, s1
                scored.append((cid, s0, s1, s30))
                if imp.band_of(s1) == "Red" and imp.band_of(s0) != "Red":
                    red.append((cid, events))
                if rr.at_risk(s1, s30):
                    risk.append(RiskClient(cid, "", s1, imp.band_of(s1), s1 - s30))
            yield 1 + start + len(batch), total, None
        _remember((version, since, end), scored)
        names = b.read(lambda: dict(t.Client.select(t.Client.id, t.Client.name)
                                    .where(t.Client.id.in_([c for c, _ in red] + [r.client_id for r in risk]))
                                    .tuples())) if red or risk else {}
        into_red = [b.read(lambda cid=cid, events=events: _move(cid, names, before[cid], after[cid], events, end))
                    for cid, events in red]
        moves = BandMoves(rr.band_counts(before.values()), rr.band_counts(after.values()), tuple(into_red),
                          rr.band_moves(before, after))
        risk = sorted((RiskClient(r.client_id, names.get(r.client_id, ""), r.score, r.band, r.trend30) for r in risk),
                      key=lambda r: (r.score, r.name))
    attention = b.read(lambda: _attention(facts, items, period, limits, moves, staff))
    yield total, total, Review(since, until, now, period.office, period.by_staff, period.by_channel,
                               period.by_topic, moves, tuple(risk), attention, staff)


def review(since: datetime, until: datetime, *, now: datetime | None = None, clients: bool = True) -> Review:
    """The review of [since, until) at `now` (default: the store's clock). `clients=False` skips band moves."""
    result = None
    for _done, _total, result in review_job(since, until, now=now, clients=clients):
        pass
    assert result is not None
    return result


def _into_red(since: datetime, end: datetime) -> tuple[ReviewEvent, ...]:
    """review()'s band_moves.into_red as events, from the remembered scores when nothing changed since."""
    red = [(cid, s0, s1) for cid, s0, s1, _s30 in _scored(since, end)
           if imp.band_of(s1) == "Red" and imp.band_of(s0) != "Red"]
    names = dict(t.Client.select(t.Client.id, t.Client.name).where(t.Client.id.in_([c for c, _, _ in red])).tuples())
    moves = []
    for first in range(0, len(red), CLIENT_BATCH):
        batch = red[first:first + CLIENT_BATCH]
        events = {cid: ev for cid, _s0, _s1, _s30, ev in _client_scores([c for c, _, _ in batch], since, end)}
        moves.extend(_move(cid, names, s0, s1, events[cid], end) for cid, s0, s1 in batch)
    return _moved(BandMoves({}, {}, tuple(moves), {}))


def review_events(figure: str, group: rr.Group, since: datetime, until: datetime, *, now: datetime | None = None,
                  side: str = "count") -> tuple[ReviewEvent, ...]:
    """What one number of review(since, until) counts: `side` "count" the numerator, "of" the denominator.

    `figure` is a field of Figures, or "unfixed" (Needs attention's first line) or "into_red" (clients).
    `group` is ("office", None), ("staff", id), ("channel", name) or ("topic", name or None).
    """
    since, until, now = _period(since, until, now)
    if not (isinstance(group, tuple) and len(group) == 2 and group[0] in rr.GROUP_KINDS):
        raise ValidationError("group", "Choose the office, a colleague, a channel or a topic.")
    if figure not in (*rr.FIGURES, "unfixed", "into_red") or side not in ("count", "of", "pending"):
        raise ValidationError("figure", "Rapport has no such figure in the review.")
    if figure == "into_red":
        return b.read(lambda: _into_red(since, min(until, now)))

    def work() -> tuple[ReviewEvent, ...]:
        facts = _facts(since, until, now)
        if figure == "unfixed":
            items = [rr.failure_item(f) for f in rr.unfixed_failures(facts)]
            items = [x for x in items if group in rr.groups_of(x)]
        else:
            items = rr.events(facts, figure, group, since, until, side)
        return _resolve(items, _names())
    return b.read(work)


def review_clients(since: datetime, until: datetime, *, now: datetime | None = None, start: str | None = None,
                   end: str | None = None, at_risk: bool = False) -> tuple[ReviewEvent, ...]:
    """The clients behind the review's client figures, each scored as review() scores them (every active client).

    `start` / `end`: only those whose band was `start` at `since` / is `end` at the end of the period
    (min(until, now)); both: a band move ("Green" -> "Amber"); `at_risk`: only those at risk at the end
    (Red, or Amber and falling). Sorted by name; each with its scores in `note` ("62 → 45").
    """
    since, until, now = _period(since, until, now)
    for value, field in ((start, "start"), (end, "end")):
        if value is not None and value not in rr.BANDS:
            raise ValidationError(field, "Choose Green, Amber or Red.")
    if not isinstance(at_risk, bool):
        raise ValidationError("at_risk", "Say yes or no: only the clients at risk.")
    finish = min(until, now)

    def work() -> tuple[ReviewEvent, ...]:
        kept = [(cid, s0, s1, s30) for cid, s0, s1, s30 in _scored(since, finish)
                if (start is None or imp.band_of(s0) == start) and (end is None or imp.band_of(s1) == end)
                and (not at_risk or rr.at_risk(s1, s30))]
        names: dict[int, str] = {}
        for first in range(0, len(kept), CHUNK):
            names.update(t.Client.select(t.Client.id, t.Client.name)
                         .where(t.Client.id.in_([k[0] for k in kept[first:first + CHUNK]])).tuples())
        out = [ReviewEvent("client", cid, cid, names.get(cid, ""), None, None, "", "", None,
                           f"{imp.band_of(s0)} → {imp.band_of(s1)}", None,
                           f"{s1 - s30:+d} in 30 days" if at_risk else f"{s0} → {s1}")
               for cid, s0, s1, s30 in kept]
        return tuple(sorted(out, key=lambda e: (e.client_name.casefold(), e.id)))
    return b.read(work)


def trend_bounds(weeks: int, now: datetime) -> list[datetime]:
    """The weeks of review_trend(): whole local days, the last week ending tonight at midnight."""
    weeks = b.check_count(weeks, "weeks", "The trend", low=1, high=156)
    b.check_time(now, "now", "The moment of the review")  # the bounds keep the caller's time zone
    local = now.astimezone()
    tonight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo)
    return rr.week_bounds(weeks, tonight.astimezone(now.tzinfo))


def review_trend(weeks: int = 12, *, now: datetime | None = None) -> tuple[Figures, ...]:
    """The office's Figures week by week over the last `weeks` weeks, oldest first (trend_bounds), one pass."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 156:
        raise ValidationError("weeks", "The trend covers 1 to 156 weeks.")
    moment = b.check_time(now, "now", "The moment of the review", optional=True) or b.utcnow()
    bounds = trend_bounds(weeks, moment)

    def work() -> tuple[Figures, ...]:
        facts = _facts(bounds[0], bounds[-1], moment)
        with _no_gc():
            return tuple(rr.trend(facts, bounds))
    return b.read(work)


# --- the weekly nudge --------------------------------------------------------------------------------------

NUDGE_KEY = "review_nudged:"  # + staff id, in the meta table: the review week an administrator was last told


def review_nudge(staff_id: int, *, now: datetime | None = None) -> bool:
    """True once per week, on the office's review day, for an administrator: "This week's review is ready".

    Recorded in the office database in the same transaction that answers, so the administrator is told at
    one desk only, whichever desk they are at.
    """
    staff_id = b.as_id(staff_id, "staff")
    moment = b.check_time(now, "now", "The moment", optional=True) or b.utcnow()
    local = moment.astimezone()
    told = False

    def work(tx: b.Tx) -> None:
        nonlocal told
        told = False
        member = t.Staff.get_or_none(t.Staff.id == staff_id)
        if member is None or member.role != "admin" or not member.active:
            return
        if local.weekday() != current_settings().review_day:
            return
        week = local.date().isoformat()
        key = NUDGE_KEY + str(staff_id)
        row = t.Meta.get_or_none(t.Meta.key == key)
        if row is not None and row.value == week:
            return
        t.Meta.insert(key=key, value=week).on_conflict(conflict_target=[t.Meta.key],
                                                      update={t.Meta.value: week}).execute()
        told = True
    b.write(None, work, need_staff=False)
    return told
