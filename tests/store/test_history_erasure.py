"""Issue 11: the change log as a readable history, one client's whole record, and erasure done right."""
from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest

from models import store
from models import tables as t
from tests.store.conftest import database_rows


def busy_client(anna: int, ben: int, client: int) -> dict[str, int]:
    """A client with an interaction (then corrected), a note, a promise kept and one broken, a detail edit."""
    call = store.log_interaction(client, by=anna, summary="Called about the leaking boiler", rating=-1).id
    store.edit_interaction(call, by=ben, summary="Called about the leaking boiler in flat 4")
    note = store.add_note(client, by=ben, text="Prefers calls after 5 pm").id
    kept = store.make_promise(client, by=anna, text="Send the plumber's quote",
                              due=store.utcnow() + timedelta(hours=2)).id
    store.keep_promise(kept, by=ben)
    broken = store.make_promise(client, by=ben, text="Call back about the deposit",
                                due=store.utcnow() + timedelta(hours=1)).id
    details = store.get_client(client)
    store.update_client(client, version=details.version, by=anna, phone="020 7946 0000")
    return {"call": call, "note": note, "kept": kept, "broken": broken}


# --- history -------------------------------------------------------------------------------------

def test_history_reads_the_change_log_in_words(office: str, clock, anna: int, ben: int, client: int) -> None:
    busy_client(anna, ben, client)
    page = store.history(limit=50)
    first = page.entries[0]
    assert (first.kind, first.action, first.staff_name, first.client_name) == ("client", "edit", "Anna Keller",
                                                                               "Oliver Thompson")
    assert first.text == "Changed the client's details: phone “01632 960001” → “020 7946 0000”"
    texts = [e.text for e in page]
    assert "Corrected an interaction: summary “Called about the leaking boiler” → " \
           "“Called about the leaking boiler in flat 4”" in texts
    assert "Added a note: “Prefers calls after 5 pm”" in texts
    assert "Added Ben Okafor to the team (Staff)" in texts
    assert [e.id for e in page] == sorted((e.id for e in page), reverse=True)


def test_history_filters_and_pages(office: str, clock, anna: int, ben: int, client: int) -> None:
    other = store.add_client(name="Isla Walsh", by=ben).id
    busy_client(anna, ben, client)
    clock.advance(days=2)
    store.add_note(other, by=ben, text="Second day")
    assert {e.client_id for e in store.history(client=other)} == {other}
    assert {e.staff_id for e in store.history(staff=ben)} == {ben}
    assert {e.kind for e in store.history(kinds=["note", "promise"])} == {"note", "promise"}
    recent = store.history(since=clock.now - timedelta(days=1))
    assert [e.text for e in recent] == ["Added a note: “Second day”"]
    older = store.history(until=clock.now - timedelta(days=1), staff=ben, kinds=["note"])
    assert [e.text for e in older] == ["Added a note: “Prefers calls after 5 pm”"]
    # keyset paging: pages of 3 walk the whole log once, newest first, even while someone writes
    seen, cursor = [], None
    total = t.Change.select().count()
    while True:
        page = store.history(limit=3, before=cursor)
        seen += [e.id for e in page]
        if len(seen) == 3:
            store.add_note(other, by=ben, text="Written while paging")  # newer: not on the older pages
        if page.before is None:
            break
        cursor = page.before
    assert seen == sorted(set(seen), reverse=True) and len(seen) == total
    with pytest.raises(store.ValidationError):
        store.history(kinds=["nonsense"])
    with pytest.raises(store.ValidationError):
        store.history(limit=0)


def test_history_exports_to_csv(office: str, clock, anna: int, ben: int, client: int, tmp_path: Path) -> None:
    busy_client(anna, ben, client)
    store.add_note(client, by=ben, text="=HYPERLINK(\"http://x\")")
    path = tmp_path / "history.csv"
    count = store.export_history(path, client=client)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "change" and len(rows) == count + 1 == len(store.history(client=client, limit=500)) + 1
    assert all(r[3] == "Oliver Thompson" for r in rows[1:])
    assert not any(cell.startswith("=") for r in rows for cell in r)


# --- the report ----------------------------------------------------------------------------------

def test_what_happened_has_every_step_with_times_and_who(office: str, clock, anna: int, ben: int,
                                                         client: int) -> None:
    ids = busy_client(anna, ben, client)
    store.delete_entry("note", ids["note"], by=anna)
    clock.advance(days=3)  # the second promise is broken 48 h after its due time
    record = store.client_record(client)
    kinds = [item.kind for item in record.items]
    assert kinds.count("interaction") == 1 and kinds.count("promise") == 2 and kinds.count("note") == 1
    call = next(i for i in record.items if i.kind == "interaction")
    assert call.staff_name == "Anna Keller" and call.title == "Phone, -1 Not great"
    assert any("“Called about the leaking boiler” →" in line and "(by Ben Okafor)" in line
               for _, line in call.lines)
    note = next(i for i in record.items if i.kind == "note")
    assert note.deleted and any(line == "Moved to the Trash by Anna Keller" for _, line in note.lines)
    kept = next(i for i in record.items if i.id == ids["kept"] and i.kind == "promise")
    assert [line.split(",")[0] for _, line in kept.lines] == ["Made by Anna Keller", "Kept"]
    broken = next(i for i in record.items if i.id == ids["broken"] and i.kind == "promise")
    assert broken.lines[-1][1].startswith("Broken")
    assert any(i.kind == "client" and "phone" in i.text for i in record.items)
    assert [i.at for i in record.items] == sorted(i.at for i in record.items)


