"""Another desk's changes reach this window within seconds; presence shows who else is on a client."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from models import store
from models.store import DatabaseError, NoteEntry

ROOT = Path(__file__).resolve().parents[2]


def other_desk(db_path: Path, staff: int, client: int, action: str, text: str = "") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.ui.other_desk", str(db_path), str(staff), str(client),
                             action, text], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_a_note_written_at_another_desk_appears_within_three_seconds(ready, qtbot, seeded, db_path) -> None:
    ready.open_client(seeded["oliver"])
    qtbot.waitUntil(lambda: ready.session.watcher.session is not None, timeout=3000)
    desk = other_desk(db_path, seeded["ben"], seeded["oliver"], "note", "Called from the other desk")
    assert desk.wait(timeout=30) == 0
    model = ready.client_view.timeline.timeline_model
    qtbot.waitUntil(lambda: bool(model.entries) and isinstance(model.entries[0], NoteEntry)
                    and model.entries[0].text == "Called from the other desk", timeout=3500)
    assert model.entries[0].staff_name == "Ben Okafor"


def test_another_desks_call_updates_the_list(ready, qtbot, seeded, db_path) -> None:
    qtbot.waitUntil(lambda: ready.session.watcher.session is not None, timeout=3000)
    panel = ready.client_list
    row = panel.model.row_of(seeded["isla"])
    assert panel.model.client_at(row).last_contact_at is None
    desk = other_desk(db_path, seeded["ben"], seeded["isla"], "call", "Confirmed the viewing")
    assert desk.wait(timeout=30) == 0
    qtbot.waitUntil(lambda: panel.model.client_at(panel.model.row_of(seeded["isla"])).last_contact_at is not None,
                    timeout=3500)


def test_another_desks_promise_reaches_today_within_three_seconds(ready, qtbot, seeded, db_path) -> None:
    qtbot.waitUntil(lambda: ready.session.watcher.session is not None
                    and ready.right.currentWidget() is ready.today_view,
                    timeout=3000)
    today = ready.today_view
    assert today.rows_in("today") == () and today.rows_in("upcoming") == ()
    desk = other_desk(db_path, seeded["ben"], seeded["isla"], "promise", "Send Isla the inventory")
    assert desk.wait(timeout=30) == 0
    due_soon = lambda: [r.text for r in today.rows_in("today") + today.rows_in("upcoming")]  # noqa: E731
    qtbot.waitUntil(lambda: due_soon() == ["Send Isla the inventory"], timeout=3500)


def test_own_writes_are_not_announced_twice(ready, qtbot, seeded) -> None:
    qtbot.waitUntil(lambda: ready.session.watcher.session is not None, timeout=3000)
    announced = []
    ready.ctx.events.data_changed.connect(announced.append)
    store.add_note(seeded["oliver"], by=seeded["anna"], text="Mine")  # the store stamps this desk's session
    ready.session.watcher.poll()
    assert announced == []


def test_presence_shows_who_else_is_on_the_client(ready, qtbot, seeded, db_path) -> None:
    ready.open_client(seeded["oliver"])
    qtbot.waitUntil(lambda: ready.session.watcher.session is not None, timeout=3000)
    desk = other_desk(db_path, seeded["ben"], seeded["oliver"], "sit")
    try:
        assert desk.stdout is not None and desk.stdout.readline().strip() == "SITTING"
        ready.session.watcher.read_presence()
        qtbot.waitUntil(lambda: ready.client_view.header.also_here.text().endswith(
            "Ben Okafor is also on this client"), timeout=3000)
        assert "Ben Okafor (FRONT-2)" in ready.presence_label.text()
    finally:
        desk.communicate("", timeout=30)
    ready.session.watcher.read_presence()
    qtbot.waitUntil(lambda: not ready.client_view.header.also_here.isVisible(), timeout=3000)


def test_a_lost_database_is_said_calmly_and_everything_resyncs(ready, qtbot, seeded, monkeypatch) -> None:
    qtbot.waitUntil(lambda: ready.session.watcher.session is not None, timeout=3000)
    real_poll = store.poll

    def broken(*args, **kwargs):
        raise DatabaseError("The connection to the database was lost.")

    monkeypatch.setattr(store, "poll", broken)
    ready.session.watcher.poll()
    assert ready.error_banner.isVisible() and "not answering" in ready.error_banner.text.text()
    monkeypatch.setattr(store, "poll", real_poll)
    announced = []
    ready.ctx.events.data_changed.connect(announced.append)
    ready.session.watcher.poll()
    assert not ready.error_banner.isVisible()
    assert announced and {"client", "timeline", "promise"} <= announced[-1].kinds
