"""Office > Settings edits the topics as a list: Add and Hide are saved with OK; Rename renames the topic on
past interactions too, after a plain confirmation that says how many, in one recorded change that reaches the
other desks (issue 17)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from models import store
from tests.ui.conftest import open_dialog
from tests.ui.test_live_refresh import other_desk
from ui.dialogs.office_settings import OfficeSettingsDialog


def _answer(monkeypatch: pytest.MonkeyPatch, text: str, ok: bool = True) -> list[str]:
    asked: list[str] = []

    def get_text(_parent, _title, label, *args, **kwargs):  # noqa: ANN001, ANN202
        asked.append(label)
        return text, ok
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


def _settings(ready) -> OfficeSettingsDialog:  # noqa: ANN001
    ready.settings_action.trigger()
    dialog = open_dialog(ready, OfficeSettingsDialog)
    assert dialog.isEnabled()
    return dialog


def _choose(dialog: OfficeSettingsDialog, name: str) -> None:
    dialog.topic_list.setCurrentRow(dialog.topic_names().index(name))


def _billing_calls(seeded: dict[str, int]) -> list[int]:
    return [store.log_interaction(client, by=seeded["anna"], summary=f"Invoice question {n}", rating=0,
                                  topic="Billing").id
            for n, client in enumerate((seeded["oliver"], seeded["isla"], seeded["oliver"]))]


def test_rename_says_how_many_past_interactions_and_renames_them_in_one_recorded_change(
        ready, qtbot, seeded, monkeypatch) -> None:
    calls = _billing_calls(seeded)
    store.delete_entry("interaction", calls[2], by=seeded["anna"])  # in the Trash: renamed too (it keeps its topic)
    ready.open_client(seeded["isla"])
    form = ready.client_view.composer.interaction
    offered = [form.topic.itemText(n) for n in range(form.topic.count())]
    assert "Billing" in offered and "Invoices" not in offered
    dialog = _settings(ready)
    dialog.office_name.setText("Harbour Street Dental")  # typed, not saved yet: the rename keeps it
    _choose(dialog, "Billing")
    asked = _answer(monkeypatch, "  Invoices ")
    before = store.history(limit=5).entries[0].id
    qtbot.mouseClick(dialog.rename_topic_button, Qt.MouseButton.LeftButton)
    assert asked == ["The new name for 'Billing':"]
    box = dialog.rename_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == ("Rename the topic 'Billing' to 'Invoices'? The 3 past interactions with this topic will "
                          "be renamed too. This is one change, recorded in the office's history, and every desk "
                          "uses the new name at once.")
    assert store.office_settings().topics.count("Billing") == 1  # nothing happens before the answer
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "Rename"), Qt.MouseButton.LeftButton)
    settings = store.office_settings()
    assert "Invoices" in settings.topics and "Billing" not in settings.topics
    assert (store.topic_uses("Invoices"), store.topic_uses("Billing")) == (3, 0)
    timeline = store.timeline(seeded["oliver"]).entries
    assert {e.topic for e in timeline if e.kind == "interaction"} == {"Invoices"}
    changes = [e for e in store.history(limit=10).entries if e.id > before]
    assert [(c.kind, c.action) for c in changes] == [("settings", "rename_topic")]  # one recorded change
    assert changes[0].after == {"topic": "Invoices", "interactions": 3}
    assert "Billing" in changes[0].text and "Invoices" in changes[0].text, changes[0].text  # said in words
    assert "Invoices" in dialog.topic_names() and "Billing" not in dialog.topic_names()
    offered = [form.topic.itemText(n) for n in range(form.topic.count())]
    assert "Invoices" in offered and "Billing" not in offered  # the log form offers the new name at once
    assert dialog.changed() == {"office_name": "Harbour Street Dental"}  # the rename is not saved twice
    dialog.submit()
    assert not dialog.isVisible() and store.office_settings().office_name == "Harbour Street Dental"
    assert store.office_settings().topics == settings.topics


def test_cancelling_the_confirmation_renames_nothing(ready, qtbot, seeded, monkeypatch) -> None:
    _billing_calls(seeded)
    dialog = _settings(ready)
    _choose(dialog, "Billing")
    _answer(monkeypatch, "Invoices")
    dialog.rename_topic_button.click()
    box = dialog.rename_box
    assert box is not None and "The 3 past interactions" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert "Billing" in store.office_settings().topics and store.topic_uses("Billing") == 3
    assert "Billing" in dialog.topic_names()


def test_hide_and_add_are_saved_with_ok_and_past_interactions_keep_a_hidden_topic(ready, seeded, monkeypatch) -> None:
    _billing_calls(seeded)
    dialog = _settings(ready)
    _choose(dialog, "Billing")
    dialog.hide_topic_button.click()
    assert "Billing" not in dialog.topic_names() and "no longer be offered" in dialog.topic_hint.text()
    _answer(monkeypatch, "Warranty")
    dialog.add_topic_button.click()
    _answer(monkeypatch, "warranty")
    dialog.add_topic_button.click()  # the same name again is refused with a sentence
    assert dialog.topic_names().count("Warranty") == 1 and "already a topic called" in dialog.error.text()
    _choose(dialog, "Warranty")
    _answer(monkeypatch, "Warranties")
    dialog.rename_topic_button.click()  # not saved yet: renamed in the list, no confirmation needed
    assert dialog.rename_box is None and "Warranties" in dialog.topic_names()
    assert "Billing" in store.office_settings().topics  # nothing saved before OK
    dialog.submit()
    settings = store.office_settings()
    assert "Warranties" in settings.topics and "Billing" not in settings.topics
    assert "Billing" in settings.hidden_topics and store.topic_uses("Billing") == 3


def test_a_rename_at_another_desk_reaches_the_open_settings_and_the_timeline_live(ready, qtbot, seeded, db_path
                                                                                  ) -> None:
    _billing_calls(seeded)
    ready.open_client(seeded["oliver"])
    dialog = _settings(ready)
    qtbot.waitUntil(lambda: ready.session.watcher.session is not None, timeout=3000)
    desk = other_desk(db_path, seeded["anna"], seeded["oliver"], "rename_topic", "Billing>Invoices")
    assert desk.wait(timeout=30) == 0
    qtbot.waitUntil(lambda: "Invoices" in dialog.topic_names(), timeout=3500)
    assert "Billing" not in dialog.topic_names()
    model = ready.client_view.timeline.timeline_model
    qtbot.waitUntil(lambda: {e.topic for e in model.entries if e.kind == "interaction"} == {"Invoices"},
                    timeout=3500)
    form = ready.client_view.composer.interaction
    assert "Invoices" in [form.topic.itemText(n) for n in range(form.topic.count())]
