"""UI tests drive real widgets offscreen; store calls run inline (SyncTasks) unless a test wants the real thread."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings

from models import store
from ui.context import AppContext
from ui.events import Events
from ui.main_window import MainWindow
from ui.tasks import SyncTasks


@pytest.fixture(autouse=True)
def _maintenance_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's start-up backup and health check run 15 s after start; in tests, at once."""
    import ui.session

    monkeypatch.setattr(ui.session, "MAINTENANCE_DELAY_MS", 0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.db"


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings: QSettings, db_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """Build a main window on `db_path` with synchronous tasks; closes them all at the end."""
    windows: list[MainWindow] = []

    def make(*, sync: bool = True, path: Path | None = None, first_rows: int = 0) -> MainWindow:
        """`first_rows` (with the real thread): a first look at the office first, as the app does (main.py)."""
        factory = (lambda events: SyncTasks(events)) if sync else None
        window = MainWindow(tasks_factory=factory, settings=settings)
        qtbot.addWidget(window)
        window.show()
        window.start(str(path or db_path), first_rows=first_rows)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if shiboken6.isValid(window):  # a test may have closed and deleted it already
            window.close()
    store.set_clock(None)
    store.close()


@pytest.fixture
def seeded(db_path: Path) -> dict[str, int]:
    """An office with two staff and two clients, written through the store, then closed."""
    store.open(db_path)
    anna = store.add_staff("Anna Keller").id
    ben = store.add_staff("Ben Okafor", by=anna).id
    oliver = store.add_client(name="Oliver Thompson", by=anna, organisation="Bayview Holdings",
                              phone="01632 960001").id
    isla = store.add_client(name="Isla Walsh", by=anna, email="isla@quayside.example").id
    store.close()
    return {"anna": anna, "ben": ben, "oliver": oliver, "isla": isla}


@pytest.fixture
def ready(make_window, seeded: dict[str, int], settings: QSettings, db_path: Path) -> MainWindow:
    """A window with Anna at the desk (remembered from last time, as on a real desk)."""
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    assert window.ctx.staff is not None and window.ctx.staff.name == "Anna Keller"
    return window


def shuffled_office(db_path: Path, count: int) -> tuple[list[str], int]:
    """An office with Anna Keller and `count` clients added in a shuffled order (the list's order is the name's, not
    the insertion's): their names in the list's order, and Anna's id."""
    import random

    names = [f"Client {n:02d}" for n in range(count)]
    store.open(db_path)
    anna = store.add_staff("Anna Keller").id
    for name in random.Random(10).sample(names, len(names)):
        store.add_client(name=name, by=anna)
    store.close()
    return names, anna


def events_of(window: MainWindow) -> Events:
    return window.ctx.events


def open_dialog(parent, cls):  # noqa: ANN001, ANN201
    """The dialog of class `cls` open over `parent` (the newest one; closed dialogs are deleted)."""
    shown = [d for d in parent.findChildren(cls) if shiboken6.isValid(d) and d.isVisible()]
    assert shown, f"no {cls.__name__} is open"
    return shown[-1]


@pytest.fixture
def admin_desk(tmp_path: Path) -> Iterator[AppContext]:
    """An office with an administrator at the desk, no window; store calls run inline."""
    store.open(tmp_path / "office.db")
    anna = store.add_staff("Anna Keller", role="admin").id
    events = Events()
    ctx = AppContext(SyncTasks(events), events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     staff=store.get_staff(anna), team=store.list_staff())
    yield ctx
    store.close()
