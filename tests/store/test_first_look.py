"""The first look at an office (models/store/look.py): what the store would read, read without the ORM, and only
where the store would simply open the file and read it (issue 10)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models import store
from models.store import look
from models.store.clients import client_rows_query
from tests.store.conftest import Clock

ROOT = Path(__file__).resolve().parent.parent.parent
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An office with what the list and the team show in every form: fresh and stale badges, a client never scored,
    a deleted one, a name that sorts without case, a colleague away, one with a PIN, one no longer on the team."""
    clock = Clock(START)
    store.set_clock(clock)
    path = tmp_path / "share" / "office.db"
    path.parent.mkdir()
    store.open(path)
    anna = store.add_staff("Anna Keller").id
    ben = store.add_staff("Ben Okafor", by=anna, pin="4321").id
    chloe = store.add_staff("Chloé Dubois", by=anna).id
    dev = store.add_staff("Dev Patel", by=anna).id
    store.set_away(chloe, by=anna, away_from=START, away_until=START + timedelta(days=3), reason="Training")
    store.update_staff(dev, version=store.get_staff(dev).version, by=anna, active=False)
    for n, name in enumerate(("oliver Thompson", "Isla Walsh", "de Vries Bakery", "Zed Adams", "Amir Khan")):
        client = store.add_client(name=name, by=anna, phone=f"01632 96000{n}", organisation="Harbourside").id
        store.log_interaction(client, by=ben, summary="Called back", rating=n % 5 - 2)
    gone = store.add_client(name="Gone Away", by=anna).id
    store.delete_client(gone, by=anna)
    store.refresh_scores()
    clock.advance(days=90)  # the badges are past their stable_until now ...
    store.refresh_scores(client_ids=[client])  # ... but the last one's
    store.add_client(name="Never Scored", by=anna)
    store.close()
    store.set_clock(clock)
    yield path
    store.close()
    store.set_clock(None)


def test_the_queries_are_the_stores_own() -> None:
    """The first look's SELECTs are those the store runs (were a column or the order to change there, this fails)."""
    import peewee as pw

    from models import tables as t

    t.database.initialize(pw.SqliteDatabase(":memory:"))
    try:
        assert client_rows_query().limit(100).sql() == (look.CLIENT_ROWS_SQL, [100])
        team = t.Staff.select().where(t.Staff.active == True).order_by(t.Staff.name, t.Staff.id)  # noqa: E712
        assert team.sql() == (look.TEAM_SQL, [True])
    finally:
        t.database.initialize(None)


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_it_reads_what_the_store_reads(office: Path, limit: int) -> None:
    seen = store.first_look(str(office), limit)
    assert seen is not None and seen.location == str(office)
    store.open(office)
    assert seen.rows == store.list_clients(limit=limit)
    assert seen.team == store.list_staff()
    assert {m.name for m in seen.team} == {"Anna Keller", "Ben Okafor", "Chloé Dubois"}
    assert any(m.has_pin for m in seen.team) and any(m.away_until for m in seen.team)
    if limit == 100:  # every form of a badge is there: fresh, past its stable_until, never made
        assert {row.score is None for row in seen.rows} == {True, False}


def test_it_reads_without_the_orm_and_writes_nothing(office: Path) -> None:
    before = (office.read_bytes(), office.stat().st_mtime_ns, sorted(os.listdir(office.parent)))
    script = ("import sys; from models import store; seen = store.first_look(sys.argv[1], 5); "
              "print(len(seen.rows), len(seen.team), 'peewee' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(office)], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60, check=True)
    assert done.stdout.split() == ["5", "3", "False"]
    assert (office.read_bytes(), office.stat().st_mtime_ns, sorted(os.listdir(office.parent))) == before


def _set(office: Path, *statements: str) -> None:
    connection = sqlite3.connect(office)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_anything_but_a_plain_rapport_file_of_this_version_is_left_to_the_store(office: Path, tmp_path: Path) -> None:
    """Where the store would refuse, upgrade, ask or warn, the first look says None: the store opens it and says."""
    assert store.first_look(str(tmp_path / "missing.db"), 10) is None
    (tmp_path / "empty.db").write_bytes(b"")
    assert store.first_look(str(tmp_path / "empty.db"), 10) is None
    (tmp_path / "notes.db").write_text("not a database")
    assert store.first_look(str(tmp_path / "notes.db"), 10) is None
    assert store.first_look(str(tmp_path), 10) is None  # a folder
    other = tmp_path / "other.db"
    _set(other, "CREATE TABLE meta (key TEXT, value TEXT)")
    assert store.first_look(str(other), 10) is None  # another program's database
    cloud = tmp_path / "Dropbox" / "office.db"
    cloud.parent.mkdir()
    cloud.write_bytes(office.read_bytes())
    assert store.first_look(str(cloud), 10) is None  # a cloud folder: the store refuses it, or warns
    older = tmp_path / "older.db"
    older.write_bytes(office.read_bytes())
    _set(older, "UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    assert store.first_look(str(older), 10) is None  # an older schema: the store upgrades it after its backup
    wal = tmp_path / "wal.db"
    wal.write_bytes(office.read_bytes())
    _set(wal, "PRAGMA journal_mode=WAL")
    assert store.first_look(str(wal), 10) is None  # unsafe in a shared folder: the store repairs it, or refuses
    assert store.first_look(str(office), 10) is not None  # (and the office itself is looked at)


def test_a_busy_or_damaged_file_is_left_to_the_store(office: Path) -> None:
    writer = sqlite3.connect(office)
    writer.execute("BEGIN EXCLUSIVE")  # a colleague's desk in the middle of a save
    try:
        assert store.first_look(str(office), 10) is None
    finally:
        writer.rollback()
        writer.close()
    data = bytearray(office.read_bytes())
    data[100:4096 * 3] = b"\xa5" * (4096 * 3 - 100)  # the schema's pages scribbled over
    office.write_bytes(bytes(data))
    assert store.first_look(str(office), 10) is None


def test_an_office_named_with_spaces_and_signs_is_looked_at(office: Path, tmp_path: Path) -> None:
    """The file is opened through a URI (read-only, never created): its name is written into it as the URI needs."""
    odd = tmp_path / "Office share #2 (50% off?)" / "rapport & co.db"
    odd.parent.mkdir()
    odd.write_bytes(office.read_bytes())
    seen = store.first_look(str(odd), 3)
    assert seen is not None and seen.location == str(odd) and len(seen.rows) == 3
