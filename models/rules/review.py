"""The weekly review's figures (REPORTS.md): pure functions over plain records, `now` a parameter.

The store reads interactions and promises as `Touch` and `PromiseRecord` and calls `facts()`; that
classifies everything once (encounters and their ends, failures with their fixes, first failures and
their second impressions, promises with their outcomes). `figures()` then counts a period for the office
and per group, `events()` lists what one number counts, and `trend()` counts many weeks in one pass.
All three walk the same `_items()`, so a number and the events listed behind it can never disagree.

Records dated after `now` are ignored: the review is the history as it was known at `now`.
"""
from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from operator import attrgetter
from typing import NamedTuple

from models.rules import impression as imp
from models.rules.promises import broken_at, promise_status

FIX_WINDOW = timedelta(hours=48)  # "fixed in time": the earliest fix at most 48 h after the failure
SECOND_WINDOW = timedelta(days=30)  # a second impression holds when no further failure follows within 30 days
PROMISE_CHANNEL = "promise"  # the touch point a broken promise belongs to
HOUR = timedelta(hours=1)

SHARES = ("went_well", "went_wrong", "last_impressions", "fixed_in_time", "second_impressions", "kept_on_time",
          "kept_late", "broken")
COUNTS = ("interactions", "failures", "promises_due")
FIGURES = ("interactions", "went_well", "went_wrong", "last_impressions", "failures", "fixed_in_time",
           "time_to_fix_hours", "second_impressions", "promises_due", "kept_on_time", "kept_late", "broken")
GROUP_KINDS = ("office", "staff", "channel", "topic")
OUTCOMES = ("kept_on_time", "kept_late", "broken")

Group = tuple[str, Hashable]  # ("office", None), ("staff", 3), ("channel", "phone"), ("topic", None)
Ref = tuple[str, int]  # ("interaction", id) or ("promise", id)
OFFICE: Group = ("office", None)


# --------------------------------------------------------------------------------------------------
# Records in
# --------------------------------------------------------------------------------------------------

class Touch(NamedTuple):
    """One interaction as the review sees it (erased clients' interactions keep all of this)."""

    id: int
    client: int
    at: datetime
    staff: int
    channel: str
    topic: str | None
    rating: int
    encounter: str  # the store's key: the row's encounter, or f"i{id}" for one of its own (a fix)
    recovers: int | None = None
    apology: bool = False


class PromiseRecord(NamedTuple):
    """One promise: its final due date, its current owner and the hand-overs that led there."""

    id: int
    client: int
    due: datetime
    owner: int
    status: str = "open"  # the record's: open / kept / cancelled
    kept_at: datetime | None = None
    apology: bool = False
    cancelled_at: datetime | None = None
    handovers: tuple[tuple[datetime, int, int], ...] = ()  # (at, old owner, new owner), oldest first


def owner_at_due(promise: PromiseRecord) -> int:
    """Who owned the promise at its due time (a later cover does not take it over, REPORTS.md)."""
    if not promise.handovers:
        return promise.owner
    owner = promise.handovers[0][1]
    for at, _old, new in promise.handovers:
        if at > promise.due:
            break
        owner = new
    return owner


def cancelled_in_time(promise: PromiseRecord, now: datetime) -> bool:
    """Cancelled by agreement before it broke (such a promise never fails and is never due)."""
    if promise.status != "cancelled":
        return False
    return promise.cancelled_at is None or (promise.cancelled_at <= now
                                            and promise.cancelled_at <= broken_at(promise.due))


# --------------------------------------------------------------------------------------------------
# What the records mean
# --------------------------------------------------------------------------------------------------

class Encounter(NamedTuple):
    """One client's interactions sharing an encounter key; it belongs to its end."""

    client: int
    key: str
    touches: tuple[Touch, ...]  # by (at, id)
    value: float  # E (SPEC.md rule 2)
    end: Touch  # the last interaction by (at, id)
    worst: Touch  # the lowest-rated interaction (ties: the earliest): a failure belongs to it


