"""The store API: staff, clients, timeline writes and reads, validation, conflicts, the change log."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import peewee as pw
import pytest

from models import store
from models import tables as t
from models.errors import ConflictError, ValidationError
from models.store import InteractionEntry, NoteEntry, PromiseEntry
from tests.store.conftest import database_rows

# --- staff -------------------------------------------------------------------------------------

def test_the_first_staff_member_is_added_by_nobody_and_is_admin(office: str) -> None:
    changes = store.add_staff("Anna Keller")
    assert changes.kinds == {"staff"}
    anna = store.get_staff(changes.id)
    assert (anna.name, anna.initials, anna.role) == ("Anna Keller", "AK", "admin")


def test_later_staff_need_someone_acting(anna: int) -> None:
    with pytest.raises(ValidationError) as err:
        store.add_staff("Ben Okafor")
    assert err.value.field == "by"
    ben = store.add_staff("Ben Okafor", by=anna)
    assert store.get_staff(ben).role == "staff"
    assert [s.name for s in store.list_staff()] == ["Anna Keller", "Ben Okafor"]


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_staff_names_are_refused(office: str, name: str) -> None:
    with pytest.raises(ValidationError, match="cannot be empty") as err:
        store.add_staff(name)
    assert err.value.field == "name"
    assert store.list_staff() == []


def test_a_duplicate_colleague_is_refused(anna: int) -> None:
    with pytest.raises(ValidationError, match="already on the team"):
        store.add_staff("Anna Keller", by=anna)


def test_unknown_staff_cannot_write(client: int) -> None:
    before = database_rows()
    with pytest.raises(ValidationError, match="not .*on the team") as err:
        store.add_note(client, by=999, text="hello")
    assert err.value.field == "by" and "staff" in err.value.message.lower()
    assert database_rows() == before
    assert len(store.timeline(client)) == 0


def test_a_pin_is_stored_hashed_and_checked(anna: int) -> None:
    ben = store.add_staff("Ben Okafor", by=anna, pin="4711").id
    assert store.check_pin(ben, "4711") and not store.check_pin(ben, "0000")
    assert "4711" not in (t.Staff.get_by_id(ben).pin_hash or "")
    with pytest.raises(ValidationError, match="4 to 8 digits"):
        store.add_staff("Chloé Martin", by=anna, pin="12a")


# --- clients -----------------------------------------------------------------------------------

def test_add_and_get_a_client(anna: int) -> None:
    changes = store.add_client(name="  Isla   Walsh ", by=anna, organisation="Quayside Dental",
                               email="Isla@Example.com", phone="+44 1632 960 123")
    assert changes.kinds == {"client"} and changes.clients == {changes.id}
    client = store.get_client(changes.id)
    assert (client.name, client.email, client.version) == ("Isla Walsh", "isla@example.com", 1)
    assert client.created_at.tzinfo is not None


@pytest.mark.parametrize("field,value,message", [
    ("name", "", "cannot be empty"),
    ("name", "x" * 501, "at most 500"),
    ("email", "not-an-email", "email address does not look right"),
    ("phone", "call me maybe", "phone number may hold only digits"),
    ("name", "Bad\x00Name", "control characters"),
    ("preferred_channel", "pigeon", "preferred channel"),
    ("caution", "x" * 100_001, "at most 100,000"),
])
def test_bad_client_input_is_refused_with_the_field_named(anna: int, field: str, value: str, message: str) -> None:
    values = {"name": "Valid Name", field: value}
    with pytest.raises(ValidationError, match=message) as err:
        store.add_client(by=anna, **values)
    assert err.value.field == field
    assert store.list_clients() == []


def test_unknown_client_fields_are_refused(anna: int) -> None:
    with pytest.raises(ValidationError, match="no field called"):
        store.add_client(name="A", by=anna, shoe_size="42")


def test_the_first_screenful_is_read_in_the_lists_order_names_without_case(anna: int) -> None:
    """The client list sorts names case-insensitively (ui/views/client_list.py): its first rows, read before
    the rest, are the first names of that order, so "de Vries" comes before "Zed" even where the database
    compares bytes (SQLite: uppercase before lowercase)."""
    for name in ("Zed Young", "de Vries", "Adams", "Zed Young", "emma Stone", "Brown"):
        store.add_client(name=name, by=anna)
    everyone = sorted(store.list_clients(), key=lambda r: (r.name.casefold(), r.id))
    assert store.list_clients() == everyone
    for limit in range(len(everyone) + 1):
        assert store.list_clients(limit=limit) == everyone[:limit]
    assert [r.name for r in store.list_clients(limit=3)] == ["Adams", "Brown", "de Vries"]
    if isinstance(t.database.obj, pw.SqliteDatabase):  # read from the index in that order: no sort of every client
        from models.store.clients import client_rows_query
        sql, params = client_rows_query().limit(3).sql()
        plan = " ".join(str(row) for row in t.database.obj.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "client_folded_name" in plan and "TEMP B-TREE" not in plan


def test_update_client_bumps_the_version_and_logs_before_and_after(client: int, anna: int) -> None:
    before = store.get_client(client)
    changes = store.update_client(client, version=before.version, by=anna, phone="01632 960999")
    assert changes.clients == {client} and "client" in changes.kinds
    after = store.get_client(client)
    assert after.version == before.version + 1 and after.phone == "01632 960999"
    row = t.Change.select().where((t.Change.entity == "client") & (t.Change.action == "edit")).get()
    assert json.loads(row.before) == {"phone": "01632 960001"}
    assert json.loads(row.after) == {"phone": "01632 960999"}
    assert row.staff == anna


def test_a_stale_version_is_a_conflict_not_an_overwrite(client: int, anna: int, ben: int) -> None:
    seen_by_anna = store.get_client(client)
    seen_by_ben = store.get_client(client)
    store.update_client(client, version=seen_by_ben.version, by=ben, phone="01632 960222")
    with pytest.raises(ConflictError) as err:
        store.update_client(client, version=seen_by_anna.version, by=anna, phone="01632 960333")
    assert err.value.current.phone == "01632 960222"
    assert store.get_client(client).phone == "01632 960222"


def test_list_clients_filters_on_every_word_across_fields(anna: int) -> None:
    store.add_client(name="Oliver Thompson", by=anna, organisation="Bayview Holdings", phone="01632 960001")
    store.add_client(name="Isla Walsh", by=anna, email="isla@quayside.example")
    store.add_client(name="George Nowak", by=anna, organisation="Bayview Holdings")
    assert [c.name for c in store.list_clients(text="bayview")] == ["George Nowak", "Oliver Thompson"]
    assert [c.name for c in store.list_clients(text="bay oliv")] == ["Oliver Thompson"]
    assert [c.name for c in store.list_clients(text="quayside")] == ["Isla Walsh"]
    assert [c.name for c in store.list_clients(text="01632960001")] == ["Oliver Thompson"]
    assert [c.name for c in store.list_clients(text="1632 960001")] == ["Oliver Thompson"]


@pytest.mark.parametrize("text", ['"', "'", "%", "_", "\\", "'; DROP TABLE client; --", '"""""', "%_%"])
def test_a_search_full_of_quotes_and_wildcards_finds_nothing_and_breaks_nothing(client: int, text: str) -> None:
    assert store.list_clients(text=text) == []
    assert len(store.list_clients()) == 1


