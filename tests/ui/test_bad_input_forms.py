"""Bad input in the real forms (issue 2, "Bad input"): a sentence naming the field, the form keeps what was
typed, the database unchanged. Driven through the widgets, as in test_walking_skeleton.py.

Messages are asserted on their stable parts (the field's words, "empty", "too long" ...), not word for word.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

import main
from models import store
from tests.store.conftest import database_rows as all_rows
from tests.ui.conftest import open_dialog
from ui.dialogs.client_dialog import ClientDialog
from ui.dialogs.staff import StaffPicker
from ui.main_window import MainWindow
from ui.tasks import SyncTasks

FIVE_MB = 5_000_000


def database_rows() -> dict[str, list[tuple]]:
    """The office's rows, without the desk's own presence row (its heartbeat is not a save)."""
    return all_rows(presence=False)


def open_client(window: MainWindow, client_id: int) -> None:
    window.open_client(client_id)
    assert window.client_view.client is not None and window.client_view.client.id == client_id


def paste(widget: QWidget, text: str) -> None:
    """Put `text` on the clipboard and paste it into the focused field, as Ctrl+V does."""
    QApplication.clipboard().setText(text)
    widget.setFocus()
    widget.paste()


def fill_client_form(dialog: ClientDialog, name: str) -> dict[str, object]:
    """Type a whole new client, with `name` as the name; returns what the form holds."""
    dialog.name.setText(name)
    dialog.organisation.setText("Quayside Dental")
    dialog.phone.setText("01632 960123")
    dialog.email.setText("george@example.com")
    dialog.address.setPlainText("4 Harbour Row\nPortsmouth")
    dialog.caution.setPlainText("Upset about the March invoice")
    dialog.channel.setCurrentIndex(dialog.channel.findData("email"))
    dialog.handler.setCurrentIndex(dialog.handler.findText("Ben Okafor"))
    return dialog.values()


# --- the client dialog -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["", "    "])
def test_a_new_client_without_a_name_is_named_and_the_form_kept(ready, qtbot, seeded, name: str) -> None:
    ready.add_client()
    dialog = open_dialog(ready, ClientDialog)
    assert isinstance(dialog, ClientDialog)
    typed = fill_client_form(dialog, name)
    before = database_rows()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.isVisible() and "name" in dialog.error.text().lower()
    assert "empty" in dialog.error.text().lower()
    assert dialog.name.property("invalid") is True and dialog.focusWidget() is dialog.name
    assert dialog.values() == typed  # every other field still holds what was typed
    assert typed["usual_handler"] == seeded["ben"] and typed["preferred_channel"] == "email"
    assert database_rows() == before
    assert sorted(c.name for c in store.list_clients()) == ["Isla Walsh", "Oliver Thompson"]


def test_editing_a_client_to_a_blank_name_is_named_and_nothing_is_saved(ready, qtbot, seeded) -> None:
    open_client(ready, seeded["isla"])
    dialog = ClientDialog(ready.ctx, store.get_client(seeded["isla"]), ready)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("   ")
    dialog.organisation.setText("Quayside Dental")
    dialog.phone.setText("01632 960777")
    typed = dialog.values()
    before = database_rows()
    dialog.submit()
    assert dialog.isVisible() and "name" in dialog.error.text().lower()
    assert dialog.values() == typed
    assert database_rows() == before
    isla = store.get_client(seeded["isla"])
    assert (isla.name, isla.organisation, isla.phone, isla.version) == ("Isla Walsh", "", "", 1)


# --- the composer ------------------------------------------------------------------------------

def test_a_five_megabyte_summary_is_refused_and_kept(ready, qtbot, seeded) -> None:
    open_client(ready, seeded["isla"])
    form = ready.client_view.composer.interaction
    form.details.setPlainText("Some details I typed")
    paste(form.summary, "x" * FIVE_MB)
    held = form.summary.text()
    # QLineEdit holds at most maxLength() characters (32,767): the rest of the paste never reaches the form
    assert held == "x" * min(FIVE_MB, form.summary.maxLength())
    before = database_rows()
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    assert form.error.isVisible()
    assert "summary" in form.error.text().lower() and "too long" in form.error.text()
    assert form.summary.text() == held and form.details.toPlainText() == "Some details I typed"
    assert database_rows() == before
    assert len(store.timeline(seeded["isla"])) == 0


def test_a_five_megabyte_promise_is_refused_and_kept(ready, qtbot, seeded) -> None:
    open_client(ready, seeded["oliver"])
    ready.client_view.composer.open_promise()
    promise = ready.client_view.composer.promise
    qtbot.keyClicks(promise.due, "tomorrow 3pm")
    paste(promise.text, "y" * FIVE_MB)
    held = promise.text.text()
    assert held == "y" * min(FIVE_MB, promise.text.maxLength())
    before = database_rows()
    qtbot.keyClick(promise.due, Qt.Key.Key_Return)
    assert promise.error.isVisible()
    assert "promised" in promise.error.text().lower() and "too long" in promise.error.text()
    assert promise.text.text() == held and promise.due.text() == "tomorrow 3pm"
    assert database_rows() == before
    assert len(store.timeline(seeded["oliver"])) == 0


def test_control_characters_in_a_note_are_refused_not_stripped(ready, qtbot, seeded) -> None:
    open_client(ready, seeded["oliver"])
    ready.client_view.composer.open_note()
    note = ready.client_view.composer.note
    pasted = "Invoice\x07 ref\x0b 1234\x1b[0m"  # a bell, a vertical tab and an escape, as from a copied document
    paste(note.text, pasted)
    assert note.text.toPlainText() == pasted
    before = database_rows()
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    assert note.error.isVisible() and "control characters" in note.error.text()
    assert "note" in note.error.text().lower()
    assert note.text.toPlainText() == pasted  # kept as pasted: nothing dropped without a word
    assert database_rows() == before
    assert len(store.timeline(seeded["oliver"])) == 0
    assert ready.client_view.timeline.timeline_model.entries == []


# --- --staff naming somebody not on the team ---------------------------------------------------

@pytest.fixture
def window_for(qtbot, settings: QSettings) -> Iterator:
    windows: list[MainWindow] = []

    def make(path: Path, argv: list[str]) -> MainWindow:
        window = MainWindow(tasks_factory=lambda events: SyncTasks(events), settings=settings)
        qtbot.addWidget(window)
        window.show()
        window.start(str(path), staff=main.parse_args(argv).staff)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    store.close()


def test_staff_option_naming_nobody_on_the_team_says_so_and_asks_who(window_for, seeded, settings, db_path) -> None:
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])  # the desk remembers Anna ...
    window = window_for(db_path, ["--staff", "Zoe Ward"])  # ... but somebody else said who they are
    assert window.error_banner.isVisible()
    banner = window.error_banner.text.text()
    assert "Zoe Ward" in banner and "team" in banner
    assert window.ctx.staff is None  # nobody's name is put on what this desk writes
    picker = window.staff_picker
    assert isinstance(picker, StaffPicker) and picker.isVisible()
    assert [picker.list.item(i).text().split("  ")[0] for i in range(picker.list.count())] == [
        "Anna Keller", "Ben Okafor"]
    assert not window.new_client_action.isEnabled()
    assert [s.name for s in store.list_staff()] == ["Anna Keller", "Ben Okafor"]  # nobody added by the option


def test_staff_option_naming_a_colleague_needs_no_question(window_for, seeded, db_path) -> None:
    """The other side of the test above: a name on the team (in any case) starts the desk as them."""
    window = window_for(db_path, ["--staff", "ben okafor"])
    assert not window.error_banner.isVisible()
    assert window.ctx.staff is not None and window.ctx.staff.name == "Ben Okafor"
