"""Search budgets on the big office (10,000 clients, 1,000,000 entries): store.search against the raw FTS5 queries it
wraps (<= 2x) and against a LIKE '%word%' scan of the same columns (>= 20x faster); a logged call with the index
against one without it (<= 1.3x); the index's size beside the database's."""
from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from models import search_index as si
from models import store
from models import tables as t
from models.generate import RARE_WORD, BigOffice
from models.store import searching as search_module
from tests.perf.bench import interleaved_medians, median_ms, report

pytestmark = pytest.mark.perf

SEARCHES = {"a rare word": RARE_WORD, "a common word": "interaction", "a two-word phrase": "client 4242"}


def raw_search(text: str) -> Callable[[], object]:
    """The plain FTS5 MATCH queries search wraps, straight through the driver: the clients best first, then each
    kind's matches newest first (search itself may read fewer rows: it asks the index how common each word is)."""
    db = t.database.obj
    query = si.parse(text, si.office_country(db))
    param = si.match_param(query, db)
    filters = search_module._Filters(None, None, None, None)
    clients = search_module.clients_sql(db, filters, 50)[0]
    kinds = [search_module.entries_sql(db, kind, filters, 50)[0] for kind in ("interaction", "note", "promise")]

    connection = db.connection()

    def run() -> object:
        rows = connection.execute(clients, [param]).fetchall()
        for sql in kinds:
            rows += connection.execute(sql, [param]).fetchall()
        return rows
    return run


def like_scan(text: str) -> Callable[[], object]:
    """Finding the same rows without the index: LIKE '%word%' on every searched column, every word, whole tables."""
    db = t.database.obj
    words = [w for term in si.parse(text, "").terms for w in term.alternatives[0]]
    statements = []
    for kind, (table, columns) in si.INDEXED.items():
        alive = "deleted_at IS NULL"
        each = " AND ".join("(" + " OR ".join(f'"{c}" LIKE {db.param}' for c in columns) + ")" for _ in words)
        params = [f"%{w}%" for w in words for _ in columns]
        statements.append((f'SELECT id FROM "{table._meta.table_name}" WHERE {each} AND {alive}', params))

    def run() -> object:
        return [db.execute_sql(sql, params).fetchall() for sql, params in statements]
    return run


def test_search_costs_at_most_2x_the_raw_fts_query_and_beats_a_like_scan_20x(opened: BigOffice) -> None:
    ratios = {}
    for label, text in SEARCHES.items():
        hits = store.search(text)
        assert hits, f"the benchmark's {label} ({text!r}) should find something"
        search_ms, raw_ms = interleaved_medians(lambda text=text: store.search(text), raw_search(text), runs=11)
        scan = like_scan(text)
        found = sum(len(r) for r in scan())
        like_ms = median_ms(scan, runs=3, warmup=1)
        missed = " (missed)" if search_ms > 2 * raw_ms else ""
        report(f"store.search for {label} ({text!r}, {len(hits)} hits shown, {found:,} rows hold it): {search_ms:.2f} ms "
               f"vs the raw FTS5 queries {raw_ms:.2f} ms = {search_ms / raw_ms:.2f}x (budget 2x{missed}); vs a LIKE "
               f"scan {like_ms:.0f} ms = {like_ms / search_ms:.0f}x faster (budget 20x)")
        ratios[label] = (search_ms, raw_ms, like_ms)
    assert all(like >= 20 * search for search, _, like in ratios.values()), ratios
    # The common word and the phrase cost a fraction of their plain MATCH (they read fewer rows). The rare word's
    # query takes a tenth of a millisecond, so what search adds per hit (its snippet and marks, the record) is
    # held to the same 2x: no allowance on top.
    assert all(search <= 2 * raw for search, raw, _ in ratios.values()), ratios


