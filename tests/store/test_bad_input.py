"""Bad input at the store (issue 2, "Bad input"): each is refused with a sentence naming the field or the
file, and the database is left exactly as it was.

Messages are asserted on their stable parts (the field's words, "empty", "time zone" ...), not word for word.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models import migrations, store
from models.errors import DatabaseError, ValidationError
from tests.store.conftest import database_rows

BLANKS = ["", "   ", "\t \n "]
NOBODY = 999  # no staff member has this id


def refused(call, field: str) -> ValidationError:  # noqa: ANN001
    """Run a write that must be refused; it names `field`, says a sentence and leaves every row as it was."""
    before = database_rows()
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field, f"refused for {err.value.field!r}, not {field!r}: {err.value.message}"
    assert err.value.message.endswith(".") and len(err.value.message.split()) >= 4  # a sentence, not a code
    assert database_rows() == before
    return err.value


def tomorrow() -> datetime:
    return store.utcnow() + timedelta(days=1)


# --- empty names and texts ---------------------------------------------------------------------

@pytest.mark.parametrize("name", BLANKS[1:])
def test_a_whitespace_only_client_name_is_refused_when_adding(anna: int, name: str) -> None:
    error = refused(lambda: store.add_client(name=name, by=anna, phone="01632 960001"), "name")
    assert "name" in error.message.lower() and "empty" in error.message.lower()
    assert store.list_clients() == []


@pytest.mark.parametrize("name", BLANKS)
def test_a_blank_client_name_is_refused_when_editing(client: int, anna: int, name: str) -> None:
    seen = store.get_client(client)
    error = refused(lambda: store.update_client(client, version=seen.version, by=anna, name=name,
                                                phone="01632 960999"), "name")
    assert "name" in error.message.lower() and "empty" in error.message.lower()
    after = store.get_client(client)
    assert (after.name, after.phone, after.version) == ("Oliver Thompson", "01632 960001", seen.version)


@pytest.mark.parametrize("text", BLANKS)
def test_an_empty_note_is_refused(client: int, anna: int, text: str) -> None:
    error = refused(lambda: store.add_note(client, by=anna, text=text), "text")
    assert "note" in error.message.lower() and "empty" in error.message.lower()
    assert len(store.timeline(client)) == 0


@pytest.mark.parametrize("summary", BLANKS)
def test_an_empty_interaction_summary_is_refused(client: int, anna: int, summary: str) -> None:
    error = refused(lambda: store.log_interaction(client, by=anna, summary=summary, rating=0), "summary")
    assert "summary" in error.message.lower() and "empty" in error.message.lower()
    assert len(store.timeline(client)) == 0
    assert store.get_client(client).last_contact_at is None


@pytest.mark.parametrize("text", BLANKS)
def test_an_empty_promise_is_refused(client: int, anna: int, text: str) -> None:
    error = refused(lambda: store.make_promise(client, by=anna, text=text, due=tomorrow()), "text")
    assert "promised" in error.message.lower() and "empty" in error.message.lower()
    assert len(store.timeline(client)) == 0
    assert store.get_client(client).next_due_at is None


# --- absurd due dates --------------------------------------------------------------------------

@pytest.mark.parametrize("due,words", [
    (datetime(1850, 6, 1, 17, 0, tzinfo=UTC), "1850"),
    (datetime(9999, 12, 31, 17, 0, tzinfo=UTC), "9999"),
    (datetime(2026, 12, 1, 17, 0), "time zone"),  # naive: whose 5 pm?
])
def test_an_absurd_due_date_is_refused(client: int, anna: int, due: datetime, words: str) -> None:
    error = refused(lambda: store.make_promise(client, by=anna, text="Call back", due=due), "due")
    assert "due date" in error.message.lower() and words in error.message
    assert len(store.timeline(client)) == 0


def test_a_sane_due_date_with_a_time_zone_is_accepted(client: int, anna: int) -> None:
    """The refusals above are about the dates, not about promises: a sane due date in a zone is saved."""
    due = datetime(2027, 1, 4, 17, 0, tzinfo=UTC)
    pid = store.make_promise(client, by=anna, text="Call back", due=due).id
    assert store.get_promise(pid).due == due


# --- unknown staff -----------------------------------------------------------------------------

def test_unknown_staff_cannot_log_an_interaction(client: int) -> None:
    error = refused(lambda: store.log_interaction(client, by=NOBODY, summary="Called", rating=0), "by")
    assert "team" in error.message.lower()
    assert len(store.timeline(client)) == 0


def test_unknown_staff_cannot_add_a_client(anna: int) -> None:
    error = refused(lambda: store.add_client(name="Isla Walsh", by=NOBODY), "by")
    assert "team" in error.message.lower()
    assert store.list_clients() == []


def test_unknown_staff_cannot_make_a_promise(client: int) -> None:
    error = refused(lambda: store.make_promise(client, by=NOBODY, text="Call back", due=tomorrow()), "by")
    assert "team" in error.message.lower()
    assert len(store.timeline(client)) == 0


def test_a_promise_cannot_be_given_to_somebody_not_on_the_team(client: int, anna: int) -> None:
    error = refused(lambda: store.make_promise(client, by=anna, text="Call back", due=tomorrow(), owner=NOBODY),
                    "owner")
    assert "team" in error.message.lower()
    assert len(store.timeline(client)) == 0


# --- files that cannot be used -----------------------------------------------------------------

def make_office(path: Path) -> None:
    store.open(path)
    anna = store.add_staff("Anna Keller").id
    store.add_client(name="Oliver Thompson", by=anna)
    store.close()


@pytest.fixture
def read_only_file(tmp_path: Path) -> Iterator[Path]:
    """An office file this process cannot write to, in a folder it can write to.

    For a normal user chmod 0o444 does it. Root writes through chmod, so for root the one file is
    bind-mounted read-only over itself (as a write-protected file on a share would be).
    """
    path = tmp_path / "office.db"
    make_office(path)
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield path
        path.chmod(0o644)
        return
    bound = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True, text=True)
    if bound.returncode != 0:
        pytest.skip("running as root without the right to mount, and root writes through chmod 0o444, so a "
                    f"read-only file cannot be made here ({bound.stderr.strip()}); run the tests as a normal user")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True, text=True)
        if remount.returncode != 0:
            pytest.skip(f"running as root, and the file could not be made read-only ({remount.stderr.strip()})")
        yield path
    finally:
        store.close()  # an open connection would keep the mount busy
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(path)], check=False)


def test_a_read_only_office_file_is_refused_naming_the_file(read_only_file: Path) -> None:
    assert os.access(read_only_file.parent, os.W_OK)  # only the file is read-only
    before = read_only_file.read_bytes()
    with pytest.raises(DatabaseError) as err:
        store.open(read_only_file)
    assert str(read_only_file) in err.value.message and "read-only" in err.value.message
    assert read_only_file.read_bytes() == before
    assert sorted(p.name for p in read_only_file.parent.iterdir()) == ["office.db"]  # no journal left behind


def test_an_empty_file_becomes_a_new_office(tmp_path: Path) -> None:
    """A 0-byte file holds nothing to lose (a `touch`, or a new file made in Explorer): SQLite itself reads
    it as an empty database, so Rapport makes it a new, empty office there and says so (`created`),
    rather than refusing a file the receptionist was just told to use."""
    path = tmp_path / "office.db"
    path.touch()
    office = store.open(path)
    try:
        assert office.created and office.engine == "sqlite"
        assert store.list_clients() == [] and store.list_staff() == []
        store.add_staff("Anna Keller")
    finally:
        store.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    finally:
        conn.close()
    again = store.open(path)
    try:
        assert not again.created and [s.name for s in store.list_staff()] == ["Anna Keller"]
    finally:
        store.close()


def test_checking_a_location_leaves_an_empty_file_that_was_there(tmp_path: Path) -> None:
    """File > Office database's check never deletes a file it found, even an empty one."""
    found = tmp_path / "office.db"
    found.touch()
    assert "a new, empty office will be created there" in store.probe(found)
    assert found.exists()
    new = tmp_path / "new.db"
    assert "a new, empty office will be created there" in store.probe(new)
    assert not new.exists()  # what the check itself made, it takes away again
