"""Opening databases: creation, reopening, refusing files that are not Rapport's, bad folders."""
from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import migrations, store
from models.errors import DatabaseError


def test_a_missing_file_becomes_a_new_office(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    office = store.open(path)
    try:
        assert office.created and office.engine == "sqlite"
        assert path.exists()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()
    finally:
        store.close()


def test_everything_persists_across_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    store.open(path)
    anna = store.add_staff("Anna Keller").id
    cid = store.add_client(name="Isla Walsh", by=anna).id
    store.log_interaction(cid, by=anna, summary="Called about the lease", rating=1)
    store.add_note(cid, by=anna, text="Prefers email")
    store.close()
    office = store.open(path)
    assert not office.created
    assert [c.name for c in store.list_clients()] == ["Isla Walsh"]
    kinds = sorted(e.kind for e in store.timeline(cid))
    assert kinds == ["interaction", "note"]
    store.close()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "letter.db"
    path.write_text("Dear tenant, " * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a Rapport database: it is not a database file at all"):
        store.open(path)
    assert path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="is a database, but not a Rapport database"):
        store.open(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]
    conn.close()


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(DatabaseError, match="does not exist") as err:
        store.open(missing / "office.db")
    assert str(missing) in err.value.message
    assert not missing.exists()  # refused, not quietly created
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_folder_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        store.open(tmp_path)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot write to: chmod for a normal user; for root (who may write anywhere
    chmod allows) a read-only filesystem mounted there, as a write-protected share would be."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "rapport-test", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip("running as root without the right to mount a read-only filesystem, so a read-only "
                    f"folder cannot be made here ({mounted.stderr.strip()}); run the tests as a normal user")
    try:
        yield folder
    finally:
        store.close()  # an open connection would keep the mount busy
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=False)


def test_a_read_only_folder_is_refused(read_only_folder: Path) -> None:
    with pytest.raises(DatabaseError, match="read-only"):
        store.open(read_only_folder / "office.db")
    assert not (read_only_folder / "office.db").exists()


def test_a_read_only_folder_check_uses_access_rights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root the folder is always writable, so fake what os.access says about it."""
    folder = tmp_path / "shared"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode))
    with pytest.raises(DatabaseError, match="the folder is read-only for you"):
        store.open(folder / "office.db")
    assert not (folder / "office.db").exists()


def test_a_newer_schema_is_refused_with_update_advice(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    store.open(path)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(migrations.SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as err:
        store.open(path)
    assert err.value.message == ("future.db was made by a newer version of Rapport. "
                                 "Please update Rapport on this computer.")


def test_a_cloud_sync_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    folder = tmp_path / "OneDrive - Harbourside"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="OneDrive"):
        store.open(folder / "office.db")
    office = store.open(folder / "office.db", allow_cloud=True)
    try:
        assert any("OneDrive" in w for w in office.warnings)
    finally:
        store.close()


def test_a_wal_file_is_switched_back_to_a_rollback_journal(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    store.open(path)
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    conn.close()
    store.open(path)
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_wal_file_open_elsewhere_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    store.open(path)
    store.close()
    other = sqlite3.connect(path)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("SELECT count(*) FROM client").fetchone()  # keeps a connection to the WAL file open
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM staff").fetchone()
    try:
        with pytest.raises(DatabaseError) as err:
            store.open(path)
        assert err.value.message == (
            f"{path} is set up in a way that is unsafe in a shared folder, and another desk has it open. "
            "Close Rapport on the other desks, then open it here once to repair the file.")
    finally:
        other.rollback()
        other.close()


def test_postgres_url_that_cannot_be_reached_gets_a_sentence() -> None:
    with pytest.raises(DatabaseError, match="could not reach the PostgreSQL server at 127.0.0.1:1"):
        store.open("postgresql://nobody@127.0.0.1:1/rapport")
