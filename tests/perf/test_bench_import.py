"""Importing a 10,000-row CSV into the big office, where every row matches a client already there, costs at most
3x a plain batched insert of the same rows through the ORM, timed in the same run (issue 15)."""
from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest

from models import store
from models import tables as t
from models.db import write_transaction
from models.generate import BigOffice
from models.rules.text import search_key
from tests.perf.bench import report

pytestmark = pytest.mark.perf

BUDGET = 3.0
ROWS = 10_000
INSERT_BATCH = 250


def _csv_of_the_office(path: Path) -> list[tuple[str, str, str, str]]:
    rows = [(c.name, c.organisation, c.phone, c.email) for c in store.list_clients()[:ROWS]]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Company", "Business Phone", "E-mail Address"])
        writer.writerows(rows)
    return rows


def _plain_insert(rows: list[tuple[str, str, str, str]], by: int) -> None:
    """The baseline: the same rows as new clients, insert_many in batches, one transaction each."""
    now = store.utcnow()
    for at in range(0, len(rows), INSERT_BATCH):
        with write_transaction():
            t.Client.insert_many([{"name": n, "organisation": o, "phone": p, "email": e, "created_at": now,
                                   "updated_at": now, "created_by": by, "search_text": search_key(n, o, p, e)}
                                  for n, o, p, e in rows[at:at + INSERT_BATCH]]).execute()


def test_importing_10000_matching_rows_costs_at_most_3x_a_plain_batched_insert(
        big_office: tuple[Path, BigOffice], tmp_path: Path) -> None:
    source, office = big_office
    copy = tmp_path / "big.db"
    shutil.copyfile(source, copy)  # the shared big office stays as generated
    store.open(copy)
    try:
        by = office.staff[0]
        rows = _csv_of_the_office(tmp_path / "office.csv")
        assert len(rows) == ROWS
        started = time.perf_counter()
        result = store.import_contacts(tmp_path / "office.csv", by=by)
        imported = time.perf_counter() - started
        assert (result.created, result.updated, result.unchanged, result.problems) == (0, 0, ROWS, ())
    finally:
        store.close()
    store.open(tmp_path / "empty.db")
    try:
        by = store.add_staff("Bench Person").id
        started = time.perf_counter()
        _plain_insert(rows, by)
        inserted = time.perf_counter() - started
    finally:
        store.close()
    ratio = imported / inserted
    report(f"import of {ROWS:,} matching CSV rows into the big office: {imported * 1000:.0f} ms; plain batched "
           f"insert of the same rows through the ORM: {inserted * 1000:.0f} ms; ratio {ratio:.2f} (budget {BUDGET})")
    assert ratio <= BUDGET
