"""Bulk copying of the office's tables: which tables and columns, consistent snapshots to read from, keyset
pages, and fast inserts with the ids kept (PostgreSQL's COPY, else executemany). Used by the JSON export and
import (export.py) and by copying an office into another database (copy.py).
"""
from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee as pw

from models import migrations, paths
from models import tables as t
from models.errors import DatabaseError, ValidationError
from models.store.backup import copy_database

PAGE = 2000  # rows per keyset page read
BATCH = 1000  # rows per executemany when inserting
SCHEMA_ROW = migrations.SCHEMA_KEY  # each database keeps its own schema version: never exported or copied
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Table:
    """How one table is read and written: its columns in order and which of them need converting."""

    name: str
    model: type[t.BaseTable]
    fields: tuple[pw.Field, ...]
    key: int  # position of the primary key, for keyset paging

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.column_name for f in self.fields)

    @property
    def times(self) -> tuple[int, ...]:
        return tuple(i for i, f in enumerate(self.fields) if isinstance(f, t.UtcField))

    @property
    def flags(self) -> tuple[int, ...]:
        return tuple(i for i, f in enumerate(self.fields) if isinstance(f, pw.BooleanField))


def table_spec(model: type[t.BaseTable], *, skip: tuple[str, ...] = ()) -> Table:
    fields = tuple(f for f in model._meta.sorted_fields if f.name not in skip)
    key = next(i for i, f in enumerate(fields) if f.primary_key)
    return Table(model._meta.table_name, model, fields, key)


# In an order that satisfies every foreign key when loaded front to back.
EXPORT_TABLES = (
    table_spec(t.Meta), table_spec(t.Setting), table_spec(t.Staff, skip=("pin_hash",)), table_spec(t.Client),
    table_spec(t.Interaction), table_spec(t.Note), table_spec(t.Promise), table_spec(t.PromiseEvent),
    table_spec(t.Change), table_spec(t.Erasure),
)
# A copy is the same office elsewhere: PINs, the score cache and the office's settings go too; who is online does
# not.
COPY_TABLES = (
    table_spec(t.Meta), table_spec(t.Setting), table_spec(t.Staff), table_spec(t.Client), table_spec(t.Interaction),
    table_spec(t.Note), table_spec(t.Promise), table_spec(t.PromiseEvent), table_spec(t.Change), table_spec(t.ScoreCache),
    table_spec(t.ClientKey), table_spec(t.NotSame), table_spec(t.Merge), table_spec(t.MergeMove),
    table_spec(t.ContactImport), table_spec(t.ImportedRow), table_spec(t.Erasure),
)
# Tables that make an office "not empty" (meta holds the schema version; sessions are only presence).
DATA_TABLES = tuple(m for m in t.ALL_TABLES if m not in (t.Meta, t.Session, t.WriteReceipt))
@contextmanager
def snapshot(*, whole: bool) -> Iterator[pw.Database]:
    """A consistent view to read from that blocks no other desk for long.

    SQLite: a whole-office read works on an online copy in this desk's data folder (the shared file is
    read-locked only while the copy is made); a small read runs in one short read transaction.
    PostgreSQL: one REPEATABLE READ transaction (a snapshot; writers are never blocked).
    """
    db = t.database.obj
    if db is None:
        raise DatabaseError("No office database is open.")
    if not isinstance(db, pw.SqliteDatabase):
        with db.atomic(isolation_level="REPEATABLE READ"):
            yield db
        return
    if not whole:
        with db.atomic(lock_type="DEFERRED"):
            yield db
        return
    folder = paths.private_dir(paths.data_dir())
    with tempfile.TemporaryDirectory(prefix="rapport-snapshot-", dir=folder) as tmp:
        copy = Path(tmp) / "snapshot.db"
        copy_database(Path(db.database), copy)
        snap = pw.SqliteDatabase(str(copy), pragmas=[("query_only", 1)])
        try:
            snap.connect()
            yield snap
        finally:
            snap.close()