class Failure(NamedTuple):
    """A failure (SPEC.md rule 3): a failed encounter, or a broken promise, with its fixes."""

    ref: Ref  # the worst interaction, or the promise
    client: int
    at: datetime  # the encounter's end, or due + 48 h
    staff: int
    channel: str
    topic: str | None
    fix_at: datetime | None  # the earliest fix
    apology_in_time: bool  # some fix within 48 h carried an apology

    def in_time(self, now: datetime) -> bool | None:
        """Fixed within 48 h: True / False once decided; None while unfixed and the 48 h have not passed."""
        if self.fix_at is not None:
            return self.fix_at - self.at <= FIX_WINDOW
        return None if now <= self.at + FIX_WINDOW else False

    @property
    def fix_hours(self) -> float | None:
        return None if self.fix_at is None else (self.fix_at - self.at) / HOUR


class DuePromise(NamedTuple):
    """A promise due in some period, with its outcome at `now` (REPORTS.md, a partition)."""

    record: PromiseRecord
    owner: int  # at its due time
    outcome: str  # kept_on_time / kept_late / broken / pending
    kept_later: bool  # broken, then kept after the break


def promise_outcome(promise: PromiseRecord, now: datetime) -> tuple[str, bool]:
    """(outcome, kept later) of a promise that is due: through promise_status and its 48 h grace."""
    kept_at = promise.kept_at if promise.kept_at is not None and promise.kept_at <= now else None
    status = promise_status(promise.due, kept_at, now)
    if status == "kept":
        return "kept_on_time", False
    if status == "kept_late" and kept_at is not None:
        if kept_at <= broken_at(promise.due):
            return "kept_late", False
        return "broken", True
    if status == "broken":
        return "broken", False
    return "pending", False


@dataclass(frozen=True)
class Facts:
    """Everything classified once at `now`; periods are counted from it."""

    now: datetime
    touches: tuple[Touch, ...]
    encounters: tuple[Encounter, ...]  # in no particular order
    failures: tuple[Failure, ...]  # every failure known, in time order
    promises: tuple[DuePromise, ...]  # every promise not cancelled in time, by due
    second: dict[Ref, bool | None] = field(default_factory=dict)  # first failures: success / miss / pending


_POINTS = {valence: imp.points_of(valence) for valence in range(-2, 3)}


_by_time = attrgetter("at", "id")


def group_encounters(touches: Iterable[Touch], *, ordered: bool = False) -> list[Encounter]:
    """The encounters of these interactions (each client's, by key), each with its value E.

    `ordered`: the touches already come by (at, id), as facts() passes them (one sort, not one per encounter).
    """
    by_key: dict[tuple[int, str], list[Touch]] = {}
    for touch in touches if ordered else sorted(touches, key=_by_time):
        key = (touch.client, touch.encounter)
        members = by_key.get(key)
        if members is None:
            by_key[key] = [touch]
        else:
            members.append(touch)
    out = []
    new, points = tuple.__new__, _POINTS
    for (client, key), members in by_key.items():
        if len(members) == 1:
            one = members[0]
            out.append(new(Encounter, (client, key, (one,), points.get(one.rating) or imp.points_of(one.rating),
                                       one, one)))
            continue
        value = imp.encounter_value([points.get(x.rating) or imp.points_of(x.rating) for x in members])
        worst = min(members, key=attrgetter("rating"))  # the first of equals: the earliest
        out.append(new(Encounter, (client, key, tuple(members), value, members[-1], worst)))
    return out


def _encounter_failure(enc: Encounter, fixes: dict[int, list[Touch]]) -> Failure:
    end, worst = enc.end, enc.worst
    fix_at, apology = None, False
    if fixes:
        found = [fix for x in enc.touches if x.id in fixes for fix in fixes[x.id] if fix.at >= end.at]
        if found:
            fix_at = min(f.at for f in found)
            apology = any(f.apology and f.at - end.at <= FIX_WINDOW for f in found)
    return tuple.__new__(Failure, (("interaction", worst.id), enc.client, end.at, worst.staff, worst.channel,
                                   worst.topic, fix_at, apology))


