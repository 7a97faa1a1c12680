"""store.search on both engines: words from their start in any order, accents and apostrophes, phone numbers
however written, nothing typed is an error, deleted things stay hidden, the index follows every write."""
from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import migrations, store
from models import search_index as si
from models import tables as t
from models.errors import DatabaseError, ValidationError
from models.rules.text import SEARCH_LIMIT
from tests.store.conftest import Clock
from tests.store.test_upgrades import V1_OFFICE


def found(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(h.kind, h.client_name) for h in store.search(text, **kwargs)]


@pytest.fixture
def zoe(anna: int) -> int:
    return store.add_client(name="Zoë Ó'Brien", by=anna, phone="01632 960407",
                            organisation="Landlord's Office", address="12 Quay Street").id


def test_words_match_from_their_start_in_any_order_without_case_or_accents(zoe: int, client: int) -> None:
    assert found("zoe obrien") == [("client", "Zoë Ó'Brien")]
    assert found("OBRIEN zo") == [("client", "Zoë Ó'Brien")]
    assert found("o'brien") == found("Ó'Brien") == found("o brien") == [("client", "Zoë Ó'Brien")]
    assert found("quay stre") == [("client", "Zoë Ó'Brien")]
    assert found("landlords") == [("client", "Zoë Ó'Brien")]
    assert found("brien zoey") == []  # every word must match
    assert found("rien") == []  # from the start of a word only


@pytest.mark.parametrize("typed", ["+44 1632 960407", "01632960407", "1632 960 407", "(01632) 960-407", "960407"])
def test_a_phone_number_matches_however_it_is_written(zoe: int, anna: int, typed: str) -> None:
    store.update_office_settings(version=store.office_settings().version, by=anna, country="GB")
    hits = store.search(typed)
    assert [(h.kind, h.client_id) for h in hits] == [("client", zoe)]
    assert hits[0].snippet == "01632 960407"
    assert hits[0].marks == (((6, 12),) if typed == "960407" else ((0, 12),))  # the whole number, or the part typed


def test_hyphenated_names_match_joined_or_apart(anna: int) -> None:
    store.add_client(name="Tom Smith-Jones", by=anna)
    assert found("smithjones") == found("smith jones") == found("smith-jones") == [("client", "Tom Smith-Jones")]


def test_clients_come_first_then_entries_newest_first_with_who_when_and_marked_snippets(
        anna: int, ben: int, zoe: int, client: int, clock: Clock) -> None:
    store.log_interaction(zoe, by=anna, summary="Boiler broke again", rating=-1, details="The boiler is old")
    clock.advance(hours=1)
    store.add_note(client, by=ben, text="Asked about the boiler service plan")
    clock.advance(hours=1)
    due = clock.now + timedelta(days=2)
    store.make_promise(zoe, by=ben, text="Send an engineer for the boiler", due=due)
    store.add_client(name="Boiler Works Ltd", by=anna)
    hits = store.search("boil")
    assert [(h.kind, h.client_name, h.staff_name) for h in hits] == [
        ("client", "Boiler Works Ltd", ""),
        ("promise", "Zoë Ó'Brien", "Ben Okafor"),
        ("note", "Oliver Thompson", "Ben Okafor"),
        ("interaction", "Zoë Ó'Brien", "Anna Keller"),
    ]
    note = hits[2]
    assert note.snippet == "Asked about the boiler service plan"
    assert [note.snippet[a:b] for a, b in note.marks] == ["boiler"]
    assert note.at == clock.now - timedelta(hours=1) and note.entry_id is not None
    assert hits[0].entry_id is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        hits[0].snippet = "x"  # type: ignore[misc]
    assert len(store.search("boil", limit=2)) == 2


def test_the_best_client_match_comes_first(anna: int) -> None:
    store.add_client(name="Ann Walsh", by=anna, address="Walsh Road")
    store.add_client(name="Walsh Brothers", by=anna, organisation="Walsh & Walsh")
    store.add_client(name="Pat Byrne", by=anna, address="Walsh Road")
    names = [h.client_name for h in store.search("walsh")]
    assert set(names[:2]) == {"Ann Walsh", "Walsh Brothers"} and names[2] == "Pat Byrne"