def test_keeping_the_index_costs_a_write_at_most_1_3x(tmp_path: Path) -> None:
    """log_interaction in two copies of one office: with the index (triggers and words), and with it dropped.

    Writes end in fsyncs whose time wanders with whatever else the disk does, so the two copies take turns in
    short rounds and the medians of all rounds are compared.
    """
    with_index, without = tmp_path / "with.db", tmp_path / "without.db"
    store.open(with_index)
    anna = store.add_staff("Anna Keller").id
    client = store.add_client(name="Zoë Ó'Brien", by=anna, phone="01632 960407").id
    for k in range(300):
        store.log_interaction(client, by=anna, summary=f"Call {k}", rating=0)
    store.close()
    shutil.copyfile(with_index, without)
    store.open(without)
    si.drop(t.database.obj)
    store.close()
    keep = si.refresh_rows, si.office_country
    times: dict[bool, list[float]] = {True: [], False: []}
    for round_ in range(16):
        for indexed in ((True, False) if round_ % 2 else (False, True)):
            store.open(with_index if indexed else without)
            if not indexed:
                si.refresh_rows, si.office_country = (lambda *a, **k: 0), (lambda *a: "")  # no search words
            try:
                for k in range(12):
                    started = time.perf_counter()
                    store.log_interaction(client, by=anna, rating=1, details="Spoke to Mrs O'Hara, 01632 960407",
                                          summary=f"Called back about the boiler, visit {k} booked")
                    times[indexed].append((time.perf_counter() - started) * 1000)
            finally:
                si.refresh_rows, si.office_country = keep
                store.close()
    w, wo = statistics.median(times[True]), statistics.median(times[False])
    report(f"log_interaction with the search index {w:.2f} ms vs without it {wo:.2f} ms = {w / wo:.2f}x (budget 1.3x; "
           f"medians of {len(times[True])} writes each, taking turns)")
    assert w / wo <= 1.3


def test_the_index_size_beside_the_database(opened: BigOffice, big_office: tuple[Path, BigOffice]) -> None:
    path, _ = big_office
    index = si.size_bytes(t.database.obj)
    whole = path.stat().st_size
    report(f"search index {index / 1e6:.0f} MB in a {whole / 1e6:.0f} MB database ({index / whole:.0%}), "
           f"{opened.entries:,} entries and {opened.clients:,} clients")
    assert 0 < index < whole


def test_a_change_of_country_catches_up_in_short_steps(big_office: tuple[Path, BigOffice], tmp_path: Path) -> None:
    """The settings write redoes the clients' search words at once; the entries' are redone by a job whose steps each
    hold the write lock briefly (another desk's save waits at most one step). Timed to the end on a copy of the big
    office, whose generated entries mostly hold six digits or more ("Interaction 812345 ..."): a worst case, an
    office's own notes hold far fewer."""
    path, _ = big_office
    copy = tmp_path / "office.db"
    shutil.copyfile(path, copy)
    store.open(copy)
    try:
        admin = next(s.id for s in store.list_staff() if s.role == "admin")
        settings = store.office_settings()
        started = time.perf_counter()
        store.update_office_settings(version=settings.version, by=admin, country="US" if settings.country != "US" else "GB")
        write_s = time.perf_counter() - started
        job = store.catch_up_search_index()
        steps: list[float] = []
        started = time.perf_counter()
        while True:
            step_started = time.perf_counter()
            try:
                next(job)
            except StopIteration:
                break
            steps.append((time.perf_counter() - step_started) * 1000)
        whole_s = time.perf_counter() - started
        pending = t.Meta.select().where(t.Meta.key == si.CATCH_UP_KEY).exists()
    finally:
        store.close()
    report(f"changing the office's country: the settings write {write_s:.2f} s (10,000 clients), then the entries' "
           f"catch-up {whole_s:.1f} s in {len(steps):,} steps, median {statistics.median(steps):.1f} ms, longest "
           f"{max(steps):.0f} ms")
    assert not pending
    assert max(steps) < 250  # a step holds the write lock: another desk's save waits at most this long
