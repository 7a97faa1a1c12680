"""The office's country for phone numbers at its first start (issue 10): from this computer's locale, or asked."""
from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt

from models import store
from ui.actions import country
from ui.actions.country import CountryQuestion
from ui.main_window import MainWindow


def _first_start(make_window, qtbot, name: str = "Anna Keller") -> MainWindow:  # noqa: ANN001
    """A new office made at this desk; the first person says who they are (they become its administrator)."""
    window = make_window(sync=False)  # the real database thread: the order of messages is what a desk sees
    qtbot.waitUntil(lambda: getattr(window, "staff_picker", None) is not None and window.staff_picker.isVisible(),
                    timeout=5000)
    qtbot.keyClicks(window.staff_picker.name, name)
    qtbot.keyClick(window.staff_picker.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.ctx.staff is not None, timeout=5000)
    assert window.ctx.staff.role == "admin"
    return window


def _questions(window: MainWindow) -> list[CountryQuestion]:
    return [d for d in window.findChildren(CountryQuestion) if shiboken6.isValid(d) and d.isVisible()]


def test_a_desk_whose_locale_names_no_country_is_asked_once_and_the_answer_is_stored(
        make_window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(country, "locale_country", lambda: "")  # e.g. LANG=C: the locale names no country
    window = _first_start(make_window, qtbot)
    qtbot.waitUntil(lambda: len(_questions(window)) == 1, timeout=5000)
    question = _questions(window)[0]
    assert "Which country is the office in?" in question.question.text()
    assert not question.save_button.isEnabled()  # nothing chosen yet
    question.choice.setCurrentIndex(question.choice.findData("DE"))
    assert question.choice.currentText() == "Germany (DE)" and question.save_button.isEnabled()
    qtbot.mouseClick(question.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _questions(window), timeout=5000)
    assert "numbers of Germany (DE)" in window.statusBar().currentMessage()
    window.close()  # (its database thread stops) then the office, read as it was stored
    store.open(window.session.location)
    assert store.office_settings().country == "DE"


def test_not_now_leaves_the_country_unset_and_the_next_start_does_not_ask(
        make_window, qtbot, monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    monkeypatch.setattr(country, "locale_country", lambda: "")
    window = _first_start(make_window, qtbot)
    qtbot.waitUntil(lambda: len(_questions(window)) == 1, timeout=5000)
    qtbot.mouseClick(_questions(window)[0].later_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _questions(window), timeout=5000)
    window.close()
    store.open(window.session.location)
    assert store.office_settings().country == ""
    store.close()
    again = make_window()  # the same office, started again: not its first start (Office > Settings has it)
    qtbot.waitUntil(lambda: again.session.office is not None and again.ctx.staff is not None, timeout=5000)
    qtbot.wait(50)
    assert not _questions(again)


def test_the_locale_country_is_stored_without_a_question(make_window, qtbot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(country, "locale_country", lambda: "NL")
    window = _first_start(make_window, qtbot)
    qtbot.waitUntil(lambda: "numbers of Netherlands (NL)" in window.statusBar().currentMessage(), timeout=5000)
    assert not _questions(window)
    window.close()
    store.open(window.session.location)
    assert store.office_settings().country == "NL"


def test_an_office_that_was_already_there_is_not_asked_about(ready, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `ready` office was made before this start (and its country left unset): nothing is asked or stored."""
    monkeypatch.setattr(country, "locale_country", lambda: "")
    qtbot.wait(50)
    assert not _questions(ready) and store.office_settings().country == ""