def pages(db: pw.Database, spec: Table, where: str = "", params: tuple[Any, ...] = ()) -> Iterator[list[tuple]]:
    """The table's rows in primary-key order, PAGE at a time, each page materialised (no cursor left open)."""
    columns = ", ".join(f'"{c}"' for c in spec.columns)
    key = f'"{spec.columns[spec.key]}"'
    last: Any = None
    while True:
        conditions, args = ([where] if where else []), list(params)
        if last is not None:
            conditions.append(f"{key} > {db.param}")
            args.append(last)
        sql = f'SELECT {columns} FROM "{spec.name}"'
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        rows = db.execute_sql(f"{sql} ORDER BY {key} LIMIT {PAGE}", args).fetchall()
        if rows:
            yield rows
        if len(rows) < PAGE:
            return
        last = rows[-1][spec.key]


def require_empty(db: pw.Database, where: str = "This office") -> None:
    filled = [m for m in DATA_TABLES
              if db.execute_sql(f'SELECT 1 FROM "{m._meta.table_name}" LIMIT 1').fetchall()]
    if not filled:
        return
    clients = count_of(db.execute_sql('SELECT COUNT(*) FROM "client"').fetchone()[0], "client")
    staff = count_of(db.execute_sql('SELECT COUNT(*) FROM "staff"').fetchone()[0], "staff member")
    raise ValidationError("", f"{where} already holds data ({clients}, {staff}). Rapport loads or "
                          "copies an office only into a new, empty database, so nothing was changed. Create a new "
                          "office database first.")


def count_of(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


LABELS = {"meta": "office setting", "staff": "staff", "client": "client", "interaction": "interaction",
           "note": "note", "promise": "promise", "promise_event": "promise step", "change": "change-log",
           "score_cache": "score", "setting": "office setting", "erasure": "erasure-list"}
def filter_for(db: pw.Database, spec: Table) -> tuple[str, tuple[Any, ...]]:
    return (f'"key" <> {db.param}', (SCHEMA_ROW,)) if spec.model is t.Meta else ("", ())


# --- shared SQL helpers -------------------------------------------------------------------------

def insert_rows(db: pw.Database, spec: Table, rows: list[tuple[Any, ...]]) -> None:
    """Insert rows given in column order, ids included: PostgreSQL's COPY, else the driver's executemany.

    COPY because it was measured here at about 9 times the speed of psycopg's executemany (and multi-row
    VALUES was slower still); meta rows are upserted (the target already has some keys).
    """
    upsert = spec.model is t.Meta
    if isinstance(db, pw.PostgresqlDatabase) and not upsert:
        columns = ", ".join(f'"{c}"' for c in spec.columns)
        with pw.__exception_wrapper__, db.cursor().copy(f'COPY "{spec.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    execute_many(db, _insert_sql(db, spec, upsert=upsert), rows)


def _insert_sql(db: pw.Database, spec: Table, *, upsert: bool = False) -> str:
    columns = ", ".join(f'"{c}"' for c in spec.columns)
    marks = ", ".join([db.param] * len(spec.columns))
    sql = f'INSERT INTO "{spec.name}" ({columns}) VALUES ({marks})'
    if upsert:  # meta: the target already has its own rows for some keys
        key = spec.columns[spec.key]
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in spec.columns if c != key)
        sql += f' ON CONFLICT ("{key}") DO UPDATE SET {updates}'
    return sql


def execute_many(db: pw.Database, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """The driver's executemany, with its errors turned into peewee's (so models.db can translate them)."""
    with pw.__exception_wrapper__:
        cursor = db.cursor()
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])


def fix_sequences(db: pw.Database) -> None:
    """On PostgreSQL, move each id sequence past the highest id (rows were inserted with their ids)."""
    if not isinstance(db, pw.PostgresqlDatabase):
        return
    for model in t.ALL_TABLES:
        key = model._meta.primary_key
        if not isinstance(key, pw.AutoField):
            continue
        table, column = model._meta.table_name, key.column_name
        db.execute_sql(f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 1), '
                       f'MAX("{column}") IS NOT NULL) FROM "{table}"', (f'"{table}"', column))
