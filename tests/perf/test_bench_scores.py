"""Impression-score budgets on the big office: the list with live scores against the raw SELECT behind it."""
from __future__ import annotations

import random
import time

import peewee as pw
import pytest

from models import store
from models import tables as t
from models.generate import BigOffice
from models.rules import impression as imp
from models.store import _base as b
from models.store.clients import client_rows_query
from models.store.scores import day_of_us, events_for
from tests.perf.bench import interleaved_medians, report

pytestmark = pytest.mark.perf


def warm_scores() -> tuple[int, float]:
    """Refresh every stale badge; returns (how many, seconds)."""
    started, total = time.perf_counter(), 0
    while True:
        changes = store.refresh_scores(limit=500)
        if not changes.clients:
            return total, time.perf_counter() - started
        total += len(changes.clients)


def test_the_client_list_with_live_scores_costs_at_most_3x_the_raw_select(opened: BigOffice) -> None:
    refreshed, seconds = warm_scores()
    if refreshed:
        report(f"score cache filled for {refreshed:,} clients in {seconds:.1f} s "
               f"({seconds / refreshed * 1000:.2f} ms per client, in the background at a desk)")
    rows = store.list_clients()
    assert len(rows) == opened.clients and all(r.score is not None for r in rows)
    sql, params = client_rows_query().sql()
    db = t.database.obj
    list_ms, raw_ms = interleaved_medians(lambda: store.list_clients(), lambda: db.execute_sql(sql, params).fetchall(),
                                          runs=21)
    ratio = list_ms / raw_ms
    report(f"client list with live scores, {opened.clients:,} clients: {list_ms:.1f} ms vs the raw SELECT of the "
           f"same rows {raw_ms:.1f} ms = {ratio:.2f}x (budget 3x)")
    assert ratio <= 3.0


def test_the_cached_badges_of_the_big_office_equal_a_full_recompute(opened: BigOffice) -> None:
    warm_scores()
    rows = {r.id: r for r in store.list_clients()}
    now = day_of_us(t.to_micros(store.utcnow()))
    for cid in random.Random(5).sample(sorted(rows), 40) + [opened.quiet_client]:
        full = imp.evaluate(events_for(cid), now)
        row = rows[cid]
        assert (row.score, row.band, row.trend, row.flags) == (full.value, full.band, full.trend, tuple(full.flags))


def test_scoring_one_busy_client_through_the_store(opened: BigOffice) -> None:
    """The 50,000-entry client: reading its events and scoring them, as the client header does."""
    started = time.perf_counter()
    score = store.client_score(opened.busy_client)
    ms = (time.perf_counter() - started) * 1000
    events = len(events_for(opened.busy_client))
    report(f"client_score for one client with {events:,} score events: {ms:.0f} ms (the header loads it on the "
           "database thread)")
    assert 0 <= score.badge.score <= 100


def _stale_by_a_pass_over_every_client() -> int:
    """stale_scores() as it was before schema step 9: every live client joined to its badge, each one read."""
    def work() -> int:
        now_us = t.to_micros(store.utcnow())
        c, s = t.Client, t.ScoreCache
        return (c.select().join(s, pw.JOIN.LEFT_OUTER, on=(s.client == c.id))
                .where(c.deleted_at.is_null() & (s.client.is_null() | (s.stable_until <= now_us))).count())
    return b.read(work)


def test_stale_scores_answers_from_the_index_not_from_a_pass_over_every_client(opened: BigOffice) -> None:
    """Schema step 9 (issue 10): how many badges are stale is a range of the score cache's `stable_until` index
    plus whole-table counts; before, it was a pass over every client (and its badge) on each refresh."""
    warm_scores()
    assert store.stale_scores() == _stale_by_a_pass_over_every_client()
    new_ms, pass_ms = interleaved_medians(store.stale_scores, _stale_by_a_pass_over_every_client, runs=41)
    report(f"stale_scores, {opened.clients:,} clients with current badges: {new_ms:.2f} ms vs the pass over every "
           f"client it replaced {pass_ms:.2f} ms = {new_ms / pass_ms:.2f}x")
    refresh_ms, _ = interleaved_medians(lambda: store.refresh_scores(), lambda: None, runs=21)
    report(f"refresh_scores with nothing stale (each clock tick and save): {refresh_ms:.2f} ms")
    assert new_ms / pass_ms <= 0.8
