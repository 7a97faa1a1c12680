"""The schema version and an append-only ladder of upgrade steps (never edit a step that has shipped)."""
from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from models import tables as t

SCHEMA_VERSION = 2
APPLICATION_ID = 0x52415054  # "RAPT": marks a SQLite file as Rapport's (PRAGMA application_id)
SCHEMA_KEY = "schema_version"

# UPGRADES[n] turns a version n-1 database into version n. A fresh database is created directly at
# SCHEMA_VERSION from tables.py; tests/store/test_upgrades.py proves that both roads lead to the
# same schema. Append a step for every change; a shipped step is never edited. Steps run in one transaction
# after a verified backup, with SQLite's foreign keys off (a table rebuild must not cascade-delete rows) and a
# foreign_key_check before COMMIT (models/db.py).
def step_write_receipts(db: pw.Database) -> None:
    """The write_receipt table: a write retried after a lost connection is never saved twice (issue 12)."""
    db.create_tables([t.WriteReceipt], safe=True)


UPGRADES: dict[int, Callable[[pw.Database], None]] = {
    2: step_write_receipts,
}


def read_version(db: pw.Database) -> int | None:
    """The schema version recorded in the database, or None when it holds no Rapport schema yet."""
    if not db.table_exists("meta"):
        return None
    row = t.Meta.get_or_none(t.Meta.key == SCHEMA_KEY)
    return int(row.value) if row else None


def write_version(db: pw.Database, version: int) -> None:
    """Record the schema version (and mirror it in PRAGMA user_version on SQLite)."""
    t.Meta.insert(key=SCHEMA_KEY, value=str(version)).on_conflict(
        conflict_target=[t.Meta.key], update={t.Meta.value: str(version)}
    ).execute()
    if isinstance(db, pw.SqliteDatabase):
        db.execute_sql(f"PRAGMA user_version = {int(version)}")


def create_schema(db: pw.Database) -> None:
    """Create every table of the current schema in an empty database."""
    db.create_tables(t.ALL_TABLES, safe=True)
    if isinstance(db, pw.SqliteDatabase):
        db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    write_version(db, SCHEMA_VERSION)


def pending_steps(version: int) -> list[int]:
    """The upgrade steps a database at `version` still needs, in order."""
    return [n for n in range(version + 1, SCHEMA_VERSION + 1)]


def upgrade(db: pw.Database, version: int) -> None:
    """Run the remaining steps, each with its version bump, inside the caller's transaction."""
    for n in pending_steps(version):
        UPGRADES[n](db)
        write_version(db, n)
