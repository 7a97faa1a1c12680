"""Copying the open office into another, empty database (moving from a SQLite file to PostgreSQL, say):
the same tables, ids and times, in bulk, in one transaction there, with the row counts verified.
"""
from __future__ import annotations

import logging
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

import peewee as pw

from models import db as dbmod
from models import migrations, search_index
from models import tables as t
from models.errors import DatabaseError, ValidationError
from models.store import _base as b
from models.store.bulk import (
    COPY_TABLES,
    LABELS,
    Table,
    filter_for,
    fix_sequences,
    insert_rows,
    pages,
    require_empty,
    snapshot,
)

log = logging.getLogger(__name__)


# --- copy to another database -------------------------------------------------------------------

def copy_office(target_location: str | os.PathLike[str]) -> int:
    """Copy the open office into an EMPTY database at `target_location` (a postgresql:// URL or a file path):
    the same tables, ids and times, in bulk, in one transaction there, with row counts verified per table.

    The open office is only read (from a snapshot) and stays open. Returns the number of rows copied.
    """
    if t.database.obj is None:
        raise DatabaseError("No office database is open.")
    location = _target_location(target_location)
    target, info, created = _open_target(location)
    try:
        _refuse_same(location, info)
        with snapshot(whole=True) as source:
            return _copy_all(source, target, info.display)
    except BaseException:
        dbmod._close_quietly(target)
        if created:
            with suppress(OSError):
                Path(info.location).unlink(missing_ok=True)
        raise
    finally:
        dbmod._close_quietly(target)


def _target_location(value: object) -> str:
    """A postgresql:// address, or a file path that the operating system can take."""
    if isinstance(value, str) and dbmod.is_postgres_url(value):
        return value
    return str(b.check_path(value, "target", "The new office database"))


def _open_target(location: str) -> tuple[pw.Database, dbmod.DatabaseInfo, bool]:
    """A second Database object for the target, with the same checks and sentences as opening an office."""
    if dbmod.is_postgres_url(location):
        db, info = dbmod._open_postgres(location)
        return db, info, False
    path = Path(location).expanduser()
    existed = path.exists()
    db, info = dbmod._open_sqlite(path, allow_cloud=False)
    return db, info, not existed


def _refuse_same(location: str, info: dbmod.DatabaseInfo) -> None:
    current = dbmod.current()
    source = t.database.obj
    same = current is not None and current.location == info.location
    if isinstance(source, pw.SqliteDatabase) and not dbmod.is_postgres_url(location):
        with suppress(OSError):
            same = same or os.path.samefile(source.database, Path(location).expanduser())
    if same:
        raise ValidationError("target", "That is the office that is open now. Choose another, empty database.")


def _copy_all(source: pw.Database, target: pw.Database, display: str) -> int:
    with target.atomic():
        if isinstance(target, pw.PostgresqlDatabase):  # the schema lock models.db takes: one creator at a time
            target.execute_sql("SELECT pg_advisory_xact_lock(%s)", (dbmod.PG_WRITE_LOCK_KEY + 1,))
        _prepare_target(target, display)
        if isinstance(target, pw.SqliteDatabase):
            target.execute_sql("PRAGMA defer_foreign_keys = ON")
        copied = {spec.name: _copy_table(source, target, spec) for spec in COPY_TABLES}
        for spec in COPY_TABLES:
            _verify_count(source, target, spec, copied[spec.name], display)
        fix_sequences(target)
        search_index.rebuild(target)  # the search words are the target engine's own (models/search_index.py)
    return sum(copied.values())


def _prepare_target(target: pw.Database, display: str) -> None:
    """Create the schema in an empty target (models bound to it only for this), or check the one there."""
    with target.bind_ctx(t.ALL_TABLES):
        version = migrations.read_version(target)
        if version is None:
            migrations.create_schema(target)
        elif version != migrations.SCHEMA_VERSION:
            log.warning("copy target %s has schema version %s, this Rapport %s", display, version,
                        migrations.SCHEMA_VERSION)
            raise ValidationError("target", f"{display} was made by another version of Rapport. "
                                  "Copy into a new, empty database instead.")
    require_empty(target, display)


def _copy_table(source: pw.Database, target: pw.Database, spec: Table) -> int:
    flags = spec.flags
    count = 0
    for page in pages(source, spec, *filter_for(source, spec)):
        rows = page if not flags else [_with_flags(row, flags) for row in page]
        insert_rows(target, spec, rows)
        count += len(rows)
    return count


def _with_flags(row: tuple[Any, ...], flags: tuple[int, ...]) -> tuple[Any, ...]:
    """SQLite keeps booleans as 0/1; PostgreSQL wants true/false."""
    values = list(row)
    for i in flags:
        if values[i] is not None:
            values[i] = bool(values[i])
    return tuple(values)


def _verify_count(source: pw.Database, target: pw.Database, spec: Table, copied: int, display: str) -> None:
    def count(db: pw.Database) -> int:
        where, params = filter_for(db, spec)
        sql = f'SELECT COUNT(*) FROM "{spec.name}"' + (f" WHERE {where}" if where else "")
        return int(db.execute_sql(sql, params).fetchone()[0])
    here, there = count(source), count(target)
    if not here == there == copied:
        log.error("copy to %s: table %s has %s rows here, %s there, %s copied", display, spec.name, here, there, copied)
        raise DatabaseError(f"The copy to {display} did not match the office ({LABELS[spec.name]} records: "
                            f"{here:,} here, {there:,} there), so nothing was kept there. The office itself is "
                            "unchanged; please try the copy again.")


