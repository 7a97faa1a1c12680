"""A shared database locked at another desk: a calm banner, the text kept, and the save goes through after."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models import store
from models.store import NoteEntry

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("LOCKED", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@pytest.mark.slow
def test_a_note_saved_while_another_desk_holds_the_lock(make_window, seeded, settings, db_path: Path,
                                                      qtbot) -> None:
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window(sync=False)  # the real database thread: the GUI stays responsive meanwhile
    qtbot.waitUntil(lambda: window.ctx.staff is not None and window.client_list.model.rowCount() == 2,
                    timeout=10_000)
    window.open_client(seeded["oliver"])
    qtbot.waitUntil(lambda: window.client_view.client is not None, timeout=10_000)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path), "7"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
        note = window.client_view.composer.note
        qtbot.keyClicks(note.text, "Saved despite the lock")
        qtbot.keyClick(note.text, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.busy_banner.isVisible(), timeout=9000)
        assert window.busy_banner.text.text() == ("The shared database is busy at another desk. Rapport keeps trying; "
                                                  "what you typed is kept.")
        assert note.text.toPlainText() == "Saved despite the lock"  # kept while waiting
        model = window.client_view.timeline.timeline_model
        qtbot.waitUntil(lambda: bool(model.entries) and isinstance(model.entries[0], NoteEntry), timeout=30_000)
        assert model.entries[0].text == "Saved despite the lock"
        qtbot.waitUntil(lambda: not window.busy_banner.isVisible(), timeout=5000)
        assert note.text.toPlainText() == ""
    finally:
        holder.wait(timeout=30)
    store.close()
