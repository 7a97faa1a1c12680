"""Duplicates on screen: the warning while a client is typed, Find duplicates, the merge dialog, Un-merge."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QRadioButton

from models import store
from tests.ui.conftest import open_dialog
from ui.context import AppContext
from ui.dialogs.client_dialog import ClientDialog
from ui.dialogs.duplicates import DuplicatesDialog
from ui.dialogs.merge import MergeDialog
from ui.dialogs.unmerge import UnmergeDialog
from ui.events import Events
from ui.tasks import SyncTasks, Tasks


@pytest.fixture
def office(tmp_path: Path) -> Iterator[dict[str, int]]:
    store.open(tmp_path / "office.db")
    anna = store.add_staff("Anna Keller").id  # the first person: an administrator
    ben = store.add_staff("Ben Okafor", by=anna).id
    aisha = store.add_client(name="Aisha Clarke", by=anna, phone="01632 960703", organisation="Quayside Dental").id
    twin = store.add_client(name="Aysha Clarke", by=ben, phone="+44 1632 960703", email="aisha@example.com").id
    yield {"anna": anna, "ben": ben, "aisha": aisha, "twin": twin}
    store.close()


@pytest.fixture
def make_ctx(tmp_path: Path) -> Iterator[Callable[..., AppContext]]:
    made: list[AppContext] = []

    def make(staff_id: int, *, real_thread: bool = False) -> AppContext:
        events = Events()
        tasks = Tasks(events) if real_thread else SyncTasks(events)
        if real_thread:
            tasks.on_thread(lambda: store.open(store_location))
        ctx = AppContext(tasks, events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                         staff=store.get_staff(staff_id), team=store.list_staff())
        made.append(ctx)
        return ctx
    store_location = str(tmp_path / "office.db")
    yield make
    for ctx in made:
        ctx.tasks.shutdown()


def type_client(qtbot, dialog: ClientDialog, **fields: str) -> None:
    for name, text in fields.items():
        qtbot.keyClicks(getattr(dialog, name), text)


def test_typing_a_known_phone_says_possibly_the_same(qtbot, office: dict[str, int], make_ctx) -> None:
    dialog = ClientDialog(make_ctx(office["ben"]))
    qtbot.addWidget(dialog)
    dialog.show()
    type_client(qtbot, dialog, name="Aisha Clark")
    qtbot.wait(400)
    assert not dialog.similar.isVisible()  # a close name alone is not enough
    type_client(qtbot, dialog, phone="01632 960 703")
    qtbot.waitUntil(dialog.similar.isVisible, timeout=2000)
    text = dialog.similar.text()
    assert "Possibly the same as: <b>Aisha Clarke, 01632 960703</b> (and 1 more)" in text
    assert ">open</a>" in text and ">it's a different person</a>" in text
    assert "Same phone number" in text


def test_its_a_different_person_is_remembered_when_saved(qtbot, office: dict[str, int], make_ctx) -> None:
    dialog = ClientDialog(make_ctx(office["ben"]))
    qtbot.addWidget(dialog)
    dialog.show()
    type_client(qtbot, dialog, name="Aisha Clarke", phone="01632960703")
    qtbot.waitUntil(dialog.similar.isVisible, timeout=2000)
    dialog.similar.linkActivated.emit(f"different:{office['aisha']}")
    assert "Aysha Clarke" in dialog.similar.text()  # the next one is offered
    dialog.similar.linkActivated.emit(f"different:{office['twin']}")
    assert not dialog.similar.isVisible()
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.submit()
    new = saved.args[0].id
    assert store.different_people(new, office["aisha"]) and store.different_people(new, office["twin"])
    assert store.similar_clients(name="Aisha Clarke", phone="01632960703", exclude=new) == ()


def test_open_shows_the_existing_client_instead(qtbot, office: dict[str, int], make_ctx) -> None:
    ctx = make_ctx(office["ben"])
    dialog = ClientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    type_client(qtbot, dialog, name="Someone", email="AISHA@example.com")
    qtbot.waitUntil(dialog.similar.isVisible, timeout=2000)
    with qtbot.waitSignal(ctx.events.client_requested) as requested:
        dialog.similar.linkActivated.emit(f"open:{office['twin']}")
    assert requested.args == [office["twin"]]
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_stale_keystrokes_are_dropped_with_the_real_database_thread(qtbot, office: dict[str, int], make_ctx,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = make_ctx(office["ben"], real_thread=True)
    dialog = ClientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    asked: list[str] = []
    real = store.similar_clients

    def counting(**typed: object) -> object:
        asked.append(str(typed["phone"]))
        return real(**typed)
    monkeypatch.setattr(store, "similar_clients", counting)
    gate = threading.Event()
    ctx.tasks.run(lambda: gate.wait(5))  # the database thread is busy meanwhile
    for phone in ("0161 496 0000", "0161 496 0001", "01632 960703"):  # three pauses in typing
        dialog.phone.setText(phone)
        dialog._look_for_similar()
    gate.set()
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0, timeout=3000)
    assert asked == ["01632 960703"]  # the two stale ones never reached the database
    assert dialog.similar.isVisible() and "Aisha Clarke" in dialog.similar.text()


def test_find_duplicates_lists_pairs_with_why(qtbot, office: dict[str, int], make_ctx) -> None:
    ctx = make_ctx(office["ben"])
    dialog = DuplicatesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 1
    assert [dialog.table.item(0, c).text() for c in range(4)] == [
        "Aisha Clarke", "Aysha Clarke", "Same phone number and a similar name", "Very likely"]
    assert not dialog.merge_button.isEnabled()  # Ben is not an administrator
    dialog.different_button.click()
    assert dialog.table.rowCount() == 0 and "No likely duplicates" in dialog.status.text()


def test_merge_dialog_side_by_side_field_by_field(qtbot, office: dict[str, int], make_ctx) -> None:
    ctx = make_ctx(office["anna"])
    dialog = MergeDialog(ctx, office["aisha"], office["twin"])
    qtbot.addWidget(dialog)
    dialog.show()
    # only the details that differ are a choice (the same number written two ways is still a choice)
    assert set(dialog.choices) == {"name", "organisation", "phone", "email"}
    assert not dialog.findChild(QRadioButton, "keep_caution").isEnabled()  # both empty
    assert dialog.findChild(QRadioButton, "other_email").isChecked()  # an empty email takes the other's
    assert dialog.findChild(QRadioButton, "keep_organisation").isChecked()
    dialog.findChild(QRadioButton, "other_name").setChecked(True)
    assert dialog.fields() == {"name": "other", "organisation": "keep", "phone": "keep", "email": "other"}
    with qtbot.waitSignal(dialog.merged) as merged:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    result = store.get_client(office["aisha"])
    assert (result.name, result.email, result.organisation) == ("Aysha Clarke", "aisha@example.com",
                                                                 "Quayside Dental")
    assert merged.args[0].id == store.merges(office["aisha"])[0].id


def test_a_refused_merge_says_why_in_the_dialog(qtbot, office: dict[str, int], make_ctx) -> None:
    dialog = MergeDialog(make_ctx(office["ben"]), office["aisha"], office["twin"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.submit()
    assert dialog.error.isVisible() and "Only an administrator can merge clients" in dialog.error.text()
    assert dialog.isVisible() and store.merges(office["aisha"]) == ()


def test_unmerge_dialog_says_what_stays_and_gives_both_back(qtbot, office: dict[str, int], make_ctx) -> None:
    store.merge_clients(office["aisha"], office["twin"], by=office["anna"])
    store.log_interaction(office["aisha"], by=office["ben"], summary="Rang about the merged record", rating=1)
    dialog = UnmergeDialog(make_ctx(office["anna"]), office["aisha"], "Aisha Clarke")
    qtbot.addWidget(dialog)
    dialog.show()
    line = dialog.list.item(0).text()
    assert line.startswith("Aysha Clarke merged in today")
    assert "1 entry logged on Aisha Clarke since stay with Aisha Clarke." in line
    dialog.unmerge_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert store.get_client(office["twin"]).deleted_at is None and store.merges(office["aisha"]) == ()


def test_in_the_window_find_merge_then_edit_undo(qtbot, ready, seeded: dict[str, int]) -> None:
    twin = store.add_client(name="Oliver Thomson", by=seeded["ben"], phone="01632 960001").id
    office_menu = next(a.menu() for a in ready.menuBar().actions() if a.text() == "&Office")
    find = next(a for a in office_menu.actions() if a.text() == "Find duplicates...")
    find.trigger()
    dialog = open_dialog(ready, DuplicatesDialog)
    assert dialog.table.rowCount() == 1 and dialog.merge_button.isEnabled()  # Anna is an administrator
    dialog.merge_button.click()
    merge = dialog.merge_dialog
    with qtbot.waitSignal(merge.merged):
        merge.submit()
    assert store.get_client(twin).deleted_at is not None
    assert ready.undo_action.isEnabled()
    ready.undo_action.trigger()
    assert store.get_client(twin).deleted_at is None
    assert store.merges(seeded["oliver"]) == ()


def test_unmerge_from_the_merged_clients_history(qtbot, office: dict[str, int], make_ctx) -> None:
    from ui.dialogs.history import HistoryDialog

    store.merge_clients(office["aisha"], office["twin"], by=office["anna"])
    dialog = HistoryDialog(make_ctx(office["anna"]), office["aisha"], "Aisha Clarke")
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [dialog.model.entries[i].text for i in range(len(dialog.model.entries))]
    assert "Merged \u201cAysha Clarke\u201d into this client (0 interactions, notes and promises came over)" in texts
    dialog.unmerge_button.click()
    unmerge = dialog.findChild(UnmergeDialog)
    assert unmerge is not None and unmerge.isVisible() and unmerge.list.count() == 1
    unmerge.unmerge_button.click()
    assert store.get_client(office["twin"]).deleted_at is None


def test_only_an_administrator_sees_unmerge_in_the_history(qtbot, office: dict[str, int], make_ctx) -> None:
    from ui.dialogs.history import HistoryDialog

    dialog = HistoryDialog(make_ctx(office["ben"]), office["aisha"], "Aisha Clarke")
    qtbot.addWidget(dialog)
    assert not hasattr(dialog, "unmerge_button")
