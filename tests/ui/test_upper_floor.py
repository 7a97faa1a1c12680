"""The renovated window: stumbles of a desk day and the friction list, each through the real window."""
from __future__ import annotations

from PySide6.QtCore import Qt

from models import store
from tests.ui.conftest import open_dialog
from ui.dialogs.help import ShortcutsDialog
from ui.dialogs.staff import StaffPicker


def test_opening_the_office_does_not_linger_under_the_name_prompt(make_window, seeded) -> None:
    """Stumble 12: 'Opening the office database...' stayed on the page under the name prompt."""
    window = make_window()  # nobody remembered at this desk: it asks who is here
    picker = open_dialog(window, StaffPicker)
    assert window.opening.text.text() == ""
    picker.chosen.emit(store.get_staff(seeded["anna"]))
    assert window.ctx.staff is not None and window.opening.text.text() == ""


def test_edit_undo_says_what_it_will_undo(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["oliver"])
    note = ready.client_view.composer.note
    qtbot.keyClicks(note.text, "Called about the invoice")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    assert ready.undo_action.text() == "Undo 'Note added: Called about the invoice'"
    ready.undo_stack.undo()
    assert ready.undo_action.text() == "Undo" and not ready.undo_action.isEnabled()


def test_the_shortcuts_sheet_lists_every_shortcut_of_the_window(ready, qtbot) -> None:
    from PySide6.QtGui import QAction

    ready.shortcuts_action.trigger()
    sheet = open_dialog(ready, ShortcutsDialog)
    listed = {sheet.table.item(r, 0).text() for r in range(sheet.table.rowCount())}
    for action in ready.findChildren(QAction):
        for key in action.shortcuts():
            assert any(key.toString() in keys for keys in listed), f"{action.text()} ({key.toString()}) is missing"
    assert any("F1" in keys and "Ctrl+/" in keys for keys in listed)


def test_why_this_score_says_what_a_click_does_and_the_desk_remembers(make_window, ready, seeded, settings) -> None:
    ready.open_client(seeded["oliver"])
    button = ready.client_view.header.why_button
    assert button.text().endswith("Hide why this score") and ready.client_view.score_panel.isVisible()
    button.click()
    assert button.text().endswith("Show why this score") and not ready.client_view.score_panel.isVisible()
    ready.close()
    again = make_window()
    again.open_client(seeded["oliver"])
    assert not again.client_view.header.why_button.isChecked() and not again.client_view.score_panel.isVisible()


def test_todays_row_menu_offers_every_promise_action_and_corrects_the_text(ready, qtbot, seeded, monkeypatch) -> None:
    from datetime import timedelta

    from PySide6.QtWidgets import QInputDialog

    pid = store.make_promise(seeded["oliver"], by=seeded["anna"], text="Cal back",
                             due=store.utcnow() + timedelta(hours=2)).id
    ready.show_today()
    today = ready.today_view
    today.load()
    qtbot.waitUntil(lambda: today.table_model.row_of(pid) >= 0)
    line = today.table_model.line_at(today.table_model.row_of(pid))
    labels = dict(today.actions_for(line))
    for wanted in ("Mark kept", "Give to a colleague...", "New due date...", "Correct the text...",
                   "Cancel the promise..."):
        assert wanted in labels
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Call back", True)))
    labels["Correct the text..."]()
    assert store.get_promise(pid).text == "Call back"
    ready.undo_stack.undo()
    assert store.get_promise(pid).text == "Cal back"


def test_office_settings_are_saved_for_every_desk_and_a_colleagues_change_arrives(ready, qtbot, seeded) -> None:
    from ui.dialogs.office_settings import OfficeSettingsDialog

    ready.settings_action.trigger()
    dialog = open_dialog(ready, OfficeSettingsDialog)
    assert dialog.isEnabled() and dialog.review_day.currentIndex() == store.office_settings().review_day
    dialog.office_name.setText("Harbour Street Dental")
    dialog.country.setText("gb")
    dialog.review_day.setCurrentIndex(4)
    dialog.submit()
    saved = store.office_settings()
    assert (saved.office_name, saved.country, saved.review_day) == ("Harbour Street Dental", "GB", 4)
    assert not dialog.isVisible()
    ready.settings_action.trigger()
    dialog = open_dialog(ready, OfficeSettingsDialog)
    store.update_office_settings(version=saved.version, by=seeded["anna"], office_name="Harbour St. Dental")
    ready.ctx.events.data_changed.emit(store.Changes(frozenset(), frozenset({"settings"})))  # as the watcher does
    assert dialog.office_name.text() == "Harbour St. Dental"