def test_filters_by_client_kind_dates_and_colleague(anna: int, ben: int, zoe: int, client: int,
                                                    clock: Clock) -> None:
    start = clock.now
    store.log_interaction(zoe, by=anna, summary="Lease renewal call", rating=1)
    clock.advance(days=3)
    store.add_note(client, by=ben, text="Lease questions")
    store.add_note(zoe, by=ben, text="Lease copy posted")
    assert found("lease", client=zoe) == [("note", "Zoë Ó'Brien"), ("interaction", "Zoë Ó'Brien")]
    assert found("lease", kinds={"note"}) == [("note", "Zoë Ó'Brien"), ("note", "Oliver Thompson")]
    assert found("lease", since=start + timedelta(days=1)) == [("note", "Zoë Ó'Brien"), ("note", "Oliver Thompson")]
    assert found("lease", until=start + timedelta(days=1)) == [("interaction", "Zoë Ó'Brien")]
    assert found("lease", staff=anna) == [("interaction", "Zoë Ó'Brien")]
    with pytest.raises(ValidationError) as bad:
        store.search("lease", kinds={"email"})
    assert bad.value.field == "kinds"


@pytest.mark.parametrize("typed", ['"boiler', "boiler*", "-boiler", "boiler(", "(boiler)", "boiler)", "{boiler}",
                                   "boiler:", "^boiler", "🔥 boiler", "'boiler'",
                                   "boiler ' \" * - + : ( ) { } [ ] ^ ~ ; , . / \\ ' %"])
def test_nothing_typed_is_an_operator_or_an_error(anna: int, zoe: int, typed: str) -> None:
    store.log_interaction(zoe, by=anna, summary="Boiler broke again", rating=-1)
    assert found(typed) == [("interaction", "Zoë Ó'Brien")]


def test_operator_words_are_searched_as_words(anna: int, zoe: int) -> None:
    store.add_note(zoe, by=anna, text="Not at home, near the station, or at work and busy")
    for typed in ("not", "near", "or", "and", "NOT NEAR OR AND"):
        assert found(typed) == [("note", "Zoë Ó'Brien")]
    assert found("AND") != [] and found("🔥") == [] and found("") == [] and found("  *** ") == []


