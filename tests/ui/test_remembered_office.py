"""A desk that remembers an office never silently starts a new, empty one where it used to be: it says the
file is gone and offers to choose (issue 12). Asking for a new file still creates one."""
from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings

from models import store
from ui.main_window import MainWindow
from ui.tasks import SyncTasks


def _window(qtbot, settings: QSettings) -> MainWindow:  # noqa: ANN001
    window = MainWindow(tasks_factory=lambda events: SyncTasks(events), settings=settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_remembered_office_gone_is_said_and_not_created_again(qtbot, settings: QSettings,  # noqa: ANN001
                                                                  tmp_path: Path) -> None:
    missing = tmp_path / "share" / "office.db"
    missing.parent.mkdir()
    window = _window(qtbot, settings)
    try:
        window.start(str(missing), create=False)
        assert window.opening.text.text().startswith(f"The office file is no longer at {missing}")
        assert window.opening.choose_button.isVisibleTo(window) and window.session.office is None
        window.opening.retry_button.click()  # "Try again" does not create it either
        assert not missing.exists()
        window.start(str(missing))  # --db, or File > Office database > a new file: asked for, so created
        office = window.session.office
        assert office is not None and office.created and missing.exists()
    finally:
        if shiboken6.isValid(window):
            window.close()
        store.close()
