"""After the office's country changes, at this desk or another, the desk brings the entries' search words up to date
by itself (ui/search_upkeep.py): a phone number in an old note is found, however written, within seconds."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from models import store
from tests.ui.test_live_refresh import other_desk


def _old_note(db_path: Path, seeded: dict[str, int]) -> int:
    store.open(db_path)
    try:
        return store.add_note(seeded["oliver"], by=seeded["anna"], text="Her cell: 1 (202) 555-0143").id
    finally:
        store.close()


def test_a_country_changed_at_another_desk_is_caught_up_here_within_seconds(qtbot, make_window, seeded,
                                                                           settings: QSettings, db_path: Path) -> None:
    note = _old_note(db_path, seeded)
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    qtbot.waitUntil(lambda: window.session.watcher.session is not None, timeout=3000)
    assert store.search("2025550143") == ()  # no country yet: the leading 1 is not known to be the country's
    desk = other_desk(db_path, seeded["anna"], seeded["oliver"], "country", "US")  # an administrator elsewhere
    assert desk.wait(timeout=30) == 0  # that desk closes at once: the catch-up is this desk's to do
    qtbot.waitUntil(lambda: [h.entry_id for h in store.search("2025550143")] == [note], timeout=6000)
    assert [h.entry_id for h in store.search("+1 202-555-0143")] == [note]


def test_a_catch_up_left_half_done_is_finished_by_the_next_desk_that_starts(qtbot, make_window, seeded,
                                                                            settings: QSettings, db_path: Path) -> None:
    note = _old_note(db_path, seeded)
    store.open(db_path)
    store.update_office_settings(version=store.office_settings().version, by=seeded["anna"], country="US")
    store.close()  # the desk that changed it closed before catching up
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window(sync=False)  # the real database thread: the job's steps run between the desk's reads
    qtbot.waitUntil(lambda: window.client_list.model.total == 2, timeout=10_000)
    upkeep = window.session.search_upkeep
    qtbot.waitUntil(lambda: upkeep.job is not None and upkeep.job.finished, timeout=10_000)
    hits = window.ctx.tasks.on_thread(lambda: store.search("2025550143"))
    assert [h.entry_id for h in hits] == [note]


def test_a_filter_typed_in_the_client_list_asks_again_when_the_country_changes(qtbot, make_window, seeded,
                                                                              settings: QSettings,
                                                                              db_path: Path) -> None:
    store.open(db_path)
    try:
        dana = store.add_client(name="Dana Brooks", by=seeded["anna"], phone="1 (202) 555-0143").id
    finally:
        store.close()
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    panel = window.client_list
    qtbot.waitUntil(lambda: panel.model.total == 3, timeout=10_000)
    panel.search.setText("2025550143")  # read without a country, the leading 1 is not known to be the country's
    qtbot.waitUntil(lambda: panel.model.filtering and not panel.model.shown, timeout=5000)
    qtbot.waitUntil(lambda: window.session.watcher.session is not None, timeout=3000)
    desk = other_desk(db_path, seeded["anna"], seeded["oliver"], "country", "US")  # an administrator elsewhere
    assert desk.wait(timeout=30) == 0
    qtbot.waitUntil(lambda: panel.shown_ids() == [dana], timeout=8000)  # without retyping
