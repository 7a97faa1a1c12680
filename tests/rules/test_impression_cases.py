"""The worked cases of impression/SPEC.md (tests/data/cases.json), and the score's curves one by one.

Ambiguities between SPEC.md and cases.json, and how models/rules/impression.py resolves them:

- No case contradicts SPEC.md: all 22 reproduce score, band, flags, trend30, trend and the referents of
  their reasons with a literal reading of the rules (v1).
- Days in the cases' reasons ("28 days open", "due day 103"): "days open" is T minus the failure's day,
  and a broken promise's day is due + 2 (G8e: 25 days open at T = 130 for due 103), as "Precise
  points" says. Our sentences say "due N days ago" rather than "due day 103": wording is free, and a
  receptionist has no use for day numbers (the UI shows the date from Reason.day / Reason.ref).
- The cases' `recovery` and `promise_kept` events carry "valence": 0; unknown fields are ignored.
- Where the cases are silent the module picks, and its docstrings say so: same-day encounters keep
  the order of their last interactions; encounters grouped by calendar day (no id) cannot be linked
  by a recovery; an explicit recovery dated before a promise broke does not count and the late
  keeping (if any) recovers it instead; the track-record caps refer to the latest failure that
  triggers them; the non-binding cap goes to slot 3 even when 3 caps bind.
- Invariants of SPEC.md that do not hold as literally stated are in test_impression_properties.py.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from models.rules.impression import (
    AMBER_FROM,
    GREEN_FROM,
    Interaction,
    Promise,
    PromiseKept,
    Reason,
    Recovery,
    band_of,
    case_events,
    day_of,
    encounter_value,
    evaluate,
    forgiven_fraction,
    goodwill_decay,
    ill_will_decay,
    points_of,
    recovery_speed,
    repeat_weight,
    round_half_up,
    score_at,
    score_case,
    trend_of,
)

CASES = json.loads((Path(__file__).resolve().parent.parent / "data" / "cases.json").read_text("utf-8"))
BADGE = ("score", "band", "flags", "trend30", "trend")


# --------------------------------------------------------------------------------------------------
# A matcher: what an expected reason string refers to
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    """What an expected reason names: its kind, the event's label, and the numbers it states."""

    kind: str
    label: str | None = None          # None: the string names no event label
    points: int | None = None         # the trailing "(+7)" / "(-32)"
    cap: int | None = None            # "capped at 49"
    days_open: int | None = None
    event_kind: str | None = None     # the JSON kind of the event Reason.ref must point to
    annotations: tuple[str, ...] = ()  # "[early impression x1.5]", "38% forgiven": facts of the item


_POINTS = re.compile(r" \(([+-]\d+)\)$")
_PATTERNS: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(r"^Unresolved: Broken promise '(?P<label>.*)' \(due day [\d.]+\) "
                r"\((?P<days>\d+) days open\)"), "cap_open_failure", "promise"),
    (re.compile(r"^Unresolved: (?P<label>.*) \((?P<days>\d+) days open\)"),
     "cap_open_failure", "interaction"),
    (re.compile(r"^Overdue promise '(?P<label>.*)' \(due day"), "cap_overdue_promise", "promise"),
    (re.compile(r"^Track record: \d+ failures in 180 days.*capped in Red"), "cap_repeat_failures", None),
    (re.compile(r"^Track record: \d+ failures in 90 days - capped at (?P<cap>\d+)"),
     "cap_two_failures", None),
    (re.compile(r"^Broken promise '(?P<label>.*)' \(due day [\d.]+\)"), "broken_promise", "promise"),
    (re.compile(r"^Encounter '(?P<label>.*)'(?: \(peak [^)]*\))? \([+-]\d+\)$"), "encounter", "interaction"),
    (re.compile(r"^Quick fix \+ apology"), "recovery_bonus", "recovery"),
    (re.compile(r"^Promise kept on time '(?P<label>.*)'"), "kept_bonus", "promise_kept"),
    (re.compile(r"^(?P<label>.+?)(?: \[[^\]]*\])*(?: - recovered after .*)? \([+-]\d+\)$"), "failure",
     "interaction"),
]


def parse_expected(text: str) -> Expected:
    """Read an expected reason string of cases.json into what it refers to."""
    for pattern, kind, event_kind in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        points = _POINTS.search(text)
        annotations = tuple(re.findall(r"\[[^\]]*\]", text)) + tuple(re.findall(r"\d+% forgiven", text))
        return Expected(kind, groups.get("label"), int(points.group(1)) if points else None,
                        int(groups["cap"]) if groups.get("cap") else None,
                        int(groups["days"]) if groups.get("days") else None, event_kind, annotations)
    raise AssertionError(f"the matcher does not understand the expected reason {text!r}")