def _promise_failure(promise: PromiseRecord, owner: int, now: datetime) -> Failure | None:
    at = broken_at(promise.due)
    if now <= at:
        return None
    kept_at = promise.kept_at if promise.kept_at is not None and promise.kept_at <= now else None
    if kept_at is not None and kept_at <= at:
        return None
    apology = kept_at is not None and promise.apology and kept_at - at <= FIX_WINDOW
    return Failure(("promise", promise.id), promise.client, at, owner, PROMISE_CHANNEL, None, kept_at, apology)


def facts(touches: Iterable[Touch], promises: Iterable[PromiseRecord], now: datetime) -> Facts:
    """Classify the records at `now` (records after `now` are left out; duplicates by id are read once)."""
    seen: dict[int, Touch] = {}
    for touch in touches:
        if touch.at <= now:
            seen[touch.id] = touch
    kept = sorted(seen.values(), key=_by_time)
    fixes: dict[int, list[Touch]] = defaultdict(list)
    for touch in kept:
        if touch.recovers is not None:
            fixes[touch.recovers].append(touch)
    encounters = group_encounters(kept, ordered=True)
    failures = [_encounter_failure(e, fixes) for e in encounters if e.value <= imp.FAILURE_THRESHOLD]
    due: list[DuePromise] = []
    for promise in {p.id: p for p in promises}.values():
        if cancelled_in_time(promise, now):
            continue
        owner = owner_at_due(promise)
        outcome, later = promise_outcome(promise, now)
        due.append(DuePromise(promise, owner, outcome, later))
        broken = _promise_failure(promise, owner, now)
        if broken is not None:
            failures.append(broken)
    # time order; at equal times encounter failures first, then broken promises (SPEC.md rule 3)
    failures.sort(key=lambda f: (f.at, f.ref[0] != "interaction", f.ref[1]))
    due.sort(key=lambda d: (d.record.due, d.record.id))
    return Facts(now, tuple(kept), tuple(encounters), tuple(failures), tuple(due), _second_impressions(failures, now))


def _second_impressions(failures: Sequence[Failure], now: datetime) -> dict[Ref, bool | None]:
    """Each client's first ever failure: True (a second impression made), False (missed), None (pending)."""
    by_client: dict[int, list[Failure]] = defaultdict(list)
    for failure in failures:
        by_client[failure.client].append(failure)
    out: dict[Ref, bool | None] = {}
    for own in by_client.values():
        first = own[0]
        again = len(own) > 1 and own[1].at - first.at <= SECOND_WINDOW  # in time order: the next one decides
        if again or (not first.apology_in_time and now > first.at + FIX_WINDOW):
            out[first.ref] = False
        elif first.apology_in_time and now > first.at + SECOND_WINDOW:
            out[first.ref] = True
        else:
            out[first.ref] = None
    return out


# --------------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Share:
    """`count` of `of` decided cases (pending ones are left out of `of` and counted apart)."""

    count: int
    of: int
    pending: int = 0

    @property
    def value(self) -> float | None:
        return None if self.of == 0 else self.count / self.of

    @property
    def fraction(self) -> Fraction | None:
        return None if self.of == 0 else Fraction(self.count, self.of)


@dataclass(frozen=True, slots=True)
class Figures:
    """REPORTS.md's table for the office or one group."""

    interactions: int = 0
    went_well: Share = Share(0, 0)
    went_wrong: Share = Share(0, 0)
    last_impressions: Share = Share(0, 0)
    failures: int = 0
    fixed_in_time: Share = Share(0, 0)
    time_to_fix_hours: float | None = None
    second_impressions: Share = Share(0, 0)
    promises_due: int = 0
    kept_on_time: Share = Share(0, 0)
    kept_late: Share = Share(0, 0)
    broken: Share = Share(0, 0)


