"""Office > History on a change log of 1,000,000 rows: a page costs about the raw SQL of the same page, at any depth.

Its own office (a small office with a big change log, made with models/generate.py and cached in the temp
folder like the shared big office), so the shared one is not made bigger for everyone.
"""
from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from models import store
from models import tables as t
from models.generate import generate_big_office, generate_change_log
from models.store.changelog import HistoryCursor, history_sql
from tests.perf.bench import ROOT, interleaved_medians, report

pytestmark = pytest.mark.perf

CHANGES = 1_000_000
PAGE = 50
# The raw rows of a page come back in well under 0.1 ms; the store adds a constant few microseconds a row
# (before/after read from JSON and put into words, names of colleagues and clients). Measured 6-8.5x.
BUDGET = 12.0
DEPTH_LIMIT = 2.0  # any filter, and the 10,000th page, cost at most this times the newest page


@pytest.fixture(scope="module")
def history_office() -> Iterator[Path]:
    digest = hashlib.sha1()
    for name in ("models/generate.py", "models/tables.py", "models/migrations.py"):
        digest.update((ROOT / name).read_bytes())
    path = Path(tempfile.gettempdir()) / f"rapport-history-office-{digest.hexdigest()[:12]}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        store.open(partial)
        try:
            generate_big_office(clients=1000, entries=5000, promises=500, busy_entries=100, quiet_entries=10)
            assert generate_change_log(changes=CHANGES) == CHANGES
        finally:
            store.close()
        partial.rename(path)
    store.open(path)
    try:
        yield path
    finally:
        store.close()


def _compare(label: str, **filters: object) -> tuple[float, float]:
    before = filters.pop("before", None)
    sql, params = history_sql(limit=PAGE, before=before, **filters)  # type: ignore[arg-type]
    db = t.database.obj
    cursor = HistoryCursor(before) if isinstance(before, int) else None

    def raw() -> list:
        return db.execute_sql(sql, params).fetchall()

    def page() -> object:
        return store.history(limit=PAGE, before=cursor, **filters)  # type: ignore[arg-type]

    assert len(page()) == min(PAGE, len(raw()))
    ours, base = interleaved_medians(page, raw, runs=21)
    report(f"history, {CHANGES:,} changes, {label}: store.history {ours:.2f} ms vs raw SQL of the same page "
           f"{base:.2f} ms = {ours / base:.2f}x (budget {BUDGET:.0f}x)")
    return ours, base


def test_a_page_of_history_costs_about_its_raw_query(history_office: Path) -> None:
    assert t.Change.select().count() >= CHANGES
    top = t.Change.select(t.Change.id).order_by(t.Change.id.desc()).scalar()
    last = t.Change.select(t.Change.at).order_by(t.Change.id.desc()).scalar()
    client = t.Client.select(t.Client.id).order_by(t.Client.id).scalar()
    cases = {
        "newest page": {},
        "page 10,000 (keyset)": {"before": top - 10_000 * PAGE},
        "one client": {"client": client},
        "one colleague": {"staff": 2},
        "one kind": {"kinds": ("note",)},
        "a week a year ago, one colleague": {"staff": 3, "since": last - timedelta(days=372),
                                             "until": last - timedelta(days=365)},
    }
    results = {label: _compare(label, **filters) for label, filters in cases.items()}
    for ours, base in results.values():
        assert ours / base <= BUDGET
    first = results["newest page"][0]
    slowest = max(results, key=lambda label: results[label][0])
    report(f"history: the slowest page ({slowest}) {results[slowest][0]:.2f} ms vs the newest page {first:.2f} ms "
           f"= {results[slowest][0] / first:.2f}x (limit {DEPTH_LIMIT:.0f}x)")
    assert results[slowest][0] / first <= DEPTH_LIMIT
