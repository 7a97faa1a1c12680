"""The schema ladder: an old office upgrades (backed up first, data intact), a live desk elsewhere blocks it,
several desks starting at once upgrade exactly once, a newer schema is refused, and tables.py does not drift.

The ladder is proven with the product's real steps plus one test-only step on top (NEXT), on a real
version-1 office saved as tests/data/office-v1.db (rebuild it with `python -m tests.store.test_upgrades` only if
version 1 itself is being redefined, which never happens once it has shipped).
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw
import pytest
from playhouse.migrate import SchemaMigrator, migrate

from models import migrations, store
from models import tables as t
from models.errors import DatabaseError, StoreError

# The ladder is proven with one test-only step on top of the real ones.
NEXT = migrations.SCHEMA_VERSION + 1
V1_OFFICE = Path(__file__).resolve().parent.parent / "data" / "office-v1.db"
BLOCKED = ("Another desk (Ben Okafor on FRONT-DESK-2) has the office open. Close Rapport there, then start it "
           "here again to finish the update.")


# --- the saved version-1 office -----------------------------------------------------------------

def build_office_v1(path: Path) -> None:
    """A small real office made through models.store at schema version 1 (how office-v1.db was made)."""
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    store.set_clock(lambda: now)
    store.open(path)
    try:
        anna = store.add_staff("Anna Keller", pin="2468").id
        ben = store.add_staff("Ben Okafor", by=anna).id
        oliver = store.add_client(name="Oliver Thompson", by=anna, organisation="Bayview Holdings",
                                  phone="01632 960001", email="oliver@example.com").id
        isla = store.add_client(name="Isla Walsh", by=ben, usual_handler=ben).id
        gone = store.add_client(name="Priya Nair", by=anna).id
        failed = store.log_interaction(oliver, by=anna, summary="Invoice sent twice", rating=-2, channel="email",
                                       at=now - timedelta(days=3)).id
        store.log_interaction(oliver, by=ben, summary="Called to apologise, refund made", rating=1, recovers=failed,
                              apology=True, at=now - timedelta(days=2))
        store.add_note(oliver, by=anna, text="Prefers calls after 5 pm", pinned=True)
        store.log_interaction(isla, by=ben, summary="Viewing booked", rating=2, channel="visit")
        kept = store.make_promise(oliver, by=anna, text="Send the corrected invoice", due=now + timedelta(days=1)).id
        store.keep_promise(kept, by=anna)
        store.make_promise(isla, by=ben, text="Call back about the lease", due=now + timedelta(days=2), owner=anna)
        store.delete_client(gone, by=anna)
    finally:
        store.set_clock(None)
        store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 1024")  # small pages: a small file in git
    conn.execute("VACUUM")
    conn.close()


@pytest.fixture
def v1_office(tmp_path: Path) -> Path:
    """A private copy of the saved version-1 office (a copy of a closed file, so a plain copy is fine)."""
    path = tmp_path / "office.db"
    shutil.copyfile(V1_OFFICE, path)
    return path


def add_nickname(db: pw.Database) -> None:
    """The test-only step 2: a new client column, and a row in a side table for every run of the step."""
    migrate(SchemaMigrator.from_database(db).add_column("client", "nickname",
                                                        pw.CharField(max_length=100, default="")))
    db.execute_sql('CREATE TABLE IF NOT EXISTS "upgrade_run" ("pid" INTEGER NOT NULL)')
    db.execute_sql(f'INSERT INTO "upgrade_run" ("pid") VALUES ({db.param})', (os.getpid(),))


def add_nickname_slowly(db: pw.Database) -> None:
    add_nickname(db)
    time.sleep(0.5)  # a long step, so the other desks surely arrive while it runs


@pytest.fixture
def version_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """One more (test-only) step on top of the real ladder."""
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(migrations.UPGRADES, NEXT, add_nickname)


def rows_of(path: Path, *, skip_columns: frozenset[str] = frozenset()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Rapport table (not meta), columns in name order, for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for model in t.ALL_TABLES:
            name = model._meta.table_name
            if name == "meta":
                continue
            columns = sorted(r[1] for r in conn.execute(f'PRAGMA table_info("{name}")') if r[1] not in skip_columns)
            if not columns:  # a table a later step added: the schema test compares it, not this one
                continue
            listed = ", ".join(f'"{c}"' for c in columns)
            if not columns:  # a table a later step adds: empty before it
                out[name] = []
                continue
            out[name] = conn.execute(f'SELECT {listed} FROM "{name}" ORDER BY 1').fetchall()
        return out
    finally:
        conn.close()


def pragma(path: Path, name: str) -> Any:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def scalar(path: Path, sql: str, *params: Any) -> Any:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(sql, params).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def client_columns(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[1] for r in conn.execute('PRAGMA table_info("client")')]
    finally:
        conn.close()


def add_session(path: Path, *, seen: datetime, host: str = "FRONT-DESK-2", staff_name: str = "Ben Okafor") -> None:
    """Another desk, as its heartbeat leaves it in the session table."""
    conn = sqlite3.connect(path)
    staff = conn.execute("SELECT id FROM staff WHERE name = ?", (staff_name,)).fetchone()[0]
    conn.execute('INSERT INTO "session" (id, staff, host, pid, app_version, started_at, last_seen, client) '
                 "VALUES (?, ?, ?, 4242, '0.1.0', ?, ?, NULL)",
                 (uuid.uuid4().hex, staff, host, t.to_micros(seen), t.to_micros(seen)))
    conn.commit()
    conn.close()


# --- the saved file is what it claims to be ------------------------------------------------------

def test_the_saved_office_is_a_version_1_rapport_file() -> None:
    assert pragma(V1_OFFICE, "application_id") == migrations.APPLICATION_ID
    assert pragma(V1_OFFICE, "user_version") == 1
    assert scalar(V1_OFFICE, "SELECT value FROM meta WHERE key = 'schema_version'") == "1"
    assert pragma(V1_OFFICE, "journal_mode") == "delete"
    assert scalar(V1_OFFICE, "SELECT COUNT(*) FROM client") == 3
    assert scalar(V1_OFFICE, "SELECT COUNT(*) FROM interaction") == 3


# --- upgrading -----------------------------------------------------------------------------------

def test_a_version_1_office_upgrades_with_a_backup_first_and_its_data_intact(v1_office: Path,
                                                                             version_2: None) -> None:
    before = rows_of(v1_office)
    office = store.open(v1_office)
    try:
        assert office.schema_version == NEXT and not office.created
        backups = store.list_backups()
        assert [b.reason for b in backups] == ["before upgrade"]
        assert [c.name for c in store.list_clients()] == ["Isla Walsh", "Oliver Thompson"]
    finally:
        store.close()
    assert "nickname" in client_columns(v1_office)
    assert scalar(v1_office, "SELECT COUNT(*) FROM upgrade_run") == 1
    assert scalar(v1_office, "SELECT value FROM meta WHERE key = 'schema_version'") == str(NEXT)
    assert pragma(v1_office, "user_version") == NEXT  # the pragma mirrors the meta row
    # columns the ladder added to existing tables (the real steps' and NEXT's) hold only their defaults,
    # but search_words, which the search step fills (the index's normalised words, tests/store/test_search.py)
    added = frozenset({"nickname", "more_details", "topic", "search_words"})
    after = rows_of(v1_office, skip_columns=added)
    assert {name: after[name] for name in before} == before
    # tables the ladder added start empty, but for the clients' comparable keys (derived, issue 16)
    assert all(not after[name] for name in set(after) - set(before) - {"client_key"})
    assert after["client_key"]  # computed from the clients already there
    # the backup was taken before the step ran: version 1, no new column, the same rows
    copy = backups[0].path
    assert backups[0].ok and copy.stat().st_size == backups[0].size_bytes
    assert pragma(copy, "user_version") == 1 and "nickname" not in client_columns(copy)
    assert pragma(copy, "integrity_check") == "ok"
    assert rows_of(copy) == before


def test_an_up_to_date_office_opens_without_a_backup(tmp_path: Path) -> None:
    store.open(tmp_path / "office.db")  # made at the current version
    store.close()
    store.open(tmp_path / "office.db")
    try:
        assert store.list_backups() == []
    finally:
        store.close()


def test_a_live_desk_elsewhere_blocks_the_upgrade_and_leaves_the_file_alone(v1_office: Path,
                                                                            version_2: None) -> None:
    add_session(v1_office, seen=datetime.now(UTC) - timedelta(seconds=30))
    before = v1_office.read_bytes()
    with pytest.raises(DatabaseError) as refused:
        store.open(v1_office)
    assert refused.value.message == BLOCKED
    assert v1_office.read_bytes() == before
    assert not any(Path(os.environ["RAPPORT_DATA_DIR"], "backups").glob("*.db"))


def test_a_desk_not_heard_from_for_a_while_does_not_block_the_upgrade(v1_office: Path, version_2: None) -> None:
    add_session(v1_office, seen=datetime.now(UTC) - timedelta(minutes=10))
    assert store.open(v1_office).schema_version == NEXT
    store.close()


def _start_desk(location: str, data_dir: str, go: Any, results: Any) -> None:
    """One desk starting a newer Rapport (in its own process)."""
    os.environ["RAPPORT_DATA_DIR"] = data_dir
    migrations.SCHEMA_VERSION = NEXT
    migrations.UPGRADES[NEXT] = add_nickname_slowly
    go.wait()
    try:
        results.put(("opened", store.open(location).schema_version))
        store.close()
    except StoreError as exc:
        results.put(("refused", exc.message))


def _start_at_once(location: str, data_dir: str, desks: int = 3) -> list[tuple[str, Any]]:
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_start_desk, args=(location, data_dir, go, results)) for _ in range(desks)]
    for p in procs:
        p.start()
    time.sleep(1.0)  # let every desk import and reach the starting line
    go.set()
    out = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return out


@pytest.mark.slow
def test_three_desks_starting_at_once_upgrade_exactly_once(v1_office: Path) -> None:
    data_dir = os.environ["RAPPORT_DATA_DIR"]
    results = _start_at_once(str(v1_office), data_dir)
    assert results == [("opened", NEXT)] * 3
    assert scalar(v1_office, "SELECT COUNT(*) FROM upgrade_run") == 1
    assert pragma(v1_office, "user_version") == NEXT
    assert len(list(Path(data_dir, "backups").glob("*before-upgrade*.db"))) == 1


def test_a_newer_schema_is_refused_and_left_alone(v1_office: Path) -> None:
    conn = sqlite3.connect(v1_office)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(NEXT),))
    conn.execute(f"PRAGMA user_version = {NEXT}")
    conn.commit()
    conn.close()
    before = v1_office.read_bytes()
    with pytest.raises(DatabaseError) as err:
        store.open(v1_office)
    assert err.value.message == f"{v1_office.name} was made by a newer version of Rapport. Please update Rapport on " \
                                "this computer."  # the schema number goes to the log, not to the desk
    assert v1_office.read_bytes() == before


# --- no drift between tables.py and the ladder ---------------------------------------------------

def sqlite_schema(path: Path) -> dict[str, Any]:
    """sqlite_master, normalised: per table its columns (name, type, not null, pk), foreign keys and indexes.

    Column order and SQL defaults are left out: a step that adds a column puts it last and must give
    it a DEFAULT, while peewee creates fresh tables without SQL defaults (it fills them in Python).
    """
    conn = sqlite3.connect(path)
    try:
        schema: dict[str, Any] = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
            columns = sorted((r[1], r[2].upper(), r[3], r[5]) for r in conn.execute(f'PRAGMA table_info("{name}")'))
            keys = sorted(tuple(r[2:7]) for r in conn.execute(f'PRAGMA foreign_key_list("{name}")'))
            indexes = sorted(
                (r[1], r[2], r[3], r[4], tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{r[1]}")')))
                for r in conn.execute(f'PRAGMA index_list("{name}")'))
            schema[name] = {"columns": columns, "foreign_keys": keys, "indexes": indexes}
        schema["index sql"] = sorted(
            " ".join(sql.split()) for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' "
                                                              "AND sql IS NOT NULL").fetchall())
        return schema
    finally:
        conn.close()


def test_a_fresh_office_has_exactly_the_schema_of_an_upgraded_version_1_office(tmp_path: Path,
                                                                                 v1_office: Path) -> None:
    fresh = tmp_path / "fresh.db"
    assert store.open(fresh).created
    store.close()
    store.open(v1_office)  # the real ladder: every step after 1 (none yet)
    store.close()
    assert sqlite_schema(v1_office) == sqlite_schema(fresh), (
        "tables.py and the upgrade ladder disagree: a change to tables.py needs a step in migrations.UPGRADES")
    assert pragma(v1_office, "user_version") == pragma(fresh, "user_version") == migrations.SCHEMA_VERSION


# --- the same ladder on PostgreSQL ---------------------------------------------------------------

def _pg_scalar(url: str, sql: str) -> Any:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None


def _make_pg_v1(url: str, *, live_desk: bool = False) -> None:
    store.open(url)
    try:
        anna = store.add_staff("Anna Keller").id
        ben = store.add_staff("Ben Okafor", by=anna).id
        store.add_client(name="Oliver Thompson", by=anna)
        if live_desk:
            store.heartbeat(uuid.uuid4().hex, staff_id=ben, client_id=None)  # inserts its row when missing
            t.Session.update(host="FRONT-DESK-2").execute()
    finally:
        store.close()


def test_the_ladder_on_postgresql_waits_for_other_desks_then_upgrades(scratch_pg: str, version_2: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT - 1)  # the office as the product makes it today
    _make_pg_v1(scratch_pg, live_desk=True)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT)
    with pytest.raises(DatabaseError) as refused:
        store.open(scratch_pg)
    assert refused.value.message == BLOCKED
    assert _pg_scalar(scratch_pg, "SELECT value FROM meta WHERE key = 'schema_version'") == str(NEXT - 1)
    import psycopg

    with psycopg.connect(scratch_pg) as conn:
        conn.execute("DELETE FROM session")
    assert store.open(scratch_pg).schema_version == NEXT
    try:
        assert store.list_backups() == []  # PostgreSQL is backed up on the server
        assert [c.name for c in store.list_clients()] == ["Oliver Thompson"]
    finally:
        store.close()
    assert _pg_scalar(scratch_pg, "SELECT COUNT(*) FROM upgrade_run") == 1
    assert _pg_scalar(scratch_pg, "SELECT value FROM meta WHERE key = 'schema_version'") == str(NEXT)


@pytest.mark.slow
def test_three_desks_starting_at_once_on_postgresql_upgrade_exactly_once(scratch_pg: str) -> None:
    _make_pg_v1(scratch_pg)
    results = _start_at_once(scratch_pg, os.environ["RAPPORT_DATA_DIR"])
    assert results == [("opened", NEXT)] * 3
    assert _pg_scalar(scratch_pg, "SELECT COUNT(*) FROM upgrade_run") == 1


if __name__ == "__main__":  # rebuild tests/data/office-v1.db (only while version 1 is the current schema)
    V1_OFFICE.unlink(missing_ok=True)
    build_office_v1(V1_OFFICE)
    print(f"wrote {V1_OFFICE} ({V1_OFFICE.stat().st_size:,} bytes)")
