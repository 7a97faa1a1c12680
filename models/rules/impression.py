"""The impression score of impression/SPEC.md: an explainable 0-100 goodwill reservoir per client."""
from __future__ import annotations

import json
import math
import struct
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

# --------------------------------------------------------------------------------------------------
# Constants. Each carries its source from SPEC.md's table "Sources of each rule".
# --------------------------------------------------------------------------------------------------

# Negativity weight λ: loss aversion meta-analysis λ≈1.96 (Brown, Imai, Vieider & Camerer 2024);
# Baumeister & Tierney's "rule of four"; CEB: service interactions ~4x more likely to create
# disloyalty than loyalty.
NEGATIVITY_WEIGHT = 3.0
# One step of valence is worth 4 points (+1 -> +4); bad steps are multiplied by λ (-1 -> -12).
POINTS_PER_STEP = 4.0

# Goodwill half-life: 90-day windows in customer-health practice (Gainsight, Totango); small offices
# meet monthly or quarterly.
GOODWILL_HALF_LIFE = 90.0
# Ill-will half-life: "bad impressions are quicker to form and more resistant to disconfirmation"
# (Baumeister et al. 2001).
ILL_WILL_HALF_LIFE = 180.0

# Neutral score: an unknown client starts in the middle of the three bands.
NEUTRAL = 50.0
# Reservoir cap 45 (max score 95): diminishing sensitivity of satisfaction (Mittal, Ross & Baldasare 1998).
RESERVOIR_CAP = 45.0
SCORE_MIN = 0.0
SCORE_MAX = 100.0

# Encounter = ½ peak + ½ end: peak-end rule (Fredrickson & Kahneman 1993; meta-analysis r = 0.58,
# Alaybek et al. 2022).
PEAK_WEIGHT = 0.5
END_WEIGHT = 0.5

# An encounter is a failure at E <= -16 (SPEC.md rule 3): a complaint that the end did not soften.
FAILURE_THRESHOLD = -16.0

# Early failure x1.5 in the first 3 encounters and first 60 days: bad first impressions resist
# disconfirmation (Baumeister 2001).
EARLY_ENCOUNTERS = 3
EARLY_WINDOW_DAYS = 60.0
EARLY_WEIGHT = 1.5

# Repeat failure x1.5 / x2 within 180 days: "double deviation", no recovery paradox after a second
# failure (Maxham & Netemeyer 2002). Index = repeat count c - 1 (c >= 3 uses the last entry).
REPEAT_WINDOW_DAYS = 180.0
REPEAT_WEIGHTS = (1.0, 1.5, 2.0)

# Recovery speed x apology: immediate response + apology; compensation is no substitute
# (Wirtz & Mattila 2004). (days since the failure started, fraction forgiven), first match wins.
RECOVERY_SPEED = ((2.0, 1.0), (7.0, 0.75), (30.0, 0.5))
SLOW_RECOVERY = 0.25
APOLOGY_FACTOR = 1.0
NO_APOLOGY_FACTOR = 0.75
# After a repeat failure a recovery forgives less (double deviation, Maxham & Netemeyer 2002).
REPEAT_FORGIVENESS = (1.0, 0.5, 0.25)
# A kept-late promise never wipes more than half of the broken promise (SPEC.md rule 4).
BROKEN_PROMISE_MAX_FORGIVEN = 0.5

# Recovery bonus +4 for a first failure fixed within 2 days with an apology: the recovery paradox is
# real but rare and small (Michel & Meuter 2008; de Matos et al. 2007).
RECOVERY_BONUS = 4.0
RECOVERY_BONUS_MAX_DAYS = 2.0

# Promises (SPEC.md rule 5): a broken promise is a failure; -24 x 1.25 = -30 points.
PROMISE_GRACE_DAYS = 2.0
BROKEN_PROMISE_POINTS = -30.0
KEPT_ON_TIME_BONUS = 4.0
OVERDUE_PENALTY = 12.0

# Caps (SPEC.md rule 7), on the Gainsight / Totango style bands below.
OPEN_FAILURE_CAP = 64.0          # an unresolved failure keeps the client out of Green
OPEN_FAILURE_MIN_AGE = 2.0       # ... once the office had 2 days to fix it
OPEN_FAILURE_MAX_AGE = 60.0      # ... until it is 60 days old (then the decay speaks alone)
OVERDUE_PROMISE_CAP = 64.0
REPEAT_FAILURES_CAP = 34.0       # >= 2 failures in 180 days, one not (well) recovered: Red
REPEAT_FAILURES_WINDOW = 180.0
WELL_RECOVERED = 0.5             # rho below this is "not (well) recovered"
TWO_FAILURES_CAP = 49.0          # >= 2 failures in 90 days: at best low Amber
TWO_FAILURES_WINDOW = 90.0

# Bands: Green >= 65, Amber 35-64, Red <= 34: three colour bands as in Gainsight / Totango,
# centred on neutral.
GREEN_FROM = 65
AMBER_FROM = 35

# Flags (SPEC.md rule 9).
NEW_MIN_ENCOUNTERS = 2
NEW_DAYS = 30.0
STALE_DAYS = 60.0

# Trend (SPEC.md rule 10).
TREND_DAYS = 30.0
TREND_STEP = 5

# Top reasons: at most 3, by impact: credit-score reason codes (Reg B: up to four, ordered by
# impact); Salesforce shows three. Items under half a point are noise.
MAX_REASONS = 3
MIN_REASON_POINTS = 0.5
NON_BINDING_CAP_SLOT = 2          # an actionable but non-binding cap is shown third

# history(): weekly points.
DAYS_PER_WEEK = 7.0
SECONDS_PER_DAY = 86400.0

_INF = math.inf


# --------------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Interaction:
    """One client-facing touch: a call, a visit, an email, an invoice (internal notes are not)."""

    day: float
    valence: int
    encounter: str | None = None
    label: str = ""
    ref: object = None


@dataclass(frozen=True, slots=True)
class Promise:
    """Something the office promised: made on `day`, due on `due`."""

    id: str
    day: float
    due: float
    label: str = ""
    ref: object = None


@dataclass(frozen=True, slots=True)
class PromiseKept:
    """The promise `links` was fulfilled on `day`; if several, the last one counts."""

    links: str
    day: float
    apology: bool = False
    ref: object = None


@dataclass(frozen=True, slots=True)
class Recovery:
    """The failure `links` (an encounter id, or a promise id) was put right on `day`."""

    links: str
    day: float
    apology: bool = False
    ref: object = None


