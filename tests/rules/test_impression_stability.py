"""stable_until(): a cached badge stays exactly what a full recompute says, until the bound it gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from models.rules import impression as imp

valence = st.integers(-2, 2)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[imp.Event], float]:
    events: list[imp.Event] = []
    day = 0.0
    failures: list[str] = []
    for n in range(draw(st.integers(0, 14))):
        day += draw(st.floats(0.1, 40.0))
        kind = draw(st.sampled_from(["touch", "touch", "touch", "promise", "fix"]))
        if kind == "touch":
            v = draw(valence)
            events.append(imp.Interaction(day, v, encounter=f"e{n}", label=f"touch {n}"))
            if v == -2:
                failures.append(f"e{n}")
        elif kind == "promise":
            due = day + draw(st.floats(0.5, 10.0))
            events.append(imp.Promise(f"p{n}", day, due, label=f"promise {n}"))
            if draw(st.booleans()):
                events.append(imp.PromiseKept(f"p{n}", due + draw(st.floats(-2.0, 6.0)),
                                              apology=draw(st.booleans())))
        elif failures:
            events.append(imp.Recovery(failures[-1], day + draw(st.floats(0.0, 10.0)),
                                       apology=draw(st.booleans())))
    as_of = day + draw(st.floats(0.0, 200.0))
    return events, as_of


@settings(max_examples=150, deadline=None)
@given(histories(), st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6))
def test_the_badge_is_unchanged_and_exact_until_stable_until(history: tuple[list[imp.Event], float],
                                                             fractions: list[float]) -> None:
    events, as_of = history
    summary = imp.summarize(events, as_of)
    until = imp.stable_until(summary, as_of)
    assert until >= as_of
    badge = imp.quick_score(summary, as_of)
    assert badge is not None
    horizon = min(until, as_of + 400.0)
    for f in fractions:
        t = as_of + (horizon - as_of) * f
        if t >= until:
            continue
        full = imp.evaluate(events, t)
        assert (full.value, full.band, full.flags, full.trend30, full.trend) == (
            badge.value, badge.band, badge.flags, badge.trend30, badge.trend), (t, until)


def test_a_quiet_old_client_stays_stable_for_a_long_time() -> None:
    events = [imp.Interaction(0.0, 1, encounter="a", label="call")]
    summary = imp.summarize(events, 2000.0)
    assert imp.stable_until(summary, 2000.0) > 2000.0 + 3650  # more than ten years


def test_an_open_promise_ends_stability_when_it_falls_due() -> None:
    events = [imp.Interaction(0.0, 1, encounter="a", label="call"), imp.Promise("p", 0.0, 5.0, label="call back")]
    summary = imp.summarize(events, 40.0 - 38.0)
    assert imp.stable_until(summary, 2.0) <= 5.0 + 1e-9


def test_decay_ends_stability_before_the_rounded_score_moves() -> None:
    events = [imp.Interaction(0.0, 2, encounter="a", label="visit")] + [
        imp.Interaction(float(d), 2, encounter=f"e{d}", label="visit") for d in range(1, 20)]
    summary = imp.summarize(events, 25.0)
    until = imp.stable_until(summary, 25.0)
    assert 25.0 < until < 25.0 + 60
    assert imp.evaluate(events, until - 1e-6).value == imp.evaluate(events, 25.0).value
