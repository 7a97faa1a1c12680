"""What the person at the desk reads, word for word: the busy database, a bug in a database task, plural labels,
full stops, counted nouns, and no tool names."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

import ui.views.composer
from models import store
from models.rules.text import LONG_LIMIT
from models.store import BusyError, PromiseEntry, ScoreHistory
from ui.dialogs.backups import PG_WORDS
from ui.events import Events
from ui.tasks import Tasks
from ui.views.score import HistoryChart, history_tooltip
from ui.views.timeline import card_for

BUSY_BANNER = "The shared database is busy at another desk. Rapport keeps trying; what you typed is kept."
BUSY_FORM = "The shared database is busy at another desk. What you typed is kept, and Rapport keeps trying to save it."


# --- the shared database busy at another desk --------------------------------------------------------

def test_the_busy_banner_says_rapport_keeps_trying(ready) -> None:
    ready.ctx.events.busy_changed.emit(True)
    assert ready.busy_banner.isVisible() and ready.busy_banner.text.text() == BUSY_BANNER
    ready.ctx.events.busy_changed.emit(False)
    assert not ready.busy_banner.isVisible()


def test_a_note_saved_while_busy_says_so_keeps_the_text_and_goes_through(ready, qtbot, seeded,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """BusyError's own sentence ("... stopped waiting ... try again") is not shown here: this form tries again."""
    ready.open_client(seeded["oliver"])
    ready.client_view.composer.open_note()
    note = ready.client_view.composer.note
    real = store.add_note
    calls: list[int] = []

    def busy_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise BusyError()
        return real(*args, **kwargs)
    monkeypatch.setattr(store, "add_note", busy_once)
    monkeypatch.setattr(ui.views.composer, "BUSY_RETRY_MS", 50)
    qtbot.keyClicks(note.text, "Call back after lunch")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    assert note.error.isVisible() and note.error.text() == BUSY_FORM
    assert note.text.toPlainText() == "Call back after lunch"
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
    assert note.text.toPlainText() == ""
    assert [e.text for e in store.timeline(seeded["oliver"])] == ["Call back after lunch"]


# --- a bug in a database task ------------------------------------------------------------------------

def test_a_bug_in_a_database_task_is_logged_and_told_without_its_class_name(qtbot,
                                                                           caplog: pytest.LogCaptureFixture) -> None:
    tasks = Tasks(Events())
    errors: list[object] = []
    try:
        with caplog.at_level(logging.ERROR, logger="ui.tasks"):
            tasks.run(lambda: len(None), on_error=errors.append)  # type: ignore[arg-type]
            qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    finally:
        tasks.shutdown()
    message = getattr(errors[0], "message", "")
    assert message == ("Rapport ran into an unexpected problem with this. What you typed is kept; please try again, "
                       "and if it keeps happening, tell whoever looks after Rapport.")
    assert "TypeError" in caplog.text  # the details are in the log, for whoever looks after Rapport


# --- the forms ---------------------------------------------------------------------------------------

def test_details_that_are_too_long_read_are_not_is(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["isla"])
    form = ready.client_view.composer.interaction
    form.summary.setText("Called about the invoice")
    form.details.setPlainText("x" * (LONG_LIMIT + 1))
    form.submit()
    assert form.error.isVisible()
    assert form.error.text() == "The details are too long: at most 100,000 characters, and this is 100,001."
    assert form.details.toPlainText() == "x" * (LONG_LIMIT + 1)


def test_a_promise_without_a_due_date_is_told_in_a_sentence(ready, seeded) -> None:
    ready.open_client(seeded["oliver"])
    ready.client_view.composer.open_promise()
    promise = ready.client_view.composer.promise
    promise.text.setText("Send the corrected invoice")
    promise.submit()
    assert promise.error.isVisible()
    assert promise.error.text() == "Type a due date, for example: tomorrow 3pm, fri, in 2 days, 1 Dec."


# --- counted nouns, full stops, no tool names ----------------------------------------------------------

@pytest.mark.parametrize(("weeks", "failures", "fixes", "words"), [
    (26, 1, 2, "Score over the last 26 weeks: from 50 to 72. 1 problem and 2 fixes marked."),
    (1, 0, 1, "Score over the last 1 week: from 50 to 72. 0 problems and 1 fix marked."),
    (4, 3, 0, "Score over the last 4 weeks: from 50 to 72. 3 problems and 0 fixes marked."),
])
def test_the_history_chart_counts_in_words(qtbot, weeks: int, failures: int, fixes: int, words: str) -> None:
    start = datetime(2026, 6, 1, tzinfo=UTC)
    points = tuple((start + timedelta(weeks=i), 50 if i == 0 else 72) for i in range(weeks + 1))
    history = ScoreHistory(points, ((start, "Invoice sent twice"),) * failures, ((start, "Refund made"),) * fixes)
    assert history_tooltip(history) == words
    chart = HistoryChart()
    qtbot.addWidget(chart)
    chart.set_history(history)
    assert chart.toolTip() == words


def test_a_broken_promise_card_ends_with_a_full_stop() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    entry = PromiseEntry("promise", 1, 1, now - timedelta(days=1), 1, "Anna Keller", promise_id=1, action="broken",
                         text="Confirm the inspection date", due=now - timedelta(days=3), owner_name="Ben Okafor",
                         status="broken")
    body = card_for(entry, now).body
    assert body.startswith("It was due ") and body.endswith(" and was not kept within two days. Owner: Ben Okafor.")


def test_the_backups_window_of_a_postgresql_office_names_no_tool() -> None:
    assert PG_WORDS == ("This office is on a PostgreSQL server. Its backups are made on the server, not at a desk: "
                        "ask whoever looks after the server to schedule them.")