# --- erasure -------------------------------------------------------------------------------------

def test_only_an_administrator_erases(office: str, anna: int, ben: int, client: int) -> None:
    before = database_rows(presence=False)
    with pytest.raises(store.PermissionDenied, match="Only an administrator can erase a client"):
        store.erase_client(client, by=ben)
    assert database_rows(presence=False) == before


def test_erasure_removes_personal_data_and_keeps_a_tombstone(office: str, clock, anna: int, ben: int,
                                                             client: int) -> None:
    ids = busy_client(anna, ben, client)
    store.client_score(client)
    score_before = store.client_score(client).badge
    interactions_before = list(t.Interaction.select(t.Interaction.id, t.Interaction.at, t.Interaction.rating,
                                                    t.Interaction.channel, t.Interaction.staff).tuples())
    store.erase_client(client, by=anna)
    details = store.get_client(client)
    day = clock.now.astimezone()
    assert details.name == f"Client erased by Anna Keller on {day.day} {day.strftime('%b')} {day.year}"
    assert (details.phone, details.email, details.organisation) == ("", "", "")
    # Nothing the office wrote about them is left anywhere in the database ...
    dump = json.dumps(database_rows(presence=False), default=str)
    for secret in ("Oliver", "Thompson", "01632", "960001", "7946", "oliver@example.com", "Bayview", "boiler",
                   "5 pm", "plumber", "deposit"):
        assert secret not in dump, secret
    # ... while the ids, times, ratings, channels and staff are, so counts and scores stay honest.
    assert list(t.Interaction.select(t.Interaction.id, t.Interaction.at, t.Interaction.rating, t.Interaction.channel,
                                     t.Interaction.staff).tuples()) == interactions_before
    assert store.client_score(client).badge == score_before
    assert len(store.client_promises(client, include_closed=True)) == 2
    erased = [e for e in store.history(client=client) if e.action == "erase"]
    assert erased and erased[0].text.startswith("Erased the client's personal data")
    assert store.list_clients(text="Oliver") == []
    with pytest.raises(store.ValidationError, match="erased"):
        store.add_note(client, by=anna, text="Back again")
    with pytest.raises(store.ValidationError, match="erased"):
        store.erase_client(client, by=anna)
    assert store.client_record(client).erased
    assert ids  # the record still lists every entry, with the text gone


def test_the_erasure_list_recognises_the_person(office: str, anna: int, client: int) -> None:
    assert not store.is_erased("Oliver Thompson", "01632 960001", "oliver@example.com")
    store.erase_client(client, by=anna)
    assert store.is_erased("oliver  THOMPSON", "+44 1632 960001", "Oliver@Example.com")
    assert not store.is_erased("Oliver Thompson", "01632 960002", "oliver@example.com")
    key = t.Erasure.get().key
    assert len(key) == 64 and "oliver" not in key


def test_a_restore_applies_the_erasure_list_again(sqlite_office: Path) -> None:
    anna = store.add_staff("Anna Keller").id
    oliver = store.add_client(name="Oliver Thompson", by=anna, phone="01632 960001").id
    store.add_note(oliver, by=anna, text="Lives at 4 Harbour Road")
    info = store.backup_now()  # made before the erasure: it still holds the data
    store.erase_client(oliver, by=anna)
    store.restore_backup(info.path, by=anna)
    assert store.get_client(oliver).name.startswith("Client erased by Anna Keller")
    dump = json.dumps(database_rows(presence=False), default=str)
    assert "Harbour" not in dump and "Thompson" not in dump
    assert store.is_erased("Oliver Thompson", "01632 960001")


def test_erasing_a_merged_client_erases_both_sides_of_the_merge(office: str, anna: int, client: int) -> None:
    twin = store.add_client(name="Oliver Thompson", by=anna, email="o.thompson@example.org",
                            address="4 Harbour Road").id
    store.add_note(twin, by=anna, text="Moved to the harbour")
    store.merge_clients(client, twin, by=anna)
    store.erase_client(client, by=anna)
    dump = json.dumps(database_rows(presence=False), default=str)
    for secret in ("Thompson", "o.thompson", "Harbour", "harbour", "oliver@example.com"):
        assert secret not in dump, secret
    assert store.is_erased("Oliver Thompson", "", "o.thompson@example.org")
