"""The due-date input (ui/due_input.py) and the three places a date is typed: the promise form, "New due
date" and the away dialog's "Back on". Real widgets, offscreen; the store's clock is fixed to a Wednesday."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from models import store
from ui.due_input import DueInput

WED = datetime(2026, 3, 11, 10, 0)  # Wednesday 11 March 2026, 10:00 local
FRI = datetime(2026, 3, 13, 9, 0)


def local_to_utc(moment: datetime) -> datetime:
    return moment.astimezone().astimezone(UTC)  # naive local -> aware UTC, as the forms do


@pytest.fixture
def due_input(qtbot) -> DueInput:
    widget = DueInput(now=lambda: WED)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def button_texts(widget: DueInput) -> list[str]:
    return [b.text() for b in widget.choice_buttons if b.isVisibleTo(widget)]


def test_the_preview_names_weekday_and_date_in_full(due_input: DueInput, qtbot) -> None:
    qtbot.keyClicks(due_input.edit, "friday 5:30")
    assert due_input.hint.text() == "Friday 13 March, 5:30 pm"
    assert due_input.value() == datetime(2026, 3, 13, 17, 30)
    assert due_input.notes.isVisibleTo(due_input)
    assert due_input.notes.text() == "That is after 5:00 pm, when the office has closed."
    due_input.setText("tomorrow 2:00")
    assert due_input.hint.text() == "Tomorrow, Thursday 12 March, 2:00 pm"
    assert not due_input.notes.isVisibleTo(due_input)
    due_input.setText("sat")
    assert due_input.notes.text() == "That is a Saturday."
    due_input.setText("today 3pm")
    assert due_input.hint.text() == "Today, Wednesday 11 March, 3:00 pm"


def test_a_hint_that_does_not_apply_is_never_shown(due_input: DueInput) -> None:
    due_input.setText("8th of May")
    assert due_input.hint.text() == "Friday 8 May, 5:00 pm"
    assert "am or pm" not in due_input.hint.text()
    due_input.setText("13/3")
    assert due_input.hint.text() == "Write the month as a word (13 Mar) or use 2026-03-13."


def test_an_ambiguous_phrase_offers_buttons_and_takes_nothing_until_one_is_picked(due_input: DueInput, qtbot) -> None:
    qtbot.keyClicks(due_input.edit, "next fri")
    assert due_input.value() is None
    assert due_input.hint.text() == "This Friday or the one after? Pick one below."
    assert button_texts(due_input) == ["Fri 13 Mar  (Alt+1)", "Fri 20 Mar  (Alt+2)"]
    picked: list[datetime | None] = []
    due_input.moment_changed.connect(picked.append)
    due_input.activateWindow()
    due_input.edit.setFocus()
    qtbot.keyClick(due_input.edit, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert due_input.value() == datetime(2026, 3, 20, 17, 0)
    assert picked[-1] == datetime(2026, 3, 20, 17, 0)
    assert due_input.hint.text() == "Picked: Friday 20 March, 5:00 pm."
    due_input.choice_buttons[0].click()
    assert due_input.value() == datetime(2026, 3, 13, 17, 0)
    qtbot.keyClicks(due_input.edit, " 3pm")  # typing again forgets the pick: it asks again
    assert due_input.value() is None
    assert button_texts(due_input) == ["Fri 13 Mar  (Alt+1)", "Fri 20 Mar  (Alt+2)"]
    due_input.setText("fri")
    assert not due_input.choice_row.isVisibleTo(due_input) and due_input.value() == datetime(2026, 3, 13, 17)


def test_a_weekday_that_does_not_match_its_date_asks(due_input: DueInput) -> None:
    due_input.setText("fri 14 mar")
    assert due_input.hint.text() == "14 March is a Saturday, not a Friday. Pick one below."
    assert button_texts(due_input) == ["Fri 13 Mar  (Alt+1)", "Sat 14 Mar  (Alt+2)"]


def test_the_office_hours_come_from_the_settings(due_input: DueInput) -> None:
    from datetime import time
    due_input.set_office_hours(opens=time(8), closes=time(18), day_ends=time(18, 30))
    due_input.setText("fri")
    assert due_input.value() == datetime(2026, 3, 13, 18, 30)
    assert due_input.notes.text() == "That is after 6:00 pm, when the office has closed."


def test_the_away_input_reads_a_day_as_its_start(qtbot) -> None:
    widget = DueInput(now=lambda: WED, day_start=True)
    qtbot.addWidget(widget)
    widget.setText("back on monday")
    assert widget.value() == datetime(2026, 3, 16, 0, 0)
    assert widget.hint.text() == "Monday 16 March"
    assert not widget.notes.isVisibleTo(widget)  # a day's start is not "before the office opens"
    widget.setText("sat")
    assert widget.notes.text() == "That is a Saturday."


# --- the forms -------------------------------------------------------------------------------------------

@pytest.fixture
def wednesday(ready):
    store.set_clock(lambda: local_to_utc(WED))
    yield ready
    store.set_clock(None)


def open_promise_form(window, client_id: int):
    window.open_client(client_id)
    window.client_view.composer.open_promise()
    return window.client_view.composer.promise


def test_the_promise_form_asks_instead_of_guessing(wednesday, seeded, qtbot) -> None:
    promise = open_promise_form(wednesday, seeded["oliver"])
    before = len(store.timeline(seeded["oliver"]))
    qtbot.keyClicks(promise.text, "Call back with the quote")
    qtbot.keyClicks(promise.due, "next friday")
    assert button_texts(promise.due_input) == ["Fri 13 Mar  (Alt+1)", "Fri 20 Mar  (Alt+2)"]
    qtbot.keyClick(promise.due, Qt.Key.Key_Return)
    assert promise.error.isVisible()
    assert promise.error.text() == "This Friday or the one after? Pick one below."
    assert len(store.timeline(seeded["oliver"])) == before  # nothing saved
    assert promise.due_input.choice_row.isVisibleTo(promise)  # the buttons stay to pick from
    promise.due_input.choice_buttons[1].click()
    assert not promise.error.isVisible()  # the pick answers the question
    qtbot.keyClick(promise.due, Qt.Key.Key_Return)
    saved = store.list_promises(seeded["oliver"])[0] if hasattr(store, "list_promises") else None
    entries = store.timeline(seeded["oliver"])
    assert len(entries) == before + 1
    due = entries[0].due if saved is None else saved.due
    assert due == local_to_utc(datetime(2026, 3, 20, 17, 0))


def test_the_red_error_clears_as_soon_as_a_valid_date_is_typed(wednesday, seeded, qtbot) -> None:
    """Issue 10's stumble 5: the red "did not understand" stayed while the person typed a good date."""
    promise = open_promise_form(wednesday, seeded["oliver"])
    qtbot.keyClicks(promise.text, "Send the corrected invoice")
    qtbot.keyClicks(promise.due, "1/12")
    promise.submit()
    assert promise.error.isVisible() and "1 Dec" in promise.error.text()
    assert promise.due.property("invalid") is True
    promise.due.clear()
    qtbot.keyClicks(promise.due, "1 de")  # not a date yet: the error stays
    assert promise.error.isVisible()
    qtbot.keyClicks(promise.due, "c")
    assert not promise.error.isVisible() and not promise.due.property("invalid")
    assert promise.hint.text() == "Tuesday 1 December, 5:00 pm"