class Item(NamedTuple):
    """One thing counted: when, what, whose, and the (figure, side) tags it adds to."""

    at: datetime
    ref: Ref
    client: int
    staff: int
    channel: str
    topic: str | None
    tags: tuple[tuple[str, str], ...]
    hours: float | None = None  # time to fix, for failures with a fix
    note: str = ""  # what the listing says beside it ("fixed after 5 h", "broken, kept later")


def _share_tags(name: str, decided: object, hit: bool) -> tuple[tuple[str, str], ...]:
    if decided is None:
        return ((name, "pending"),)
    return ((name, "of"), (name, "count")) if hit else ((name, "of"),)


_PLAIN = (("interactions", "count"), ("went_well", "of"), ("went_wrong", "of"))
_TOUCH_TAGS = {1: _PLAIN + (("went_well", "count"),), 0: _PLAIN, -1: _PLAIN + (("went_wrong", "count"),)}


def _hours_words(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def _items(facts: Facts, since: datetime, until: datetime) -> Iterator[Item]:
    """Everything counted in [since, until), each with its tags (the one place figures and listings share)."""
    now = facts.now
    for x in facts.touches:
        if since <= x.at < until:
            tags = _TOUCH_TAGS[(x.rating > 0) - (x.rating < 0)]
            yield Item(x.at, ("interaction", x.id), x.client, x.staff, x.channel, x.topic, tags)
    for e in facts.encounters:
        end = e.end
        if since <= end.at < until:
            yield Item(end.at, ("interaction", end.id), e.client, end.staff, end.channel, end.topic,
                       _share_tags("last_impressions", True, end.rating >= 0), note="how the encounter ended")
    for f in facts.failures:
        if not since <= f.at < until:
            continue
        decided = f.in_time(now)
        tags = (("failures", "count"),) + _share_tags("fixed_in_time", decided, decided is True)
        hours = f.fix_hours
        if hours is not None:
            tags += (("time_to_fix_hours", "count"), ("time_to_fix_hours", "of"))
        second = facts.second.get(f.ref, "none")
        if second != "none":
            tags += _share_tags("second_impressions", second, second is True)
        note = "not fixed yet" if hours is None else f"fixed after {_hours_words(hours)}"
        yield Item(f.at, f.ref, f.client, f.staff, f.channel, f.topic, tags, hours, note)
    for d in facts.promises:
        p = d.record
        if not since <= p.due < until:
            continue
        tags = [("promises_due", "count")]
        for name in OUTCOMES:
            tags += _share_tags(name, None if d.outcome == "pending" else True, d.outcome == name)
        note = {"kept_on_time": "kept on time", "kept_late": "kept late", "pending": "not due long enough yet",
                "broken": "broken, kept later" if d.kept_later else "broken"}[d.outcome]
        yield Item(p.due, ("promise", p.id), p.client, d.owner, PROMISE_CHANNEL, None, tuple(tags), note=note)


def groups_of(item: Item) -> tuple[Group, ...]:
    """The groups an item counts in: the office, its staff member, its channel, its topic."""
    return (OFFICE, ("staff", item.staff), ("channel", item.channel), ("topic", item.topic))


class _Tally:
    """Counts items by their tuple of tags (few distinct tuples: cheaper than counting each tag each time)."""

    __slots__ = ("combos", "hours")

    def __init__(self) -> None:
        self.combos: dict[tuple[tuple[str, str], ...], int] = {}
        self.hours: list[float] = []

    def add(self, item: Item) -> None:
        self.combos[item.tags] = self.combos.get(item.tags, 0) + 1
        if item.hours is not None:
            self.hours.append(item.hours)

    def figures(self) -> Figures:
        c: Counter[tuple[str, str]] = Counter()
        for tags, n in self.combos.items():
            for tag in tags:
                c[tag] += n

        def share(name: str) -> Share:
            return Share(c[(name, "count")], c[(name, "of")], c[(name, "pending")])
        return Figures(
            interactions=c[("interactions", "count")], went_well=share("went_well"), went_wrong=share("went_wrong"),
            last_impressions=share("last_impressions"), failures=c[("failures", "count")],
            fixed_in_time=share("fixed_in_time"),
            time_to_fix_hours=statistics.median(self.hours) if self.hours else None,
            second_impressions=share("second_impressions"), promises_due=c[("promises_due", "count")],
            kept_on_time=share("kept_on_time"), kept_late=share("kept_late"), broken=share("broken"))


@dataclass(frozen=True)
class PeriodFigures:
    office: Figures
    by_staff: dict[int, Figures]
    by_channel: dict[str, Figures]
    by_topic: dict[str | None, Figures]


def period_items(facts: Facts, since: datetime, until: datetime) -> list[Item]:
    """Everything counted in [since, until): figures_of() counts them, listed() lists a number's share of them."""
    return list(_items(facts, since, until))


def figures_of(items: Iterable[Item]) -> PeriodFigures:
    """The figures of these items for the office, each colleague, each channel and each topic.

    Items are first counted by (staff, channel, topic, tags) — one dictionary step each — and those few
    thousand combinations are then added into the groups.
    """
    combos: dict[tuple[int, str, str | None, tuple[tuple[str, str], ...]], int] = {}
    hours: list[Item] = []
    for item in items:
        key = (item.staff, item.channel, item.topic, item.tags)
        combos[key] = combos.get(key, 0) + 1
        if item.hours is not None:
            hours.append(item)
    office = _Tally()
    staff: dict[int, _Tally] = defaultdict(_Tally)
    channels: dict[str, _Tally] = defaultdict(_Tally)
    topics: dict[str | None, _Tally] = defaultdict(_Tally)
    for (who, channel, topic, tags), n in combos.items():
        for tally in (office, staff[who], channels[channel], topics[topic]):
            tally.combos[tags] = tally.combos.get(tags, 0) + n
    for item in hours:
        for tally in (office, staff[item.staff], channels[item.channel], topics[item.topic]):
            tally.hours.append(item.hours)  # type: ignore[arg-type]
    return PeriodFigures(office.figures(), {k: v.figures() for k, v in staff.items()},
                         {k: v.figures() for k, v in channels.items()}, {k: v.figures() for k, v in topics.items()})


def figures(facts: Facts, since: datetime, until: datetime) -> PeriodFigures:
    """The period's figures for the office, each colleague, each channel and each topic."""
    return figures_of(_items(facts, since, until))


def _side(figure: str, side: str) -> tuple[str, str]:
    if figure not in FIGURES:
        raise ValueError(f"unknown figure {figure!r}")
    if side not in ("count", "of", "pending"):
        raise ValueError(f"unknown side {side!r}")
    if figure in COUNTS:
        return figure, "count"  # a plain count lists the same things on both sides
    return figure, side


def events(facts: Facts, figure: str, group: Group, since: datetime, until: datetime,
           side: str = "count") -> list[Item]:
    """What one number counts: the items of `group` tagged (figure, side), in time order."""
    return listed(_items(facts, since, until), figure, group, side)


def listed(items: Iterable[Item], figure: str, group: Group, side: str = "count") -> list[Item]:
    """The items among these that one number counts (events() on items already gathered)."""
    tag = _side(figure, side)
    kind, key = group
    if kind not in GROUP_KINDS:
        raise ValueError(f"unknown group {group!r}")
    out = [item for item in items if tag in item.tags
           and (kind == "office" or getattr(item, kind) == key)]
    out.sort(key=lambda i: (i.at, i.ref))
    return out


def week_bounds(weeks: int, end: datetime) -> list[datetime]:
    """weeks + 1 boundaries, oldest first, the last one `end`: week k is [bounds[k], bounds[k + 1])."""
    return [end - timedelta(days=7 * (weeks - k)) for k in range(weeks + 1)]


def trend(facts: Facts, bounds: Sequence[datetime]) -> list[Figures]:
    """The office's figures for each [bounds[k], bounds[k + 1]) in one pass over the facts."""
    tallies = [_Tally() for _ in range(len(bounds) - 1)]
    for item in _items(facts, bounds[0], bounds[-1]):
        tallies[bisect_right(bounds, item.at) - 1].add(item)
    return [t.figures() for t in tallies]


def unfixed_failures(facts: Facts) -> list[Failure]:
    """Failures of any date more than 48 h old at `now` with no fix (the first line of Needs attention)."""
    return [f for f in facts.failures if f.fix_at is None and f.at + FIX_WINDOW < facts.now]


def failure_item(f: Failure) -> Item:
    """A failure as a listing's item."""
    return Item(f.at, f.ref, f.client, f.staff, f.channel, f.topic, (("failures", "count"),),
                note="not fixed yet" if f.fix_at is None else f"fixed after {_hours_words(f.fix_hours or 0)}")


# --------------------------------------------------------------------------------------------------
# Clients: band moves and the at-risk list
# --------------------------------------------------------------------------------------------------

BANDS = ("Green", "Amber", "Red")


def band_counts(scores: Iterable[int]) -> dict[str, int]:
    """How many scores fall in each band (every band present, possibly 0)."""
    out = dict.fromkeys(BANDS, 0)
    for score in scores:
        out[imp.band_of(score)] += 1
    return out


def band_moves(before: dict[int, int], after: dict[int, int]) -> dict[tuple[str, str], int]:
    """How many clients went from each band at the start to each band at the end (every pair present)."""
    out = {(start, end): 0 for start in BANDS for end in BANDS}
    for client, score in after.items():
        out[imp.band_of(before[client]), imp.band_of(score)] += 1
    return out


def moved_into_red(before: dict[int, int], after: dict[int, int]) -> list[int]:
    """Clients Red at the end of the period who were not Red at its start."""
    return sorted(c for c, s in after.items() if imp.band_of(s) == "Red" and imp.band_of(before.get(c, 50)) != "Red")


def at_risk(score: int, score_30_days_before: int) -> bool:
    """Red, or Amber and falling (SPEC.md's trend), as in the client list."""
    band = imp.band_of(score)
    return band == "Red" or (band == "Amber" and imp.trend_of(score - score_30_days_before) == "down")


# --------------------------------------------------------------------------------------------------
# Needs attention
# --------------------------------------------------------------------------------------------------

class Thresholds(NamedTuple):
    """REPORTS.md's defaults; the store fills them from the office settings."""

    min_interactions: int = 10
    wrong_ratio: float = 1.5
    wrong_points: int = 5
    min_promises: int = 5
    kept_points: int = 15
    min_second: int = 4
    second_below: int = 50


class Flag(NamedTuple):
    """One line of Needs attention: which kind (1..5), the figure and group behind it."""

    kind: str  # unfixed / into_red / touch_point / colleague / second_impressions
    figure: str
    group: Group
    share: Share | None = None
    office: Share | None = None


def touch_points_to_watch(period: PeriodFigures, limits: Thresholds) -> list[Flag]:
    """Channels and topics with enough interactions whose went_wrong is well above the office's."""
    office = period.office.went_wrong.fraction
    if office is None:
        return []
    ratio, points = Fraction(limits.wrong_ratio), Fraction(limits.wrong_points, 100)
    out = []
    for kind, groups in (("channel", period.by_channel), ("topic", period.by_topic)):
        for key, fig in sorted(groups.items(), key=lambda kv: str(kv[0])):
            mine = fig.went_wrong.fraction
            if key is None or fig.interactions < limits.min_interactions or mine is None:
                continue
            if mine >= ratio * office and mine - office >= points:
                out.append(Flag("touch_point", "went_wrong", (kind, key), fig.went_wrong, period.office.went_wrong))
    return out


def colleagues_to_watch(period: PeriodFigures, limits: Thresholds) -> list[Flag]:
    """Colleagues with enough decided promises whose kept_on_time is well below the office's."""
    office = period.office.kept_on_time.fraction
    if office is None:
        return []
    points = Fraction(limits.kept_points, 100)
    out = []
    for staff, fig in sorted(period.by_staff.items()):
        mine = fig.kept_on_time.fraction
        if fig.kept_on_time.of >= limits.min_promises and mine is not None and office - mine >= points:
            out.append(Flag("colleague", "kept_on_time", ("staff", staff), fig.kept_on_time,
                            period.office.kept_on_time))
    return out


def second_impressions_to_watch(period: PeriodFigures, limits: Thresholds) -> list[Flag]:
    share = period.office.second_impressions
    value = share.fraction
    if share.of >= limits.min_second and value is not None and value < Fraction(limits.second_below, 100):
        return [Flag("second_impressions", "second_impressions", OFFICE, share)]
    return []


# --------------------------------------------------------------------------------------------------
# Words (one place until models/rules/words.py lands)
# --------------------------------------------------------------------------------------------------

def percent(share: Share) -> int | None:
    """A share as a whole percent, half up, from the exact counts."""
    if share.of == 0:
        return None
    return (200 * share.count + share.of) // (2 * share.of)


def share_words(share: Share) -> str:
    """"7 of 9, 78%" (and ", 2 pending"); "none yet" when nothing is decided."""
    pending = f", {share.pending} pending" if share.pending else ""
    if share.of == 0:
        return f"none decided{pending}" if share.pending else "none"
    return f"{share.count} of {share.of}, {percent(share)}%{pending}"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


FIGURE_WORDS: dict[str, str] = {
    "interactions": "Interactions", "went_well": "Went well", "went_wrong": "Went wrong",
    "last_impressions": "Ended well", "failures": "Problems", "fixed_in_time": "Fixed within 48 h",
    "time_to_fix_hours": "Time to fix", "second_impressions": "Second impressions", "promises_due": "Promises due",
    "kept_on_time": "Kept on time", "kept_late": "Kept late", "broken": "Broken",
}


def counted(share: Share) -> str:
    """"3 of 12 (25%)", with ", 1 not decided yet" when some are pending."""
    pending = f", {share.pending} not decided yet" if share.pending else ""
    return f"{share.count} of {share.of} ({percent(share)}%{pending})"


def attention_sentence(flag: Flag, name: str) -> str:
    """A line of Needs attention as a sentence with the counts beside the percent."""
    assert flag.share is not None
    office = f"{percent(flag.office)}%" if flag.office is not None and flag.office.of else ""
    if flag.kind == "touch_point":
        return f"{name[:1].upper() + name[1:]}: {counted(flag.share)} went wrong, against {office} for the whole office."
    if flag.kind == "colleague":
        return (f"{name} kept {flag.share.count} of {plural(flag.share.of, 'promise')} on time "
                f"({percent(flag.share)}%), against {office} for the whole office.")
    return (f"Second impressions after a client's first problem: {counted(flag.share)} made, "
            "fixed with an apology within 48 hours and no new problem for 30 days.")


def hours_words(hours: float | None) -> str:
    """The median time to fix in words: "5 h", "3 days", "-" when nothing was fixed."""
    return "–" if hours is None else _hours_words(hours)


def colleague_sentence(name: str, fig: Figures) -> list[str]:
    """A colleague's figures as facts, not rankings ("Ben: 7 of 9 promises kept on time, 78%")."""
    out = []
    if fig.promises_due:
        k = fig.kept_on_time
        if k.of:
            out.append(f"{name}: {k.count} of {plural(k.of, 'promise')} kept on time, {percent(k)}%"
                       + (f" ({k.pending} not decided yet)" if k.pending else ""))
        else:
            out.append(f"{name}: {plural(fig.promises_due, 'promise')} due, none decided yet")
    if fig.interactions:
        w = fig.went_well
        out.append(f"{name}: {plural(fig.interactions, 'interaction')}, {w.count} went well ({percent(w)}%)")
    if fig.failures:
        f = fig.fixed_in_time
        fixed = f", {f.count} of {f.of} fixed within 48 h" if f.of else ""
        out.append(f"{name}: {plural(fig.failures, 'problem')}{fixed}")
    if fig.second_impressions.of:
        s = fig.second_impressions
        out.append(f"{name}: {s.count} of {s.of} second impressions made ({percent(s)}%)")
    return out

