"""What the person at the desk reads when the store refuses or fails: a plain sentence, word for word, with the
technical detail (the driver's words, table and column names, schema numbers) in the log instead."""
from __future__ import annotations

import json
import logging
import sqlite3
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import peewee as pw
import pytest

from models import db as dbmod
from models import migrations, store
from models.errors import BusyError, DatabaseError, ValidationError
from models.rules.text import LONG_LIMIT, SEARCH_LIMIT
from models.store import backup as backup_module
from tests.store.conftest import database_rows

AS_EXPORTED = "Load the file just as Rapport exported it, without changes."


def logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    """True when `text` reached the log (a message or the traceback of an exception logged with it)."""
    return any(text in record.getMessage() or (record.exc_info and text in str(record.exc_info[1]))
               for record in caplog.records)


# --- searching ---------------------------------------------------------------------------------------

def test_a_pasted_blob_as_search_text_is_refused_up_front_naming_the_field(client: int) -> None:
    with pytest.raises(ValidationError) as err:
        store.list_clients(text="x" * 5_000_000)
    assert err.value.field == "text"
    assert err.value.message == "The search text is too long: at most 500 characters, and this is 5,000,000."


def test_a_search_text_at_the_limit_still_searches(client: int) -> None:
    assert store.list_clients(text="x" * SEARCH_LIMIT) == []
    with pytest.raises(ValidationError, match="at most 500 characters, and this is 501"):
        store.list_clients(text="x" * (SEARCH_LIMIT + 1))


