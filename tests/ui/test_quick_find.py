"""Quick find (ui/dialogs/quick_find.py) and the client list's filter: results as you type, grouped, marked, opened at
the entry; stale keystrokes dropped on the real database thread, the GUI thread never waiting."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QShortcut

from models import store
from ui.context import AppContext
from ui.dialogs.quick_find import HitRole, QuickFindDialog, marked_html
from ui.events import Events
from ui.tasks import SyncTasks, Tasks


@pytest.fixture
def office(db_path: Path) -> dict[str, int]:
    """Two staff, three clients, and a timeline with something to find."""
    store.open(db_path)
    anna = store.add_staff("Anna Keller").id
    ben = store.add_staff("Ben Okafor", by=anna).id
    zoe = store.add_client(name="Zoë Ó'Brien", by=anna, phone="01632 960407", organisation="Harbour Lettings").id
    oliver = store.add_client(name="Oliver Thompson", by=anna, organisation="Bayview Holdings").id
    store.add_client(name="Boiler Works Ltd", by=ben)
    call = store.log_interaction(zoe, by=anna, summary="Boiler broke again", rating=-1).id
    note = store.add_note(oliver, by=ben, text="Asked about the boiler service plan").id
    store.make_promise(zoe, by=ben, text="Send an engineer for the boiler", due=store.utcnow() + timedelta(days=2))
    store.close()
    return {"anna": anna, "ben": ben, "zoe": zoe, "oliver": oliver, "call": call, "note": note}


@pytest.fixture
def ctx(office: dict[str, int], db_path: Path, tmp_path: Path) -> Iterator[AppContext]:
    store.open(db_path)
    events = Events()
    team = store.list_staff()
    yield AppContext(SyncTasks(events), events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     staff=team[0], team=team)
    store.close()


def rows_of(dialog: QuickFindDialog) -> list[str]:
    """What the list shows: headings as they are, hits as 'kind: client'."""
    model = dialog.results_model
    out = []
    for r in range(model.rowCount()):
        hit = model.item(r).data(HitRole)
        out.append(model.item(r).text() if hit is None else f"{hit.kind}: {hit.client_name}")
    return out


def test_results_appear_as_you_type_grouped_with_who_when_and_the_words_marked(qtbot, ctx: AppContext) -> None:
    dialog = QuickFindDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "boil")
    assert rows_of(dialog) == ["Clients", "client: Boiler Works Ltd", "Interactions", "interaction: Zoë Ó'Brien",
                               "Notes", "note: Oliver Thompson", "Promises", "promise: Zoë Ó'Brien"]
    note = dialog.results_model.item(5)
    assert "Ben Okafor" in note.text() and "Asked about the boiler service plan" in note.text()
    assert "<b>boiler</b>" in note.data(Qt.ItemDataRole.UserRole + 2)
    assert not dialog.results_model.item(0).flags() & Qt.ItemFlag.ItemIsSelectable  # a heading is not a result
    assert dialog.current_hit().kind == "client"  # the first result is ready for Enter
    assert "4 found" in dialog.status.text()
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "zoe obrien")
    assert rows_of(dialog) == ["Clients", "client: Zoë Ó'Brien"]
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "+44 1632 960407")
    assert rows_of(dialog) == ["Clients", "client: Zoë Ó'Brien"]
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, '"NOT (boiler* -')
    assert rows_of(dialog) == [] and dialog.status.text() == "Nothing found. Fewer or shorter words find more."


def test_marked_html_escapes_everything_but_the_marks() -> None:
    assert marked_html("<b>a & boiler", ((7, 13),)) == "&lt;b&gt;a &amp; <b>boiler</b>"


def test_arrows_and_enter_open_the_client_at_the_entry_and_esc_closes(qtbot, ctx: AppContext,
                                                                      office: dict[str, int]) -> None:
    dialog = QuickFindDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.search, "boiler")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)  # past the "Notes" heading
    assert dialog.current_hit().kind == "note"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Up)
    assert dialog.current_hit().kind == "interaction"
    with qtbot.waitSignal(ctx.events.entry_requested) as opened:
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert opened.args == [office["zoe"], "interaction", office["call"]]
    assert not dialog.isVisible()
    again = QuickFindDialog(ctx)
    qtbot.addWidget(again)
    again.show()
    qtbot.keyClicks(again.search, "oliver")
    with qtbot.waitSignal(ctx.events.client_requested) as chosen:
        qtbot.keyClick(again.search, Qt.Key.Key_Enter)
    assert chosen.args == [office["oliver"]]
    third = QuickFindDialog(ctx)
    qtbot.addWidget(third)
    third.show()
    qtbot.keyClick(third.search, Qt.Key.Key_Escape)
    assert not third.isVisible()


def test_filters_this_client_only_notes_a_date_range_and_a_colleague(qtbot, ctx: AppContext,
                                                                     office: dict[str, int]) -> None:
    dialog = QuickFindDialog(ctx, client_id=office["zoe"], client_name="Zoë Ó'Brien")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "boiler")
    assert len(rows_of(dialog)) == 8
    dialog.only_client.setChecked(True)
    assert rows_of(dialog) == ["Interactions", "interaction: Zoë Ó'Brien", "Promises", "promise: Zoë Ó'Brien"]
    dialog.only_client.setChecked(False)
    dialog.kinds.setCurrentIndex(3)  # only notes
    assert rows_of(dialog) == ["Notes", "note: Oliver Thompson"]
    dialog.kinds.setCurrentIndex(0)
    dialog.colleague.setCurrentIndex(dialog.colleague.findText("Anna Keller"))
    assert rows_of(dialog) == ["Interactions", "interaction: Zoë Ó'Brien"]
    dialog.colleague.setCurrentIndex(0)
    dialog.when.setCurrentIndex(4)  # more than a year ago
    assert rows_of(dialog) == []
    dialog.when.setCurrentIndex(1)  # the past week
    assert len(rows_of(dialog)) == 6  # the entries; the clients' last contact is today only for Zoë


def test_the_filters_are_reached_from_the_keyboard(qtbot, ready, seeded) -> None:
    ready.open_client(seeded["oliver"])
    qtbot.keyClick(ready, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = ready.findChild(QuickFindDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.search, "Bayview")
    # offscreen, a dialog over the window never becomes the active window, so Qt does not route its shortcuts:
    # each one is activated as the shortcut map would, and must move the keyboard to its filter
    shortcuts = {s.key().toString(): s for s in dialog.findChildren(QShortcut)}
    for key, widget in (("Alt+W", dialog.kinds), ("Alt+H", dialog.when), ("Alt+O", dialog.colleague)):
        shortcuts[key].activated.emit()
        assert dialog.focusWidget() is widget and key in widget.toolTip()
    assert dialog.only_client.text() == "O&nly Oliver Thompson"  # Alt+N: the box's own mnemonic


def test_a_pasted_blob_is_refused_with_a_sentence_and_kept(qtbot, ctx: AppContext) -> None:
    dialog = QuickFindDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.search.setText("boiler " * 100)
    assert dialog.status.text() == "The search text is too long: at most 500 characters, and this is 700."
    assert dialog.search.text() == "boiler " * 100


def test_typing_never_waits_and_stale_keystrokes_are_dropped_on_the_real_thread(
        qtbot, office: dict[str, int], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = Events()
    tasks = Tasks(events)
    tasks.on_thread(lambda: store.open(db_path))
    searched: list[str] = []
    real_search = store.search

    def counting(text: str, **kwargs: object) -> object:
        searched.append(text)
        return real_search(text, **kwargs)
    monkeypatch.setattr(store, "search", counting)  # counts the queries that really ran; they still run
    ctx = AppContext(tasks, events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    dialog = QuickFindDialog(ctx)
    qtbot.addWidget(dialog)
    gate = threading.Event()
    try:
        tasks.run(gate.wait)  # the database thread is busy (another desk's lock, a long read ...)
        started = time.perf_counter()
        qtbot.keyClicks(dialog.search, "zoe obri")
        typing = time.perf_counter() - started
        assert typing < 1.0, f"typing waited on the database thread ({typing:.2f} s)"
        assert searched == [] and rows_of(dialog) == []
        with qtbot.waitSignal(dialog.searched, timeout=10_000):
            gate.set()
        assert searched == ["zoe obri"]  # the seven stale keystrokes were dropped before they ran
        assert rows_of(dialog) == ["Clients", "client: Zoë Ó'Brien"]
        # a late answer to an older keystroke is ignored: the screen shows the newest text's results
        dialog._on_found(1, ())
        assert rows_of(dialog) == ["Clients", "client: Zoë Ó'Brien"]
    finally:
        gate.set()
        tasks.shutdown()


def test_the_client_list_filter_drops_stale_keystrokes_on_the_real_thread(qtbot, make_window, seeded,
                                                                         settings, db_path: Path) -> None:
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window(sync=False)
    panel = window.client_list
    qtbot.waitUntil(lambda: panel.model.total == 2, timeout=10_000)
    gate = threading.Event()
    try:
        window.ctx.tasks.run(gate.wait)
        qtbot.keyClicks(panel.search, "isla")
        qtbot.keyClicks(panel.search, "\b\b\b\b")
        qtbot.keyClicks(panel.search, "bayv")
        assert panel.model.shown == 2  # nothing filtered yet, and nothing waited
        gate.set()
        qtbot.waitUntil(lambda: panel.model.shown == 1, timeout=10_000)
        qtbot.wait(200)  # any late answer to "isla" would show Isla now
        assert [panel.model.client_at(0).name] == ["Oliver Thompson"]
        assert panel.count.text() == "1 of 2 clients match"
    finally:
        gate.set()


def test_ctrl_k_opens_quick_find_and_enter_opens_an_old_entry_on_the_timeline(qtbot, ready, seeded) -> None:
    oliver = seeded["oliver"]
    ready.ctx.tasks.run(lambda: [store.add_note(oliver, by=seeded["anna"], text=f"Routine note {k}",
                                                at=store.utcnow() - timedelta(days=400 - k)) for k in range(130)])
    ready.ctx.tasks.run(lambda: store.add_note(oliver, by=seeded["anna"], text="The flue was condemned in 2019",
                                               at=store.utcnow() - timedelta(days=500)))
    qtbot.keyClick(ready, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = ready.findChild(QuickFindDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.search, "flue condemned")
    assert rows_of(dialog) == ["Notes", "note: Oliver Thompson"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    timeline = ready.client_view.timeline
    qtbot.waitUntil(lambda: (timeline.current_entry() is not None
                             and getattr(timeline.current_entry(), "text", "") == "The flue was condemned in 2019"),
                    timeout=5000)
    assert timeline.timeline_model.has_more is False  # the oldest page: read around the entry, not page by page
    assert len(timeline.timeline_model.entries) <= 50


def test_the_toolbar_field_and_the_edit_menu_open_quick_find(qtbot, ready) -> None:
    qtbot.waitUntil(lambda: ready.find_field.isVisible(), timeout=5000)
    assert ready.find_field.isEnabled()  # someone is at the desk
    assert "Find anything..." in [a.text() for a in ready.edit_menu.actions()]
    qtbot.keyClicks(ready.find_field, "isla")
    dialog = ready.findChild(QuickFindDialog)
    assert dialog is not None and dialog.search.text() == "isla" and ready.find_field.text() == ""
    assert rows_of(dialog) == ["Clients", "client: Isla Walsh"]
    assert len(ready.findChildren(QuickFindDialog)) == 1  # the letters after the first went on in the same one


def test_an_answer_that_comes_after_quick_find_closed_is_dropped_quietly(
        qtbot, office: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    events = Events()
    tasks = Tasks(events)
    tasks.on_thread(lambda: store.open(db_path))
    ctx = AppContext(tasks, events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    errors: list[str] = []
    events.error_reported.connect(errors.append)
    gate = threading.Event()
    try:
        dialog = QuickFindDialog(ctx)
        dialog.show()
        tasks.run(gate.wait)  # the database thread is busy while the person types and presses Esc
        qtbot.keyClicks(dialog.search, "boiler")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)  # closed and deleted (WA_DeleteOnClose)
        qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5000)
        done = threading.Event()
        tasks.run(done.set)
        gate.set()
        qtbot.waitUntil(done.is_set, timeout=10_000)
        qtbot.wait(100)  # the late answer's delivery on the GUI thread
        assert errors == []
    finally:
        gate.set()
        tasks.shutdown()


def test_what_is_saved_meanwhile_shows_in_the_open_results_and_the_chosen_one_stays_chosen(
        qtbot, ctx: AppContext, office: dict[str, int]) -> None:
    dialog = QuickFindDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "boiler")
    dialog.move_selection(2)  # the note
    assert dialog.current_hit().kind == "note"
    with qtbot.waitSignal(dialog.searched):  # saved here or at another desk: data_changed either way
        ctx.tasks.run(lambda: store.add_note(office["zoe"], by=office["anna"], text="Boiler fixed at last"))
    assert rows_of(dialog) == ["Clients", "client: Boiler Works Ltd", "Interactions", "interaction: Zoë Ó'Brien",
                               "Notes", "note: Zoë Ó'Brien", "note: Oliver Thompson", "Promises",
                               "promise: Zoë Ó'Brien"]
    assert dialog.current_hit().entry_id == office["note"]  # still the one chosen, not the new one
    with qtbot.waitSignal(dialog.searched):
        ctx.tasks.run(lambda: store.delete_entry("note", office["note"], by=office["anna"]))
    assert "note: Oliver Thompson" not in rows_of(dialog) and dialog.current_hit().kind == "client"


def test_typing_on_chooses_the_first_result_again(qtbot, ctx: AppContext) -> None:
    dialog = QuickFindDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "boi")
    dialog.move_selection(2)
    assert dialog.current_hit().kind == "note"
    qtbot.keyClicks(dialog.search, "l")
    assert dialog.current_hit().kind == "client"
