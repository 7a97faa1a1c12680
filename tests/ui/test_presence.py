"""Who else is on a client, with the REAL database thread (the synchronous stand-in hid the order bug)."""
from __future__ import annotations

from pathlib import Path

from models import store
from tests.ui.test_live_refresh import other_desk


def _real_window(make_window, settings, db_path: Path, staff: int, qtbot):  # noqa: ANN001, ANN202
    settings.setValue(f"desk/staff/{db_path}", staff)
    window = make_window(sync=False)
    qtbot.waitUntil(lambda: window.session.watcher.session is not None, timeout=5000)
    return window


def test_a_colleague_already_on_the_client_is_shown_when_you_open_it(make_window, seeded, settings, db_path,
                                                                     qtbot) -> None:
    """Stumble 2: 'also on this client' was worked out before the new client loaded (the one open before)."""
    desk = other_desk(db_path, seeded["ben"], seeded["oliver"], "sit")
    try:
        assert desk.stdout is not None and desk.stdout.readline().strip() == "SITTING"
        window = _real_window(make_window, settings, db_path, seeded["anna"], qtbot)
        qtbot.waitUntil(lambda: bool(window.session.watcher.online), timeout=5000)  # Ben is online, elsewhere
        window.open_client(seeded["isla"])
        qtbot.waitUntil(lambda: window.client_view.client is not None and
                        window.client_view.client.id == seeded["isla"], timeout=5000)
        assert not window.client_view.header.also_here.isVisible()
        window.open_client(seeded["oliver"])  # Ben has Oliver open already: no presence change will come
        qtbot.waitUntil(lambda: window.client_view.header.also_here.text().endswith(
            "Ben Okafor is also on this client"), timeout=5000)
        window.open_client(seeded["isla"])
        qtbot.waitUntil(lambda: window.client_view.client.id == seeded["isla"], timeout=5000)
        assert not window.client_view.header.also_here.isVisible()  # never the previous client's colleague
    finally:
        desk.communicate("", timeout=30)


def test_a_desk_that_crashed_on_this_computer_is_not_online_and_is_replaced(seeded, db_path) -> None:
    """Stumble 3: a crashed desk stayed online for minutes (listed twice, blocking restores; 'also on' itself)."""
    from models import tables as t
    from models.store.backup import other_live_desks

    desk = other_desk(db_path, seeded["anna"], seeded["oliver"], "crash")
    assert desk.wait(timeout=30) == 0
    store.open(db_path)
    try:
        assert store.online() == []  # its process is gone: not online, not "also on this client"
        assert other_live_desks(t.database.obj) == []  # and it blocks no restore
        session = store.start_session(seeded["anna"], app_version="test")  # the desk starts again
        assert [p.session_id for p in store.online()] == [session]
        store.end_session(session)
    finally:
        store.close()