def assert_refers_to_same(reason: Reason, expected: Expected, case: dict, text: str) -> None:
    """The structured reason names the same kind of thing, the same event, and the same numbers."""
    where = f"expected {text!r}, got {reason}"
    assert reason.kind == expected.kind, where
    if expected.label is not None:
        assert reason.label == expected.label, where
    if expected.event_kind is not None:
        event = case["events"][reason.ref]  # case_events() makes ref the index in case["events"]
        assert event["kind"] == expected.event_kind, where
        if expected.label is not None and expected.event_kind in ("interaction", "promise"):
            assert event.get("label", "") == expected.label, where
    if expected.points is not None:
        assert round(reason.points) == expected.points, where
    if expected.cap is not None:
        assert reason.points == expected.cap, where
    if expected.days_open is not None:
        assert round_half_up(case["as_of_day"] - reason.day) == expected.days_open, where
    for annotation in expected.annotations:  # our wording states the same weights and forgiveness
        assert annotation in reason.sentence, where


# --------------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_case_badge(case: dict) -> None:
    result = score_case(case)
    assert {k: result[k] for k in BADGE} == {k: case["expected"][k] for k in BADGE}


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_case_reasons_refer_to_the_same_events_in_the_same_order(case: dict) -> None:
    score = evaluate(case_events(case), case["as_of_day"])
    expected = case["expected"]["reasons"]
    assert len(score.reasons) == len(expected), [r.sentence for r in score.reasons]
    for reason, text in zip(score.reasons, expected, strict=True):
        assert_refers_to_same(reason, parse_expected(text), case, text)
    assert score_case(case)["reasons"] == [r.sentence for r in score.reasons]


def test_matcher_tells_referents_apart() -> None:
    """The matcher itself: a wrong kind, label or number fails."""
    case = next(c for c in CASES if c["case"].startswith("G4a"))
    score = evaluate(case_events(case), case["as_of_day"])
    first, second = score.reasons[0], score.reasons[1]
    expected = parse_expected(case["expected"]["reasons"][0])
    assert expected == Expected("failure", "first meeting went badly", -32, None, None, "interaction",
                                ("[early impression x1.5]",))
    with pytest.raises(AssertionError):
        assert_refers_to_same(second, expected, case, "")
    with pytest.raises(AssertionError):
        assert_refers_to_same(first, Expected("failure", "first meeting went badly", -31), case, "")
    assert parse_expected("Unresolved: Broken promise 'x' (due day 3) (5 days open) - cannot be Green") == \
        Expected("cap_open_failure", "x", None, None, 5, "promise")


def test_every_case_reason_is_understood() -> None:
    kinds = {parse_expected(text).kind for case in CASES for text in case["expected"]["reasons"]}
    assert kinds >= {"cap_open_failure", "cap_overdue_promise", "cap_repeat_failures", "cap_two_failures",
                     "broken_promise", "encounter", "recovery_bonus", "failure"}


# --------------------------------------------------------------------------------------------------
# The curves and constants, directly
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("valence", "points"), [(2, 8), (1, 4), (0, 0), (-1, -12), (-2, -24)])
def test_points_table(valence: int, points: float) -> None:
    assert points_of(valence) == points


@pytest.mark.parametrize(("points", "value"), [
    ([8.0], 8.0),                 # one touch is itself
    ([-24.0], -24.0),
    ([-24.0, 4.0, 8.0], -8.0),    # peak -24 (|min| >= |max|), end +8
    ([8.0, 4.0, -24.0], -24.0),   # ending on the worst moment
    ([8.0, -12.0, 4.0], -4.0),    # |-12| >= |8|: the peak is the bad moment
    ([8.0, -4.0], 2.0),           # |8| > |-4|: the peak is the good moment, end -4
    ([-12.0, 12.0], 0.0),         # a tie of sizes goes to the bad moment: ½(-12) + ½(12)
])
def test_peak_end(points: list[float], value: float) -> None:
    assert encounter_value(points) == value


def test_decay_half_lives() -> None:
    assert goodwill_decay(0) == 1.0
    assert goodwill_decay(90) == 0.5
    assert ill_will_decay(180) == 0.5
    assert ill_will_decay(360) == 0.25


@pytest.mark.parametrize(("repeat", "weight"), [(1, 1.0), (2, 1.5), (3, 2.0), (7, 2.0)])
def test_repeat_weight(repeat: int, weight: float) -> None:
    assert repeat_weight(repeat) == weight


@pytest.mark.parametrize(("days", "speed"), [(0, 1.0), (2, 1.0), (2.01, 0.75), (7, 0.75), (8, 0.5),
                                             (30, 0.5), (30.5, 0.25), (400, 0.25)])
