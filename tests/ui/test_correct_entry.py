"""The timeline's Edit... corrects every field of an interaction (its topic too, issue 17) or a note's text in one
form; a refused save keeps what was typed, with the store's sentence in the form."""
from __future__ import annotations

from PySide6.QtCore import Qt

from models import store
from tests.ui.conftest import open_dialog
from ui.dialogs.entry_edit import CorrectInteractionDialog, CorrectNoteDialog


def _edit(ready, qtbot, kind: str, entry_id: int):  # noqa: ANN001, ANN202
    """Open the client's timeline and choose Edit... on the entry's menu, as a person would."""
    timeline = ready.client_view.timeline
    qtbot.waitUntil(lambda: any(e.kind == kind and e.id == entry_id for e in timeline.timeline_model.entries))
    entry = next(e for e in timeline.timeline_model.entries if e.kind == kind and e.id == entry_id)
    dict(timeline.actions_for(entry))["Edit..."]()
    return open_dialog(ready.client_view, CorrectNoteDialog if kind == "note" else CorrectInteractionDialog)


def _interaction(client: int, anna: int) -> int:
    return store.log_interaction(client, by=anna, summary="Invoice querry", details="Asked about line 3",
                                 rating=-1, channel="phone", topic="Billing").id


def test_edit_corrects_summary_details_channel_rating_and_topic_in_one_form(ready, qtbot, seeded) -> None:
    iid = _interaction(seeded["oliver"], seeded["anna"])
    ready.open_client(seeded["oliver"])
    dialog = _edit(ready, qtbot, "interaction", iid)
    assert (dialog.summary.text(), dialog.details.toPlainText()) == ("Invoice querry", "Asked about line 3")
    assert (dialog.channel.currentData(), dialog.rating.currentData(), dialog.topic.currentData()) == \
        ("phone", -1, "Billing")
    qtbot.waitUntil(lambda: dialog.topic.findData("Quote") >= 0)  # the office's list arrived
    dialog.summary.setText("Invoice query")
    dialog.channel.setCurrentIndex(dialog.channel.findData("email"))
    dialog.topic.setCurrentIndex(dialog.topic.findData("Quote"))
    assert set(dialog.changed_values()) == {"summary", "channel", "topic"}  # details and rating are not written
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    entry = next(e for e in store.timeline(seeded["oliver"]).entries if e.kind == "interaction" and e.id == iid)
    assert (entry.summary, entry.details, entry.channel, entry.rating, entry.topic, entry.edited) == \
        ("Invoice query", "Asked about line 3", "email", -1, "Quote", True)


def test_no_topic_takes_the_topic_off(ready, qtbot, seeded) -> None:
    iid = _interaction(seeded["oliver"], seeded["anna"])
    ready.open_client(seeded["oliver"])
    dialog = _edit(ready, qtbot, "interaction", iid)
    dialog.topic.setCurrentIndex(0)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    entry = next(e for e in store.timeline(seeded["oliver"]).entries if e.kind == "interaction" and e.id == iid)
    assert entry.topic is None


def test_a_refused_correction_keeps_what_was_typed_and_says_why(ready, qtbot, seeded) -> None:
    iid = _interaction(seeded["oliver"], seeded["anna"])
    ready.open_client(seeded["oliver"])
    dialog = _edit(ready, qtbot, "interaction", iid)
    dialog.summary.setText("")
    dialog.details.setPlainText("A long explanation I do not want to type twice")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert "summary" in dialog.error.text().lower() and dialog.isVisible()
    assert dialog.details.toPlainText() == "A long explanation I do not want to type twice"
    entry = next(e for e in store.timeline(seeded["oliver"]).entries if e.kind == "interaction" and e.id == iid)
    assert entry.summary == "Invoice querry" and not entry.edited


def test_edit_corrects_a_note(ready, qtbot, seeded) -> None:
    nid = store.add_note(seeded["isla"], by=seeded["anna"], text="Prefers calls after 3pn").id
    ready.open_client(seeded["isla"])
    dialog = _edit(ready, qtbot, "note", nid)
    assert dialog.text.toPlainText() == "Prefers calls after 3pn"
    dialog.text.setPlainText("Prefers calls after 3pm")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    entry = next(e for e in store.timeline(seeded["isla"]).entries if e.kind == "note" and e.id == nid)
    assert entry.text == "Prefers calls after 3pm" and entry.edited


def test_a_topic_hidden_in_settings_stays_on_offer_for_the_entry_that_carries_it(ready, qtbot, seeded) -> None:
    iid = _interaction(seeded["oliver"], seeded["anna"])
    settings = store.office_settings()
    store.update_office_settings(version=settings.version, by=seeded["anna"], hidden_topics=("Billing",))
    ready.open_client(seeded["oliver"])
    dialog = _edit(ready, qtbot, "interaction", iid)
    qtbot.waitUntil(lambda: dialog.topic.findData("Quote") >= 0)  # the office's list arrived
    assert dialog.topic.currentData() == "Billing"  # kept, so saving other fields does not drop it
    assert dialog.changed_values() == {}
    form = ready.client_view.composer.interaction
    qtbot.waitUntil(lambda: form.topic.findData("Billing") < 0)  # no longer offered for new interactions