def test_office_settings_saved_meanwhile_by_a_colleague_is_a_conflict_with_nothing_lost(ready, qtbot, seeded) -> None:
    from ui.dialogs.office_settings import OfficeSettingsDialog

    ready.settings_action.trigger()
    dialog = open_dialog(ready, OfficeSettingsDialog)
    dialog.office_name.setText("Mine")
    store.update_office_settings(version=store.office_settings().version, by=seeded["anna"], review_day=2)
    dialog.submit()
    assert dialog.isVisible() and "colleague changed the office settings" in dialog.error.text()
    assert dialog.office_name.text() == "Mine"
    dialog.submit()
    assert store.office_settings().office_name == "Mine" and store.office_settings().review_day == 2


def test_at_1366_the_list_shows_name_phone_and_next_due_without_scrolling_sideways(ready, qtbot) -> None:
    from ui.views.client_list import ClientTableModel as T

    ready.resize(1280, 744)  # the first size on a 1366 x 768 screen
    ready.splitter.setSizes([520, 760])  # as the window starts
    qtbot.waitUntil(lambda: ready.client_list.table.viewport().width() > 0)
    table = ready.client_list.table
    shown = [c for c in range(6) if not table.isColumnHidden(c)]
    assert {T.SCORE, T.NAME, T.PHONE, T.NEXT} <= set(shown)
    assert sum(table.columnWidth(c) for c in shown) <= table.viewport().width()
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible(), timeout=2000)
    ready.resize(1632, 918)  # the first size on a 1920 x 1080 screen: the list grows and the others come back
    ready.splitter.setSizes([700, 932])
    qtbot.waitUntil(lambda: not table.isColumnHidden(T.ORG))