def test_friday_4pm_typed_on_friday_morning_asks(ready, seeded, qtbot) -> None:
    store.set_clock(lambda: local_to_utc(FRI))
    try:
        promise = open_promise_form(ready, seeded["oliver"])
        qtbot.keyClicks(promise.due, "fri 4pm")
        assert promise.hint.text() == "Today is Friday: today, or Friday next week? Pick one below."
        assert button_texts(promise.due_input) == ["Fri 13 Mar  (Alt+1)", "Fri 20 Mar  (Alt+2)"]
    finally:
        store.set_clock(None)


def test_new_due_date_uses_the_same_input(wednesday, seeded, qtbot, monkeypatch) -> None:
    from ui.dialogs.promise import PromiseActionDialog

    oliver, anna = seeded["oliver"], seeded["anna"]
    store.make_promise(oliver, by=anna, text="Call back", due=local_to_utc(WED) + timedelta(days=1))
    wednesday.open_client(oliver)
    entry = wednesday.client_view.timeline.timeline_model.entries[0]
    dialog = PromiseActionDialog(wednesday.ctx, "renegotiate", entry, wednesday)  # deletes itself on save
    dialog.show()
    qtbot.keyClicks(dialog.field, "1/12")
    dialog.submit()
    assert dialog.error.isVisible() and "1 Dec" in dialog.error.text()
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, "tomorrow midnight")
    assert dialog.hint.text() == "Tonight or tomorrow night? Pick one below."
    assert not dialog.error.isVisible() or dialog.error.text() != "1 Dec"
    dialog.submit()
    assert dialog.error.text() == "Tonight or tomorrow night? Pick one below."
    assert store.get_promise(entry.promise_id).due == local_to_utc(WED) + timedelta(days=1)  # unchanged
    dialog.due_input.pick(1)
    assert not dialog.error.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.submit()
    assert store.get_promise(entry.promise_id).due == local_to_utc(datetime(2026, 3, 13, 0, 0))


def test_the_away_dialog_reads_back_on_monday(wednesday, seeded, qtbot) -> None:
    from ui.dialogs.staff import AwayDialog

    ben = next(m for m in store.list_staff() if m.name == "Ben Okafor")
    dialog = AwayDialog(wednesday.ctx, ben, wednesday)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.end.text() == "tomorrow" and dialog.end.hint.text() == "Tomorrow, Thursday 12 March"
    # The store's clock, in the desk's locale with the month as a word: never "11 3 2026".
    assert dialog.start.text() == dialog.start.locale().toString(QDate(2026, 3, 11), "ddd d MMM yyyy")
    dialog.end.setText("back on monday")
    assert dialog.end.hint.text() == "Monday 16 March"
    dialog.end.setText("back on monday 2pm")
    assert dialog.end.hint.text() == "Monday 16 March, 2:00 pm"
    dialog.end.setText("1/12")
    dialog.submit()
    assert dialog.error.isVisible() and "1 Dec" in dialog.error.text()
    dialog.end.setText("back on monday")
    dialog.submit()
    assert store.get_staff(ben.id).away_until == local_to_utc(datetime(2026, 3, 16, 0, 0))


def test_new_due_date_in_the_past_is_questioned(wednesday, seeded, qtbot, monkeypatch) -> None:
    from ui.dialogs.promise import PromiseActionDialog

    oliver, anna = seeded["oliver"], seeded["anna"]
    store.make_promise(oliver, by=anna, text="Call back", due=local_to_utc(WED) + timedelta(days=1))
    wednesday.open_client(oliver)
    entry = wednesday.client_view.timeline.timeline_model.entries[0]
    dialog = PromiseActionDialog(wednesday.ctx, "renegotiate", entry, wednesday)
    qtbot.addWidget(dialog)
    asked: list[str] = []

    def answer_no(_parent, _title, question, *_args):
        asked.append(question)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    dialog.field.setText("today 9am")  # 9:00 today, and it is 10:00
    dialog.submit()
    assert asked == ["That time has already passed. Save it anyway?"]
    assert store.get_promise(entry.promise_id).due == local_to_utc(WED) + timedelta(days=1)  # unchanged
