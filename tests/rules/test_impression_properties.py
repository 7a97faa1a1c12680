"""Property tests of the impression score: SPEC.md's invariants, the cache, history().

Where an invariant of SPEC.md is false as literally stated, the property is tested in the narrowest
form that holds, and a strict xfail keeps the counterexample on record (it will flag when the spec or
the rules change):

- Invariant 1 (a later good/bad interaction never lowers/raises the score) fails when a promise breaks
  *after* the new interaction: the new encounter makes the broken promise no longer "early" (at most 3
  encounters before it), which removes its x1.5 and can outweigh a -12. Tested for interactions after
  every event and every promise's break (due + 2).
- Invariant 2 (an earlier recovery scores at least as high as a later one) fails by a hair when both
  earn the recovery bonus: the +4 is placed at the recovery's day, so the earlier bonus has decayed
  longer (fix on the failure's day vs 2 days later: s = 55.46 vs 55.52, scores 55 vs 56), and a
  reservoir near its cap of 45 clips the earlier bonus more. Tested whenever the later fix cannot
  earn the bonus too.
- Invariant 4 (with no new events P and N never grow) fails when a promise breaks as T grows (the
  break is an item, not an event). Tested with T after every break.
"""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.rules.impression import (
    RECOVERY_BONUS_MAX_DAYS,
    Event,
    Interaction,
    Promise,
    PromiseKept,
    QuickScore,
    Recovery,
    Score,
    Summary,
    evaluate,
    history,
    quick_score,
    score_at,
    summarize,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=175, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Days on a coarse grid (halves) so that ties, same-day grouping and exact window edges all happen.
DAYS = st.integers(0, 500).map(lambda x: x / 2)
DELAYS = st.sampled_from([0.0, 0.5, 1.0, 2.0, 2.5, 7.0, 7.5, 30.0, 31.0, 60.0, 90.0])
VALENCES = st.integers(-2, 2)


@st.composite
def encounters(draw: st.DrawFn, index: int) -> list[Interaction]:
    """One encounter: 1-3 touches, with an explicit id or (sometimes) grouped by calendar day."""
    day = draw(DAYS)
    explicit = draw(st.booleans()) or draw(st.booleans())
    eid = f"e{index}" if explicit else None
    gaps = draw(st.lists(st.sampled_from([0.0, 0.1, 0.25]), min_size=0, max_size=2))
    touches = []
    for step, gap in enumerate([0.0, *gaps]):
        day += gap
        touches.append(Interaction(day, draw(VALENCES), eid, f"touch {index}.{step}", (index, step)))
    return touches


@st.composite
def promises(draw: st.DrawFn, index: int) -> list[Event]:
    """A promise kept on time, within the grace, late (after it broke), or never."""
    made = draw(DAYS)
    due = made + draw(st.sampled_from([0.0, 1.0, 3.0, 7.0]))
    pid = f"p{index}"
    events: list[Event] = [Promise(pid, made, due, f"promise {index}", ("p", index))]
    fate = draw(st.sampled_from(["on time", "grace", "late", "never"]))
    if fate == "on time":
        events.append(PromiseKept(pid, made + draw(st.sampled_from([0.0, due - made])), draw(st.booleans())))
    elif fate == "grace":
        events.append(PromiseKept(pid, due + draw(st.sampled_from([0.5, 2.0])), draw(st.booleans())))
    elif fate == "late":
        events.append(PromiseKept(pid, due + 2.0 + draw(DELAYS) + 0.5, draw(st.booleans())))
    if draw(st.booleans()) and fate != "never":
        events.append(Recovery(pid, due + 2.0 + draw(DELAYS), draw(st.booleans())))
    return events


@st.composite
def histories(draw: st.DrawFn, with_promises: bool = True) -> list[Event]:
    """A client's timeline in a shuffled order: encounters, recoveries, promises."""
    events: list[Event] = []
    n = draw(st.integers(0, 7))
    for i in range(n):
        touches = draw(encounters(i))
        events.extend(touches)
        if touches[0].encounter is not None and draw(st.integers(0, 2)) == 0:
            events.append(Recovery(touches[0].encounter, touches[-1].day + draw(DELAYS), draw(st.booleans()),
                                   ("r", i)))
    if with_promises:
        for i in range(draw(st.integers(0, 3))):
            events.extend(draw(promises(i)))
    return draw(st.permutations(events))


def _badge(score: Score | QuickScore | None) -> tuple[object, ...]:
    assert score is not None
    return score.value, score.band, score.flags, score.trend30, score.trend


def _last_time(events: list[Event]) -> float:
    """The first time after every event and every promise's break (a promise breaks when T > due + 2)."""
    times = [float(e.day) for e in events]
    times += [float(e.due) + 2.0 for e in events if isinstance(e, Promise)]
    return math.nextafter(max(times, default=0.0), math.inf)


# --------------------------------------------------------------------------------------------------
# Invariant 5 and the cache
# --------------------------------------------------------------------------------------------------

@THOROUGH
@given(histories(), DAYS)
def test_score_is_an_integer_in_range_and_consistent(events: list[Event], as_of: float) -> None:
    score = evaluate(events, as_of)
    assert isinstance(score.value, int) and 0 <= score.value <= 100
    assert score.value == score_at(events, as_of)
    assert score.trend30 == score.value - score_at(events, as_of - 30)
    assert len(score.reasons) <= 3
    assert 0.0 <= score.raw <= 100.0


@THOROUGH
@given(histories(), DAYS, st.floats(0.0, 1.0), st.floats(0.0, 400.0))
def test_quick_score_equals_a_full_recompute(events: list[Event], t0: float, where: float,
                                             beyond: float) -> None:
    summary = summarize(events, t0)
    assert summary.valid_from <= t0 < summary.valid_until
    end = summary.valid_until if math.isfinite(summary.valid_until) else t0 + beyond
    start = summary.valid_from if math.isfinite(summary.valid_from) else t0 - beyond
    for t in {t0, start, t0 + where * (end - t0), start + where * (t0 - start),
              math.nextafter(summary.valid_until, -math.inf)}:
        if not summary.valid_from <= t < summary.valid_until:
            continue
        quick = quick_score(summary, t)
        assert quick is not None
        assert _badge(quick) == _badge(evaluate(events, t)), t


@FAST
@given(histories(), DAYS)
def test_quick_score_refuses_outside_its_validity(events: list[Event], t0: float) -> None:
    summary = summarize(events, t0)
    if math.isfinite(summary.valid_until):
        assert quick_score(summary, summary.valid_until) is None
    if math.isfinite(summary.valid_from):
        assert quick_score(summary, math.nextafter(summary.valid_from, -math.inf)) is None


@FAST
@given(histories(), DAYS)
def test_summary_json_round_trip(events: list[Event], t0: float) -> None:
    summary = summarize(events, t0)
    text = summary.to_json()
    again = Summary.from_json(text)
    assert again == summary
    assert again.to_json() == text


@FAST
@given(histories(), DAYS)
def test_history_is_27_weekly_points_each_a_full_recompute(events: list[Event], as_of: float) -> None:
    points = history(events, as_of)
    assert len(points) == 27
    assert points[-1] == (as_of, score_at(events, as_of))
    assert [day for day, _ in points] == [as_of - 7.0 * k for k in range(26, -1, -1)]
    assert all(score == score_at(events, day) for day, score in points)


def test_a_quiet_client_stays_valid_until_something_happens() -> None:
    events = [Interaction(0, 2, "a"), Interaction(10, -2, "b"), Recovery("b", 11, True)]
    summary = summarize(events, 400)
    assert summary.valid_until == math.inf  # the flags and caps move with T, but quick_score recomputes them
    for t in (400, 401.5, 460, 1000, 5000):
        assert _badge(quick_score(summary, t)) == _badge(evaluate(events, t))


def test_validity_ends_at_the_next_event_and_when_a_promise_breaks() -> None:
    events = [Interaction(0, 2, "a"), Promise("p", 1, 5), Interaction(50, 1, "b")]
    assert summarize(events, 3).valid_until == math.nextafter(7.0, math.inf)  # breaks when T > due + 2
    assert summarize(events, 8).valid_until == 30.0  # the break enters the trend's window (T - 30 > 7)
    assert summarize(events, 38).valid_until == 50.0  # the next event


# --------------------------------------------------------------------------------------------------
# Invariant 1: a later interaction moves the score in its direction
# --------------------------------------------------------------------------------------------------

@THOROUGH
@given(histories(), st.integers(1, 2), st.sampled_from([0.0, 0.5, 3.0, 40.0]),
       st.sampled_from([0.0, 1.0, 90.0]))
def test_a_later_interaction_moves_the_score_its_way(events: list[Event], size: int, after: float,
                                                     wait: float) -> None:
    assume(any(isinstance(e, Interaction) for e in events))
    day = _last_time(events) + after
    as_of = day + wait
    before = score_at(events, as_of)
    assert score_at([*events, Interaction(day, size, "new good")], as_of) >= before
    assert score_at([*events, Interaction(day, -size, "new bad")], as_of) <= before


@pytest.mark.xfail(strict=True, reason="SPEC.md invariant 1 as stated: a promise breaking after the new "
                                       "interaction stops being early (see module docstring)")
def test_invariant_1_as_literally_stated() -> None:
    events = [Interaction(0, 1, "a"), Interaction(1, 1, "b"), Interaction(2, 1, "c"), Promise("p", 3, 4)]
    # The new interaction (day 5) is after every event (the last is the promise, made on day 3) ...
    assert score_at([*events, Interaction(5, -1, "n")], 10) <= score_at(events, 10)


# --------------------------------------------------------------------------------------------------
# Invariant 2: an apology and a faster fix never hurt
# --------------------------------------------------------------------------------------------------

def _with_failure(events: list[Event], day: float) -> list[Event]:
    return [*events, Interaction(day, -2, "F", "the failure", "F")]


@THOROUGH
@given(histories(), DAYS, DELAYS, st.sampled_from([0.0, 1.0, 10.0, 100.0]))
def test_an_apology_never_lowers_the_score(events: list[Event], day: float, delay: float,
                                           wait: float) -> None:
    failed = _with_failure(events, day)
    as_of = day + delay + wait
    with_apology = score_at([*failed, Recovery("F", day + delay, True)], as_of)
    assert with_apology >= score_at([*failed, Recovery("F", day + delay, False)], as_of)


@THOROUGH
@given(histories(), DAYS, DELAYS, DELAYS, st.sampled_from([0.0, 1.0, 10.0, 100.0]), st.booleans())
def test_an_earlier_fix_never_lowers_the_score(events: list[Event], day: float, d1: float, d2: float,
                                               wait: float, apology: bool) -> None:
    early, late = sorted((d1, d2))
    failed = _with_failure(events, day)
    as_of = day + late + wait
    assume(not (apology and late <= RECOVERY_BONUS_MAX_DAYS))  # both earn the bonus: see the xfail below
    sooner = score_at([*failed, Recovery("F", day + early, apology)], as_of)
    assert sooner >= score_at([*failed, Recovery("F", day + late, apology)], as_of)


@pytest.mark.xfail(strict=True, reason="SPEC.md invariant 2 as stated: an earlier bonus decays longer")
def test_invariant_2_as_literally_stated() -> None:
    failed = _with_failure([Interaction(0, 1, "a")], 100)
    same_day = score_at([*failed, Recovery("F", 100, True)], 109)    # s = 55.46 -> 55
    two_days = score_at([*failed, Recovery("F", 102, True)], 109)    # s = 55.52 -> 56
    assert same_day >= two_days


# --------------------------------------------------------------------------------------------------
# Invariant 3: ending on the best moment beats ending on the worst
# --------------------------------------------------------------------------------------------------

@THOROUGH
@given(histories(), DAYS, st.lists(VALENCES, min_size=2, max_size=4), st.sampled_from([0.0, 5.0, 60.0]))
def test_ending_well_beats_ending_badly(events: list[Event], day: float, valences: list[int],
                                        wait: float) -> None:
    def encounter(order: list[int]) -> list[Event]:
        return [Interaction(day + 0.01 * i, v, "X", "the encounter") for i, v in enumerate(order)]

    as_of = day + 0.1 + wait
    best_last = score_at([*events, *encounter(sorted(valences))], as_of)
    worst_last = score_at([*events, *encounter(sorted(valences, reverse=True))], as_of)
    assert best_last >= worst_last


# --------------------------------------------------------------------------------------------------
# Invariant 4: with nothing new, the reservoir only drains; after 10 years the score is neutral
# --------------------------------------------------------------------------------------------------

@THOROUGH
@given(histories(), st.sampled_from([0.0, 0.5, 10.0]), st.floats(0.0, 2000.0))
def test_the_reservoir_only_drains_without_new_events(events: list[Event], after: float, more: float) -> None:
    t1 = _last_time(events) + after
    t2 = t1 + more
    p1, n1 = summarize(events, t1).now.reservoir(t1)
    p2, n2 = summarize(events, t2).now.reservoir(t2)
    assert p2 <= p1
    assert n2 <= n1 or abs(n2) <= 1e-12  # a fully forgiven failure leaves float dust of either sign


@THOROUGH
@given(histories(with_promises=False))
def test_ten_years_later_the_score_is_neutral(events: list[Event]) -> None:
    as_of = max((float(e.day) for e in events), default=0.0) + 3650
    assert abs(score_at(events, as_of) - 50) <= 1