def test_deleted_clients_go_to_the_trash_and_come_back(client: int, anna: int) -> None:
    store.delete_client(client, by=anna)
    assert store.list_clients() == []
    assert [c.id for c in store.list_clients(deleted=True)] == [client]
    with pytest.raises(ValidationError, match="was deleted"):
        store.add_note(client, by=anna, text="hello")
    with pytest.raises(ValidationError, match="was deleted"):
        store.make_promise(client, by=anna, text="call back", due=store.utcnow() + timedelta(days=1))
    store.restore_client(client, by=anna)
    assert [c.id for c in store.list_clients()] == [client]


# --- timeline ----------------------------------------------------------------------------------

def test_log_interaction_returns_changes_and_shows_on_the_timeline(client: int, anna: int) -> None:
    changes = store.log_interaction(client, by=anna, summary="Called about the March invoice", rating=-1,
                                    channel="phone", details="Wrong amount")
    assert changes.clients == {client} and {"timeline", "score"} <= changes.kinds
    page = store.timeline(client)
    entry = page[0]
    assert isinstance(entry, InteractionEntry)
    assert (entry.summary, entry.rating, entry.channel, entry.staff_name) == (
        "Called about the March invoice", -1, "phone", "Anna Keller")
    assert store.list_clients()[0].last_contact_at == entry.at


@pytest.mark.parametrize("rating", [-3, 3, 1.5, "1", None, True])
def test_ratings_outside_the_scale_are_refused(client: int, anna: int, rating: object) -> None:
    with pytest.raises(ValidationError, match="rating from -2") as err:
        store.log_interaction(client, by=anna, summary="x", rating=rating)  # type: ignore[arg-type]
    assert err.value.field == "rating"
    assert len(store.timeline(client)) == 0


