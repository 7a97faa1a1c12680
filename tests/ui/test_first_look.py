"""The desk's first window painted from a first look at the office (store.first_look), the store opening it right
after, and the desk then working as always (issue 10). With the real database thread: the order is what is tested.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt

from models import store
from models.errors import DatabaseError
from tests.ui.conftest import open_dialog, shuffled_office
from ui.dialogs.staff import StaffPicker
from ui.views import client_list

CLIENTS = 30
FIRST = 8


@pytest.fixture
def office(db_path: Path) -> dict[str, object]:
    names, anna = shuffled_office(db_path, CLIENTS)
    return {"names": names, "anna": anna}


def _logging_the_store(log: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What the store is asked for goes in `log`, in order."""
    def logged(call, said: str):  # noqa: ANN001, ANN202
        def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            log.append(said)
            return call(*args, **kwargs)
        return run
    for name, said in (("first_look", "first look"), ("open", "store opened"), ("list_staff", "team read")):
        monkeypatch.setattr(store, name, logged(getattr(store, name), said))
    list_clients = store.list_clients

    def listing(**kwargs):  # noqa: ANN003, ANN202
        log.append(f"first {kwargs['limit']} rows read" if kwargs.get("limit") else "whole list read")
        return list_clients(**kwargs)
    monkeypatch.setattr(store, "list_clients", listing)


class PaintLog(QObject):
    """Writes "first rows painted" in `log` when the list's viewport is first painted with rows."""

    def __init__(self, window, log: list[str]) -> None:  # noqa: ANN001
        super().__init__(window)
        self.panel, self.log = window.client_list, log
        self.panel.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.panel.model.rowCount() and "first rows painted" not in self.log:
            self.log.append("first rows painted")
        return False


def test_the_first_rows_come_from_a_look_and_the_store_opens_the_office_once_they_are_painted(
        office: dict, make_window, settings, db_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_list, "FIRST_ROWS", FIRST)
    settings.setValue(f"desk/staff/{db_path}", office["anna"])
    log: list[str] = []
    _logging_the_store(log, monkeypatch)
    window = make_window(sync=False, first_rows=FIRST)
    PaintLog(window, log)
    panel = window.client_list
    qtbot.waitUntil(lambda: panel.model.total == CLIENTS and window.session.office is not None, timeout=10_000)
    assert log[:3] == ["first look", "first rows painted", "store opened"], log
    assert "whole list read" in log and "first 8 rows read" not in log  # the look's rows were the list's first read
    assert [panel.model.client_at(i).name for i in range(CLIENTS)] == office["names"]
    assert panel.count.text() == f"{CLIENTS} clients"

    # From here the desk works as always: filter, open a client, save what happened.
    qtbot.keyClicks(panel.search, "Client 2")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 10, timeout=10_000)
    panel.table.clicked.emit(panel.model.index(0, client_list.ClientTableModel.NAME))
    qtbot.waitUntil(lambda: window.client_view.client is not None, timeout=10_000)
    client = window.client_view.client.id
    note = window.client_view.composer.note
    qtbot.keyClicks(note.text, "Asked for the spring invoice")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(getattr(e, "text", "") == "Asked for the spring invoice"
                                for e in store.timeline(client).entries), timeout=10_000)


def test_with_nobody_remembered_the_store_opens_as_the_desk_asks_who_is_there(
        office: dict, make_window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name (or a PIN) to ask for needs the store: the first look is set aside and the store opens the office first,
    as always; no dialog is ever open over rows the store has not opened yet."""
    window = make_window(sync=False, first_rows=FIRST)
    qtbot.waitUntil(lambda: any(p.isVisible() for p in window.findChildren(StaffPicker)), timeout=10_000)
    picker = open_dialog(window, StaffPicker)
    assert window.session.office is not None and window.ctx.staff is None
    picker.chosen.emit(store.get_staff(office["anna"]))
    qtbot.waitUntil(lambda: window.client_list.model.total == CLIENTS, timeout=10_000)
    assert window.ctx.staff is not None and window.ctx.staff.name == "Anna Keller"


def test_an_office_the_store_cannot_open_after_its_look_says_so_instead_of_its_rows(
        office: dict, make_window, settings, db_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check for damage runs as the store opens the office, just after the first look's rows are painted: when
    it finds damage, the rows go and the window says what is wrong (and nothing was written to the file)."""
    settings.setValue(f"desk/staff/{db_path}", office["anna"])
    damaged = "The office database is damaged. Stop using it and restore the latest backup."

    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise DatabaseError(damaged)
    monkeypatch.setattr(store, "open", refuse)
    window = make_window(sync=False, first_rows=FIRST)
    qtbot.waitUntil(lambda: window.opening.text.text() == damaged, timeout=10_000)
    assert window.pages.currentIndex() == 0 and window.ctx.staff is None and window.client_list.model.total == 0
    assert not window.new_client_action.isEnabled()


def test_a_person_with_a_pin_is_asked_for_it_once_the_store_has_opened_the_office(
        office: dict, make_window, settings, db_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import pin

    store.open(db_path)
    member = store.get_staff(office["anna"])
    store.update_staff(member.id, version=member.version, by=member.id, pin="2468")
    store.close()
    settings.setValue(f"desk/staff/{db_path}", office["anna"])
    looks: list[object] = []
    first_look = store.first_look
    monkeypatch.setattr(store, "first_look", lambda *a: looks.append(first_look(*a)) or looks[-1])
    window = make_window(sync=False, first_rows=FIRST)
    asked_with_the_office_open: list[bool] = []
    window.session.staff_found.connect(lambda _m: asked_with_the_office_open.append(window.session.office is not None))
    qtbot.waitUntil(lambda: window.session.office is not None and bool(open_dialog(window, pin.PinDialog)),
                    timeout=10_000)
    assert asked_with_the_office_open == [True]
    assert looks and looks[0] is not None  # it was looked at, and the look set aside for the PIN
    assert window.ctx.staff is None and window.client_list.model.total == 0
