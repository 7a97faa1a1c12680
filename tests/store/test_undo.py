"""Undo takes back this desk's own last action; the Trash brings deleted things back; never an overwrite."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models import store
from models.errors import ValidationError


def test_undo_a_logged_interaction_moves_it_to_the_trash_and_restore_brings_it_back(client: int, anna: int) -> None:
    changes = store.log_interaction(client, by=anna, summary="Wrong client!", rating=0)
    assert changes.change_ids and store.describe(changes.change_ids) == "Interaction added"
    undone = store.undo(changes.change_ids, by=anna)
    assert client in undone.clients and len(store.timeline(client)) == 0
    item = next(i for i in store.trash() if i.kind == "interaction")
    assert (item.id, item.client_id, item.text) == (changes.id, client, "Wrong client!")
    store.restore("interaction", item.id, by=anna)
    assert [e.id for e in store.timeline(client)] == [changes.id]


def test_undo_an_edit_puts_the_earlier_text_back(client: int, anna: int) -> None:
    nid = store.add_note(client, by=anna, text="Prefers calls").id
    edit = store.edit_note(nid, by=anna, text="Prefers email")
    store.undo(edit.change_ids, by=anna)
    assert store.timeline(client)[0].text == "Prefers calls"


def test_undo_refuses_to_overwrite_a_colleagues_later_edit(client: int, anna: int, ben: int) -> None:
    nid = store.add_note(client, by=anna, text="one").id
    mine = store.edit_note(nid, by=anna, text="two")
    store.edit_note(nid, by=ben, text="three")
    with pytest.raises(ValidationError, match="colleague changed this since"):
        store.undo(mine.change_ids, by=anna)
    assert store.timeline(client)[0].text == "three"


def test_only_your_own_actions_can_be_undone(client: int, anna: int, ben: int) -> None:
    theirs = store.add_note(client, by=ben, text="Ben's note")
    with pytest.raises(ValidationError, match="Only your own"):
        store.undo(theirs.change_ids, by=anna)


def test_undo_keeping_a_promise_reopens_it(client: int, anna: int, clock) -> None:
    pid = store.make_promise(client, by=anna, text="Call back", due=store.utcnow() + timedelta(days=1)).id
    kept = store.keep_promise(pid, by=anna)
    store.undo(kept.change_ids, by=anna)
    promise = store.get_promise(pid)
    assert promise.record_status == "open" and promise.kept_at is None
    assert store.timeline(client)[0].action == "reopened"


def test_undo_a_client_edit_and_a_new_client(anna: int) -> None:
    made = store.add_client(name="Isla Walsh", by=anna, phone="01632 960001")
    edit = store.update_client(made.id, version=1, by=anna, phone="01632 960002")
    store.undo(edit.change_ids, by=anna)
    assert store.get_client(made.id).phone == "01632 960001"
    store.undo(made.change_ids, by=anna)
    assert store.list_clients() == [] and store.trash()[0].kind == "client"


def test_a_promise_made_by_mistake_goes_to_the_trash(client: int, anna: int, clock) -> None:
    pid = store.make_promise(client, by=anna, text="Oops", due=store.utcnow() + timedelta(days=1)).id
    store.delete_promise(pid, by=anna)
    assert store.client_promises(client) == [] and store.trash()[0].kind == "promise"
    store.restore("promise", pid, by=anna)
    assert [p.id for p in store.client_promises(client)] == [pid]


def test_restoring_twice_is_a_sentence(client: int, anna: int) -> None:
    nid = store.add_note(client, by=anna, text="x").id
    store.delete_entry("note", nid, by=anna)
    store.restore("note", nid, by=anna)
    with pytest.raises(ValidationError, match="not in the Trash"):
        store.restore("note", nid, by=anna)


def test_nothing_to_undo(anna: int) -> None:
    with pytest.raises(ValidationError, match="nothing to undo"):
        store.undo((), by=anna)


def test_redo_does_again_what_undo_took_back_and_undo_takes_it_back_once_more(client: int, anna: int) -> None:
    note = store.add_note(client, by=anna, text="First")
    undone = store.undo(note.change_ids, by=anna)
    assert store.timeline(client).entries == ()
    again = store.redo(undone.change_ids, by=anna)
    assert [e.text for e in store.timeline(client)] == ["First"]
    store.undo(again.change_ids, by=anna)
    assert store.timeline(client).entries == ()
    pid = store.make_promise(client, by=anna, text="Call back", due=store.utcnow() + timedelta(days=1)).id
    undone = store.undo(store.keep_promise(pid, by=anna).change_ids, by=anna)
    assert store.get_promise(pid).record_status == "open"
    store.redo(undone.change_ids, by=anna)
    assert store.get_promise(pid).record_status == "kept"
    edited = store.edit_promise(store.make_promise(client, by=anna, text="Emial", due=store.utcnow()
                                                   + timedelta(days=1)).id, by=anna, text="Email")
    undone = store.undo(edited.change_ids, by=anna)
    assert {p.text for p in store.client_promises(client)} == {"Emial"}
    store.redo(undone.change_ids, by=anna)
    assert {p.text for p in store.client_promises(client)} == {"Email"}


def test_redo_refuses_to_overwrite_a_colleagues_later_change(client: int, anna: int, ben: int) -> None:
    pid = store.make_promise(client, by=anna, text="Call back", due=store.utcnow() + timedelta(days=1)).id
    undone = store.undo(store.reassign_promise(pid, by=anna, owner=ben).change_ids, by=anna)
    store.renegotiate_promise(pid, by=ben, due=store.utcnow() + timedelta(days=3))
    store.reassign_promise(pid, by=ben, owner=ben)  # Ben took it himself meanwhile
    with pytest.raises(ValidationError, match="colleague changed this since"):
        store.redo(undone.change_ids, by=anna)
    with pytest.raises(ValidationError, match="your own"):
        store.redo(undone.change_ids, by=ben)
