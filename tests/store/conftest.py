"""Store tests run against a real database file (SQLite) and, when a server is reachable, PostgreSQL."""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from models import store
from models import tables as t

PG_URL = os.environ.get("RAPPORT_TEST_PG", "")
PG_SKIP = ("PostgreSQL tests need a server: set RAPPORT_TEST_PG=postgresql://user@host:port/dbname "
           "(an empty database you may wipe); `bash .ci/run` starts one and sets it.")


def reset_postgres(url: str) -> None:
    """Empty the test database (drop and recreate its public schema)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


class Clock:
    """A settable clock for the store: tests move time on explicitly."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        from datetime import timedelta
        self.now += timedelta(**delta)
        return self.now


def database_rows(*, presence: bool = True) -> dict[str, list[tuple]]:
    """Every row of every table of the open office, to show a refused write left the database unchanged.

    `presence=False` leaves out the desks' session rows, which a window's heartbeat touches on its own.
    PostgreSQL's write receipts (a write that changes nothing still leaves its receipt, so a retry after a
    lost connection can tell it ran) are bookkeeping, not the office's data: they are left out.
    """
    tables = [table for table in t.ALL_TABLES
              if (presence or table is not t.Session) and table is not t.WriteReceipt]
    return {table.__name__: list(table.select().order_by(*table._meta.get_primary_keys()).tuples())
            for table in tables}


def empty_location(engine: str, tmp_path: Path) -> str:
    """Where an empty office of `engine` can be made: a new file, or the wiped PostgreSQL test database."""
    if engine != "postgresql":
        return str(tmp_path / "office.db")
    if not PG_URL:
        pytest.skip(PG_SKIP)
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty office database, open in this process; yields its location."""
    location = empty_location(request.param, tmp_path)
    store.open(location)
    try:
        yield location
    finally:
        store.set_clock(None)
        store.close()


@pytest.fixture
def clock(office: str) -> Clock:
    c = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    store.set_clock(c)
    return c


@pytest.fixture
def anna(office: str) -> int:
    """The first person of the office (added by nobody)."""
    return store.add_staff("Anna Keller").id


@pytest.fixture
def ben(anna: int) -> int:
    return store.add_staff("Ben Okafor", by=anna).id


@pytest.fixture
def client(anna: int) -> int:
    return store.add_client(name="Oliver Thompson", by=anna, phone="01632 960001",
                            email="oliver@example.com", organisation="Bayview Holdings").id


@pytest.fixture
def scratch_pg() -> Iterator[str]:
    """A new, empty PostgreSQL database of this test's own (the shared test database is left alone)."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(PG_URL)
    name = f"rapport_scratch_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_office(tmp_path: Path) -> Iterator[Path]:
    """A new, empty office in a SQLite file, open for the test; the store's clock back to real time after."""
    path = tmp_path / "office.db"
    store.open(path)
    try:
        yield path
    finally:
        store.set_clock(None)
        store.close()