def _click_client(qtbot, window, client_id: int, *, double: bool = False) -> None:
    table = window.client_list.table
    rect = table.visualRect(window.client_list.model.index(window.client_list.model.row_of(client_id), 1))
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    click(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_selected_client_opens_again_after_today(ready, qtbot, seeded) -> None:
    """Stumble 1: the client already selected in the list could not be reopened after looking at Today."""
    lst = ready.client_list
    qtbot.waitUntil(lambda: lst.model.shown == 2)
    for reopen in ("click", "double-click", "enter", "search enter"):
        _click_client(qtbot, ready, seeded["oliver"])
        assert ready.right.currentWidget() is ready.client_view
        ready.show_today()
        assert ready.right.currentWidget() is ready.today_view
        if reopen in ("click", "double-click"):
            _click_client(qtbot, ready, seeded["oliver"], double=reopen == "double-click")
        elif reopen == "enter":
            lst.table.setFocus()
            qtbot.keyClick(lst.table, Qt.Key.Key_Return)
        else:
            lst.search.setText("Oliver")
            qtbot.keyClick(lst.search, Qt.Key.Key_Return)
            lst.search.clear()
        assert ready.right.currentWidget() is ready.client_view, reopen


def test_a_client_restored_from_the_trash_opens_again(ready, qtbot, seeded, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    lst = ready.client_list
    qtbot.waitUntil(lambda: lst.model.shown == 2)
    _click_client(qtbot, ready, seeded["isla"])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    ready.delete_client_action.trigger()
    assert ready.right.currentWidget() is ready.today_view
    ready.undo_stack.undo()
    qtbot.waitUntil(lambda: lst.model.row_of(seeded["isla"]) >= 0)
    _click_client(qtbot, ready, seeded["isla"])
    assert ready.right.currentWidget() is ready.client_view and ready.client_view.client.id == seeded["isla"]


def test_opening_a_client_from_today_leaves_no_other_row_chosen(ready, qtbot, seeded) -> None:
    """Stumble 6: the list stayed on another client (and showed two rows as chosen)."""
    lst = ready.client_list
    qtbot.waitUntil(lambda: lst.model.shown == 2)
    lst.search.setText("Oliver")
    _click_client(qtbot, ready, seeded["oliver"])
    ready.ctx.events.client_requested.emit(seeded["isla"])  # as a click on Today's client link does
    assert ready.client_view.client.id == seeded["isla"]
    chosen = {lst.model.client_at(i.row()).id for i in lst.table.selectionModel().selectedRows()}
    assert chosen <= {seeded["isla"]}
    lst.search.clear()
    chosen = {lst.model.client_at(i.row()).id for i in lst.table.selectionModel().selectedRows()}
    assert chosen == {seeded["isla"]} and lst.table.currentIndex().row() == lst.model.row_of(seeded["isla"])


def _edit_with_a_conflict(ready, qtbot, seeded):  # noqa: ANN001, ANN202
    from ui.dialogs.client_dialog import ClientDialog

    ready.activateWindow()
    ready.open_client(seeded["isla"])
    ready.edit_client_action.trigger()
    dialog = open_dialog(ready, ClientDialog)
    dialog.organisation.setText("Mine")
    theirs = store.get_client(seeded["isla"])
    store.update_client(seeded["isla"], version=theirs.version, by=seeded["ben"], organisation="Theirs")
    dialog.submit()
    return dialog, dialog.conflict_dialog


def test_the_conflict_dialog_names_the_colleague_who_saved_first(ready, qtbot, seeded) -> None:
    _dialog, conflict = _edit_with_a_conflict(ready, qtbot, seeded)
    assert conflict.windowTitle() == "Ben Okafor changed this client"
    conflict.keep_theirs.click()


def test_after_a_conflict_the_keyboard_is_back_in_the_window(ready, qtbot, seeded) -> None:
    """Stumble 11: after the conflict dialog closed, the keyboard went nowhere until the window was clicked."""
    from PySide6.QtWidgets import QApplication

    store.add_note(seeded["isla"], by=seeded["anna"], text="Prefers email")  # a timeline to type in
    for choose in ("keep_theirs", "take_mine"):
        ready.open_client(seeded["isla"])
        qtbot.waitUntil(lambda: ready.client_view.timeline.isVisible())
        ready.client_view.timeline.setFocus()
        _dialog, conflict = _edit_with_a_conflict(ready, qtbot, seeded)
        getattr(conflict, choose).click()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is ready.client_view.timeline, timeout=2000)
        assert QApplication.activeWindow() is ready, choose



def test_after_a_conflict_the_keyboard_comes_back_where_the_system_activated_another_window(ready, qtbot,
                                                                                             seeded) -> None:
    """Stumble 11 as a desk meets it. Offscreen (and on X11, with or without a window manager) Qt or the window
    manager makes the main window active again as the dialogs close, so the test above passes even without the
    fix (tried: offscreen, and xcb on Xvfb bare and under openbox). On Windows, when an owned dialog closes after
    its owner, the system activates the next window in its z-order, often another program's: the keyboard goes
    nowhere until the window is clicked. That is the one step
    this test plays itself: as the edit form closes, another top-level window is made active. The window must take
    the keyboard back (ui.lifetime.give_focus_back); without it, the other window keeps it."""
    from PySide6.QtWidgets import QApplication, QWidget

    other = QWidget(windowTitle="Another program")
    qtbot.addWidget(other)
    other.show()
    store.add_note(seeded["isla"], by=seeded["anna"], text="Prefers email")
    for choose in ("keep_theirs", "take_mine"):
        ready.open_client(seeded["isla"])
        qtbot.waitUntil(lambda: ready.client_view.timeline.isVisible())
        ready.client_view.timeline.setFocus()
        dialog, conflict = _edit_with_a_conflict(ready, qtbot, seeded)
        dialog.finished.connect(lambda _result: other.activateWindow())  # the system's choice, as on Windows
        getattr(conflict, choose).click()
        qtbot.wait(100)  # every activation asked for has happened (offscreen, they are queued events)
        assert QApplication.activeWindow() is ready, choose
        assert QApplication.focusWidget() is ready.client_view.timeline, choose


def test_after_saving_a_promise_the_cursor_is_back_in_its_text(ready, qtbot, seeded) -> None:
    ready.activateWindow()
    ready.open_client(seeded["oliver"])
    ready.promise_action.trigger()
    form = ready.client_view.composer.promise
    qtbot.keyClicks(form.text, "Call back about the boiler")
    form.due.setText("tomorrow 3pm")
    form.submit()
    assert [p.text for p in store.client_promises(seeded["oliver"])] == ["Call back about the boiler"]
    qtbot.waitUntil(lambda: form.text.hasFocus(), timeout=2000)
    assert form.text.text() == ""


def test_redo_does_again_what_undo_took_back(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["oliver"])
    note = ready.client_view.composer.note
    qtbot.keyClicks(note.text, "Called about the invoice")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    assert not ready.redo_action.isEnabled() and ready.redo_action.text() == "Redo"
    ready.undo_stack.undo()
    assert store.timeline(seeded["oliver"]).entries == ()
    assert ready.redo_action.isEnabled() and ready.redo_action.text() == "Redo 'Note added: Called about the invoice'"
    ready.redo_action.trigger()
    assert [e.text for e in store.timeline(seeded["oliver"])] == ["Called about the invoice"]
    assert ready.undo_action.text().startswith("Undo 'Note added") and not ready.redo_action.isEnabled()


def test_undo_names_the_call_it_will_take_back(ready, qtbot, seeded) -> None:
    anna, oliver = seeded["anna"], seeded["oliver"]
    ready.ctx.tasks.run(lambda: store.log_interaction(oliver, by=anna, summary="Called about the invoice", rating=0,
                                                      channel="phone"))
    assert ready.undo_action.text() == "Undo 'Log call: Called about the invoice'"
