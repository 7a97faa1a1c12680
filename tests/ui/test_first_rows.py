"""Start-up paints the client list's first screenful from a small first query, read while the desk is being set up;
the rest arrives from the database thread right after, and the list then works fully (issue 10, start-up budget).

These run with the real database thread: the order in which the first rows, the team and the rest arrive is
what is being tested.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor

from models import store
from tests.ui.conftest import shuffled_office
from ui.views import client_list
from ui.views.client_list import ClientTableModel

CLIENTS = 30
FIRST = 8


@pytest.fixture
def office(db_path: Path, settings) -> list[str]:  # noqa: ANN001
    """30 clients added in a shuffled order (the list's order is the name's, not the insertion's); Anna remembered."""
    names, anna = shuffled_office(db_path, CLIENTS)
    settings.setValue(f"desk/staff/{db_path}", anna)
    return names


class FirstPaint(QObject):
    """Remembers how many rows the list's model had when the table's viewport was first painted."""

    def __init__(self, panel: client_list.ClientListPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.rows: int | None = None
        panel.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.rows is None:
            self.rows = self.panel.model.rowCount()
        return False


def _ink_in(image, rect) -> int:  # noqa: ANN001
    """How many pixels of `rect` differ clearly from the rect's first pixel (text painted there)."""
    ground = QColor(image.pixel(rect.left() + 1, rect.top() + 1))
    ink = 0
    for x in range(rect.left(), rect.right(), 2):
        for y in range(rect.top(), rect.bottom(), 2):
            pixel = QColor(image.pixel(x, y))
            if abs(pixel.lightness() - ground.lightness()) > 60:
                ink += 1
    return ink


def test_ready_means_the_first_rows_are_painted_and_then_the_whole_list_works(
        office: list[str], make_window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_list, "FIRST_ROWS", FIRST)
    window = make_window(sync=False)
    panel = window.client_list
    first_paint = FirstPaint(panel)
    at_ready: dict[str, object] = {}

    def on_loaded() -> None:  # the rows are in: what a paint now shows
        window.repaint()
        model = panel.model
        at_ready["names"] = [model.client_at(i).name for i in range(model.rowCount())]
        rect = panel.table.visualRect(model.index(0, ClientTableModel.NAME))
        at_ready["ink"] = _ink_in(panel.table.viewport().grab().toImage(), rect)
        at_ready["count"] = panel.count.text()
        at_ready["clear button"] = panel.search.isClearButtonEnabled()
    panel.loaded.connect(on_loaded)

    qtbot.waitUntil(lambda: "names" in at_ready, timeout=10_000)
    # The list was never painted empty first: the first rows were read while the team was ...
    assert first_paint.rows == FIRST
    # ... the first screenful, in the list's own order, painted (there is text in the first name's cell).
    assert at_ready["names"] == office[:FIRST]
    assert at_ready["ink"] > 10
    assert at_ready["count"] == "Loading the rest of the clients..."
    assert at_ready["clear button"] is False  # (made the turn after: start-up budget) ...
    qtbot.waitUntil(panel.search.isClearButtonEnabled, timeout=5_000)  # ... the search box can be cleared with a click

    # The rest arrives from the database thread: the whole list, counted.
    qtbot.waitUntil(lambda: panel.model.total == CLIENTS, timeout=10_000)
    assert panel.count.text() == f"{CLIENTS} clients"
    assert [panel.model.client_at(i).name for i in range(CLIENTS)] == office

    # Filter: every client, not just the first screenful.
    qtbot.keyClicks(panel.search, "Client 2")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 10, timeout=10_000)
    assert {panel.model.client_at(i).name for i in range(10)} == {f"Client {n}" for n in range(20, 30)}
    assert panel.count.text() == f"10 of {CLIENTS} clients match"
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == CLIENTS, timeout=10_000)

    # Sort: the name column the other way round starts at the last client.
    panel.table.sortByColumn(ClientTableModel.NAME, Qt.SortOrder.DescendingOrder)
    assert panel.model.client_at(0).name == office[-1]

    # Selection: a client beyond the first screenful opens, and stays the one highlighted.
    row = next(i for i in range(CLIENTS) if panel.model.client_at(i).name == "Client 03")
    panel.table.clicked.emit(panel.model.index(row, ClientTableModel.NAME))
    qtbot.waitUntil(lambda: window.client_view.client is not None
                    and window.client_view.client.name == "Client 03", timeout=10_000)
    selected = panel.table.selectionModel().selectedRows()
    assert [panel.model.client_at(i.row()).name for i in selected] == ["Client 03"]


