"""The real database thread (the GUI thread never runs a query) and the conflict dialog."""
from __future__ import annotations

import threading

import peewee
import pytest
from PySide6.QtCore import Qt

from models import store
from ui.dialogs.client_dialog import ClientDialog
from ui.dialogs.conflict import ConflictDialog


def test_with_the_real_worker_the_gui_thread_never_runs_a_query(make_window, seeded, settings, db_path, qtbot,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    threads: set[str] = set()
    real = peewee.Database.execute_sql

    def spy(self, sql, params=None, *args, **kwargs):
        threads.add(threading.current_thread().name)
        return real(self, sql, params, *args, **kwargs)

    monkeypatch.setattr(peewee.Database, "execute_sql", spy)
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window(sync=False)
    qtbot.waitUntil(lambda: window.ctx.staff is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.client_list.model.rowCount() == 2, timeout=10_000)
    window.open_client(seeded["oliver"])
    qtbot.waitUntil(lambda: window.client_view.client is not None, timeout=10_000)
    note = window.client_view.composer.note
    qtbot.keyClicks(note.text, "Written through the real thread")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    model = window.client_view.timeline.timeline_model
    qtbot.waitUntil(lambda: bool(model.entries) and getattr(model.entries[0], "text", "") ==
                    "Written through the real thread", timeout=10_000)
    main = threading.main_thread().name
    assert threads and main not in threads, f"queries ran on {threads}"
    assert all(name.startswith("rapport-db") for name in threads)
    window.close()


def test_a_colleague_saving_first_opens_the_conflict_dialog(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["oliver"])
    dialog = ClientDialog(ready.ctx, ready.client_view.client, ready)
    qtbot.addWidget(dialog)
    dialog.phone.setText("01632 960333")
    dialog.caution.setPlainText("Call only in the afternoon")
    theirs = store.get_client(seeded["oliver"])
    store.update_client(seeded["oliver"], version=theirs.version, by=seeded["ben"], phone="01632 960222")
    dialog.submit()
    conflict = dialog.conflict_dialog
    assert isinstance(conflict, ConflictDialog) and conflict.isVisible()
    assert conflict.fields == ["phone", "caution"]
    conflict.choices["phone"].button(0).setChecked(True)  # keep their phone number, my caution note
    conflict.save_choice.click()
    saved = store.get_client(seeded["oliver"])
    assert saved.phone == "01632 960222" and saved.caution == "Call only in the afternoon"
    assert saved.version == theirs.version + 2


def test_keep_theirs_changes_nothing(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["isla"])
    dialog = ClientDialog(ready.ctx, ready.client_view.client, ready)
    qtbot.addWidget(dialog)
    dialog.organisation.setText("Mine")
    theirs = store.get_client(seeded["isla"])
    store.update_client(seeded["isla"], version=theirs.version, by=seeded["ben"], organisation="Theirs")
    dialog.submit()
    dialog.conflict_dialog.keep_theirs.click()
    assert store.get_client(seeded["isla"]).organisation == "Theirs"
    assert not dialog.isVisible()


def test_a_promise_changed_at_another_desk_is_a_conflict_shown_not_an_overwrite(ready, qtbot, seeded,
                                                                               monkeypatch) -> None:
    from datetime import timedelta

    from models.store import PromiseEntry

    oliver, anna, ben = seeded["oliver"], seeded["anna"], seeded["ben"]
    pid = store.make_promise(oliver, by=anna, text="Call back", due=store.utcnow() + timedelta(days=2)).id
    ready.open_client(oliver)
    entry = ready.client_view.timeline.timeline_model.entries[0]
    assert isinstance(entry, PromiseEntry) and entry.version == 1
    store.reassign_promise(pid, by=ben, owner=ben)  # Ben takes it at his desk meanwhile
    ready.client_view.keep_promise(entry)  # Anna's stale view: ui/actions/promises.py says what happened
    shown = ready.error_banner.text.text()
    assert ready.error_banner.isVisible() and "Ben Okafor" in shown and "Nothing was overwritten" in shown
    assert store.get_promise(pid).record_status == "open"


def test_handing_a_promise_to_an_away_colleague_asks_first(ready, qtbot, seeded, monkeypatch) -> None:
    from datetime import timedelta

    from PySide6.QtWidgets import QMessageBox

    from ui.dialogs.promise import PromiseActionDialog

    oliver, anna, ben = seeded["oliver"], seeded["anna"], seeded["ben"]
    now = store.utcnow()
    pid = store.make_promise(oliver, by=anna, text="Call back", due=now + timedelta(days=1)).id
    store.set_away(ben, by=anna, away_from=now - timedelta(hours=1), away_until=now + timedelta(days=3),
                   reason="Holiday")
    ready.ctx.team = store.list_staff()
    ready.open_client(oliver)
    entry = ready.client_view.timeline.timeline_model.entries[0]
    dialog = PromiseActionDialog(ready.ctx, "reassign", entry, ready)
    qtbot.addWidget(dialog)
    dialog.field.setCurrentIndex(dialog.field.findData(ben))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *buttons: asked.append(text)
                        or QMessageBox.StandardButton.No)
    dialog.submit()
    assert asked and "Ben Okafor is away" in asked[0]
    back = asked[0].split("away until ")[1].split(" (")[0]
    assert back and ":" not in back and "am" not in back and "pm" not in back  # the day they are back, no clock
    assert store.get_promise(pid).owner_id == anna
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    dialog.submit()
    assert store.get_promise(pid).owner_id == ben


def test_results_arriving_as_the_window_closes_start_no_new_work(qtbot, db_path, seeded) -> None:
    """A result queued to the GUI thread just before shutdown, delivered after it, used to ask for more
    work from a stopped thread and raise in the closing window (seen at every quick close of the app)."""
    from ui.events import Events
    from ui.tasks import Tasks

    tasks = Tasks(Events())
    tasks.on_thread(lambda: store.open(db_path))
    answered: list[object] = []

    def on_done(team: list) -> None:
        answered.append(tasks.run(store.list_staff))  # a view asking for more, as the client list does

    tasks.run(store.list_staff, on_done).result(timeout=10)  # done; its delivery waits in the GUI queue
    tasks.shutdown()
    qtbot.wait(50)  # the queued delivery arrives now
    assert tasks.run(store.list_staff).cancelled()
    assert answered == []  # the late delivery was dropped: nothing on screen is left to show it
