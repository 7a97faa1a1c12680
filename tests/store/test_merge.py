"""Merging two clients (administrator) keeps both timelines; un-merge gives both back exactly, also after
colleagues logged new entries on the merged client; a refused merge changes nothing. Both engines."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from models import store
from models import tables as t
from tests.store.conftest import Clock, database_rows

# Rows that belong to a client, with the column holding the client's id.
OWNED = {"Client": "id", "Interaction": "client", "Note": "client", "Promise": "client", "PromiseEvent": "client",
         "Change": "client"}


def owned_rows(client_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row that belongs to the client, in full (the change log's rows included)."""
    rows = database_rows()
    out = {}
    for name, column in OWNED.items():
        model = getattr(t, name)
        index = [f.name for f in model._meta.sorted_fields].index(column)
        out[name] = [row for row in rows[name] if row[index] == client_id]
    return out


VERSION = [f.name for f in t.Client._meta.sorted_fields].index("version")


def unversioned(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows with the client rows' version left out: un-merge restores everything else exactly, and gives
    a fresh version (a desk holding the merged client must meet a conflict, not save over the restored one)."""
    return {name: [row[:VERSION] + row[VERSION + 1:] for row in table] if name == "Client" else table
            for name, table in rows.items()}


def without_new(rows: dict[str, list[tuple[Any, ...]]], before: dict[str, list[tuple[Any, ...]]]
                ) -> dict[str, list[tuple[Any, ...]]]:
    """The rows whose ids existed before (the change log grows; entries logged since stay where they are)."""
    ids = {name: {row[0] for row in table} for name, table in before.items()}
    return {name: [row for row in table if row[0] in ids[name]] for name, table in rows.items()}


@pytest.fixture
def pair(clock: Clock, anna: int, ben: int) -> tuple[int, int]:
    """Two records of one person, each with its own entries, notes, promises and edits."""
    keep = store.add_client(name="Aisha Clarke", by=anna, phone="01632 960703", organisation="Quayside Dental").id
    other = store.add_client(name="Aysha Clarke", by=ben, phone="01632 960703", email="aisha@example.com",
                             address="4 Harbour Row").id
    clock.advance(hours=1)
    store.log_interaction(keep, by=anna, summary="Booked a check-up", rating=1)
    store.add_note(keep, by=anna, text="Prefers mornings", pinned=True)
    kept = store.make_promise(keep, by=anna, text="Send the price list", due=clock.now + timedelta(days=1)).id
    store.keep_promise(kept, by=anna)
    clock.advance(hours=1)
    store.log_interaction(other, by=ben, summary="Complained about the wait", rating=-2)
    store.add_note(other, by=ben, text="Call on the mobile")
    store.make_promise(other, by=ben, text="Call back about the bill", due=clock.now + timedelta(days=2))
    store.update_client(other, version=store.get_client(other).version, by=ben, caution="Hard of hearing")
    clock.advance(hours=1)
    return keep, other


def test_the_merged_client_has_both_timelines_promises_and_change_logs(anna: int, pair: tuple[int, int]) -> None:
    keep, other = pair
    keep_score = store.client_score(keep).badge.score
    other_rows = owned_rows(other)
    changes = store.merge_clients(keep, other, by=anna, fields={"address": "other", "email": "other"})
    assert changes.id is not None and {keep, other} <= changes.clients
    merged = store.get_client(keep)
    assert (merged.name, merged.email, merged.address, merged.organisation, merged.caution) == (
        "Aisha Clarke", "aisha@example.com", "4 Harbour Row", "Quayside Dental", "")
    assert store.get_client(other).deleted_at is not None
    summaries = {e.summary for e in store.timeline(keep, limit=100) if hasattr(e, "summary")}
    assert {"Booked a check-up", "Complained about the wait"} <= summaries
    assert {p.text for p in store.client_promises(keep, include_closed=True)} == {
        "Send the price list", "Call back about the bill"}
    assert t.Change.select().where(t.Change.client == other).count() == 1  # only "merged away" is left there
    assert store.client_score(keep).badge.score < keep_score  # the complaint that came over counts now
    assert [c.id for c in store.list_clients(text="aisha@example.com")] == [keep]  # search follows
    assert [(i.kind, i.id) for i in store.trash()] == []  # merged away, not in the Trash
    with pytest.raises(store.ValidationError, match="merged into Aisha Clarke"):
        store.restore_client(other, by=anna)
    # every moved row records the merge it came through
    moved = {(m.entity, m.row_id) for m in t.MergeMove.select().where(t.MergeMove.merge == changes.id)}
    expected = {(entity, row[0]) for entity, name in (("interaction", "Interaction"), ("note", "Note"),
                                                       ("promise", "Promise"), ("promise_event", "PromiseEvent"),
                                                       ("change", "Change")) for row in other_rows[name]}
    assert moved == expected and len(expected) >= 7
    (info,) = store.merges(keep)
    assert (info.id, info.other, info.other_name, info.moved, info.added_since) == (changes.id, other,
                                                                                   "Aysha Clarke", 3, 0)


def test_unmerge_after_colleagues_new_entries_restores_both_exactly(clock: Clock, anna: int, ben: int,
                                                                    pair: tuple[int, int]) -> None:
    keep, other = pair
    keep_before, other_before = owned_rows(keep), owned_rows(other)
    merge = store.merge_clients(keep, other, by=anna, fields={"phone": "other", "email": "other", "name": "other"})
    clock.advance(hours=1)
    # colleagues go on working with the merged client
    new_call = store.log_interaction(keep, by=ben, summary="Rang to confirm", rating=2).id
    new_note = store.add_note(keep, by=ben, text="Now one record").id
    new_promise = store.make_promise(keep, by=ben, text="Post the leaflet", due=clock.now + timedelta(days=3)).id
    assert store.merges(keep)[0].added_since == 3
    clock.advance(hours=1)
    store.unmerge(merge.id, by=anna)

    after_other = owned_rows(other)
    assert unversioned(without_new(after_other, other_before)) == unversioned(other_before)  # as it was
    assert {name: len(rows) for name, rows in after_other.items()} == {  # nothing else came along
        **{name: len(rows) for name, rows in other_before.items()}, "Change": len(other_before["Change"]) + 2}
    after_keep = owned_rows(keep)
    assert {k: v for k, v in without_new(after_keep, keep_before).items() if k != "Client"} == {
        k: v for k, v in keep_before.items() if k != "Client"}
    client_columns = [f.name for f in t.Client._meta.sorted_fields]
    (before_row,), (after_row,) = keep_before["Client"], after_keep["Client"]
    derived = {"last_contact_at", "next_due_at", "version"}  # follow the entries logged since, which stay
    assert {c: v for c, v in zip(client_columns, after_row, strict=True) if c not in derived} == {
        c: v for c, v in zip(client_columns, before_row, strict=True) if c not in derived}
    # the colleagues' entries stay with the merged client
    assert t.Interaction.get_by_id(new_call).client_id == keep
    assert t.Note.get_by_id(new_note).client_id == keep
    assert t.Promise.get_by_id(new_promise).client_id == keep
    assert store.get_client(other).deleted_at is None
    assert store.merges(keep) == ()
    assert [s.client_id for s in store.similar_clients(email="aisha@example.com")] == [other]


def test_unmerge_without_new_entries_restores_every_row(anna: int, pair: tuple[int, int]) -> None:
    keep, other = pair
    score_keep, score_other = store.client_score(keep).badge, store.client_score(other).badge
    before = database_rows(presence=False)
    merge = store.merge_clients(keep, other, by=anna)
    store.unmerge(merge.id, by=anna)
    after = database_rows(presence=False)
    for name in ("Client", "Interaction", "Note", "Promise", "PromiseEvent", "Staff", "Setting", "NotSame"):
        assert unversioned(after)[name] == unversioned(before)[name], name
    assert after["Change"][:len(before["Change"])] == before["Change"]
    assert {r[1:] for r in after["ClientKey"]} == {r[1:] for r in before["ClientKey"]}
    assert (store.client_score(keep).badge, store.client_score(other).badge) == (score_keep, score_other)


def test_edit_undo_right_after_a_merge_unmerges(anna: int, pair: tuple[int, int]) -> None:
    keep, other = pair
    before = database_rows(presence=False)
    merge = store.merge_clients(keep, other, by=anna)
    assert store.describe(merge.change_ids) == "Clients merged"
    store.undo(merge.change_ids, by=anna)
    after = database_rows(presence=False)
    for name in ("Client", "Interaction", "Note", "Promise", "PromiseEvent"):
        assert unversioned(after)[name] == unversioned(before)[name], name
    with pytest.raises(store.ValidationError, match="already un-merged"):
        store.unmerge(merge.id, by=anna)


def test_a_merge_refused_changes_nothing(anna: int, ben: int, pair: tuple[int, int]) -> None:
    keep, other = pair
    before = database_rows(presence=False)
    with pytest.raises(store.PermissionDenied, match="Only an administrator can merge clients"):
        store.merge_clients(keep, other, by=ben)
    assert database_rows(presence=False) == before
    with pytest.raises(store.ValidationError):
        store.merge_clients(keep, keep, by=anna)
    with pytest.raises(store.ValidationError, match="no field"):
        store.merge_clients(keep, other, by=anna, fields={"shoe_size": "other"})
    with pytest.raises(store.ValidationError):
        store.merge_clients(keep, other, by=anna, fields={"phone": "theirs"})
    with pytest.raises(store.ValidationError, match="whose value to keep"):
        store.merge_clients(keep, other, by=anna, fields=["phone"])  # type: ignore[arg-type]
    with pytest.raises(store.ValidationError):
        store.unmerge("first", by=anna)  # type: ignore[arg-type]
    assert database_rows(presence=False) == before
    # a colleague deleted one of them meanwhile
    store.delete_client(other, by=ben)
    before = database_rows(presence=False)
    with pytest.raises(store.ValidationError, match="was deleted"):
        store.merge_clients(keep, other, by=anna)
    assert database_rows(presence=False) == before


def test_an_unmerge_refused_changes_nothing(anna: int, ben: int, pair: tuple[int, int]) -> None:
    keep, other = pair
    merge = store.merge_clients(keep, other, by=anna)
    before = database_rows(presence=False)
    with pytest.raises(store.PermissionDenied):
        store.unmerge(merge.id, by=ben)
    with pytest.raises(store.ValidationError, match="Only your own"):
        store.undo(merge.change_ids, by=ben)
    store_rows = database_rows(presence=False)
    assert store_rows == before
    store.delete_client(keep, by=anna)
    before = database_rows(presence=False)
    with pytest.raises(store.ValidationError, match="deleted or merged again"):
        store.unmerge(merge.id, by=anna)
    assert database_rows(presence=False) == before


def test_merges_in_a_chain_come_apart_newest_first(anna: int, pair: tuple[int, int]) -> None:
    keep, other = pair
    third = store.add_client(name="A. Clarke", by=anna, phone="01632 960703").id
    store.log_interaction(third, by=anna, summary="Left a message", rating=0)
    before = database_rows(presence=False)
    first = store.merge_clients(keep, other, by=anna)
    second = store.merge_clients(third, keep, by=anna)  # the merged client merged again
    assert {e.summary for e in store.timeline(third, limit=100) if hasattr(e, "summary")} >= {
        "Booked a check-up", "Complained about the wait", "Left a message"}
    with pytest.raises(store.ValidationError, match="merged again since"):
        store.unmerge(first.id, by=anna)
    store.unmerge(second.id, by=anna)
    store.unmerge(first.id, by=anna)
    after = database_rows(presence=False)
    for name in ("Client", "Interaction", "Note", "Promise", "PromiseEvent"):
        assert unversioned(after)[name] == unversioned(before)[name], name
    assert after["Change"][:len(before["Change"])] == before["Change"]


def test_unmerge_takes_back_an_edit_of_the_merged_clients_details_too(anna: int, ben: int,
                                                                      pair: tuple[int, int]) -> None:
    keep, other = pair
    before = store.get_client(keep)
    merge = store.merge_clients(keep, other, by=anna, fields={"email": "other"})
    during = store.get_client(keep).version  # what a desk that opened the merged client holds
    store.update_client(keep, version=during, by=ben, caution="Call after 5")
    merged_version = store.get_client(keep).version
    store.unmerge(merge.id, by=anna)
    after = store.get_client(keep)
    assert (after.email, after.caution) == (before.email, before.caution)
    assert after.version > merged_version
    # a desk still holding the merged client's details cannot save over the restored ones
    for stale in (during, merged_version, before.version):
        with pytest.raises(store.ConflictError):
            store.update_client(keep, version=stale, by=ben, caution="Stale")