@pytest.mark.parametrize("at,message", [
    (datetime(1850, 1, 1, tzinfo=UTC), "not a believable date"),
    (datetime(2026, 1, 1), "needs a time zone"),
    ("yesterday", "must be a date and time"),
])
def test_absurd_dates_are_refused(client: int, anna: int, at: object, message: str) -> None:
    before = database_rows()
    with pytest.raises(ValidationError, match=message) as err:
        store.log_interaction(client, by=anna, summary="x", rating=0, at=at)  # type: ignore[arg-type]
    assert err.value.field == "at" and "date" in err.value.message.lower()
    assert database_rows() == before
    assert len(store.timeline(client)) == 0


def test_interactions_cannot_be_logged_in_the_future(client: int, anna: int, clock: object) -> None:
    with pytest.raises(ValidationError, match="in the future"):
        store.log_interaction(client, by=anna, summary="x", rating=0, at=store.utcnow() + timedelta(days=2))


def test_unknown_channel_is_refused(client: int, anna: int) -> None:
    with pytest.raises(ValidationError, match="channel"):
        store.log_interaction(client, by=anna, summary="x", rating=0, channel="fax")


def test_a_five_megabyte_note_is_refused_and_nothing_is_written(client: int, anna: int) -> None:
    changes_before = t.Change.select().count()
    with pytest.raises(ValidationError, match="too long: at most 100,000 characters") as err:
        store.add_note(client, by=anna, text="x" * 5_000_000)
    assert err.value.field == "text"
    assert t.Change.select().count() == changes_before
    assert len(store.timeline(client)) == 0


def test_control_characters_are_refused_but_line_breaks_kept(client: int, anna: int) -> None:
    before = database_rows()
    with pytest.raises(ValidationError, match="control characters") as err:
        store.add_note(client, by=anna, text="bell\x07")
    assert err.value.field == "text" and "note" in err.value.message.lower()
    assert len(store.timeline(client)) == 0  # the refused note was not saved, not even cleaned up and saved
    assert database_rows() == before
    store.add_note(client, by=anna, text="line one\r\nline two\tindented")
    note = store.timeline(client)[0]
    assert isinstance(note, NoteEntry) and note.text == "line one\nline two\tindented"


def test_notes_are_visibly_notes_and_can_be_pinned(client: int, anna: int) -> None:
    nid = store.add_note(client, by=anna, text="Prefers calls after 5 pm").id
    store.edit_note(nid, by=anna, pinned=True)
    note = store.timeline(client)[0]
    assert isinstance(note, NoteEntry) and note.kind == "note" and note.pinned


def test_edits_keep_the_earlier_text_in_the_change_log(client: int, anna: int) -> None:
    iid = store.log_interaction(client, by=anna, summary="Called about teh lease", rating=0).id
    store.edit_interaction(iid, by=anna, summary="Called about the lease")
    entry = store.timeline(client)[0]
    assert entry.summary == "Called about the lease" and entry.edited
    row = t.Change.select().where((t.Change.entity == "interaction") & (t.Change.action == "edit")).get()
    assert json.loads(row.before)["summary"] == "Called about teh lease"


def test_delete_is_soft_and_restore_brings_it_back(client: int, anna: int) -> None:
    iid = store.log_interaction(client, by=anna, summary="Wrong client!", rating=0).id
    store.delete_entry("interaction", iid, by=anna)
    assert len(store.timeline(client)) == 0
    assert store.get_client(client).last_contact_at is None
    with pytest.raises(ValidationError, match="not on the timeline"):
        store.delete_entry("interaction", iid, by=anna)
    store.restore_entry("interaction", iid, by=anna)
    assert [e.id for e in store.timeline(client)] == [iid]


def test_the_same_local_day_is_one_encounter_and_a_fix_has_its_own(client: int, anna: int, clock: object) -> None:
    now = store.utcnow()
    a = store.log_interaction(client, by=anna, summary="Arrived, waited long", rating=-2,
                              at=now - timedelta(minutes=30)).id
    b = store.log_interaction(client, by=anna, summary="Meeting itself fine", rating=1,
                              at=now - timedelta(minutes=20)).id
    fix = store.log_interaction(client, by=anna, summary="Called to apologise", rating=1, recovers=a, apology=True).id
    entries = {e.id: e for e in store.timeline(client) if isinstance(e, InteractionEntry)}
    assert entries[a].encounter == entries[b].encounter
    assert entries[fix].encounter not in (entries[a].encounter, "") and entries[fix].recovers_id == a
    assert entries[fix].apology and entries[a].recovered_by == (fix,)


