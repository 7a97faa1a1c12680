"""The desk flows of the walking skeleton, driven through the real widgets."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from models import store
from models.store import InteractionEntry, NoteEntry, PromiseEntry
from tests.ui.conftest import open_dialog
from ui.dialogs.client_dialog import ClientDialog
from ui.dialogs.staff import StaffPicker
from ui.main_window import MainWindow


def open_client(window: MainWindow, name: str) -> int:
    model = window.client_list.model
    row = next(i for i in range(model.rowCount()) if model.client_at(i).name == name)
    window.client_list.table.clicked.emit(model.index(row, 1))
    assert window.client_view.client is not None and window.client_view.client.name == name
    return window.client_view.client.id


def timeline_texts(window: MainWindow) -> list[str]:
    model = window.client_view.timeline.timeline_model
    return [model.data(model.index(i)) for i in range(model.rowCount())]


def test_first_run_asks_who_is_at_the_desk_and_remembers(make_window, qtbot, settings) -> None:
    window = make_window()
    picker = window.staff_picker
    assert isinstance(picker, StaffPicker) and picker.isVisible()
    assert not window.new_client_action.isEnabled()
    qtbot.keyClicks(picker.name, "Anna Keller")
    qtbot.keyClick(picker.name, Qt.Key.Key_Return)
    assert window.ctx.staff is not None and window.ctx.staff.name == "Anna Keller"
    assert window.desk_button.text() == "At the desk: Anna Keller"
    assert window.new_client_action.isEnabled()
    assert window.client_list.count.text().startswith("No clients yet")
    window.close()
    again = make_window()
    assert again.ctx.staff is not None and again.ctx.staff.name == "Anna Keller"


def test_an_empty_name_on_the_welcome_screen_is_named_and_kept_out(make_window, qtbot) -> None:
    window = make_window()
    picker = window.staff_picker
    qtbot.keyClicks(picker.name, "   ")
    qtbot.keyClick(picker.name, Qt.Key.Key_Return)
    assert picker.error.isVisible() and "cannot be empty" in picker.error.text()
    assert window.ctx.staff is None


def test_the_client_list_shows_clients_and_filters_as_you_type(ready, qtbot) -> None:
    table = ready.client_list
    assert table.model.rowCount() == 2
    qtbot.keyClicks(table.search, "bayview")
    assert table.model.rowCount() == 1 and table.model.client_at(0).name == "Oliver Thompson"
    assert table.count.text() == "1 of 2 clients match"
    table.search.clear()
    qtbot.keyClicks(table.search, "quayside")
    assert [table.model.client_at(i).name for i in range(table.model.rowCount())] == ["Isla Walsh"]
    table.search.clear()
    qtbot.keyClicks(table.search, "'\"%_")
    assert table.model.rowCount() == 0


def test_add_a_client_with_the_dialog(ready, qtbot) -> None:
    ready.add_client()
    dialog = open_dialog(ready, ClientDialog)
    assert isinstance(dialog, ClientDialog)
    qtbot.keyClicks(dialog.name, "George Nowak")
    qtbot.keyClicks(dialog.email, "george@example")
    dialog.submit()
    assert dialog.isVisible() and "email address does not look right" in dialog.error.text()
    assert dialog.name.text() == "George Nowak"  # nothing typed is lost
    dialog.email.setText("george@example.com")
    dialog.submit()
    assert not dialog.isVisible()
    assert ready.client_view.client is not None and ready.client_view.client.name == "George Nowak"
    names = [ready.client_list.model.client_at(i).name for i in range(ready.client_list.model.rowCount())]
    assert "George Nowak" in names


def test_type_a_note_press_enter_and_see_it_on_the_timeline(ready, qtbot, seeded) -> None:
    open_client(ready, "Oliver Thompson")
    composer = ready.client_view.composer
    composer.open_note()
    qtbot.keyClicks(composer.note.text, "Prefers calls after 5 pm")
    qtbot.keyClick(composer.note.text, Qt.Key.Key_Return)
    assert composer.note.text.toPlainText() == ""
    entry = ready.client_view.timeline.timeline_model.entries[0]
    assert isinstance(entry, NoteEntry) and entry.text == "Prefers calls after 5 pm"
    assert "Internal note" in timeline_texts(ready)[0]


def test_shift_enter_starts_a_new_line_in_a_note(ready, qtbot) -> None:
    open_client(ready, "Oliver Thompson")
    note = ready.client_view.composer.note
    qtbot.keyClicks(note.text, "line one")
    qtbot.keyClick(note.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(note.text, "line two")
    assert note.text.toPlainText() == "line one\nline two"
    assert ready.client_view.timeline.timeline_model.entries == []


def test_log_an_interaction_in_a_few_keystrokes(ready, qtbot) -> None:
    open_client(ready, "Isla Walsh")
    qtbot.keyClick(ready, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    form = ready.client_view.composer.interaction
    assert QApplication.focusWidget() is form.summary
    form.rating_group.button(2).click()
    form.channel.setCurrentIndex(form.channel.findData("visit"))
    qtbot.keyClicks(form.summary, "Viewing went very well")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    entry = ready.client_view.timeline.timeline_model.entries[0]
    assert isinstance(entry, InteractionEntry)
    assert (entry.summary, entry.rating, entry.channel, entry.staff_name) == (
        "Viewing went very well", 2, "visit", "Anna Keller")
    assert "+2 Excellent" in timeline_texts(ready)[0]
    assert form.summary.text() == ""


def test_an_empty_summary_is_named_and_nothing_is_saved(ready, qtbot) -> None:
    cid = open_client(ready, "Isla Walsh")
    form = ready.client_view.composer.interaction
    form.details.setPlainText("Some details I typed")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    assert form.error.isVisible() and "summary cannot be empty" in form.error.text()
    assert form.details.toPlainText() == "Some details I typed"
    assert len(store.timeline(cid)) == 0


def test_a_five_megabyte_paste_is_refused_and_kept_in_the_form(ready, qtbot) -> None:
    cid = open_client(ready, "Isla Walsh")
    note = ready.client_view.composer.note
    big = "x" * 5_000_000
    note.text.setPlainText(big)
    note.submit()
    assert "too long: at most 100,000 characters" in note.error.text()
    assert len(note.text.toPlainText()) == len(big)
    assert len(store.timeline(cid)) == 0


def test_a_bad_interaction_offers_the_second_impression(ready, qtbot) -> None:
    open_client(ready, "Oliver Thompson")
    form = ready.client_view.composer.interaction
    form.rating_group.button(-2).click()
    qtbot.keyClicks(form.summary, "Contractor did not turn up")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    view = ready.client_view
    assert view.offer.isVisible()
    assert "second impression" in view.offer_text.text()
    view.offer_yes.click()
    promise = view.composer.promise
    assert view.composer.currentWidget() is promise
    assert promise.text.text() == "Put it right: Contractor did not turn up"
    assert promise.due.text() and promise.hint.text()
    qtbot.keyClick(promise.due, Qt.Key.Key_Return)
    entry = view.timeline.timeline_model.entries[0]
    assert isinstance(entry, PromiseEntry) and entry.text.startswith("Put it right")
    assert store.get_promise(entry.promise_id).due - store.utcnow() <= __import__("datetime").timedelta(hours=48)


def test_make_a_promise_with_a_typed_due_date(ready, qtbot) -> None:
    open_client(ready, "Oliver Thompson")
    composer = ready.client_view.composer
    composer.open_promise()
    promise = composer.promise
    qtbot.keyClicks(promise.text, "Call back with the engineer's availability")
    qtbot.keyClick(promise.text, Qt.Key.Key_Return)  # moves on to the due field
    assert QApplication.focusWidget() is promise.due
    qtbot.keyClicks(promise.due, "in 3 days")
    assert promise.hint.text().endswith("5:00 pm")
    qtbot.keyClick(promise.due, Qt.Key.Key_Return)
    entry = ready.client_view.timeline.timeline_model.entries[0]
    assert isinstance(entry, PromiseEntry) and entry.text == "Call back with the engineer's availability"
    assert entry.owner_name == "Anna Keller" and entry.status == "pending"


def test_an_unparseable_due_date_is_explained_and_kept(ready, qtbot) -> None:
    cid = open_client(ready, "Oliver Thompson")
    ready.client_view.composer.open_promise()
    promise = ready.client_view.composer.promise
    qtbot.keyClicks(promise.text, "Send the corrected invoice")
    qtbot.keyClicks(promise.due, "1/12")
    promise.submit()
    assert promise.error.isVisible() and "1 Dec" in promise.error.text()
    assert promise.due.text() == "1/12" and promise.text.text() == "Send the corrected invoice"
    assert promise.hint.text() == ""  # said once, in the error, not again in grey beneath the field
    assert len(store.timeline(cid)) == 0


def test_ctrl_z_right_after_saving_takes_the_note_back(ready, qtbot) -> None:
    """The cursor stays in the emptied box after Enter; Ctrl+Z there used to do nothing at all."""
    cid = open_client(ready, "Oliver Thompson")
    qtbot.keyClick(ready, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    note = ready.client_view.composer.note
    qtbot.keyClicks(note.text, "Wrong client, sorry")
    qtbot.keyClick(note.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # typing is undone first
    assert note.text.toPlainText() == ""
    qtbot.keyClicks(note.text, "Wrong client, sorry")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    assert [e.text for e in store.timeline(cid)] == ["Wrong client, sorry"]
    assert QApplication.focusWidget() is note.text and note.text.toPlainText() == ""
    qtbot.keyClick(note.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(store.timeline(cid)) == 0, timeout=3000)
    assert note.text.toPlainText() == ""  # the saved text does not come back into the box


def test_everything_persists_after_closing_and_reopening(ready, make_window, qtbot, settings, db_path) -> None:
    open_client(ready, "Oliver Thompson")
    note = ready.client_view.composer.note
    qtbot.keyClicks(note.text, "Remember the parking permit")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    ready.close()
    store.close()
    again = make_window()
    open_client(again, "Oliver Thompson")
    assert "Remember the parking permit" in timeline_texts(again)[0]


def test_a_draft_survives_closing_the_window(ready, make_window, qtbot) -> None:
    open_client(ready, "Isla Walsh")
    form = ready.client_view.composer.interaction
    qtbot.keyClicks(form.summary, "Half-typed call summ")
    ready.close()  # e.g. the desk is shut down before saving
    store.close()
    again = make_window()
    open_client(again, "Isla Walsh")
    assert again.client_view.composer.interaction.summary.text() == "Half-typed call summ"


def test_switch_the_person_at_the_desk(ready, qtbot, seeded) -> None:
    ben = next(m for m in ready.ctx.team if m.name == "Ben Okafor")
    ready.session.set_staff(ben)
    assert ready.desk_button.text() == "At the desk: Ben Okafor"
    cid = open_client(ready, "Isla Walsh")
    form = ready.client_view.composer.interaction
    qtbot.keyClicks(form.summary, "Ben took this call")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    assert store.timeline(cid)[0].staff_name == "Ben Okafor"


def test_fix_this_logs_a_recovery_of_the_failed_interaction(ready, qtbot) -> None:
    cid = open_client(ready, "Oliver Thompson")
    bad = store.log_interaction(cid, by=ready.ctx.staff_id, summary="Charged twice", rating=-2).id
    ready.client_view.timeline.refresh()
    entry = ready.client_view.timeline.timeline_model.entries[0]
    labels = [label for label, _ in ready.client_view.timeline.actions_for(entry)]
    assert labels[0] == "Fix this..."
    ready.client_view.timeline.fix_requested.emit(entry)
    form = ready.client_view.composer.interaction
    assert form.apology.isVisible() and not form.apology.isChecked()  # an apology is recorded only if ticked
    form.apology.setChecked(True)
    qtbot.keyClicks(form.summary, "Refund confirmed")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    fix = store.timeline(cid)[0]
    assert isinstance(fix, InteractionEntry) and fix.recovers_id == bad and fix.apology


def test_the_timeline_loads_more_pages_as_you_scroll(ready, qtbot) -> None:
    cid = open_client(ready, "Isla Walsh")
    from datetime import timedelta
    now = store.utcnow()
    for i in range(120):
        store.log_interaction(cid, by=ready.ctx.staff_id, summary=f"call {i}", rating=0,
                              at=now - timedelta(hours=i + 1))
    view = ready.client_view.timeline
    view.refresh()
    model = view.timeline_model
    assert model.rowCount() == 50 and model.canFetchMore()
    seen = [model.rowCount()]
    for _ in range(10):  # scrolling to the end makes Qt ask the model for more, a page at a time
        view.scrollToBottom()
        qtbot.wait(20)
        if model.rowCount() != seen[-1]:
            seen.append(model.rowCount())
    assert seen == [50, 100, 120] and not model.canFetchMore()
    summaries = [e.summary for e in model.entries]
    assert summaries == [f"call {i}" for i in range(120)]


def test_a_good_visit_offers_a_thank_you_follow_up(ready, qtbot) -> None:
    open_client(ready, "Oliver Thompson")
    form = ready.client_view.composer.interaction
    form.channel.setCurrentIndex(form.channel.findData("visit"))
    form.rating_group.button(2).click()
    qtbot.keyClicks(form.summary, "Boiler replaced, all working")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    view = ready.client_view
    assert view.offer.isVisible() and "thank-you" in view.offer_text.text()
    view.offer_yes.click()
    promise = view.composer.promise
    assert promise.text.text() == "Thank-you follow-up: Boiler replaced, all working"
    assert promise.due.text() == "in 2 days" and promise.hint.text().endswith("5:00 pm")


def test_a_neutral_call_offers_nothing(ready, qtbot) -> None:
    open_client(ready, "Oliver Thompson")
    form = ready.client_view.composer.interaction
    qtbot.keyClicks(form.summary, "Asked for the opening hours")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    assert not ready.client_view.offer.isVisible()
