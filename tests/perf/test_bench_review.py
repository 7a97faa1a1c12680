"""The review on the big office: its figures against the raw SQL reading the same rows, band moves against
bringing every client's stored score up to date, and the 12-week trend against one week's review."""
from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest

from models import store
from models import tables as t
from models.generate import BigOffice
from models.store import reviews
from tests.perf.bench import report

pytestmark = pytest.mark.perf


def _ms(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def test_the_review_of_30_days_costs_at_most_3x_the_raw_sql_of_its_rows(opened: BigOffice) -> None:
    now = store.utcnow()
    since, until = now - timedelta(days=30), now
    s, u, n = t.to_micros(since), t.to_micros(until), t.to_micros(now)
    db = t.database.obj
    statements = [q.sql() for q in reviews.touch_queries(s, u, n) + reviews.promise_queries(s, u, n)]

    def raw() -> int:
        return sum(len(db.execute_sql(sql, params).fetchall()) for sql, params in statements)

    def figures() -> store.Review:
        return store.review(since, until, now=now, clients=False)

    rows = raw()
    result = figures()
    review_ms, raw_ms = [], []
    for _ in range(5):  # interleaved, so that the machine's noise hits both alike
        review_ms.append(_ms(figures, 1))
        raw_ms.append(_ms(raw, 1))
    mine, base = statistics.median(review_ms), statistics.median(raw_ms)
    ratio = mine / base
    report(f"review of 30 days (figures, attention; no band moves): {mine:.0f} ms vs the raw SQL of its "
           f"{rows:,} rows {base:.0f} ms = {ratio:.2f}x (budget 3x); {result.office.interactions:,} interactions, "
           f"{result.office.failures:,} failures, {result.office.promises_due:,} promises due")
    assert result.office.interactions > 10_000
    assert ratio <= 3.0


def test_band_moves_cost_no_more_than_refreshing_every_stored_score(opened: BigOffice) -> None:
    now = store.utcnow()
    since, until = now - timedelta(days=30), now
    job = store.review_job(since, until, now=now)
    started = time.perf_counter()
    next(job)
    figures_s = time.perf_counter() - started
    started = time.perf_counter()
    steps = 0
    for _done, _total, result in job:
        steps += 1
    moves_s = time.perf_counter() - started
    assert result is not None and result.band_moves is not None
    started = time.perf_counter()  # then a click on "Red at the end" and on "moved into Red"
    red = store.review_clients(since, until, now=now, end="Red")
    into = store.review_events("into_red", ("office", None), since, until, now=now)
    click_s = time.perf_counter() - started

    with t.database.obj.atomic():
        t.ScoreCache.delete().execute()
    started, refreshed = time.perf_counter(), 0
    while True:
        changes = store.refresh_scores(limit=500)
        if not changes.clients:
            break
        refreshed += len(changes.clients)
    refresh_s = time.perf_counter() - started
    ratio = moves_s / refresh_s
    moved = result.band_moves
    report(f"band moves of {sum(moved.at_until.values()):,} clients (scores at both ends, trend, at risk) in "
           f"{steps} steps: {moves_s:.1f} s vs bringing all {refreshed:,} stored scores up to date {refresh_s:.1f} s "
           f"= {ratio:.2f}x (budget 1x); the figures before them {figures_s:.1f} s; at start {moved.at_since}, "
           f"at end {moved.at_until}, {len(moved.into_red)} into Red, {len(result.at_risk)} at risk")
    assert ratio <= 1.0
    report(f"the clients behind the band figures after the review (Red at the end: {len(red):,}, moved into Red: "
           f"{len(into):,}): {click_s:.2f} s vs scoring every client again {moves_s:.1f} s = "
           f"{click_s / moves_s:.3f}x (budget 0.1x)")
    assert (len(red), len(into)) == (moved.at_until["Red"], len(moved.into_red))
    assert click_s / moves_s <= 0.1


def test_the_12_week_trend_costs_at_most_3x_one_weeks_review(opened: BigOffice) -> None:
    now = store.utcnow()
    bounds = store.trend_bounds(1, now)

    def week() -> store.Review:
        return store.review(bounds[0], bounds[1], now=now, clients=False)

    def trend() -> tuple[store.Figures, ...]:
        return store.review_trend(12, now=now)

    weekly = trend()
    week_ms, trend_ms = [], []
    for _ in range(5):
        week_ms.append(_ms(week, 1))
        trend_ms.append(_ms(trend, 1))
    one, twelve = statistics.median(week_ms), statistics.median(trend_ms)
    ratio = twelve / one
    report(f"12-week trend: {twelve:.0f} ms vs one week's review {one:.0f} ms = {ratio:.2f}x (budget 3x); "
           f"{sum(f.interactions for f in weekly):,} interactions in the 12 weeks")
    assert len(weekly) == 12 and weekly[-1] == week().office
    assert ratio <= 3.0
