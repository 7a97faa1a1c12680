"""Issue 11 at the desk: Office > History, Client > What happened (PDF), erasing a client."""
from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from models import store
from ui.context import AppContext
from ui.dialogs import pin
from ui.dialogs.erase import EraseDialog
from ui.dialogs.history import HistoryDialog
from ui.dialogs.report import ReportDialog, record_html
from ui.events import Events
from ui.tasks import SyncTasks


@pytest.fixture
def desk(qtbot, tmp_path) -> Iterator[AppContext]:
    """Anna (administrator) at a desk of an office with Ben and two clients with some history."""
    store.open(tmp_path / "office.db")
    anna = store.add_staff("Anna Keller").id
    ben = store.add_staff("Ben Okafor", by=anna).id
    oliver = store.add_client(name="Oliver Thompson", by=anna, phone="01632 960001").id
    isla = store.add_client(name="Isla Walsh", by=ben).id
    call = store.log_interaction(oliver, by=ben, summary="Boiler still leaking", rating=-2).id
    store.edit_interaction(call, by=ben, summary="Boiler still leaking in the kitchen")
    store.make_promise(oliver, by=anna, text="Send the plumber", due=store.utcnow() + timedelta(days=1), owner=ben)
    store.add_note(isla, by=anna, text="Call after 5 pm")
    events = Events()
    ctx = AppContext(SyncTasks(events), events, QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat),
                     staff=store.get_staff(anna), team=store.list_staff())
    ctx.ids = {"anna": anna, "ben": ben, "oliver": oliver, "isla": isla}  # type: ignore[attr-defined]
    yield ctx
    pin.end_grace(ctx)
    store.close()


def texts(dialog: HistoryDialog) -> list[str]:
    return [e.text for e in dialog.model.entries]


def test_office_history_lists_filters_pages_and_exports(qtbot, desk: AppContext, tmp_path: Path,
                                                        monkeypatch) -> None:
    dialog = HistoryDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    assert texts(dialog)[0] == "Added a note: “Call after 5 pm”"
    row = dialog.model.index(0, 1).data(), dialog.model.index(0, 2).data()
    assert row == ("Anna Keller", "Isla Walsh")
    dialog.staff.setCurrentIndex(dialog.staff.findText("Ben Okafor"))
    assert {e.staff_name for e in dialog.model.entries} == {"Ben Okafor"}
    corrected = "Corrected an interaction: summary “Boiler still leaking” → “Boiler still leaking in the kitchen”"
    assert corrected in texts(dialog)
    dialog.staff.setCurrentIndex(0)
    dialog.kind.setCurrentIndex(dialog.kind.findData("promise"))
    assert [e.kind for e in dialog.model.entries] == ["promise"]
    dialog.kind.setCurrentIndex(0)
    dialog.client.setCurrentIndex(dialog.client.findText("Oliver Thompson"))
    dialog.client.activated.emit(dialog.client.currentIndex())
    assert {e.client_name for e in dialog.model.entries} == {"Oliver Thompson"}
    dialog.client.setCurrentIndex(0)
    dialog.client.activated.emit(0)
    dialog.date_until.setDate(QDate.currentDate().addDays(-3))
    dialog.use_until.setChecked(True)
    assert dialog.model.entries == [] and "Nothing was recorded" in dialog.status.text()
    dialog.use_until.setChecked(False)
    # Pages: with a page of 2, Show older changes walks the rest without repeating one.
    monkeypatch.setattr("ui.dialogs.history.PAGE", 2)
    dialog.reload()
    assert len(dialog.model.entries) == 2 and dialog.more_button.isEnabled()
    while dialog.more_button.isEnabled():
        dialog.more_button.click()
    ids = [e.id for e in dialog.model.entries]
    assert ids == sorted(set(ids), reverse=True) and len(ids) == len(store.history(limit=500))
    path = tmp_path / "history.csv"
    dialog.export_to(str(path))
    with open(path, encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) == len(ids) + 1
    assert "Saved" in dialog.status.text()


def test_history_of_one_client(qtbot, desk: AppContext) -> None:
    dialog = HistoryDialog(desk, desk.ids["isla"], "Isla Walsh")  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "History of Isla Walsh" and dialog.table.isColumnHidden(2)
    assert texts(dialog) == ["Added a note: “Call after 5 pm”", "Added the client “Isla Walsh”"]


def test_what_happened_shows_every_step_and_saves_a_pdf(qtbot, desk: AppContext, tmp_path: Path) -> None:
    dialog = ReportDialog(desk, desk.ids["oliver"])  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    text = dialog.browser.toPlainText()
    assert "What happened: Oliver Thompson" in text
    assert "Boiler still leaking in the kitchen" in text and "“Boiler still leaking” →" in text
    assert "Made by Anna Keller" in text and "owner Ben Okafor" in text
    path = tmp_path / "record.pdf"
    assert dialog.save_to(str(path))
    assert path.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                       check=True)
        assert list(tmp_path.glob("page*.png"))
    assert not dialog.save_to(str(tmp_path / "missing" / "record.pdf"))
    assert "could not be saved" in dialog.error.text()


def test_erase_asks_twice_needs_the_pin_and_leaves_a_tombstone(qtbot, desk: AppContext, monkeypatch) -> None:
    oliver = store.get_client(desk.ids["oliver"])  # type: ignore[attr-defined]
    dialog = EraseDialog(desk, oliver)
    qtbot.addWidget(dialog)
    assert "cannot be undone" in dialog.text.text() and "Backups made before" in dialog.text.text()
    assert "Export this client" in dialog.text.text()
    assert not dialog.erase_button.isEnabled()
    dialog.understood.setChecked(True)
    monkeypatch.setattr(EraseDialog, "confirm_again", lambda self: False)
    dialog.submit()
    assert store.get_client(oliver.id).name == "Oliver Thompson"  # said no the second time
    monkeypatch.setattr(EraseDialog, "confirm_again", lambda self: True)
    dialog.submit()  # Anna has no PIN yet: she is asked to choose one first
    [setting] = [w for w in dialog.findChildren(pin.SetPinDialog)]
    setting.pin.setText("8642")
    setting.again.setText("8642")
    with qtbot.waitSignal(dialog.erased):
        setting.submit()
    assert store.get_client(oliver.id).name.startswith("Client erased by Anna Keller on ")
    assert "Boiler" not in record_html(store.client_record(oliver.id))


def test_a_staff_member_cannot_erase(qtbot, desk: AppContext, monkeypatch) -> None:
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    monkeypatch.setattr(EraseDialog, "confirm_again", lambda self: True)
    desk.staff = store.get_staff(desk.ids["ben"])  # type: ignore[attr-defined]
    dialog = EraseDialog(desk, store.get_client(desk.ids["oliver"]))  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.understood.setChecked(True)
    dialog.submit()
    assert told and store.get_client(desk.ids["oliver"]).name == "Oliver Thompson"  # type: ignore[attr-defined]
