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
    """The SQL store.search runs, run straight through the driver: the clients' MATCH, then each kind's."""
    db = t.database.obj
    query = si.parse(text, si.office_country(db))
    param = si.match_param(query, db)
    filters = search_module._Filters(None, None, None, None)
    join, cond = si.match_sql("client", "c", db)
    columns = ", ".join(f'c."{c}"' for c in si.CLIENT_COLUMNS)
    clients = (f'SELECT c.id, c.name, c.last_contact_at, c.usual_handler_id, {columns} FROM "client" c{join} '
               f"WHERE {cond} AND c.deleted_at IS NULL ORDER BY {si.client_rank(db)} LIMIT 50")
    kinds = [search_module.entries_sql(db, kind, filters, 50)[0] for kind in ("interaction", "note", "promise")]

    def run() -> object:
        rows = db.execute_sql(clients, [param]).fetchall()
        for sql in kinds:
            rows += db.execute_sql(sql, [param]).fetchall()
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
    for label, text in SEARCHES.items():
        hits = store.search(text)
        assert hits, f"the benchmark's {label} ({text!r}) should find something"
        search_ms, raw_ms = interleaved_medians(lambda text=text: store.search(text), raw_search(text), runs=11)
        scan = like_scan(text)
        found = sum(len(r) for r in scan())
        like_ms = median_ms(scan, runs=3, warmup=1)
        report(f"store.search for {label} ({text!r}, {len(hits)} hits shown, {found:,} rows hold it): {search_ms:.1f} ms "
               f"vs the raw FTS5 queries {raw_ms:.1f} ms = {search_ms / raw_ms:.2f}x (budget 2x); vs a LIKE scan "
               f"{like_ms:.0f} ms = {like_ms / search_ms:.0f}x faster (budget 20x)")
        assert search_ms <= 2 * raw_ms
        assert like_ms >= 20 * search_ms


def _log_calls(path: Path, client: int, staff: int, runs: int) -> list[float]:
    store.open(path)
    try:
        times = []
        for k in range(runs):
            started = time.perf_counter()
            store.log_interaction(client, by=staff, summary=f"Called back about the boiler, visit {k} booked",
                                  details="Spoke to Mrs O'Hara, 01632 960407", rating=1)
            times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        store.close()


def test_keeping_the_index_costs_a_write_at_most_1_3x(tmp_path: Path) -> None:
    """log_interaction in two copies of one office: with the index's triggers and words, and with them dropped."""
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
    withs: list[float] = []
    withouts: list[float] = []
    for _ in range(3):  # alternate, so machine noise hits both alike
        withs += _log_calls(with_index, client, anna, 40)
        si.refresh_rows, si.office_country = (lambda *a, **k: 0), (lambda *a: "")  # no search words either
        try:
            withouts += _log_calls(without, client, anna, 40)
        finally:
            si.refresh_rows, si.office_country = keep
    w, wo = statistics.median(withs), statistics.median(withouts)
    report(f"log_interaction with the search index {w:.2f} ms vs without it {wo:.2f} ms = {w / wo:.2f}x (budget 1.3x)")
    assert w / wo <= 1.3


def test_the_index_size_beside_the_database(opened: BigOffice, big_office: tuple[Path, BigOffice]) -> None:
    path, _ = big_office
    index = si.size_bytes(t.database.obj)
    whole = path.stat().st_size
    report(f"search index {index / 1e6:.0f} MB in a {whole / 1e6:.0f} MB database ({index / whole:.0%}), "
           f"{opened.entries:,} entries and {opened.clients:,} clients")
    assert 0 < index < whole
