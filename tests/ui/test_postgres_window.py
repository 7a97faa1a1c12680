"""The whole desk app on PostgreSQL: the same window, the same flows (runs when a server is reachable)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models import store
from models.store import NoteEntry
from tests.store.conftest import PG_SKIP, PG_URL, reset_postgres
from tests.ui.conftest import open_dialog
from ui.dialogs.backups import BackupsDialog


@pytest.fixture
def pg_office() -> str:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    reset_postgres(PG_URL)
    store.open(PG_URL)
    anna = store.add_staff("Anna Keller").id
    store.add_client(name="Oliver Thompson", by=anna)
    store.close()
    return PG_URL


def test_log_a_note_and_a_call_on_postgres(make_window, pg_office: str, qtbot) -> None:
    window = make_window(path=pg_office)
    window.staff_picker._choose(window.ctx.team[0])
    assert window.ctx.staff is not None and window.database_label.text().startswith(
        "Database: " + pg_office.rsplit("/", 1)[-1])
    model = window.client_list.model
    window.client_list.table.clicked.emit(model.index(0, 1))
    note = window.client_view.composer.note
    qtbot.keyClicks(note.text, "Stored in PostgreSQL")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    entry = window.client_view.timeline.timeline_model.entries[0]
    assert isinstance(entry, NoteEntry) and entry.text == "Stored in PostgreSQL"
    form = window.client_view.composer.interaction
    form.rating_group.button(-2).click()
    qtbot.keyClicks(form.summary, "Complaint about the invoice")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    assert window.client_view.header.badge.badge is not None
    assert window.client_view.header.badge.badge.score < 50


def test_move_a_sqlite_office_to_postgresql_from_the_window(ready, seeded, qtbot) -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    reset_postgres(PG_URL)
    said: list[str] = []
    ready.ctx.events.message_reported.connect(said.append)
    ready.office_files.copy_office(PG_URL, open_after=lambda where: True)
    assert said and said[0].startswith("Copied the office (") and "unchanged" in said[0]
    office = ready.session.office
    assert ready.ctx.database == PG_URL and office is not None and office.engine == "postgresql"
    assert sorted(c.name for c in store.list_clients()) == ["Isla Walsh", "Oliver Thompson"]
    assert ready.staff_picker.isVisible()
    ready.staff_picker._choose(next(m for m in ready.ctx.team if m.name == "Anna Keller"))
    ready.backups_action.trigger()
    assert not open_dialog(ready, BackupsDialog).backup_button.isEnabled()  # backed up on the server instead