def test_a_long_paste_is_searched_up_to_the_limit_and_refused_beyond_it(anna: int, zoe: int) -> None:
    store.add_note(zoe, by=anna, text="x")
    assert store.search("word " * (SEARCH_LIMIT // 5)) == ()
    with pytest.raises(ValidationError) as refused:
        store.search("w" * (SEARCH_LIMIT + 1))
    assert refused.value.field == "text"
    assert refused.value.message == f"The search text is too long: at most {SEARCH_LIMIT:,} characters, and this is " \
                                    f"{SEARCH_LIMIT + 1:,}."


def test_deleted_entries_and_clients_are_not_found_and_restored_ones_are(anna: int, zoe: int) -> None:
    call = store.log_interaction(zoe, by=anna, summary="Damp in the cellar", rating=0).id
    note = store.add_note(zoe, by=anna, text="Damp survey booked").id
    promise = store.make_promise(zoe, by=anna, text="Damp report by Friday", due=store.utcnow() + timedelta(days=3)).id
    assert len(store.search("damp")) == 3
    store.delete_entry("interaction", call, by=anna)
    store.delete_entry("note", note, by=anna)
    store.delete_promise(promise, by=anna)
    assert store.search("damp") == ()
    store.restore_entry("note", note, by=anna)
    assert found("damp") == [("note", "Zoë Ó'Brien")]
    store.delete_client(zoe, by=anna)
    assert store.search("damp") == () and store.search("zoe") == ()
    store.restore_client(zoe, by=anna)
    assert found("damp") == [("note", "Zoë Ó'Brien")] and found("zoe") == [("client", "Zoë Ó'Brien")]


def test_an_edited_note_is_found_by_its_new_text_only_and_undo_brings_the_old_back(anna: int, zoe: int) -> None:
    note = store.add_note(zoe, by=anna, text="Call about the gutters").id
    edit = store.edit_note(note, by=anna, text="Call about the O'Neill radiators")
    assert store.search("gutters") == ()
    assert found("radiat") == found("oneill") == [("note", "Zoë Ó'Brien")]
    store.undo(edit.change_ids, by=anna)
    assert found("gutters") == [("note", "Zoë Ó'Brien")] and store.search("oneill") == ()


def test_edited_client_details_are_found_by_the_new_ones(anna: int, zoe: int) -> None:
    version = store.get_client(zoe).version
    store.update_client(zoe, version=version, by=anna, phone="020 7946 0000", name="Zoë Ní Bhriain")
    assert store.search("obrien") == () and store.search("960407") == ()
    assert found("02079460000") == found("bhriain") == [("client", "Zoë Ní Bhriain")]


def test_another_desks_new_entry_is_found_at_once(office: str, anna: int, zoe: int) -> None:
    def other_desk() -> None:  # another connection to the same database, as another desk's is
        store.log_interaction(zoe, by=anna, summary="Walk-in about the parking permit", rating=0)
        t.database.obj.close()  # this thread's own connection
    desk = threading.Thread(target=other_desk)
    desk.start()
    desk.join()
    assert found("parking permit") == [("interaction", "Zoë Ó'Brien")]


def test_rebuild_after_bulk_work_finds_rows_written_without_the_store(anna: int, zoe: int) -> None:
    # rows as a bulk load writes them: text only, no search words
    t.Note.insert(client=zoe, at=store.utcnow(), staff=anna, text="Ring Mr O'Hara on 01632 960555",
                  created_at=store.utcnow()).execute()
    assert found("ring") == [("note", "Zoë Ó'Brien")]  # the text itself is indexed by the triggers
    assert store.search("ohara") == () and store.search("1632960555") == ()
    store.rebuild_search_index(clients=[zoe])
    assert found("ohara") == found("1632960555") == [("note", "Zoë Ó'Brien")]
    t.Note.update(search_words="").execute()
    store.rebuild_search_index()
    assert found("ohara") == [("note", "Zoë Ó'Brien")]


def test_changing_the_office_country_rekeys_client_phones(anna: int) -> None:
    store.add_client(name="Jo", by=anna, phone="1 (202) 555-0143")
    assert found("2025550143") == []  # without a country, the leading 1 is not known to be the country's
    store.update_office_settings(version=store.office_settings().version, by=anna, country="US")
    assert found("2025550143") == found("+1 202 555 0143") == [("client", "Jo")]


def run_job(job: object, stop_after: int | None = None) -> tuple[int, list[tuple[int, int]]]:
    """Drive a store job to its end (or stop it after `stop_after` steps, as Cancel does): (result, progress)."""
    progress: list[tuple[int, int]] = []
    try:
        progress.append(next(job))  # type: ignore[call-overload]
        while True:
            progress.append(job.send(False if stop_after is not None and len(progress) >= stop_after  # type: ignore[attr-defined]
                                     else None))
    except StopIteration as end:
        return end.value, progress


def test_entries_catch_up_with_a_new_country_in_short_steps(anna: int, monkeypatch: pytest.MonkeyPatch) -> None:
    jo = store.add_client(name="Jo", by=anna).id
    call = store.log_interaction(jo, by=anna, summary="Rang back", rating=0, details="On 1 (202) 555-0143, ask for Jo").id
    note = store.add_note(jo, by=anna, text="Her other line: 1 202 555 0199").id
    for k in range(30):  # newer notes: the catch-up comes down to the old one last
        store.add_note(jo, by=anna, text=f"Note {k} without a number")
    promise = store.make_promise(jo, by=anna, text="Fax 1-202-555-0188 by noon", due=store.utcnow() + timedelta(days=1)).id
    assert store.catch_up_search_index() is not None and run_job(store.catch_up_search_index()) == (0, [])  # nothing due
    store.update_office_settings(version=store.office_settings().version, by=anna, country="US")
    for typed in ("2025550143", "2025550199", "2025550188"):
        assert store.search(typed) == (), typed  # until the entries catch up
    from models import search_index

    monkeypatch.setattr(search_index, "CATCH_UP_SPAN", 10)  # ids looked at per step: a few steps here
    changed, progress = run_job(store.catch_up_search_index(), stop_after=2)  # stopped (the desk closed, say)
    assert changed == 2 and len(progress) == 2 and progress[-1][0] < progress[-1][1]  # the call's and the promise's
    assert store.search("2025550199") == ()  # the old note's turn has not come
    changed, progress = run_job(store.catch_up_search_index())  # goes on where it stopped (this desk or another)
    assert changed == 1 and progress and all(a[0] < b[0] for a, b in zip(progress, progress[1:], strict=False))
    assert [(h.kind, h.entry_id) for h in store.search("2025550143")] == [("interaction", call)]
    assert [(h.kind, h.entry_id) for h in store.search("+1 202 555 0199")] == [("note", note)]
    assert [(h.kind, h.entry_id) for h in store.search("(202) 555-0188")] == [("promise", promise)]
    hit = store.search("+1 202 555 0143")[0]
    assert hit.snippet[hit.marks[0][0]:hit.marks[0][1]] == "1 (202) 555-0143"
    assert run_job(store.catch_up_search_index()) == (0, [])  # done: nothing left


def test_a_second_change_of_country_starts_the_catch_up_again(anna: int) -> None:
    jo = store.add_client(name="Jo", by=anna).id
    store.add_note(jo, by=anna, text="Call 1 (202) 555-0143")
    settings = store.office_settings
    store.update_office_settings(version=settings().version, by=anna, country="US")
    run_job(store.catch_up_search_index(), stop_after=1)
    store.update_office_settings(version=settings().version, by=anna, country="GB")
    store.update_office_settings(version=settings().version, by=anna, country="US")
    run_job(store.catch_up_search_index())
    assert found("2025550143") == [("note", "Jo")]
    store.update_office_settings(version=settings().version, by=anna, country="GB")
    run_job(store.catch_up_search_index())
    assert found("2025550143") == []  # read in GB, that number is another


def test_two_desks_catching_up_at_once_share_the_work(office: str, anna: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from models import search_index

    monkeypatch.setattr(search_index, "CATCH_UP_SPAN", 3)
    jo = store.add_client(name="Jo", by=anna).id
    notes = [store.add_note(jo, by=anna, text=f"Line {k}: 1 202 555 01{k:02d}").id for k in range(24)]
    store.update_office_settings(version=store.office_settings().version, by=anna, country="US")
    results: list[int] = []

    def other_desk() -> None:  # its own connection, as another desk's is
        results.append(run_job(store.catch_up_search_index())[0])
        t.database.obj.close()
    desks = [threading.Thread(target=other_desk) for _ in range(2)]
    for desk in desks:
        desk.start()
    results.append(run_job(store.catch_up_search_index())[0])
    for desk in desks:
        desk.join()
    assert sum(results) == len(notes)  # each row's words made once
    assert {h.entry_id for h in store.search("202555", limit=100)} == set(notes)
    assert store.search("2025550107")[0].entry_id == notes[7]


def test_a_copy_of_an_office_half_caught_up_is_whole_and_the_original_keeps_its_catch_up(sqlite_office: Path,
                                                                                          tmp_path: Path) -> None:
    anna = store.add_staff("Anna Keller").id
    jo = store.add_client(name="Jo", by=anna).id
    note = store.add_note(jo, by=anna, text="Call 1 (202) 555-0143").id
    store.update_office_settings(version=store.office_settings().version, by=anna, country="US")
    store.copy_office(tmp_path / "copy.db")  # rebuilds the copy's index: its words are the country's
    assert store.search("2025550143") == ()  # this office still has its catch-up to do
    assert run_job(store.catch_up_search_index())[0] == 1
    store.close()
    store.open(tmp_path / "copy.db")
    assert [h.entry_id for h in store.search("2025550143")] == [note]
    assert run_job(store.catch_up_search_index()) == (0, [])


def test_a_full_rebuild_leaves_no_catch_up_behind(anna: int) -> None:
    jo = store.add_client(name="Jo", by=anna).id
    store.add_note(jo, by=anna, text="Call 1 (202) 555-0143")
    store.update_office_settings(version=store.office_settings().version, by=anna, country="US")
    store.rebuild_search_index()
    assert found("2025550143") == [("note", "Jo")] and run_job(store.catch_up_search_index()) == (0, [])


hypothesis_settings = settings(max_examples=60, deadline=None,
                               suppress_health_check=[HealthCheck.function_scoped_fixture])


@hypothesis_settings
@given(st.text(max_size=SEARCH_LIMIT))
def test_random_text_never_raises(zoe: int, typed: str) -> None:
    hits = store.search(typed)
    assert all(h.kind in ("client", "interaction", "note", "promise") for h in hits)
    for h in hits:
        assert all(0 <= a < b <= len(h.snippet) for a, b in h.marks)


@hypothesis_settings
@given(st.lists(st.sampled_from(['"', "*", "-", "AND", "OR", "NOT", "NEAR", "(", ")", "zo", "ë", "'", "+44", "0",
                                 "🙂", ":", "^", "{", "}", "\\", "%", "_", "\u0301", "ß", "NEAR/2"]), max_size=40))
def test_operator_soup_never_raises(zoe: int, parts: list[str]) -> None:
    store.search(" ".join(parts))
    store.search("".join(parts))


_WORDS = st.text(alphabet="abeiloruz0159", min_size=1, max_size=6)
_TEXTS = st.lists(st.one_of(_WORDS, st.sampled_from([" ", " ", "  ", "'", "-", ".", "`", "\n", "_", "é", "Ó", "O'",
                                                     "Boil", "boiler", "-Jones", "01632 960407", ", "])),
                  max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=3), st.lists(st.one_of(_WORDS, st.sampled_from(
    ["boil", "o'b", "smith-jones", "bo li", "960407", "é"])), min_size=1, max_size=3).map(" ".join),
    st.sampled_from([140, 12]))
def test_the_quick_way_of_marking_a_snippet_marks_what_the_full_way_does(texts: list[str], typed: str,
                                                                        width: int) -> None:
    """Search marks every hit it returns, mostly plain ASCII text: a shorter road (one pattern per query), which
    must give exactly what the full marking gives (that road is taken when the query has no pattern)."""
    query = si.parse(typed, "GB")
    if not query.terms:
        return
    full = dataclasses.replace(query, pattern=None)
    shown, marks = si.snippet(texts, query, "GB", width)
    assert (shown, marks) == si.snippet(texts, full, "GB", width)
    assert len(shown) <= width + 2 and "\n" not in shown  # one line, with "…" where it was cut
    for text in texts:
        assert si.marks_in(text, query, "GB") == si.marks_in(text, full, "GB")


# --- SQLite only: the index file, the health check, the upgrade ---------------------------------------

def test_the_health_check_mends_a_damaged_index(sqlite_office: Path) -> None:
    anna = store.add_staff("Anna Keller").id
    store.add_client(name="Zoë Ó'Brien", by=anna)
    assert store.check_integrity() is None
    db = t.database.obj
    with db.atomic():
        db.execute_sql("DELETE FROM client_fts_data WHERE id > 10")  # the index's pages lost, the rows fine
        db.execute_sql("INSERT INTO client_fts_data (id, block) VALUES (137438953473, x'00')")
    assert store.check_integrity() is None  # rebuilt on the spot
    assert found("obrien") == [("client", "Zoë Ó'Brien")]


def test_an_old_office_upgrades_with_its_index_built_and_an_older_rapport_refuses_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "office.db"
    shutil.copyfile(V1_OFFICE, path)
    office = store.open(path)
    try:
        assert office.schema_version == migrations.SCHEMA_VERSION
        assert [b.reason for b in store.list_backups()] == ["before upgrade"]
        assert found("oliver bay") == found("01632960001") == [("client", "Oliver Thompson")]
        assert found("invoice twice") == [("interaction", "Oliver Thompson")]
        assert store.check_integrity(full=True) is None
    finally:
        store.close()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION - 1)  # the Rapport before this one
    with pytest.raises(DatabaseError) as refused:
        store.open(path)
    assert refused.value.message == f"{path.name} was made by a newer version of Rapport. Please update Rapport on " \
                                    "this computer."


def _triggers(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(" ".join(sql.split()) for (sql,) in
                      conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    finally:
        conn.close()


def test_a_fresh_office_and_an_upgraded_one_have_the_same_index_and_triggers(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    shutil.copyfile(V1_OFFICE, old)
    for path in (fresh, old):
        store.open(path)
        store.close()
    assert _triggers(fresh) == _triggers(old) and len(_triggers(fresh)) == 12


def test_the_index_stays_in_the_same_transaction_as_the_row(sqlite_office: Path) -> None:
    anna = store.add_staff("Anna Keller").id
    zoe = store.add_client(name="Zoë", by=anna).id
    with pytest.raises(ValidationError):
        store.log_interaction(zoe, by=anna, summary="Boiler", rating=-1, recovers=999)  # refused inside the write
    assert store.search("boiler") == ()
    db = t.database.obj
    assert db.execute_sql("SELECT COUNT(*) FROM interaction_fts WHERE interaction_fts MATCH 'boiler'").fetchone()[0] == 0


def test_the_client_filter_uses_the_same_index(anna: int, zoe: int, client: int) -> None:
    assert store.matching_clients("") is None and store.matching_clients("   ") is None  # every client
    assert store.matching_clients("zoe obrien") == frozenset({zoe})
    assert store.matching_clients("+44 1632 960407") == frozenset({zoe})
    assert store.matching_clients('"') == frozenset()  # no words: nobody
    assert [c.name for c in store.list_clients(text="o'brien quay")] == ["Zoë Ó'Brien"]
    store.delete_client(zoe, by=anna)
    assert store.matching_clients("zoe") == frozenset()
    with pytest.raises(ValidationError):
        store.matching_clients("x" * (SEARCH_LIMIT + 1))


@pytest.mark.parametrize("dense", [1, 3, 8])
def test_every_way_of_finding_entries_gives_the_same_newest_matches(anna: int, ben: int, zoe: int, client: int,
                                                                    clock: Clock, monkeypatch: pytest.MonkeyPatch,
                                                                    dense: int) -> None:
    """Common words are read in time order, uncommon ones from the index: made common here by a low threshold."""
    from models.store import searching

    for k in range(40):
        clock.advance(minutes=7)
        who = anna if k % 3 else ben
        store.add_note(zoe if k % 2 else client, by=who, text=f"Boiler check {k}" + (" with the pump" if k % 5 == 0
                                                                                     else ""))
        if k % 4 == 0:
            store.log_interaction(zoe, by=who, summary=f"Called about the boiler {k}", rating=0,
                                  at=clock.now - timedelta(days=k))  # backdated: time order is not id order
    searches = [("boiler", {}), ("boil pump", {}), ("b", {}), ("oliver bay", {}), ("zoe 1632", {}), ("check boiler 1", {}), ("boiler", {"staff": ben}),
                ("boiler", {"client": zoe}), ("boiler", {"since": clock.now - timedelta(hours=2)})]
    monkeypatch.setattr(searching, "_STEM_COUNTS", {})
    monkeypatch.setattr(searching, "DENSE", 10**9)
    expected = [store.search(text, limit=12, **kw) for text, kw in searches]
    monkeypatch.setattr(searching, "DENSE", dense)
    monkeypatch.setattr(searching, "_STEM_COUNTS", {})
    monkeypatch.setattr(searching, "WALK_CHUNK", 4)
    assert [store.search(text, limit=12, **kw) for text, kw in searches] == expected
    monkeypatch.setattr(searching, "WALK_MAX", 8)  # too sparse to walk far: the index answers instead
    assert [store.search(text, limit=12, **kw) for text, kw in searches] == expected
    assert [h.kind for h in expected[0]][:3] == ["note", "note", "note"] and len(expected[0]) == 12


def test_an_erased_client_and_their_timeline_are_not_found_by_anything_they_said(anna: int, zoe: int) -> None:
    store.add_note(zoe, by=anna, text="Mr O'Hara rang from 01632 960555 about the boiler")
    store.log_interaction(zoe, by=anna, summary="Spoke to Ms Smith-Jones", rating=0)
    store.make_promise(zoe, by=anna, text="Ring Ms Ní Bhriain", due=store.utcnow() + timedelta(days=1))
    for typed in ("ohara", "1632960555", "boiler", "smithjones", "bhriain", "zoe", "obrien", "960407"):
        assert store.search(typed), typed
    store.erase_client(zoe, by=anna)
    for typed in ("ohara", "1632960555", "boiler", "smithjones", "bhriain", "zoe", "obrien", "960407", "harbour"):
        assert store.search(typed) == (), typed
    assert store.check_integrity() is None
