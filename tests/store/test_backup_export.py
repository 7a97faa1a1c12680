"""Backups (online, checked, pruned, restored by an admin while nobody else works), portable JSON exports and
imports, and copying an office into another empty database (SQLite or PostgreSQL)."""
from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from models import db as dbmod
from models import migrations, paths, store
from models import tables as t
from models.errors import DatabaseError, ValidationError
from models.store import backup as backup_module
from models.store import bulk as bulk_module
from models.store import copy as copy_module
from models.store import export as export_module
from tests.store.conftest import PG_SKIP, PG_URL, Clock, reset_postgres

V1_OFFICE = Path(__file__).resolve().parent.parent / "data" / "office-v1.db"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


# --- helpers -------------------------------------------------------------------------------------



def fill_office() -> dict[str, int]:
    """A small office using every kind of record: the team, clients (one deleted), the timeline with a fix,
    notes, promises in every state, the change log and the score cache."""
    clock = Clock(START - timedelta(days=10))
    store.set_clock(clock)
    anna = store.add_staff("Anna Keller", pin="2468").id
    ben = store.add_staff("Ben Okafor", by=anna).id
    chloe = store.add_staff("Chloé Dubois", by=anna, role="admin").id
    store.set_away(ben, by=anna, away_from=START + timedelta(days=3), away_until=START + timedelta(days=5),
                   reason="Holiday")
    oliver = store.add_client(name="Oliver Thompson", by=anna, organisation="Bayview Holdings",
                              phone="01632 960001", email="oliver@example.com", usual_handler=ben).id
    isla = store.add_client(name="Isla Walsh", by=chloe, address="1 Quay St\nPortsmouth").id
    gone = store.add_client(name="Priya Nair", by=anna).id
    clock.advance(hours=1)
    failed = store.log_interaction(oliver, by=anna, summary="Invoice sent twice", rating=-2, channel="email").id
    clock.advance(hours=2)
    store.log_interaction(oliver, by=ben, summary="Refund made — sorry", rating=1, recovers=failed, apology=True,
                          details="Long story.\nTwo lines.")
    store.edit_interaction(failed, by=anna, summary="Invoice sent twice (duplicate)")
    store.add_note(oliver, by=anna, text="Prefers calls after 5 pm ☎", pinned=True)
    note = store.add_note(isla, by=chloe, text="Wrong number").id
    store.delete_entry("note", note, by=chloe)
    store.log_interaction(isla, by=chloe, summary="Viewing booked", rating=2, channel="visit")
    store.log_interaction(gone, by=anna, summary="Asked to be forgotten", rating=0)
    kept = store.make_promise(oliver, by=anna, text="Send the corrected invoice", due=START).id
    store.keep_promise(kept, by=anna)
    moved = store.make_promise(isla, by=chloe, text="Call back about the lease", due=START + timedelta(days=1)).id
    store.renegotiate_promise(moved, by=chloe, due=START + timedelta(days=2))
    store.reassign_promise(moved, by=chloe, owner=anna)
    dropped = store.make_promise(oliver, by=ben, text="Visit the site", due=START + timedelta(days=4)).id
    store.cancel_promise(dropped, by=ben, reason="Client cancelled")
    store.delete_client(gone, by=anna)
    store.refresh_scores()
    return {"anna": anna, "ben": ben, "chloe": chloe, "oliver": oliver, "isla": isla, "gone": gone}