def test_a_search_of_many_words_within_the_limit_is_answered(client: int) -> None:
    """About 90 words used to nest too deep for SQLite's parser ("parser stack overflow" on the screen)."""
    many = " ".join(["a"] * (SEARCH_LIMIT // 2))
    assert len(store.list_clients(text=many)) == len(store.list_clients(text="a"))
    distinct = " ".join(chr(0x4E00 + i) for i in range(SEARCH_LIMIT // 2))
    assert store.list_clients(text=distinct) == []


# --- errors nobody foresaw ---------------------------------------------------------------------------

def test_an_unforeseen_database_error_is_a_sentence_and_the_driver_text_goes_to_the_log(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="models.db"):
        error = dbmod.translate(pw.OperationalError("LIKE or GLOB pattern too complex"), "o.db")
    assert isinstance(error, DatabaseError)
    assert error.message == ("Something went wrong with o.db, so Rapport could not finish this. Please try again; "
                             "if it keeps happening, ask whoever looks after Rapport for help.")
    assert logged(caplog, "LIKE or GLOB pattern too complex")


def test_busy_for_too_long_says_rapport_stopped_waiting() -> None:
    assert BusyError().message == ("The shared database stayed busy at another desk, so Rapport stopped waiting. "
                                   "What you typed is kept; please try again in a moment.")
    assert isinstance(dbmod.translate(pw.OperationalError("database is locked")), BusyError)


def test_a_time_without_a_time_zone_is_refused_without_jargon(client: int, anna: int) -> None:
    with pytest.raises(ValidationError) as err:
        store.make_promise(client, by=anna, text="Call back", due=datetime(2026, 12, 1, 17, 0))
    assert err.value.field == "due"
    assert err.value.message == ("The due date needs a time zone, or Rapport cannot tell which moment is meant. "
                                 "Please enter it again.")


# --- plural labels -----------------------------------------------------------------------------------

def test_the_details_are_too_long_and_the_summary_is(client: int, anna: int) -> None:
    with pytest.raises(ValidationError) as err:
        store.log_interaction(client, by=anna, summary="Called", rating=0, details="x" * (LONG_LIMIT + 1))
    assert err.value.field == "details"
    assert err.value.message == "The details are too long: at most 100,000 characters, and this is 100,001."
    with pytest.raises(ValidationError) as err:
        store.log_interaction(client, by=anna, summary="x" * 501, rating=0)
    assert err.value.message == "The summary is too long: at most 500 characters, and this is 501."
    entry = store.log_interaction(client, by=anna, summary="Called", rating=0).id
    with pytest.raises(ValidationError) as err:
        store.edit_interaction(entry, by=anna, details="Bad\x07bell")
    assert err.value.message == ("The details contain invisible control characters (often from copying a document). "
                                 "Please retype or remove them.")


def test_the_initials_are_too_long(anna: int) -> None:
    with pytest.raises(ValidationError) as err:
        store.add_staff("Ben Okafor", by=anna, initials="BOKAF")
    assert err.value.field == "initials"
    assert err.value.message == "The initials are too long: at most 4 characters, and this is 5."


# --- opening -----------------------------------------------------------------------------------------

def test_a_file_sqlite_cannot_open_gets_a_sentence_not_the_driver_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(self: pw.SqliteDatabase, *args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("file is not a database")
    path = tmp_path / "office.db"
    monkeypatch.setattr(pw.SqliteDatabase, "connect", broken)
    with caplog.at_level(logging.WARNING, logger="models.db"), pytest.raises(DatabaseError) as err:
        store.open(path)
    assert err.value.message == (f"{path} could not be opened as a Rapport database: the file is damaged, or it is "
                                 "not a database. Choose another file, or ask for help to restore a backup.")
    assert logged(caplog, "file is not a database")


@pytest.mark.parametrize(("server_says", "sentence"), [
    ('connection to server at "127.0.0.1", port 1 failed: Connection refused',
     "Rapport could not reach the PostgreSQL server at 127.0.0.1:1 (database rapport). Check that the server is "
     "running and the address is right."),
    ('connection to server at "127.0.0.1", port 1 failed: FATAL:  password authentication failed for user "nobody"',
     "The PostgreSQL server at 127.0.0.1:1 did not accept the user name or password in the address. Check them, "
     "or ask whoever looks after the server."),
    ('connection to server at "127.0.0.1", port 1 failed: FATAL:  role "nobody" does not exist',
     "The PostgreSQL server at 127.0.0.1:1 did not accept the user name or password in the address. Check them, "
     "or ask whoever looks after the server."),
    ('connection to server at "127.0.0.1", port 1 failed: FATAL:  database "rapport" does not exist',
     "The PostgreSQL server at 127.0.0.1:1 has no database called rapport. Check the name at the end of the "
     "address, or ask whoever looks after the server to create it."),
])
def test_a_postgres_server_that_refuses_gets_a_sentence_and_its_words_go_to_the_log(
        server_says: str, sentence: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def refuse(self: pw.PostgresqlDatabase, *args: object, **kwargs: object) -> None:
        raise pw.OperationalError(server_says)
    monkeypatch.setattr(pw.PostgresqlDatabase, "connect", refuse)
    with caplog.at_level(logging.WARNING, logger="models.db"), pytest.raises(DatabaseError) as err:
        store.open("postgresql://nobody@127.0.0.1:1/rapport")
    assert err.value.message == sentence
    assert logged(caplog, server_says)


# --- backups -----------------------------------------------------------------------------------------



@pytest.mark.parametrize(("failure", "sentence"), [
    (sqlite3.OperationalError("disk I/O error"),
     "Rapport could not make a backup of office.db in {folder}. Check that the disk has free space and that you "
     "may save files there, then try again."),
    (OSError(28, "No space left on device"),
     "Rapport could not make a backup of office.db in {folder}. Check that the disk has free space and that you "
     "may save files there, then try again."),
    (sqlite3.OperationalError("database is locked"),
     "Rapport could not make a backup of office.db just now: the shared database stayed busy at another desk. "
     "Please try again in a moment."),
])
def test_a_backup_that_cannot_be_made_gets_a_sentence(sqlite_office: Path, failure: Exception, sentence: str,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    def copy(source: Path, destination: Path) -> None:
        raise failure
    monkeypatch.setattr(backup_module, "copy_database", copy)
    with caplog.at_level(logging.ERROR, logger="models.store.backup"), pytest.raises(DatabaseError) as err:
        store.backup_now(reason="by hand")
    assert err.value.message == sentence.format(folder=store.backups_folder())
    assert logged(caplog, str(failure))


def test_a_backup_that_cannot_be_checked_or_is_damaged_is_refused_in_plain_words(
        sqlite_office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    anna = store.add_staff("Anna Keller", role="admin").id
    garbled = tmp_path / "garbled.db"
    garbled.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    before = database_rows(presence=False)
    with caplog.at_level(logging.WARNING, logger="models.store.backup"), pytest.raises(ValidationError) as err:
        store.restore_backup(garbled, by=anna)
    assert err.value.message == "garbled.db could not be checked, so it is probably damaged. Choose another backup."
    assert logged(caplog, "not a database")

    good = store.backup_now(reason="by hand").path
    real_connect = sqlite3.connect

    class Damaged:
        """A connection to the backup whose integrity check reports damage."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            self.conn = real_connect(*args, **kwargs)

        def execute(self, sql: str) -> object:
            if "integrity_check" in sql:
                return real_connect(":memory:").execute("SELECT 'Page 7 is never used'")
            return self.conn.execute(sql)

        def close(self) -> None:
            self.conn.close()
    monkeypatch.setattr(backup_module, "sqlite3", SimpleNamespace(connect=Damaged, Error=sqlite3.Error))
    with caplog.at_level(logging.WARNING, logger="models.store.backup"), pytest.raises(ValidationError) as err:
        store.restore_backup(good, by=anna)
    assert err.value.message == f"{good.name} is damaged: it failed its check. Choose another backup."
    assert logged(caplog, "Page 7 is never used")
    assert database_rows(presence=False) == before


def test_a_restore_that_fails_half_way_says_the_office_is_as_it_was(
        sqlite_office: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    anna = store.add_staff("Anna Keller", role="admin").id
    backup = store.backup_now(reason="by hand").path
    store.add_client(name="Added after the backup", by=anna)

    def full(source: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(backup_module, "_copy_into", full)
    with caplog.at_level(logging.ERROR, logger="models.store.backup"), pytest.raises(DatabaseError) as err:
        store.restore_backup(backup, by=anna)
    assert err.value.message == ("The backup could not be restored, so the office is as it was. Check that the disk "
                                 "has free space and try again, or ask for help.")
    assert logged(caplog, "No space left on device")
    assert [c.name for c in store.list_clients()] == ["Added after the backup"]


# --- loading and copying an office ---------------------------------------------------------------------

@pytest.fixture
def exported(tmp_path: Path) -> dict:
    """An export of a small office (one staff member, one client, one note), as JSON; no office is left open."""
    store.open(tmp_path / "source.db")
    try:
        anna = store.add_staff("Anna Keller").id
        client = store.add_client(name="Oliver Thompson", by=anna).id
        store.add_note(client, by=anna, text="Prefers calls after 5 pm")
        store.export_office(tmp_path / "office.json")
    finally:
        store.close()
    return json.loads((tmp_path / "office.json").read_text(encoding="utf-8"))


def load(tmp_path: Path, name: str, document: dict) -> str:
    """Load `document` (saved as `name`) into a new, empty office; the sentence it was refused with."""
    (tmp_path / name).write_text(json.dumps(document), encoding="utf-8")
    store.open(tmp_path / f"{name}.db")
    try:
        with pytest.raises(ValidationError) as err:
            store.import_office(tmp_path / name)
        assert store.list_staff() == [] and store.list_clients() == []  # nothing half-loaded
        return err.value.message
    finally:
        store.close()


def test_an_export_whose_records_appear_twice_is_refused_without_the_database_error(
        exported: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    exported["tables"]["note"].append(dict(exported["tables"]["note"][0]))
    exported["counts"]["note"] = 2
    with caplog.at_level(logging.WARNING, logger="models.store.export"):
        message = load(tmp_path, "twice.json", exported)
    assert message == ("twice.json does not fit together (note records refer to records that are not in the file, "
                       f"or appear twice), so nothing was loaded. {AS_EXPORTED}")
    assert logged(caplog, "UNIQUE")


def test_an_export_with_a_record_pointing_at_a_missing_one_is_refused_in_words(exported: dict,
                                                                                tmp_path: Path) -> None:
    exported["tables"]["note"][0]["client_id"] = 99  # a note about a client the file does not hold
    message = load(tmp_path, "dangling.json", exported)
    assert message == ("dangling.json does not fit together (note records refer to records that are not in the "
                       f"file), so nothing was loaded. {AS_EXPORTED}")


@pytest.mark.parametrize(("table", "change", "problem"), [
    ("note", {"client_id": "Oliver"}, "a note record (number 1) whose client is not a whole number"),
    ("promise_event", None, "a promise step record (number 1) whose date and time is not a date and time with a "
                            "time zone"),
    ("note", {"at": None}, "a note record (number 1) whose date and time is empty"),
    ("note", {"pinned": "yes"}, "a note record (number 1) whose pinned mark is not yes or no"),
    ("staff", {"initials": "ANNA KELLER"}, "a staff record (number 1) whose initials are longer than 10 characters"),
    ("client", {"name": 7}, "a client record (number 1) whose name is not text"),
])
def test_a_bad_value_in_an_export_is_named_in_words_not_column_names(
        exported: dict, tmp_path: Path, table: str, change: dict | None, problem: str) -> None:
    rows = exported["tables"][table]
    if change is None:  # an export of this office has no promise steps: one made up, with a bad time
        rows.append({"id": 1, "promise_id": 1, "client_id": 1, "at": "Tuesday", "staff_id": 1, "action": "made"})
        exported["counts"][table] = 1
    else:
        rows[0].update(change)
    message = load(tmp_path, "bad.json", exported)
    assert message == f"bad.json has {problem}, so nothing was loaded. {AS_EXPORTED}"
    assert "_id" not in message and "promise_event" not in message


def test_a_missing_value_and_unknown_records_in_an_export_are_named_in_words(
        exported: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    without = json.loads(json.dumps(exported))
    del without["tables"]["note"][0]["at"]
    assert load(tmp_path, "without.json", without) == (
        f"without.json has a note record (number 1) without its date and time, so nothing was loaded. {AS_EXPORTED}")
    extra = json.loads(json.dumps(exported))
    extra["tables"]["client"][0]["salary"] = 1
    with caplog.at_level(logging.WARNING, logger="models.store.export"):
        assert load(tmp_path, "extra.json", extra) == (
            f"extra.json has client records with details Rapport does not know, so nothing was loaded. {AS_EXPORTED}")
    assert logged(caplog, "salary")
    unknown = {**exported, "tables": {**exported["tables"], "invoices": []}}
    with caplog.at_level(logging.WARNING, logger="models.store.export"):
        assert load(tmp_path, "unknown.json", unknown) == (
            f"unknown.json holds a kind of record Rapport does not know, so nothing was loaded. {AS_EXPORTED}")
    assert logged(caplog, "invoices")


def test_copying_into_another_versions_database_does_not_show_its_schema_number(
        sqlite_office: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store.add_staff("Anna Keller")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(sqlite_office)
    conn.execute(f"VACUUM INTO '{other}'")
    conn.close()
    conn = sqlite3.connect(other)
    conn.execute("UPDATE meta SET value = ? WHERE key = ?", (str(migrations.SCHEMA_VERSION + 1), migrations.SCHEMA_KEY))
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING, logger="models.store.export"), pytest.raises(ValidationError) as err:
        store.copy_office(other)
    assert err.value.message == ("other.db was made by another version of Rapport. "
                                 "Copy into a new, empty database instead.")
    assert logged(caplog, f"schema version {migrations.SCHEMA_VERSION + 1}")