Event = Interaction | Promise | PromiseKept | Recovery


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of "Why this score?", naming the event it is about (`ref`) and its points.

    kind: "cap_open_failure", "cap_overdue_promise", "cap_repeat_failures" (the <= 34 cap),
    "cap_two_failures" (the <= 49 cap), "encounter", "failure", "broken_promise", "recovery_bonus",
    "kept_bonus". points: the current signed contribution; for a cap, the cap value. day: when the
    named thing happened (an encounter's last interaction, a failure's day - for a broken promise
    due + 2 -, a recovery's or keeping's day, an overdue promise's due). label: the named event's
    label (for a recovery bonus: the label of the failure it fixed; for a kept bonus: the promise's).
    """

    kind: str
    points: float
    day: float
    ref: object
    label: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Score:
    """The full result at one as-of time: what the badge shows and the reasons behind it."""

    value: int
    band: str
    flags: tuple[str, ...]
    trend30: int
    trend: str
    reasons: tuple[Reason, ...]
    raw: float  # s: the clamped, unrounded score before caps


@dataclass(frozen=True, slots=True)
class QuickScore:
    """The badge only (no reasons), as quick_score() returns it from a Summary."""

    value: int
    band: str
    flags: tuple[str, ...]
    trend30: int
    trend: str


# --------------------------------------------------------------------------------------------------
# Curves
# --------------------------------------------------------------------------------------------------

def points_of(valence: int) -> float:
    """Points of one interaction: +4 per good step, -4·λ = -12 per bad step (rule 1).

    Bad counts three times as much as good (λ = 3): +1 -> +4, +2 -> +8, 0 -> 0, -1 -> -12, -2 -> -24.
    """
    weight = NEGATIVITY_WEIGHT if valence < 0 else 1.0
    return POINTS_PER_STEP * weight * valence


_POINTS = {valence: points_of(valence) for valence in range(-2, 3)}


def encounter_value(points: Sequence[float]) -> float:
    """Peak-end value E of one encounter's points in time order (rule 2).

    A single touch counts as itself. Otherwise E = ½·peak + ½·end, where the peak is the most intense
    moment (the minimum when |min| >= |max|: a bad moment of equal size outweighs a good one).
    """
    if len(points) == 1:
        return points[0]
    low, high = min(points), max(points)
    peak = low if abs(low) >= abs(high) else high
    return PEAK_WEIGHT * peak + END_WEIGHT * points[-1]


def goodwill_decay(days: float) -> float:
    """Fraction of goodwill left after `days`: halves every 90 days."""
    return float(0.5 ** (days / GOODWILL_HALF_LIFE))


def ill_will_decay(days: float) -> float:
    """Fraction of ill-will left after `days`: halves every 180 days (bad news lingers twice as long)."""
    return float(0.5 ** (days / ILL_WILL_HALF_LIFE))


def repeat_weight(repeat: int) -> float:
    """Weight of a failure by its repeat count c within 180 days: x1, x1.5 (second), x2 (third on)."""
    return REPEAT_WEIGHTS[min(repeat, len(REPEAT_WEIGHTS)) - 1]


def recovery_speed(days: float) -> float:
    """Speed factor of a recovery `days` after the failure started: 1, 0.75, 0.5 (<= 2, 7, 30 days), 0.25."""
    for limit, factor in RECOVERY_SPEED:
        if days <= limit:
            return factor
    return SLOW_RECOVERY


def forgiven_fraction(days: float, apology: bool, repeat: int, broken_promise: bool) -> float:
    """ρ = speed x apology x repeat (rule 4): the share of a failure's ill-will a recovery removes.

    A repeat failure is forgiven less (0.5, then 0.25); a broken promise at most half, however fast.
    """
    rho = (recovery_speed(days) * (APOLOGY_FACTOR if apology else NO_APOLOGY_FACTOR)
           * REPEAT_FORGIVENESS[min(repeat, len(REPEAT_FORGIVENESS)) - 1])
    return min(rho, BROKEN_PROMISE_MAX_FORGIVEN) if broken_promise else rho


def band_of(score: int) -> str:
    """Colour band of a score: Green >= 65, Amber 35-64, Red <= 34."""
    if score >= GREEN_FROM:
        return "Green"
    if score >= AMBER_FROM:
        return "Amber"
    return "Red"


def trend_of(delta: int) -> str:
    """Arrow for a 30-day change: up at +5 or more, down at -5 or less, else flat."""
    if delta >= TREND_STEP:
        return "up"
    if delta <= -TREND_STEP:
        return "down"
    return "flat"


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves upwards (rule 7)."""
    return math.floor(x + 0.5)


def day_of(ts: datetime) -> float:
    """An aware datetime as float days since the Unix epoch (timestamp / 86400)."""
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise ValueError("day_of() needs a timezone-aware datetime")
    return ts.timestamp() / SECONDS_PER_DAY


# --------------------------------------------------------------------------------------------------
# The history at one as-of time (rules 2-6)
# --------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Encounter:
    """Interactions grouped into one encounter; it has its last interaction's day, label and ref."""

    points: list[float]
    day: float
    last: Interaction
    value: float

    @property
    def id(self) -> str | None:
        return self.last.encounter

    @property
    def label(self) -> str:
        return self.last.label

    @property
    def ref(self) -> object:
        return self.last.ref


@dataclass(slots=True)
class _Failure:
    """A failed encounter or a broken promise, with its weights and its recovery (if any)."""

    id: str | None
    day: float
    start: float               # the recovery's Δ is measured from here (a broken promise: its due)
    points: float              # before weights
    label: str
    ref: object
    promise: Promise | None = None
    early: bool = False
    repeat: int = 1
    final: float = 0.0
    recovered: bool = False
    recovery_day: float = 0.0
    recovery_ref: object = None
    apology: bool = False
    rho: float = 0.0           # 0 when not recovered
    bonus: bool = False


@dataclass(slots=True)
class _Item:
    """One step of the reservoir walk (rule 6): add `goodwill` (capped) and `ill_will` at `day`."""

    day: float
    order: int                 # 0, or 1 for a recovery (after everything else on its day)
    goodwill: float
    ill_will: float
    kind: str                  # the reason kind it shows as
    subject: _Encounter | _Failure | _KeptOnTime   # what it stands for
    points: float              # its points for reasons (signed)


@dataclass(frozen=True, slots=True)
class _KeptOnTime:
    """A promise and the keeping that earned it the +4."""

    promise: Promise
    kept: PromiseKept


_ITEM_ORDER = 0
_RECOVERY_ORDER = 1
_ITEM_ORDER_KEY = attrgetter("day", "order")


@dataclass(slots=True)
class _Analysis:
    """Everything rules 2-6 derive from the events up to one as-of time."""

    encounters: list[_Encounter]
    failures: list[_Failure]
    open_promises: list[Promise]   # neither kept nor broken: pending or overdue
    items: list[_Item]
    goodwill: float                # P after the last item (before the final decay to T)
    ill_will: float                # N after the last item
    last_item: float               # day of the last item (-inf when there is none)


@dataclass(slots=True)
class _Timeline:
    """A history prepared once: each kind of event in time order (ties keep the given order), with
    its float days, so that the events up to any as-of time are a prefix found by bisection."""

    days: list[float]                                   # every event's day, sorted
    touches: list[Interaction]
    touch_days: list[float]
    touch_keys: list[object]        # encounter id, or (calendar day,)
    touch_points: list[float]
    promises: list[Promise]
    promise_days: list[float]
    kept: list[PromiseKept]
    kept_days: list[float]
    recoveries: list[Recovery]
    recovery_days: list[float]


def _prepare(events: Iterable[Event]) -> _Timeline:
    """Sort and split the events once; every analysis of the same history reuses the result."""
    timeline = _Timeline([], [], [], [], [], [], [], [], [], [], [])
    for event in sorted(events, key=_event_day):
        day = float(event.day)
        timeline.days.append(day)
        if isinstance(event, Interaction):
            timeline.touches.append(event)
            timeline.touch_days.append(day)
            timeline.touch_keys.append(_encounter_key(event, day))
            timeline.touch_points.append(_points(event.valence))
        elif isinstance(event, Promise):
            timeline.promises.append(event)
            timeline.promise_days.append(day)
        elif isinstance(event, PromiseKept):
            timeline.kept.append(event)
            timeline.kept_days.append(day)
        elif isinstance(event, Recovery):
            timeline.recoveries.append(event)
            timeline.recovery_days.append(day)
        else:
            raise TypeError(f"not an impression event: {event!r}")
    return timeline


def _event_day(event: Event) -> float:
    return float(event.day)


def _encounter_key(interaction: Interaction, day: float) -> object:
    """The encounter id, else the calendar day (a 1-tuple, so it never clashes with a string id)."""
    return interaction.encounter if interaction.encounter is not None else (math.floor(day),)


def _points(valence: int) -> float:
    points = _POINTS.get(valence)
    return points_of(valence) if points is None else points


def _group_encounters(timeline: _Timeline, count: int) -> list[_Encounter]:
    """Group the first `count` interactions into encounters, ordered by their last touch (rule 2)."""
    points: dict[object, list[float]] = {}
    last: dict[object, int] = {}     # key -> position of its last interaction (time order)
    keys, touch_points = timeline.touch_keys, timeline.touch_points
    for seq in range(count):
        key = keys[seq]
        if key in last:
            points[key].append(touch_points[seq])
        else:
            points[key] = [touch_points[seq]]
        last[key] = seq
    touches, days = timeline.touches, timeline.touch_days
    encounters = []
    for key, seq in sorted(last.items(), key=itemgetter(1)):  # positions follow time order: by day
        values = points[key]
        value = values[0] if len(values) == 1 else encounter_value(values)  # the common case inline
        encounters.append(_Encounter(values, days[seq], touches[seq], value))
    return encounters


_Link = TypeVar("_Link", PromiseKept, Recovery)


def _last_by_link(events: Sequence[_Link], days: Sequence[float], as_of: float) -> dict[str, _Link]:
    """The last event up to `as_of` (time order, ties: later in the list) for each linked id."""
    last: dict[str, _Link] = {}
    for index in range(bisect_right(days, as_of)):
        event = events[index]
        last[event.links] = event
    return last


def _promise_failure(promise: Promise, broken_at: float) -> _Failure:
    return _Failure(promise.id, broken_at, float(promise.due), BROKEN_PROMISE_POINTS, promise.label,
                    promise.ref, promise=promise)


def _classify_promises(promises: list[Promise], kept: dict[str, PromiseKept], as_of: float,
                       ) -> tuple[list[_Failure], list[Promise], list[_Item]]:
    """Rule 5: broken promises (failures), open ones (pending/overdue) and kept-on-time bonuses."""
    broken: list[_Failure] = []
    open_: list[Promise] = []
    bonuses: list[_Item] = []
    for promise in promises:
        due = float(promise.due)
        broken_at = due + PROMISE_GRACE_DAYS
        k = kept.get(promise.id)
        if k is not None and float(k.day) <= due:
            bonuses.append(_Item(float(k.day), _ITEM_ORDER, KEPT_ON_TIME_BONUS, 0.0, "kept_bonus",
                                 _KeptOnTime(promise, k), KEPT_ON_TIME_BONUS))
        elif k is not None and float(k.day) <= broken_at:
            pass  # kept late, within the grace: no harm done, no credit either
        elif as_of > broken_at:
            broken.append(_promise_failure(promise, broken_at))
        else:
            open_.append(promise)  # pending, or overdue when as_of > due (decided when scoring)
    return broken, open_, bonuses


def _weigh_failures(failures: list[_Failure], encounters: list[_Encounter]) -> None:
    """Rule 3: early (first 3 encounters, first 60 days) and repeat (within 180 days) weights."""
    enc_days = [e.day for e in encounters]
    first = enc_days[0] if enc_days else _INF
    window_start = 0
    for i, failure in enumerate(failures):
        while failure.day - failures[window_start].day > REPEAT_WINDOW_DAYS:
            window_start += 1
        failure.repeat = 1 + i - window_start
        if failure.promise is not None:
            failure.early = (bool(enc_days) and failure.day - first <= EARLY_WINDOW_DAYS
                             and bisect_right(enc_days, failure.day) <= EARLY_ENCOUNTERS)
        failure.final = failure.points * repeat_weight(failure.repeat) * (
            EARLY_WEIGHT if failure.early else 1.0)


def _recover(failures: list[_Failure], recoveries: dict[str, Recovery],
             kept: dict[str, PromiseKept]) -> None:
    """Rule 4: attach each failure's recovery (the last one for its id, if not before the failure)."""
    for failure in failures:
        fix: Recovery | PromiseKept | None = recoveries.get(failure.id) if failure.id is not None else None
        if fix is not None and float(fix.day) < failure.day:
            fix = None
        if fix is None and failure.promise is not None:
            fix = kept.get(failure.promise.id)  # a late keeping (it exists only if after broken-at)
            if fix is not None and float(fix.day) < failure.day:
                fix = None
        if fix is None:
            continue
        failure.recovered, failure.recovery_day = True, float(fix.day)
        failure.recovery_ref, failure.apology = fix.ref, bool(fix.apology)
        delay = failure.recovery_day - failure.start
        is_promise = failure.promise is not None
        failure.rho = forgiven_fraction(delay, failure.apology, failure.repeat, is_promise)
        failure.bonus = (failure.repeat == 1 and delay <= RECOVERY_BONUS_MAX_DAYS and failure.apology
                         and not is_promise)


def _failures(encounters: list[_Encounter], broken: list[_Failure]) -> list[_Failure]:
    """All failures in rule 3's order: by day; ties: encounter failures first, then broken promises."""
    failures = []
    for index, enc in enumerate(encounters):
        if enc.value <= FAILURE_THRESHOLD:
            early = index < EARLY_ENCOUNTERS and enc.day - encounters[0].day <= EARLY_WINDOW_DAYS
            failures.append(_Failure(enc.id, enc.day, enc.day, enc.value, enc.label, enc.ref, early=early))
    failures.extend(broken)
    failures.sort(key=lambda f: f.day)
    return failures


def _items(encounters: list[_Encounter], failures: list[_Failure], bonuses: list[_Item]) -> list[_Item]:
    """The reservoir's items in rule 6's order: by day, order 0 before 1; encounters, failures, bonuses."""
    items = []
    for enc in encounters:
        if enc.value > FAILURE_THRESHOLD:
            good, bad = (enc.value, 0.0) if enc.value >= 0 else (0.0, -enc.value)
            items.append(_Item(enc.day, _ITEM_ORDER, good, bad, "encounter", enc, enc.value))
    for failure in failures:
        kind = "failure" if failure.promise is None else "broken_promise"
        items.append(_Item(failure.day, _ITEM_ORDER, 0.0, -failure.final, kind, failure, failure.final))
    items.extend(bonuses)
    for failure in failures:
        if failure.recovered:
            forgiven = failure.rho * -failure.final * ill_will_decay(failure.recovery_day - failure.day)
            bonus = RECOVERY_BONUS if failure.bonus else 0.0
            items.append(_Item(failure.recovery_day, _RECOVERY_ORDER, bonus, -forgiven, "recovery_bonus",
                               failure, bonus))
    items.sort(key=_ITEM_ORDER_KEY)
    return items


def _walk(items: list[_Item]) -> tuple[float, float, float]:
    """Rule 6: fill goodwill P (capped at 45) and ill-will N, decaying both between items.

    Returns P and N just after the last item, and that item's day; the caller decays them to T
    (Summary stores exactly these three numbers so that a cached score is bit-identical).
    """
    goodwill = ill_will = 0.0
    previous = -_INF
    for item in items:
        day = item.day
        if day > previous and previous > -_INF:
            goodwill, ill_will = _decayed(goodwill, ill_will, day - previous)
        previous = day
        if item.goodwill:
            goodwill = min(goodwill + item.goodwill, RESERVOIR_CAP)
        if item.ill_will:
            ill_will += item.ill_will
    return goodwill, ill_will, previous


def _decayed(goodwill: float, ill_will: float, days: float) -> tuple[float, float]:
    """P and N after `days` (the curves of goodwill_decay and ill_will_decay, inlined for speed)."""
    return goodwill * 0.5 ** (days / GOODWILL_HALF_LIFE), ill_will * 0.5 ** (days / ILL_WILL_HALF_LIFE)


def _analyse(timeline: _Timeline, as_of: float) -> _Analysis:
    """Rules 2-6 over the events up to `as_of`."""
    encounters = _group_encounters(timeline, bisect_right(timeline.touch_days, as_of))
    kept = _last_by_link(timeline.kept, timeline.kept_days, as_of)
    promises = timeline.promises[:bisect_right(timeline.promise_days, as_of)]
    broken, open_promises, bonuses = _classify_promises(promises, kept, as_of)
    failures = _failures(encounters, broken)
    _weigh_failures(failures, encounters)
    _recover(failures, _last_by_link(timeline.recoveries, timeline.recovery_days, as_of), kept)
    items = _items(encounters, failures, bonuses)
    goodwill, ill_will, last_item = _walk(items)
    return _Analysis(encounters, failures, open_promises, items, goodwill, ill_will, last_item)


# --------------------------------------------------------------------------------------------------
# From the reservoir to the score (rules 7-9). Shared verbatim by evaluate() and quick_score(), so
# both do the same floating-point operations in the same order.
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Cap:
    value: float
    kind: str
    subject: _Failure | Promise | None   # None on the cached path (a Summary keeps no events)
    count: int = 0    # failures in the window (track-record caps)
    weak: int = 0     # of which not (well) recovered


# (day, recovered, rho, subject) of one failure; (due, subject) of one open promise.
_FailureRow = tuple[float, bool, float, _Failure | None]
_PromiseRow = tuple[float, Promise | None]


def _reservoir_at(goodwill: float, ill_will: float, last_item: float, as_of: float) -> tuple[float, float]:
    """P and N decayed from the last item to `as_of` (no decay when as_of is not later)."""
    if as_of > last_item and last_item > -_INF:
        return _decayed(goodwill, ill_will, as_of - last_item)
    return goodwill, ill_will


# --------------------------------------------------------------------------------------------------
# Ages: one comparison for every "N days since" rule, and the first day it holds
# --------------------------------------------------------------------------------------------------

def _aged(day: float, span: float, as_of: float, *, strictly: bool = False) -> bool:
    """Whether `span` days have passed from `day` at `as_of` (`as_of - day >= span`, or `>` strictly).

    Every age rule (caps, `new`, `stale`) asks through this one function, and _age_edge() searches
    the first day for which it answers yes, so a flag and the edge that predicts it can never
    disagree by a float rounding (`day + span` may round to a day at which `as_of - day < span`).
    """
    age = as_of - day
    return age > span if strictly else age >= span


def _age_edge(day: float, span: float, *, strictly: bool = False) -> float:
    """The least float T with _aged(day, span, T) (float subtraction is monotone in T).

    A bisection over the floats in their order, not a walk float by float: near 0.0 (day -30, span 30)
    the answer lies past every subnormal, some 2**62 floats from day + span.
    """
    x = day + span
    if not math.isfinite(x):
        return x

    def holds(value: float) -> bool:
        return _aged(day, span, value, strictly=strictly)

    step = max(abs(x), abs(day), span, 1.0) * 2.0**-50  # a few units in the last place of the operands
    high = x
    while not holds(high):
        high += step
        step *= 2
    low, step = x, max(abs(x), abs(day), span, 1.0) * 2.0**-50
    while holds(low):
        low -= step
        step *= 2
    below, above = _float_rank(low), _float_rank(high)  # holds at `above`, not at `below`
    while above - below > 1:
        middle = (below + above) // 2
        if holds(_ranked_float(middle)):
            above = middle
        else:
            below = middle
    return _ranked_float(above)


def _float_rank(value: float) -> int:
    """An integer that orders floats as their values do (-0.0 and 0.0 share 0)."""
    bits = struct.unpack("<q", struct.pack("<d", value))[0]
    return bits if bits >= 0 else -(bits & 0x7FFF_FFFF_FFFF_FFFF)


def _ranked_float(rank: int) -> float:
    bits = rank if rank >= 0 else (-rank) | -0x8000_0000_0000_0000
    return struct.unpack("<d", struct.pack("<q", bits))[0]


def _overdue(open_promises: Sequence[_PromiseRow], as_of: float) -> list[_PromiseRow]:
    """Open promises whose due has passed (rule 5: overdue until due + 2, then broken)."""
    return [row for row in open_promises if as_of > row[0]]


def _clamped(goodwill: float, ill_will: float, overdue: int) -> float:
    """s: 50 + P - N - 12 per overdue promise, clamped to 0..100 (rule 7)."""
    raw = NEUTRAL + goodwill - ill_will - OVERDUE_PENALTY * overdue
    return min(max(raw, SCORE_MIN), SCORE_MAX)


def _caps(failures: Sequence[_FailureRow], overdue: Sequence[_PromiseRow], as_of: float) -> list[_Cap]:
    """Every cap of rule 7, in a stable order: open failures, overdue promises, then the track record."""
    caps = [_Cap(OPEN_FAILURE_CAP, "cap_open_failure", subject)
            for day, recovered, _, subject in failures
            if not recovered and _aged(day, OPEN_FAILURE_MIN_AGE, as_of)
            and not _aged(day, OPEN_FAILURE_MAX_AGE, as_of, strictly=True)]
    caps.extend(_Cap(OVERDUE_PROMISE_CAP, "cap_overdue_promise", subject) for _, subject in overdue)
    recent = [row for row in failures if not _aged(row[0], REPEAT_FAILURES_WINDOW, as_of, strictly=True)]
    weak = [row for row in recent if row[2] < WELL_RECOVERED]  # unrecovered rows carry rho = 0
    if len(recent) >= 2 and weak:
        caps.append(_Cap(REPEAT_FAILURES_CAP, "cap_repeat_failures", weak[-1][3], len(recent), len(weak)))
    else:
        latest = [row for row in recent if not _aged(row[0], TWO_FAILURES_WINDOW, as_of, strictly=True)]
        if len(latest) >= 2:
            caps.append(_Cap(TWO_FAILURES_CAP, "cap_two_failures", latest[-1][3], len(latest)))
    return caps


def _final(clamped: float, caps: Sequence[_Cap]) -> int:
    """score = round-half-up(min(s, every cap))."""
    capped = clamped
    for cap in caps:
        capped = min(capped, cap.value)
    return round_half_up(capped)


def _flags(encounters: int, first: float, last: float, as_of: float) -> tuple[str, ...]:
    """Rule 9: `new` (no encounter, or one and under 30 days old), `stale` (none for 60 days)."""
    flags = []
    if encounters == 0 or (encounters < NEW_MIN_ENCOUNTERS and not _aged(first, NEW_DAYS, as_of)):
        flags.append("new")
    if encounters and _aged(last, STALE_DAYS, as_of):
        flags.append("stale")
    return tuple(flags)


# --------------------------------------------------------------------------------------------------
# The frozen state at one time: what Summary caches and what every score is computed from
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReservoirState:
    """The state of a history at one as-of time that time alone does not change (part of Summary).

    goodwill/ill_will: P and N just after the last item (day `last_item`, -inf when none), before the
    final decay. failures: (day, recovered, rho) of every failure that can still touch a cap;
    open_dues: the due day of every promise neither kept nor broken. Encounter facts feed the flags.
    """

    goodwill: float
    ill_will: float
    last_item: float
    failures: tuple[_FailureRow, ...]
    open_dues: tuple[_PromiseRow, ...]
    encounters: int
    first_encounter: float
    last_encounter: float

    def score(self, as_of: float) -> tuple[int, float, list[_Cap]]:
        """(score, s, caps) at `as_of`: the same arithmetic for the full and the cached path."""
        goodwill, ill_will = _reservoir_at(self.goodwill, self.ill_will, self.last_item, as_of)
        overdue = _overdue(self.open_dues, as_of)
        clamped = _clamped(goodwill, ill_will, len(overdue))
        caps = _caps(self.failures, overdue, as_of)
        return _final(clamped, caps), clamped, caps

    def reservoir(self, as_of: float) -> tuple[float, float]:
        """Goodwill P and ill-will N at `as_of` (for tests and diagnostics)."""
        return _reservoir_at(self.goodwill, self.ill_will, self.last_item, as_of)

    def flags(self, as_of: float) -> tuple[str, ...]:
        return _flags(self.encounters, self.first_encounter, self.last_encounter, as_of)

    def to_dict(self) -> dict[str, object]:
        return {"p": self.goodwill, "n": self.ill_will, "last": _num_out(self.last_item),
                "failures": [[day, recovered, rho] for day, recovered, rho, _ in self.failures],
                "open": [due for due, _ in self.open_dues], "encounters": self.encounters,
                "first": _num_out(self.first_encounter), "last_encounter": _num_out(self.last_encounter)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReservoirState:
        return cls(float(d["p"]), float(d["n"]), _num_in(d["last"], -_INF),
                   tuple((float(day), bool(rec), float(rho), None) for day, rec, rho in d["failures"]),
                   tuple((float(due), None) for due in d["open"]), int(d["encounters"]),
                   _num_in(d["first"], _INF), _num_in(d["last_encounter"], -_INF))


def _state(analysis: _Analysis, horizon: float = -_INF, *, subjects: bool = True) -> ReservoirState:
    """Freeze an analysis; failures that cannot touch a cap at any time >= `horizon` are left out.

    With subjects=False (a Summary) the rows carry no reference to the events, so the state is plain
    data and survives a JSON round trip unchanged.
    """
    failures = tuple((f.day, f.recovered, f.rho, f if subjects else None) for f in analysis.failures
                     if not _aged(f.day, REPEAT_FAILURES_WINDOW, horizon, strictly=True))
    encounters = analysis.encounters
    return ReservoirState(
        analysis.goodwill, analysis.ill_will, analysis.last_item, failures,
        tuple((float(p.due), p if subjects else None) for p in analysis.open_promises), len(encounters),
        encounters[0].day if encounters else _INF,
        max(e.day for e in encounters) if encounters else -_INF)


def _num_out(x: float) -> float | None:
    """JSON has no infinities: an unbounded end is stored as null."""
    return None if math.isinf(x) else x


def _num_in(x: float | None, unbounded: float) -> float:
    return unbounded if x is None else float(x)


# --------------------------------------------------------------------------------------------------
# Reasons (rule 11)
# --------------------------------------------------------------------------------------------------

def _contributions(analysis: _Analysis, goodwill: float, as_of: float) -> list[tuple[float, _Item]]:
    """Each item's current contribution, in walk order (rule 11).

    Bad items: points x 0.5^(age/180) x (1 - ρ). Good items share out the goodwill P actually held,
    pro rata of their decayed points (so the reservoir cap shows in every good item equally).
    """
    decayed: list[float] = []
    positive_total = 0.0
    for item in analysis.items:
        if item.points < 0:
            rho = item.subject.rho if isinstance(item.subject, _Failure) else 0.0
            decayed.append(item.points * ill_will_decay(as_of - item.day) * (1.0 - rho))
        else:
            points = item.points * goodwill_decay(as_of - item.day)
            positive_total += points
            decayed.append(points)
    scale = goodwill / positive_total if positive_total > 0 else 0.0
    return [(points if points < 0 else points * scale, item)
            for points, item in zip(decayed, analysis.items, strict=True)]


def _reasons(analysis: _Analysis, state: ReservoirState, clamped: float, caps: list[_Cap],
             as_of: float) -> tuple[Reason, ...]:
    """At most 3: binding caps (lowest first), items by |contribution|; a non-binding cap third."""
    binding = sorted((c for c in caps if c.value < clamped), key=lambda c: c.value)
    loose = sorted((c for c in caps if c.value >= clamped), key=lambda c: c.value)
    goodwill, _ = _reservoir_at(state.goodwill, state.ill_will, state.last_item, as_of)
    items = [(points, item) for points, item in _contributions(analysis, goodwill, as_of)
             if abs(points) >= MIN_REASON_POINTS]
    items.sort(key=lambda pair: -abs(pair[0]))
    reasons = [_cap_reason(c, as_of) for c in binding]
    reasons += [_item_reason(p, i, as_of) for p, i in items[:MAX_REASONS]]  # no more can show
    if loose:
        reasons.insert(min(NON_BINDING_CAP_SLOT, len(reasons)), _cap_reason(loose[0], as_of))
    return tuple(reasons[:MAX_REASONS])


def _fmt_points(points: float) -> str:
    n = round_half_up(abs(points))
    return f"({'-' if points < 0 and n else '+'}{n})"


def _fmt_days(days: float) -> str:
    """A duration in whole days, as people say it."""
    n = round_half_up(days)
    if n <= 0:
        return "under a day"
    return "1 day" if n == 1 else f"{n} days"


def _fmt_ago(days: float) -> str:
    return "today" if round_half_up(days) <= 0 else f"{_fmt_days(days)} ago"


def _fmt_after(days: float) -> str:
    return "the same day" if round_half_up(days) <= 0 else f"after {_fmt_days(days)}"


def _cap_reason(cap: _Cap, as_of: float) -> Reason:
    value = cap.value
    if isinstance(cap.subject, Promise):  # an overdue promise
        promise = cap.subject
        sentence = (f"Overdue promise: '{promise.label}' (due {_fmt_ago(as_of - float(promise.due))})"
                    f" - costs {OVERDUE_PENALTY:.0f} points and can't be green until it is kept")
        return Reason(cap.kind, value, float(promise.due), promise.ref, promise.label, sentence)
    failure = cap.subject
    assert isinstance(failure, _Failure), "reasons are only built on the full path"
    day, ref, label = failure.day, failure.ref, failure.label
    if cap.kind == "cap_open_failure":
        what = f"broken promise '{label}'" if failure.promise is not None else f"'{label}'"
        fix = "kept or put right" if failure.promise is not None else "fixed"
        sentence = f"Unresolved: {what} ({_fmt_days(as_of - day)} open) - can't be green until it is {fix}"
    elif cap.kind == "cap_repeat_failures":
        sentence = (f"Track record: {cap.count} failures in the last {REPEAT_FAILURES_WINDOW:.0f} days, "
                    f"{cap.weak} not (well) put right - held in the red (at most {value:.0f})")
    else:
        sentence = (f"Track record: {cap.count} failures in the last {TWO_FAILURES_WINDOW:.0f} days"
                    f" - can't be green (at most {value:.0f})")
    return Reason(cap.kind, value, day, ref, label, sentence)


def _item_reason(points: float, item: _Item, as_of: float) -> Reason:
    subject = item.subject
    if isinstance(subject, _Encounter):
        return Reason(item.kind, points, subject.day, subject.ref, subject.label,
                      _encounter_sentence(subject, points))
    if isinstance(subject, _KeptOnTime):
        promise, kept = subject.promise, subject.kept
        ref = kept.ref if kept.ref is not None else promise.ref
        sentence = f"Promise kept on time: '{promise.label}' {_fmt_points(points)}"
        return Reason(item.kind, points, float(kept.day), ref, promise.label, sentence)
    failure = subject
    if item.kind == "recovery_bonus":
        sentence = (f"Quick fix with an apology after '{failure.label}' went wrong "
                    f"(a first failure put right) {_fmt_points(points)}")
        return Reason(item.kind, points, failure.recovery_day, failure.recovery_ref, failure.label, sentence)
    return Reason(item.kind, points, failure.day, failure.ref, failure.label,
                  _failure_sentence(failure, points, as_of))


def _encounter_sentence(enc: _Encounter, points: float) -> str:
    if len(enc.points) > 1 and enc.value != enc.points[-1]:
        low, high = min(enc.points), max(enc.points)
        peak = low if abs(low) >= abs(high) else high
        return (f"Encounter '{enc.label}' (strongest moment {peak:+.0f}, ended {enc.points[-1]:+.0f}) "
                f"{_fmt_points(points)}")
    return f"Encounter '{enc.label}' {_fmt_points(points)}"


def _failure_sentence(failure: _Failure, points: float, as_of: float) -> str:
    if failure.promise is not None:
        text = (f"Broken promise: '{failure.label}' (due {_fmt_ago(as_of - failure.start)}, "
                "not kept in time)")
    else:
        text = f"'{failure.label}' went wrong"
    if failure.early:
        text += f" [early impression x{EARLY_WEIGHT:g}]"
    if failure.repeat > 1:
        text += f" [repeat failure #{failure.repeat} x{repeat_weight(failure.repeat):g}]"
    if failure.recovered:
        text += (f" - put right {_fmt_after(failure.recovery_day - failure.start)}"
                 f"{' with an apology' if failure.apology else ''}, "
                 f"{round_half_up(failure.rho * 100)}% forgiven")
    return f"{text} {_fmt_points(points)}"


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------

def evaluate(events: Sequence[Event], as_of: float) -> Score:
    """The full score at `as_of`: value, band, flags, 30-day trend and the reasons behind it."""
    as_of = float(as_of)
    timeline = _prepare(events)
    analysis = _analyse(timeline, as_of)
    state = _state(analysis)
    value, clamped, caps = state.score(as_of)
    trend30 = value - _score_at(timeline, as_of - TREND_DAYS)
    reasons = _reasons(analysis, state, clamped, caps, as_of)
    return Score(value, band_of(value), state.flags(as_of), trend30, trend_of(trend30), reasons, clamped)


def _score_at(timeline: _Timeline, as_of: float) -> int:
    return _state(_analyse(timeline, as_of)).score(as_of)[0]


def score_at(events: Sequence[Event], as_of: float) -> int:
    """Just the integer score at `as_of` (no reasons, no trend)."""
    return _score_at(_prepare(events), float(as_of))


def scores_at(events: Sequence[Event], as_ofs: Sequence[float]) -> list[int]:
    """score_at() at several times, the events prepared once (the review's band moves)."""
    timeline = _prepare(events)
    return [_score_at(timeline, float(as_of)) for as_of in as_ofs]


def history(events: Sequence[Event], as_of: float, *, weeks: int = 26) -> list[tuple[float, int]]:
    """(day, score) at weekly points ending at `as_of`, oldest first: weeks + 1 points.

    Consecutive points that no event or promise break separates reuse one frozen state (the same
    one quick_score() uses), so a quiet client costs one walk, not 27.
    """
    as_of = float(as_of)
    timeline = _prepare(events)
    breaks = _breakpoints(timeline)
    points: list[tuple[float, int]] = []
    state: ReservoirState | None = None
    valid = (_INF, -_INF)
    for k in range(weeks, -1, -1):
        day = as_of - DAYS_PER_WEEK * k
        if state is None or not valid[0] <= day < valid[1]:
            state, valid = _state(_analyse(timeline, day)), _validity(breaks, day)
        points.append((day, state.score(day)[0]))
    return points


# --------------------------------------------------------------------------------------------------
# The cache (Summary)
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Summary:
    """The cached state of one client's history, computed at `as_of` (SPEC.md: a cache is allowed).

    Design. Between two *breakpoints* nothing the walk of rules 2-6 sees can change: the events up to
    T are the same, and so are the promises that have broken. The breakpoints are every event's day
    (an event counts from T = day) and, for every promise that is not kept by its broken-at time
    (due + 2), the next float after that time (a promise breaks when T > due + 2). Inside such a piece
    P and N after the last item are constants; only the final decay to T, the overdue count (T > due),
    the cap windows (ages 2/60 days, the 90/180-day track record), and the `new`/`stale` flags move
    with T, and quick_score() recomputes exactly those from the stored facts with the very functions
    evaluate() uses, so the result is bit-identical. `now` is the state at as_of, `past` the state at
    as_of - 30 (for trend30); the summary is valid while both stay inside their pieces:
    as_of' in [valid_from, valid_until) with as_of' - 30 inside past's piece. A client without events
    in the last months therefore stays valid until its next event (or promise break), often forever.
    """

    as_of: float
    valid_from: float
    valid_until: float
    now: ReservoirState
    past: ReservoirState

    def to_json(self) -> str:
        """A compact JSON text (infinite validity ends are stored as null)."""
        return json.dumps({"v": 1, "as_of": self.as_of, "valid_from": _num_out(self.valid_from),
                           "valid_until": _num_out(self.valid_until), "now": self.now.to_dict(),
                           "past": self.past.to_dict()}, separators=(",", ":"))

    @classmethod
    def from_json(cls, s: str) -> Summary:
        d = json.loads(s)
        return cls(float(d["as_of"]), _num_in(d["valid_from"], -_INF), _num_in(d["valid_until"], _INF),
                   ReservoirState.from_dict(d["now"]), ReservoirState.from_dict(d["past"]))


def _breakpoints(timeline: _Timeline) -> list[float]:
    """Sorted times at which the frozen state can change: event days and promise breaks.

    A promise breaks at the first float after due + 2 unless it was kept by then: a keeping up to
    due + 2 makes it kept on time or within the grace, and only a later keeping (an event, hence a
    breakpoint of its own) can turn it into a broken-then-recovered promise.
    """
    points = set(timeline.days)
    first_kept: dict[str, float] = {}
    for kept, day in zip(timeline.kept, timeline.kept_days, strict=True):
        first_kept.setdefault(kept.links, day)
    for promise, made in zip(timeline.promises, timeline.promise_days, strict=True):
        broken_at = float(promise.due) + PROMISE_GRACE_DAYS
        if first_kept.get(promise.id, _INF) > broken_at and made <= broken_at:
            points.add(math.nextafter(broken_at, _INF))
    return sorted(points)


def _validity(breaks: list[float], as_of: float) -> tuple[float, float]:
    """[from, until): the piece between two breakpoints that contains `as_of`."""
    i = bisect_right(breaks, as_of)
    return (breaks[i - 1] if i else -_INF), (breaks[i] if i < len(breaks) else _INF)


def _first_shifted(bound: float) -> float:
    """The least float x with x - 30 >= bound (float subtraction is monotone, so this is exact)."""
    if math.isinf(bound):
        return bound
    x = bound + TREND_DAYS
    while x - TREND_DAYS < bound:
        x = math.nextafter(x, _INF)
    while math.nextafter(x, -_INF) - TREND_DAYS >= bound:
        x = math.nextafter(x, -_INF)
    return x


def summarize(events: Sequence[Event], as_of: float) -> Summary:
    """Freeze `events` at `as_of` for quick_score() (see Summary for the design)."""
    as_of = float(as_of)
    timeline = _prepare(events)
    breaks = _breakpoints(timeline)
    past_as_of = as_of - TREND_DAYS
    now_from, now_until = _validity(breaks, as_of)
    past_from, past_until = _validity(breaks, past_as_of)
    now = _state(_analyse(timeline, as_of), now_from, subjects=False)
    past = _state(_analyse(timeline, past_as_of), past_from, subjects=False)
    valid_from = max(now_from, _first_shifted(past_from))
    valid_until = min(now_until, _first_shifted(past_until))
    return Summary(as_of, valid_from, valid_until, now, past)


def quick_score(summary: Summary, as_of: float) -> QuickScore | None:
    """The badge from a Summary, equal to evaluate(); None when `as_of` is outside its validity."""
    as_of = float(as_of)
    if not summary.valid_from <= as_of < summary.valid_until:
        return None
    value = summary.now.score(as_of)[0]
    trend30 = value - summary.past.score(as_of - TREND_DAYS)[0]
    return QuickScore(value, band_of(value), summary.now.flags(as_of), trend30, trend_of(trend30))


def _time_edges(state: ReservoirState) -> list[float]:
    """Days at which time alone changes something `state.score()` or `state.flags()` looks at.

    Overdue starts when T passes a due; an open failure's cap holds for ages 2..60 days; the
    track-record caps look back 90 and 180 days; `new` ends 30 days after the first encounter and
    `stale` starts 60 days after the last. Every age edge is _age_edge() of the very comparison the
    rule makes (_aged), so it is the first T at which that comparison gives the other answer.
    """
    edges = [math.nextafter(due, _INF) for due, _ in state.open_dues]
    for day, _, _, _ in state.failures:
        edges += [_age_edge(day, OPEN_FAILURE_MIN_AGE), _age_edge(day, OPEN_FAILURE_MAX_AGE, strictly=True),
                  _age_edge(day, TWO_FAILURES_WINDOW, strictly=True),
                  _age_edge(day, REPEAT_FAILURES_WINDOW, strictly=True)]
    if state.encounters:
        edges += [_age_edge(state.first_encounter, NEW_DAYS), _age_edge(state.last_encounter, STALE_DAYS)]
    return edges


# A cached badge is trusted for a little less than the exact bound, so float rounding in the decay
# can never make it differ from a full recompute.
_DRIFT_SAFETY = 0.98


def _drift_bound(state: ReservoirState, as_of: float) -> float:
    """Days from `as_of` during which decay alone cannot change the rounded score of `state`.

    Between time edges only P and N move. s = clamp(50 + P - N - 12k) and the final value
    min(s, caps) change no faster than |dP/dt| + |dN/dt|, and those rates only fall as time passes
    (both terms are exponential decays), so the rate at `as_of` bounds the whole way. The rounded
    score changes only when the final value crosses some n + 0.5, or when s falls to the lowest cap.
    """
    score, clamped, caps = state.score(as_of)
    goodwill, ill_will = state.reservoir(as_of)
    rate = goodwill * math.log(2) / GOODWILL_HALF_LIFE + ill_will * math.log(2) / ILL_WILL_HALF_LIFE
    if rate <= 0:
        return _INF
    ceiling = min((c.value for c in caps), default=_INF)
    if clamped >= ceiling:
        distance = clamped - ceiling  # the cap holds the score until s falls to it
    else:
        distance = min(clamped - (score - 0.5), (score + 0.5) - clamped)
    return max(0.0, distance) * _DRIFT_SAFETY / rate


def stable_until(summary: Summary, as_of: float) -> float:
    """The first day from which quick_score(summary, T) may differ from its value at `as_of`.

    For any T in [as_of, stable_until) the badge (score, band, flags, trend30, trend) is the same as
    at `as_of`, so a cache may keep the badge itself, not only the Summary, until then. Conservative:
    it may end earlier than the true change, never later.
    """
    as_of = float(as_of)
    past = as_of - TREND_DAYS
    until = summary.valid_until
    for edge in _time_edges(summary.now):
        if edge > as_of:
            until = min(until, edge)
    for edge in _time_edges(summary.past):
        if edge > past:
            until = min(until, _first_shifted(edge))
    until = min(until, as_of + _drift_bound(summary.now, as_of), as_of + _drift_bound(summary.past, past))
    return max(until, as_of)


# --------------------------------------------------------------------------------------------------
# The JSON case format of SPEC.md
# --------------------------------------------------------------------------------------------------

def case_events(case: dict[str, Any]) -> list[Event]:
    """The events of a JSON case; each event's `ref` is its index in case["events"]."""
    events: list[Event] = []
    for index, e in enumerate(case["events"]):
        kind = e["kind"]
        if kind == "interaction":
            events.append(Interaction(e["day"], int(e["valence"]), e.get("encounter"), e.get("label", ""),
                                      index))
        elif kind == "promise":
            events.append(Promise(e["id"], e["day"], e["due"], e.get("label", ""), index))
        elif kind == "promise_kept":
            events.append(PromiseKept(e["links"], e["day"], bool(e.get("apology", False)), index))
        elif kind == "recovery":
            events.append(Recovery(e["links"], e["day"], bool(e.get("apology", False)), index))
        else:
            raise ValueError(f"unknown event kind {kind!r} in case {case.get('case')!r}")
    return events


def score_case(case: dict[str, Any]) -> dict[str, Any]:
    """Score one JSON case: {"score", "band", "flags", "trend30", "trend", "reasons" (sentences)}."""
    result = evaluate(case_events(case), case["as_of_day"])
    return {"score": result.value, "band": result.band, "flags": list(result.flags),
            "trend30": result.trend30, "trend": result.trend,
            "reasons": [reason.sentence for reason in result.reasons]}