def dump(tables: tuple[Any, ...] = bulk_module.COPY_TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the open office, per table, in primary-key order (booleans as 0/1 on both engines).

    Not `search_words`: each engine's search index keeps its own (models/search_index.py).
    """
    db = t.database.obj
    out = {}
    for spec in tables:
        columns = ", ".join(f'"{c}"' for c in spec.columns if c != "search_words")
        where = " WHERE \"key\" <> 'schema_version'" if spec.name == "meta" else ""
        rows = db.execute_sql(f'SELECT {columns} FROM "{spec.name}"{where} ORDER BY "{spec.columns[spec.key]}"')
        out[spec.name] = [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in rows.fetchall()]
    return out


def open_location(engine: str, tmp_path: Path, name: str, scratch: str | None) -> str:
    if engine == "postgresql":
        assert scratch is not None
        return scratch
    return str(tmp_path / name)


def other_desk(host: str = "FRONT-DESK-2", staff: int | None = None) -> str:
    """Another desk's session row, as its heartbeat leaves it."""
    session = uuid.uuid4().hex
    t.Session.insert(id=session, staff=staff, host=host, pid=4242, app_version="0.1.0", started_at=store.utcnow(),
                     last_seen=store.utcnow(), client=None).execute()
    return session


# --- backups -------------------------------------------------------------------------------------

def test_a_backup_is_an_online_integrity_checked_copy_in_the_desks_backups_folder(sqlite_office: Path) -> None:
    fill_office()
    before = dump()
    # another desk is half-way through a write: the backup neither waits for it nor includes it
    writer = sqlite3.connect(sqlite_office, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE client SET name = 'Half-saved' WHERE id = 1")
    info = store.backup_now()
    writer.execute("ROLLBACK")
    writer.close()
    assert info.ok and info.problem == "" and info.reason == "scheduled"
    assert info.path.parent == paths.backups_dir() and info.path.name.startswith("office_")
    assert info.taken_at.tzinfo is not None and info.taken_at.utcoffset() == timedelta(0)
    assert info.size_bytes == info.path.stat().st_size > 0
    assert store.list_backups() == [info]
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    assert conn.execute("SELECT name FROM client WHERE id = 1").fetchone()[0] == "Oliver Thompson"
    conn.close()
    store.close()
    store.open(info.path)  # the copy is a whole office
    assert dump() == before


def test_backups_never_write_the_change_log(sqlite_office: Path) -> None:
    fill_office()
    last = store.latest_change_id()
    store.backup_now()
    assert store.latest_change_id() == last
    assert store.changes_since(last)[1] == store.Changes()


def test_ten_generations_are_kept_newest_first(sqlite_office: Path) -> None:
    store.add_staff("Anna Keller")
    made = [store.backup_now() for _ in range(12)]
    kept = store.list_backups()
    assert [b.path for b in kept] == [b.path for b in reversed(made[2:])]
    assert not made[0].path.exists() and not made[1].path.exists()
    store.backup_now(keep=3, reason="Manual")
    assert [b.reason for b in store.list_backups()] == ["manual", "scheduled", "scheduled"]


def test_two_offices_with_the_same_file_name_keep_their_own_backups(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    store.open(tmp_path / "a" / "office.db")
    mine = store.backup_now()
    store.close()
    store.open(tmp_path / "b" / "office.db")
    try:
        assert store.list_backups() == []
        theirs = store.backup_now()
        assert store.list_backups() == [theirs] and mine.path.exists()
    finally:
        store.close()


def test_a_copy_that_fails_its_check_is_deleted_and_reported(sqlite_office: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_module, "check_file", lambda path, label: f"{label} is damaged.")
    info = store.backup_now()
    assert not info.ok and "failed its check, so it was deleted" in info.problem
    assert list(paths.backups_dir().iterdir()) == []
    assert store.list_backups() == []


def test_a_postgresql_office_is_backed_up_on_the_server(scratch_pg: str) -> None:
    store.open(scratch_pg)
    try:
        with pytest.raises(ValidationError, match=r"made on the server \(pg_dump\)"):
            store.backup_now()
        assert store.list_backups() == []
    finally:
        store.close()


# --- restore -------------------------------------------------------------------------------------

def test_only_an_administrator_may_restore(sqlite_office: Path) -> None:
    ids = fill_office()
    info = store.backup_now()
    with pytest.raises(store.PermissionDenied, match="Only an administrator can restore a backup"):
        store.restore_backup(info.path, by=ids["ben"])


def test_restore_waits_until_nobody_else_is_working(sqlite_office: Path) -> None:
    ids = fill_office()
    info = store.backup_now()
    store.start_session(ids["anna"], app_version="test")  # this desk never blocks itself
    other = other_desk(staff=ids["ben"])
    before = sqlite_office.read_bytes()
    with pytest.raises(ValidationError, match=r"another desk \(Ben Okafor on FRONT-DESK-2\)\. Close Rapport there"):
        store.restore_backup(info.path, by=ids["anna"])
    assert sqlite_office.read_bytes() == before
    store.end_session(other)
    assert store.restore_backup(info.path, by=ids["anna"])


def test_restore_brings_back_the_office_as_it_was(sqlite_office: Path) -> None:
    ids = fill_office()
    before = dump()
    session = store.start_session(ids["anna"], app_version="test")
    info = store.backup_now()
    store.add_client(name="Added after the backup", by=ids["anna"])
    client = store.get_client(ids["oliver"])
    store.update_client(ids["oliver"], version=client.version, by=ids["anna"], name="Renamed after the backup")
    last_seen = store.latest_change_id()

    changes = store.restore_backup(info.path, by=ids["anna"])

    assert changes.kinds >= {"client", "timeline", "promise", "staff", "score", "presence"} and not changes.clients
    after = dump()
    restore_row = after["change"].pop()
    assert after == before
    assert restore_row[0] == last_seen + 1  # above every id a desk has seen, so no desk skips what comes next
    assert store.latest_change_id() == last_seen + 1
    assert [s.session_id for s in store.online()] == [session]  # who is online survives the restore
    # the office before the restore was kept, and the office works on
    safety = [b for b in store.list_backups() if b.reason == "before restore"]
    assert len(safety) == 1
    conn = sqlite3.connect(safety[0].path)
    assert conn.execute("SELECT COUNT(*) FROM client WHERE name = 'Added after the backup'").fetchone()[0] == 1
    conn.close()
    assert store.add_client(name="After the restore", by=ids["anna"]).id == len(before["client"]) + 1
    assert sqlite3.connect(sqlite_office).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_what_is_not_a_sound_rapport_backup(sqlite_office: Path, tmp_path: Path) -> None:
    ids = fill_office()
    letter = tmp_path / "letter.db"
    letter.write_text("Dear tenant, " * 200)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    refusals = {
        letter: "not a Rapport backup: it is not a database file at all",
        other: "is a database, but not a Rapport backup",
        tmp_path / "missing.db": "is missing or out of reach",
        sqlite_office: "That is the office database itself",
    }
    before = dump()
    for path, sentence in refusals.items():
        with pytest.raises(ValidationError, match=sentence):
            store.restore_backup(path, by=ids["anna"])
    assert dump() == before and store.list_backups() == []


def test_restoring_an_older_backup_upgrades_it_on_the_way_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.store.test_upgrades import NEXT, add_nickname

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(migrations.UPGRADES, NEXT, add_nickname)
    old = tmp_path / "old-backup.db"
    shutil.copyfile(V1_OFFICE, old)
    store.open(tmp_path / "office.db")  # a new office, made at version 2
    try:
        anna = store.add_staff("Anna Keller").id
        store.restore_backup(old, by=anna)
        assert [c.name for c in store.list_clients()] == ["Isla Walsh", "Oliver Thompson"]
        assert dbmod.current() is not None and dbmod.current().schema_version == NEXT
        columns = [r[1] for r in t.database.obj.execute_sql('PRAGMA table_info("client")').fetchall()]
        assert "nickname" in columns
        assert {b.reason for b in store.list_backups()} == {"before restore", "before upgrade"}
    finally:
        store.close()


def test_restore_is_for_sqlite_offices(scratch_pg: str, tmp_path: Path) -> None:
    store.open(scratch_pg)
    try:
        anna = store.add_staff("Anna Keller").id
        with pytest.raises(ValidationError, match="pg_dump"):
            store.restore_backup(tmp_path / "x.db", by=anna)
    finally:
        store.close()


# --- export and import ---------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_export_then_import_into_an_empty_office_gives_back_every_row(engine: str, tmp_path: Path,
                                                                      request: pytest.FixtureRequest) -> None:
    scratch = None
    if engine == "postgresql":
        if not PG_URL:
            pytest.skip(PG_SKIP)
        reset_postgres(PG_URL)
        scratch = request.getfixturevalue("scratch_pg")
    source = PG_URL if engine == "postgresql" else str(tmp_path / "office.db")
    store.open(source)
    try:
        fill_office()
        original = dump(bulk_module.EXPORT_TABLES)
        written = store.export_office(tmp_path / "office.json")
    finally:
        store.set_clock(None)
        store.close()
    assert written == sum(len(rows) for rows in original.values())
    store.open(open_location(engine, tmp_path, "new.db", scratch))
    try:
        assert store.import_office(tmp_path / "office.json") == written
        loaded = dump(bulk_module.EXPORT_TABLES)
        assert loaded == original
        assert t.Staff.select().where(t.Staff.pin_hash.is_null(False)).count() == 0  # PINs never leave the office
        # ids go on from where the office left off (PostgreSQL's sequences were moved on)
        anna = store.list_staff()[0].id
        assert store.add_client(name="New here", by=anna).id == max(r[0] for r in original["client"]) + 1
    finally:
        store.close()


def test_an_import_can_be_recorded_under_who_did_it(sqlite_office: Path, tmp_path: Path) -> None:
    ids = fill_office()
    store.export_office(tmp_path / "office.json")
    store.close()
    store.open(tmp_path / "new.db")
    last = max(r[0] for r in dump()["change"]) if dump()["change"] else 0
    store.import_office(tmp_path / "office.json", by=ids["chloe"])
    row = t.Change.select().order_by(t.Change.id.desc()).get()
    assert (row.action, row.staff, row.entity) == ("import", ids["chloe"], "office") and row.id > last


def test_the_export_is_readable_json_with_a_header_and_iso_times(sqlite_office: Path, tmp_path: Path) -> None:
    fill_office()
    store.export_office(tmp_path / "office.json")
    document = json.loads((tmp_path / "office.json").read_text(encoding="utf-8"))
    assert document["format"] == "rapport-export" and document["format_version"] == 1
    assert document["schema_version"] == migrations.SCHEMA_VERSION and document["scope"] == "office"
    assert datetime.fromisoformat(document["exported_at"]).tzinfo is not None
    assert list(document["tables"]) == ["meta", "setting", "staff", "client", "interaction", "note", "promise",
                                        "promise_event", "change", "erasure"]
    assert document["counts"] == {name: len(rows) for name, rows in document["tables"].items()}
    assert all("pin_hash" not in s for s in document["tables"]["staff"])
    oliver = document["tables"]["client"][0]
    assert oliver["created_at"].endswith("Z") and datetime.fromisoformat(oliver["created_at"]) == START - timedelta(
        days=10)
    assert [c["name"] for c in document["tables"]["client"]] == ["Oliver Thompson", "Isla Walsh", "Priya Nair"]
    assert document["tables"]["client"][2]["deleted_at"] is not None  # deleted clients are part of everything


def test_a_re_indented_export_still_loads_even_read_a_few_characters_at_a_time(
        sqlite_office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill_office()
    original = dump(bulk_module.EXPORT_TABLES)
    store.export_office(tmp_path / "office.json")
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(json.loads((tmp_path / "office.json").read_text(encoding="utf-8")), indent=3),
                      encoding="utf-8")
    store.close()
    monkeypatch.setattr(export_module._Reader, "CHUNK", 7)  # values cut at every possible place
    store.open(tmp_path / "new.db")
    store.import_office(pretty)
    assert dump(bulk_module.EXPORT_TABLES) == original


def test_export_client_holds_that_client_and_nobody_else(sqlite_office: Path, tmp_path: Path) -> None:
    ids = fill_office()
    store.add_staff("Dan Unrelated", by=ids["anna"])
    for cid, name in ((ids["oliver"], "Oliver Thompson"), (ids["gone"], "Priya Nair")):
        path = tmp_path / f"client-{cid}.json"
        written = store.export_client(cid, path)
        document = json.loads(path.read_text(encoding="utf-8"))
        tables = document["tables"]
        assert document["scope"] == "client" and document["client"] == cid
        assert [c["name"] for c in tables["client"]] == [name]
        for table in ("interaction", "note", "promise", "promise_event"):
            assert {r["client_id"] for r in tables[table]} <= {cid}
        assert tables["change"] and {r["client"] for r in tables["change"]} == {cid}
        assert "Dan Unrelated" not in {s["name"] for s in tables["staff"]}
        assert all("pin_hash" not in s for s in tables["staff"])
        assert written == sum(document["counts"].values())
        text = path.read_text(encoding="utf-8")
        for other in ("Isla Walsh", "Oliver Thompson", "Priya Nair"):
            if other != name:
                assert other not in text
    oliver = json.loads((tmp_path / f"client-{ids['oliver']}.json").read_text(encoding="utf-8"))["tables"]
    assert {s["name"] for s in oliver["staff"]} == {"Anna Keller", "Ben Okafor"}
    assert len(oliver["interaction"]) == 2 and len(oliver["promise"]) == 2
    with pytest.raises(ValidationError, match="That client does not exist"):
        store.export_client(999, tmp_path / "nobody.json")
    assert not (tmp_path / "nobody.json").exists()


def _export_text(tmp_path: Path) -> str:
    store.export_office(tmp_path / "office.json")
    return (tmp_path / "office.json").read_text(encoding="utf-8")


def test_files_that_are_not_a_rapport_export_are_refused_with_a_sentence(sqlite_office: Path,
                                                                        tmp_path: Path) -> None:
    fill_office()
    good = _export_text(tmp_path)
    document = json.loads(good)
    store.close()
    store.open(tmp_path / "empty.db")
    cases: dict[str, str | bytes] = {
        "letter.json": "Dear tenant, please find attached",
        "other.json": json.dumps({"format": "someone-else", "format_version": 1, "tables": {}}),
        "list.json": "[1, 2, 3]",
        "photo.json": bytes(range(256)) * 10,
        "newer.json": good.replace('"format_version": 1', '"format_version": 2', 1),
        "newer-schema.json": good.replace(f'"schema_version": {migrations.SCHEMA_VERSION}',
                                          f'"schema_version": {migrations.SCHEMA_VERSION + 1}', 1),
        "cut.json": good[: len(good) * 2 // 3],
        "counts.json": good.replace('"counts": {"meta"', '"counts": {"extra":1,"meta"', 1),
        "unknown-table.json": json.dumps({**document, "tables": {"invoices": []}}),
        "bad-value.json": json.dumps({**document, "tables": {**document["tables"], "interaction": [
            {**document["tables"]["interaction"][0], "rating": "high"}]}}),
        "extra-field.json": json.dumps({**document, "tables": {**document["tables"], "staff": [
            {**document["tables"]["staff"][0], "salary": 1}]}}),
    }
    expected = {
        "letter.json": "letter.json is not a Rapport export file",
        "other.json": "other.json is not a Rapport export file",
        "list.json": "list.json is not a Rapport export file",
        "photo.json": "photo.json is not a Rapport export file",
        "newer.json": "exported by a newer version of Rapport. Please update Rapport on this computer",
        "newer-schema.json": "exported by a newer version of Rapport",
        "cut.json": "cut.json is damaged or incomplete",
        "counts.json": "counts.json is damaged or incomplete",
        "unknown-table.json": r"^unknown-table\.json holds a kind of record Rapport does not know, so nothing was "
                              r"loaded\. Load the file just as Rapport exported it, without changes\.$",
        "bad-value.json": r"^bad-value\.json has an interaction record \(number 1\) whose rating is not a whole "
                          r"number, so nothing was loaded\. Load the file just as Rapport exported it, without "
                          r"changes\.$",
        "extra-field.json": r"^extra-field\.json has staff records with details Rapport does not know, so nothing "
                            r"was loaded\. Load the file just as Rapport exported it, without changes\.$",
    }
    for name, content in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        with pytest.raises(ValidationError, match=expected[name]):
            store.import_office(path)
        assert store.list_staff() == [] and store.list_clients() == [], name  # nothing half-loaded
    with pytest.raises(ValidationError, match="There is no file at"):
        store.import_office(tmp_path / "nowhere.json")


def test_an_office_that_already_has_data_is_not_imported_into(sqlite_office: Path, tmp_path: Path) -> None:
    fill_office()
    store.export_office(tmp_path / "office.json")
    before = dump()
    with pytest.raises(ValidationError, match=r"already holds data \(3 clients, 3 staff members\)"):
        store.import_office(tmp_path / "office.json")
    assert dump() == before
    store.close()
    store.open(tmp_path / "one.db")
    store.add_staff("Only Me")
    with pytest.raises(ValidationError, match=r"\(0 clients, 1 staff member\)"):
        store.import_office(tmp_path / "office.json")


def test_an_export_never_leaves_half_a_file(sqlite_office: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fill_office()
    target = tmp_path / "office.json"
    target.write_text("the earlier export", encoding="utf-8")

    def broken(*args: Any) -> Iterator[dict]:
        yield {"id": 1}
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(export_module, "_rows", broken)
    with pytest.raises(DatabaseError, match="could not write the export"):
        store.export_office(target)
    assert target.read_text(encoding="utf-8") == "the earlier export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".rapport-export")] == []


# --- copying an office ---------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_copy_office_makes_the_same_office_elsewhere_and_leaves_this_one_alone(
        engine: str, sqlite_office: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    scratch = request.getfixturevalue("scratch_pg") if engine == "postgresql" else None
    fill_office()
    original = dump()
    source_bytes = sqlite_office.read_bytes()
    target = open_location(engine, tmp_path, "copy.db", scratch)

    copied = store.copy_office(target)

    assert copied == sum(len(rows) for rows in original.values())
    assert sqlite_office.read_bytes() == source_bytes  # only read, from a snapshot
    assert dump() == original  # and still the open office
    with pytest.raises(ValidationError, match="already holds data"):
        store.copy_office(target)
    store.close()
    store.open(target)
    assert dump() == original  # PINs, score cache, ids and times included
    assert store.check_pin(1, "2468") and not store.check_pin(1, "0000")
    anna = store.list_staff()[0].id
    assert store.add_client(name="New here", by=anna).id == len(original["client"]) + 1
    if engine == "sqlite":
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        conn.close()


def test_copy_office_refuses_the_open_office_and_foreign_databases(sqlite_office: Path, tmp_path: Path) -> None:
    fill_office()
    with pytest.raises(ValidationError, match="That is the office that is open now"):
        store.copy_office(sqlite_office)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a Rapport database"):
        store.copy_office(other)
    with pytest.raises(DatabaseError, match="does not exist"):
        store.copy_office(tmp_path / "nowhere" / "copy.db")
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_copy_leaves_no_new_file_behind(sqlite_office: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fill_office()
    real = copy_module._copy_table

    def short(source: pw.Database, target: pw.Database, spec: Any) -> int:
        count = real(source, target, spec)
        return count + 1 if spec.name == "note" else count  # as if a row went missing on the way
    monkeypatch.setattr(copy_module, "_copy_table", short)
    with pytest.raises(DatabaseError, match=r"^The copy to copy\.db did not match the office \(note records: \d+ here, "
                                            r"\d+ there\), so nothing was kept there\. The office itself is unchanged; "
                                            r"please try the copy again\.$"):
        store.copy_office(tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_an_office_export_carries_the_office_settings_and_the_erasure_list(sqlite_office: Path, tmp_path: Path) -> None:
    """The settings (country, hours, topics) and the erasure list go with the office: an export loaded into a new
    office reads the same settings, and an import there still notices an erased person coming back."""
    chloe = fill_office()["chloe"]  # an administrator
    settings = store.office_settings()
    store.update_office_settings(version=settings.version, by=chloe, country="DE", office_name="Praxis am Hafen",
                                 topics=("Termin", "Rechnung"))
    erased = store.add_client(name="Maria Schmidt", by=chloe, email="maria@example.de").id
    store.erase_client(erased, by=chloe)
    erasures = list(t.Erasure.select(t.Erasure.client, t.Erasure.key).tuples())
    assert len(erasures) == 1
    before = store.office_settings()
    store.export_office(tmp_path / "office.json")
    rows = {row["key"]: row for row in _table_rows(tmp_path / "office.json", "setting")}
    assert json.loads(rows["country"]["value"]) == "DE"
    store.close()
    store.open(tmp_path / "new.db")
    store.import_office(tmp_path / "office.json")
    after = store.office_settings()
    assert (after.country, after.office_name, after.topics, after.version) == \
        ("DE", "Praxis am Hafen", ("Termin", "Rechnung"), before.version)
    assert list(t.Erasure.select(t.Erasure.client, t.Erasure.key).tuples()) == erasures


def test_an_office_export_with_a_setting_the_store_would_refuse_loads_nothing(sqlite_office: Path,
                                                                            tmp_path: Path) -> None:
    fill_office()
    store.export_office(tmp_path / "office.json")
    text = (tmp_path / "office.json").read_text(encoding="utf-8")
    bad = text.replace('"tables": {', '"tables": {\n"setting": [\n{"key":"country","value":"\\"Narnia\\"",'
                       '"version":1}\n],', 1)
    (tmp_path / "bad.json").write_text(bad.replace('"counts": {', '"counts": {"setting":1,', 1), encoding="utf-8")
    store.close()
    store.open(tmp_path / "new.db")
    with pytest.raises(ValidationError) as caught:
        store.import_office(tmp_path / "bad.json")
    assert "setting 'country' is not one Rapport accepts" in caught.value.message
    assert store.office_settings().country == "" and not store.list_clients()


def _table_rows(path: Path, table: str) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["tables"][table]