class PaintLog(QObject):
    """Writes "first rows painted" in `log` when the list's viewport is first painted with rows."""

    def __init__(self, panel: client_list.ClientListPanel, log: list[str]) -> None:
        super().__init__(panel)
        self.panel, self.log = panel, log
        panel.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.panel.model.rowCount() and "first rows painted" not in self.log:
            self.log.append("first rows painted")
        return False


def _recording_reads(monkeypatch: pytest.MonkeyPatch, log: list[str]) -> None:
    """store.list_clients writes in `log` which read it made: the first rows (limit) or the whole list."""
    list_clients = store.list_clients

    def recording(**kwargs):  # noqa: ANN003, ANN202
        if kwargs.get("ids") is None:
            log.append(f"first {kwargs['limit']} rows read" if kwargs.get("limit") else "whole list read")
        return list_clients(**kwargs)
    monkeypatch.setattr(store, "list_clients", recording)


def test_the_rest_is_read_once_the_first_rows_are_painted(
        office: list[str], make_window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read while the first rows were being painted, the whole list (10,000 rows made on the database thread)
    slowed that paint by about a quarter, one GIL for both: it is read the turn after the paint."""
    monkeypatch.setattr(client_list, "FIRST_ROWS", FIRST)
    log: list[str] = []
    _recording_reads(monkeypatch, log)
    window = make_window(sync=False)
    PaintLog(window.client_list, log)
    qtbot.waitUntil(lambda: window.client_list.model.total == CLIENTS, timeout=10_000)
    assert log == [f"first {FIRST} rows read", "first rows painted", "whole list read"]
    assert window.client_list.count.text() == f"{CLIENTS} clients"


def test_a_list_that_fits_in_its_first_read_is_read_once(
        office: list[str], make_window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """30 clients come in the first read (up to FIRST_ROWS): there is no rest to read, and no "Loading the rest"."""
    log: list[str] = []
    _recording_reads(monkeypatch, log)
    window = make_window(sync=False)
    qtbot.waitUntil(lambda: window.client_list.count.text() == f"{CLIENTS} clients", timeout=10_000)
    qtbot.wait(client_list.REST_AT_THE_LATEST_MS + 100)
    assert log == [f"first {client_list.FIRST_ROWS} rows read"]
    assert window.client_list.model.total == CLIENTS


def test_the_rest_of_an_office_left_meanwhile_is_never_shown_for_the_next(
        office: list[str], make_window, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk moves to another office while the rest of this one's list is still being read: that read is
    dropped when it arrives, and the other office's list shows its own clients (none), not even for a moment."""
    import threading

    reading, go_on = threading.Event(), threading.Event()
    list_clients = store.list_clients

    def slow_whole_list(**kwargs):  # noqa: ANN003, ANN202 - the real read, held back until the desk has moved on
        if kwargs.get("limit") is None and kwargs.get("ids") is None and not go_on.is_set():
            reading.set()
            go_on.wait(10)
        return list_clients(**kwargs)
    monkeypatch.setattr(store, "list_clients", slow_whole_list)
    monkeypatch.setattr(client_list, "FIRST_ROWS", FIRST)  # a list longer than its first rows: there is a rest
    window = make_window(sync=False)
    panel = window.client_list
    qtbot.waitUntil(reading.is_set, timeout=10_000)  # the first rows are shown; the rest is being read
    shown_after: list[int] = []  # how many clients the list held at each reset once the office was left
    window.session.switch(str(tmp_path / "other.db"))
    panel.model.modelReset.connect(lambda: shown_after.append(panel.model.total))
    go_on.set()
    qtbot.waitUntil(lambda: getattr(window, "staff_picker", None) is not None and window.staff_picker.isVisible()
                    and window.ctx.database.endswith("other.db"), timeout=10_000)
    qtbot.keyClicks(window.staff_picker.name, "Ben Okafor")
    qtbot.keyClick(window.staff_picker.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.isVisible() and panel.count.text().startswith("No clients yet"), timeout=10_000)
    qtbot.wait(200)
    assert panel.model.total == 0 and panel.count.text().startswith("No clients yet")
    assert shown_after and set(shown_after) == {0}


@pytest.mark.parametrize("width", [700, 1000, 1366])
def test_the_columns_share_exactly_the_lists_width_with_and_without_a_scroll_bar(make_window, office, width,
                                                                                   qtbot) -> None:  # noqa: ANN001
    """fit_columns measures the width without asking for the viewport (PySide6 takes ~8 ms to hand it over the
    first time): the shown columns still fill the viewport exactly, with 30 rows (a scroll bar) or 2 (none).
    The window at 700 makes a list narrower than the essential columns; at 1000 and 1366 they fit."""
    window = make_window()
    panel = window.client_list
    window.resize(width, 500)
    qtbot.waitUntil(lambda: panel.model.rowCount() == CLIENTS)
    for rows in (CLIENTS, 2):
        panel.model.set_rows(panel.model.shown_rows()[:rows])
        bar = panel.table.verticalScrollBar()
        qtbot.waitUntil(lambda rows=rows, bar=bar: bar.isVisible() is (rows == CLIENTS))
        panel.fit_columns()
        header = panel.table.horizontalHeader()
        shown = sum(header.sectionSize(col) for col in range(header.count()) if not header.isSectionHidden(col))
        essential = sum(client_list.ESSENTIAL_WIDTHS.values())  # a list narrower than these scrolls sideways
        assert shown == max(panel.table.viewport().width(), essential)


def test_the_menus_are_filled_after_the_first_rows_and_their_actions_work_then(
        office: list[str], make_window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The toolbar is in the first paint; the menus' 30 actions are made the turn after the first rows (ui/menus.py),
    in the menus' order, switched on for the person at the desk, and their shortcuts work."""
    monkeypatch.setattr(client_list, "FIRST_ROWS", FIRST)
    log: list[str] = []
    window = make_window(sync=False)
    PaintLog(window.client_list, log)
    assert not window.menus_filled and "trash_action" not in vars(window) and window.file_menu.isEmpty()
    assert [a.text() for a in (window.today_action, window.new_client_action)] == ["Today", "New client"]
    window.client_list.loaded.connect(lambda: log.append(f"menus filled: {window.menus_filled}"))
    qtbot.waitUntil(lambda: vars(window).get("menus_filled") is True, timeout=10_000)
    assert log[:2] == ["menus filled: False", "first rows painted"]
    assert [a.text() for a in window.edit_menu.actions() if not a.isSeparator()] == [
        "Undo", "Redo", "Find anything..."]
    assert window.trash_action.isEnabled() and window.open_action.isEnabled()
    assert not window.undo_action.isEnabled()  # nothing to undo yet
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: any(type(w).__name__ == "ShortcutsDialog" and w.isVisible()
                                for w in window.findChildren(QObject)), timeout=5_000)


def test_an_action_asked_for_before_the_first_rows_is_made_at_once(make_window, seeded) -> None:
    """Nobody remembered at this desk: it asks who is here, no list is shown yet. Asking for an action then fills
    the menus at once, with the office's actions off until someone is at the desk."""
    window = make_window()
    assert window.ctx.staff is None and not window.menus_filled
    trash = window.trash_action
    assert window.menus_filled and trash in window.office_menu.actions()
    assert not trash.isEnabled() and window.open_action.isEnabled()
    window.session.set_staff(store.get_staff(seeded["anna"]))
    assert trash.isEnabled()
