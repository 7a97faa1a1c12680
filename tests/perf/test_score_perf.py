"""Benchmark of the impression score: one long-standing client with 5,000 events, full and cached."""
from __future__ import annotations

import random
import statistics
import time

import pytest

from models.rules.impression import (
    Event,
    Interaction,
    Promise,
    PromiseKept,
    Recovery,
    evaluate,
    history,
    quick_score,
    summarize,
)

EVENTS = 5_000
EVALUATE_BUDGET_MS = 50.0
MIN_SPEEDUP = 50.0
RUNS = 9
QUICK_CALLS = 2_000


def busy_client(n_events: int = EVENTS, seed: int = 7) -> list[Event]:
    """About two touches a working day over years, with failures, fixes and promises (some broken)."""
    rng = random.Random(seed)
    events: list[Event] = []
    day = 0.0
    encounter = 0
    while len(events) < n_events:
        day += rng.choice((0.0, 0.5, 1.0, 1.0, 1.0, 3.0))
        encounter += 1
        eid = f"e{encounter}"
        touches = rng.choice((1, 1, 2, 3))
        valences = rng.choices((-2, -1, 0, 1, 2), weights=(0.4, 1.2, 38.4, 40, 20), k=touches)
        for i, valence in enumerate(valences):
            events.append(Interaction(day + 0.01 * i, valence, eid, f"touch {encounter}", len(events)))
        if valences[-1] == -2 and rng.random() < 0.7:
            events.append(Recovery(eid, day + rng.choice((0.1, 1.0, 5.0, 20.0)), rng.random() < 0.6,
                                   len(events)))
        if rng.random() < 0.05:
            pid = f"p{encounter}"
            due = day + rng.choice((1.0, 3.0, 7.0))
            events.append(Promise(pid, day, due, f"promise {encounter}", len(events)))
            kept_after = rng.choice((0.0, 0.5, 0.5, 1.0, 1.0, 2.5, 6.0, None))
            if kept_after is not None:
                events.append(PromiseKept(pid, due - 1.0 + kept_after, rng.random() < 0.5, len(events)))
    return events[:n_events]


def _median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


@pytest.mark.perf
def test_score_of_a_busy_client_is_fast_and_the_cache_much_faster() -> None:
    events = busy_client()
    as_of = max(float(e.day) for e in events) + 0.25
    full = evaluate(events, as_of)

    evaluate_ms = _median_ms(lambda: evaluate(events, as_of))
    summarize_ms = _median_ms(lambda: summarize(events, as_of))
    summary = summarize(events, as_of)
    assert summary.valid_from <= as_of < summary.valid_until
    quick = quick_score(summary, as_of)
    assert quick is not None
    assert (quick.value, quick.band, quick.flags, quick.trend30, quick.trend) == (
        full.value, full.band, full.flags, full.trend30, full.trend)

    def many_quick() -> None:
        for _ in range(QUICK_CALLS):
            quick_score(summary, as_of)

    quick_ms = _median_ms(many_quick) / QUICK_CALLS
    history_ms = _median_ms(lambda: history(events, as_of), runs=3)
    ratio = evaluate_ms / quick_ms
    print(f"\nscore {len(events):,} events: evaluate {evaluate_ms:.1f} ms "
          f"(budget {EVALUATE_BUDGET_MS:.0f} ms); "
          f"quick_score {quick_ms:.4f} ms (ratio 1/{ratio:,.0f}); summarize {summarize_ms:.1f} ms; "
          f"history (27 points) {history_ms:.1f} ms")
    assert evaluate_ms <= EVALUATE_BUDGET_MS
    assert ratio >= MIN_SPEEDUP