def test_recovery_speed(days: float, speed: float) -> None:
    assert recovery_speed(days) == speed


@pytest.mark.parametrize(("days", "apology", "repeat", "promise", "rho"), [
    (1, True, 1, False, 1.0),
    (12, False, 1, False, 0.375),   # G6: 0.5 x 0.75
    (1, True, 2, False, 0.5),       # G7b: a second failure is forgiven half
    (1, True, 3, False, 0.25),
    (40, False, 3, False, 0.25 * 0.75 * 0.25),
    (1, True, 1, True, 0.5),        # a broken promise: at most half
    (5, False, 1, True, 0.5625),    # 0.75 x 0.75 = 0.5625, held to 0.5 for a promise
])
def test_forgiven_fraction(days: float, apology: bool, repeat: int, promise: bool, rho: float) -> None:
    assert forgiven_fraction(days, apology, repeat, promise) == min(rho, 0.5 if promise else 1.0)


def test_bands_and_trend() -> None:
    assert [band_of(s) for s in (0, AMBER_FROM - 1, AMBER_FROM, GREEN_FROM - 1, GREEN_FROM, 100)] == [
        "Red", "Red", "Amber", "Amber", "Green", "Green"]
    assert [trend_of(d) for d in (-5, -4, 0, 4, 5)] == ["down", "flat", "flat", "flat", "up"]


def test_round_half_up() -> None:
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 64.49, -0.5)] == [1, 2, 3, 64, 0]


def test_day_of() -> None:
    assert day_of(datetime(1970, 1, 2, tzinfo=UTC)) == 1.0
    assert day_of(datetime(1970, 1, 2, 1, tzinfo=timezone(timedelta(hours=1)))) == 1.0
    with pytest.raises(ValueError):
        day_of(datetime(1970, 1, 2))


# --------------------------------------------------------------------------------------------------
# Rules in small examples
# --------------------------------------------------------------------------------------------------

def test_early_and_repeat_weights_show_in_the_points() -> None:
    early = evaluate([Interaction(0, -2, "a", "bad start")], 0)
    assert early.reasons[0].kind == "failure" and early.reasons[0].points == -36.0  # -24 x 1.5
    goods = [Interaction(d, 1, f"g{d}") for d in range(0, 40, 10)]
    third = goods + [Interaction(100, -2, "f1"), Interaction(110, -2, "f2"), Interaction(120, -2, "f3", "x")]
    failure = next(r for r in evaluate(third, 120).reasons if r.label == "x")
    assert failure.points == -48.0  # third failure in 180 days: x2


def test_promise_kept_late_within_grace_is_neutral() -> None:
    base = [Interaction(0, 1, "a"), Promise("p", 1, 5, "call back")]
    kept_late = base + [PromiseKept("p", 6)]
    assert score_at(kept_late, 20) == score_at([Interaction(0, 1, "a")], 20)
    on_time = evaluate(base + [PromiseKept("p", 4, ref="k")], 4)
    assert [(r.kind, r.ref, r.label) for r in on_time.reasons] == [("kept_bonus", "k", "call back"),
                                                                   ("encounter", None, "")]


def test_broken_promise_recovered_by_a_late_keeping_forgives_at_most_half() -> None:
    events = [Interaction(0, 1, "a"), Interaction(1, 1, "b"), Interaction(2, 1, "c"), Interaction(3, 1, "d"),
              Promise("p", 3, 5, "call back", ref="P"), PromiseKept("p", 8, apology=True)]
    reason = next(r for r in evaluate(events, 10).reasons if r.kind == "broken_promise")
    assert reason.ref == "P" and reason.day == 7.0
    assert math.isclose(reason.points, -30 * ill_will_decay(3) * 0.5)


def test_recovery_before_the_failure_does_not_count() -> None:
    events = [Interaction(0, 1, "a"), Recovery("f", 5, True), Interaction(10, -2, "f", "oops")]
    reasons = evaluate(events, 20).reasons
    assert [r.kind for r in reasons] == ["failure", "encounter", "cap_open_failure"]
    assert "put right" not in reasons[0].sentence


def test_overdue_promise_costs_twelve_and_caps_at_64() -> None:
    goods = [Interaction(d, 2, f"g{d}") for d in range(0, 60, 6)]
    events = goods + [Promise("p", 60, 61, "send the quote", ref="P")]
    before, after = evaluate(events, 61), evaluate(events, 62)
    assert before.raw - after.raw == pytest.approx(12, abs=0.5)
    assert after.value <= 64 and after.reasons[0].kind == "cap_overdue_promise"
    assert after.reasons[0].ref == "P" and after.reasons[0].points == 64
