"""The schema version and an append-only ladder of upgrade steps (never edit a step that has shipped)."""
from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from models import tables as t
from models.schema import APPLICATION_ID, SCHEMA_KEY, SCHEMA_VERSION  # noqa: F401 (migrations.SCHEMA_VERSION ...)

# UPGRADES[n] turns a version n-1 database into version n. A fresh database is created directly at
# SCHEMA_VERSION from tables.py; tests/store/test_upgrades.py proves that both roads lead to the
# same schema. Append a step for every change; a shipped step is never edited. Steps run in one transaction
# after a verified backup, with SQLite's foreign keys off (a table rebuild must not cascade-delete rows) and a
# foreign_key_check before COMMIT (models/db.py).
#
# Several features may add steps at once: each lands as its own new step at the top (renumbered onto
# what landed first); a step's body is a `step_<subject>` function so the ladder below reads as a list.


def step_settings(db: pw.Database) -> None:
    """2: office-wide settings (models/store/settings.py), one versioned row per key."""
    db.create_tables([t.Setting], safe=True)


def step_duplicates(db: pw.Database) -> None:
    """3: possible duplicates (models/store/duplicates.py): clients' comparable keys, "a different person",
    merges and the rows each merge moved; the keys of the clients already there are computed."""
    db.create_tables([t.ClientKey, t.NotSame, t.Merge, t.MergeMove], safe=True)
    from models.store.duplicates import rebuild_keys  # noqa: PLC0415 - the store is not needed by other steps

    rebuild_keys()


def step_imports(db: pw.Database) -> None:
    """4: contact imports (models/store/imports.py) and the client's "More contact details"."""
    # One ALTER on both engines (no table rebuild), with the same SQL default tables.py declares.
    db.execute_sql('ALTER TABLE "client" ADD COLUMN "more_details" TEXT NOT NULL DEFAULT \'\'')
    db.create_tables([t.ContactImport, t.ImportedRow], safe=True)


def step_review(db: pw.Database) -> None:
    """5: interaction.topic (the office's topics, as text) and the indexes the review reads by."""
    from playhouse.migrate import SchemaMigrator, migrate

    if "topic" not in {c.name for c in db.get_columns("interaction")}:
        migrate(SchemaMigrator.from_database(db).add_column("interaction", "topic",
                                                            pw.CharField(max_length=100, null=True)))
    t.Interaction._schema.create_indexes(safe=True)


def step_history_and_erasure(db: pw.Database) -> None:
    """6: indexes for Office > History (change by colleague, by kind, by time) and the erasure list (issue 11)."""
    t.Change._schema.create_indexes(safe=True)
    db.create_tables([t.Erasure], safe=True)


def step_write_receipts(db: pw.Database) -> None:
    """7: the write_receipt table: a write retried after a lost connection is never saved twice (issue 12)."""
    db.create_tables([t.WriteReceipt], safe=True)


def step_search(db: pw.Database) -> None:
    """8: full-text search (models/search_index.py): the normalised words column, the index built for every row,
    and entries' time indexes (search reads a common word's newest matches in time order)."""
    indexed = {  # what was searched at version 8 (a later step may add columns: they do not exist yet here)
        "client": (t.Client, ("name", "organisation", "phone", "email", "address", "more_details")),
        "interaction": (t.Interaction, ("summary", "details")),
        "note": (t.Note, ("text",)),
        "promise": (t.Promise, ("text",)),
    }
    from models import search_index  # noqa: PLC0415 - the index module loads when a schema is made, not at start

    for table, _ in indexed.values():
        db.execute_sql(f'ALTER TABLE "{table._meta.table_name}" ADD COLUMN "search_words" TEXT NOT NULL DEFAULT \'\'')
    search_index.install(db, indexed)


def step_score_index(db: pw.Database) -> None:
    """9: the score cache's index by `stable_until`: which badges ran out is a range of an index, not a pass over
    every client (issue 10)."""
    t.ScoreCache._schema.create_indexes(safe=True)


def step_client_name_index(db: pw.Database) -> None:
    """10: the live clients by name without case (`client_folded_name`): the client list (and its first screenful) is read
    in the list's own order from an index, not sorted (issue 10). It takes the place of the index by name as the
    database compares names."""
    db.execute_sql('DROP INDEX IF EXISTS "client_deleted_at_name_id"')
    t.Client._schema.create_indexes(safe=True)


UPGRADES: dict[int, Callable[[pw.Database], None]] = {
    2: step_settings,
    3: step_duplicates,
    4: step_imports,
    5: step_review,
    6: step_history_and_erasure,
    7: step_write_receipts,
    8: step_search,
    9: step_score_index,
    10: step_client_name_index,
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
    from models import search_index  # noqa: PLC0415

    db.create_tables(t.ALL_TABLES, safe=True)
    search_index.install(db)  # what tables.py cannot say: the full-text index and its triggers
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