def test_only_a_failed_interaction_can_be_fixed(client: int, anna: int) -> None:
    good = store.log_interaction(client, by=anna, summary="Fine", rating=1).id
    with pytest.raises(ValidationError, match="Only an interaction that went wrong"):
        store.log_interaction(client, by=anna, summary="Fix", rating=1, recovers=good)


def test_continue_an_encounter_joins_it(client: int, anna: int) -> None:
    first = store.log_interaction(client, by=anna, summary="Visit started", rating=0, encounter="visit-42").id
    second = store.log_interaction(client, by=anna, summary="Visit ended well", rating=2, encounter="visit-42").id
    entries = {e.id: e for e in store.timeline(client)}
    assert entries[first].encounter == entries[second].encounter == "visit-42"


# --- the timeline page by page ------------------------------------------------------------------

def test_the_timeline_is_newest_first_and_pages_without_gaps_or_repeats(client: int, anna: int,
                                                                        clock: object) -> None:
    start = store.utcnow() - timedelta(days=30)
    expected = []
    for i in range(37):
        at = start + timedelta(hours=i * 7)
        if i % 3 == 0:
            expected.append(("note", store.add_note(client, by=anna, text=f"note {i}", at=at).id))
        else:
            expected.append(("interaction", store.log_interaction(client, by=anna, summary=f"call {i}",
                                                                   rating=0, at=at).id))
    same_time = start + timedelta(hours=100)  # ties at one instant still page cleanly
    for i in range(4):
        expected.append(("interaction", store.log_interaction(client, by=anna, summary=f"tie {i}", rating=0,
                                                               at=same_time).id))
    seen: list[tuple[str, int]] = []
    cursor = None
    while True:
        page = store.timeline(client, limit=5, before=cursor)
        seen += [(e.kind, e.id) for e in page]
        ats = [e.at for e in page]
        assert ats == sorted(ats, reverse=True)
        cursor = page.before
        if cursor is None:
            break
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))


def test_a_page_is_stable_while_a_colleague_adds_entries(client: int, anna: int, clock: object) -> None:
    for i in range(10):
        store.log_interaction(client, by=anna, summary=f"call {i}", rating=0,
                              at=store.utcnow() - timedelta(hours=10 - i))
    first = store.timeline(client, limit=4)
    store.log_interaction(client, by=anna, summary="new call", rating=0)  # arrives between page reads
    second = store.timeline(client, limit=4, before=first.before)
    assert [e.summary for e in first] == ["call 9", "call 8", "call 7", "call 6"]
    assert [e.summary for e in second] == ["call 5", "call 4", "call 3", "call 2"]


@pytest.mark.parametrize("limit", [0, -1, 501, "10"])
def test_bad_page_sizes_are_refused(client: int, limit: object) -> None:
    with pytest.raises(ValidationError, match="A timeline page holds"):
        store.timeline(client, limit=limit)  # type: ignore[arg-type]


# --- the change log ------------------------------------------------------------------------------

def test_every_write_appends_who_when_what_in_the_same_transaction(client: int, anna: int) -> None:
    before = t.Change.select().count()
    store.log_interaction(client, by=anna, summary="x", rating=0)
    store.add_note(client, by=anna, text="y")
    rows = list(t.Change.select().order_by(t.Change.id))[before:]
    assert [(r.entity, r.action, r.client, r.staff) for r in rows] == [
        ("interaction", "add", client, anna), ("note", "add", client, anna)]
    assert all(r.at.tzinfo is not None for r in rows)


def test_a_refused_write_leaves_no_trace(client: int, anna: int) -> None:
    before = (t.Change.select().count(), t.Interaction.select().count())
    with pytest.raises(ValidationError):
        store.log_interaction(client, by=anna, summary="fix", rating=1, recovers=123456)
    assert (t.Change.select().count(), t.Interaction.select().count()) == before


def test_timeline_promise_entries_carry_their_text(client: int, anna: int, clock: object) -> None:
    store.make_promise(client, by=anna, text="Call back about the invoice", due=store.utcnow() + timedelta(days=1))
    entry = store.timeline(client)[0]
    assert isinstance(entry, PromiseEntry) and entry.text == "Call back about the invoice"
    assert entry.action == "made" and entry.status == "pending"
