"""Rapport's composition root: read the arguments, find the data folder, open the database, start the UI."""
from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from models import APP_VERSION as VERSION
from models import paths

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

POSTGRES_PREFIXES = ("postgresql://", "postgres://")
LOG_NAME = "rapport.log"
LOG_MAX_BYTES = 1_000_000  # a log this big is put aside when the desk starts
LOG_KEEP = 3  # old logs kept: rapport.log.1 (newest) to rapport.log.3
COLLECTION_HELD_AT_MOST_MS = 3000  # the cycle collector is back on by then even if no list is painted (an error page)
SHOWN_AT_THE_LATEST_MS = 200  # the window shows by then even if the office has not answered (its "Opening..." page)


# Loaded by the database thread once the first rows are painted (the store and its ORM) and not by PySide6 itself:
# entered in PySide's table too (skip_pyside_source_scans), or it reads peewee's 8,000 lines as the list's rest loads.
LOADED_AFTER_THE_FIRST_PAINT = ("peewee", "decimal", "uuid", "json", "json.decoder", "json.encoder", "json.scanner",
                                "hashlib", "socket", "selectors", "platform", "calendar", "locale", "numbers", "copy")


# The command line: (option, its value's name or None for a switch, help). A usual start (--db, --staff, ...)
# is read directly; argparse (about 3 ms of start-up) is built from this table only for what that reading does not
# understand: --help, --version, an abbreviation, a mistake to explain.
OPTIONS: tuple[tuple[str, str | None, str | None], ...] = (
    ("--db", "PATH_OR_URL", "the office database: a file (created if missing) or postgresql://user@host/name"),
    ("--demo", None, "open a fresh throw-away database filled with a believable small office"),
    ("--allow-cloud-folder", None, "use a database inside a cloud-sync folder anyway (not recommended)"),
    ("--staff", "NAME", "start with this team member at the desk (a desk shortcut for one person)"),
    ("--exit-when-ready", None, None),  # the start-up benchmark (tests/perf): READY once the first rows are painted
)


def parse_args(argv: list[str] | None = None) -> SimpleNamespace:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _read_usual_args(argv)
    return args if args is not None else _parser().parse_args(argv, namespace=SimpleNamespace())


def _read_usual_args(argv: list[str]) -> SimpleNamespace | None:
    """The options of OPTIONS as argparse would read them, or None for anything else (argparse answers it)."""
    values: dict[str, object] = {option[2:].replace("-", "_"): None if value else False
                                 for option, value, _help in OPTIONS}
    takes_value = {option: value is not None for option, value, _help in OPTIONS}
    words = iter(argv)
    for word in words:
        option, equals, value = word.partition("=")
        if option not in takes_value or (equals and not takes_value[option]):
            return None
        if takes_value[option] and not equals:
            value = next(words, "")
            if not value or value.startswith("-"):
                return None
        values[option[2:].replace("-", "_")] = value if takes_value[option] else True
    return SimpleNamespace(**values)


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog="rapport", description="Rapport: client timelines and promises kept.")
    for option, value, text in OPTIONS:
        if value is None:
            parser.add_argument(option, action="store_true", help=argparse.SUPPRESS if text is None else text)
        else:
            parser.add_argument(option, metavar=value, help=text)
    parser.add_argument("--version", action="version", version=f"Rapport {VERSION}")
    return parser


def database_location(args: SimpleNamespace) -> str:
    """Where the database is: --demo makes a throw-away file, --db names one, else the data folder's."""
    if args.demo:
        import tempfile

        return str(Path(tempfile.mkdtemp(prefix="rapport-demo-")) / "demo.db")
    if args.db:
        return args.db if args.db.startswith(POSTGRES_PREFIXES) else str(Path(args.db).expanduser().resolve())
    remembered = remembered_location()
    if remembered:
        return remembered
    paths.private_dir(paths.data_dir())
    return str(paths.default_database())


def remembered_location() -> str:
    """The database chosen last time in File > Office database (QSettings), if any."""
    from ui import settings as desk

    return desk.remembered_location(desk.desk_settings())


def remembered_cloud_override() -> bool:
    """Whether the person chose, in File > Office database, to use the remembered file in a cloud folder."""
    from ui import settings as desk

    return desk.flag(desk.desk_settings(), desk.DATABASE_ALLOW_CLOUD, False)


def rotate_log(path: Path, max_bytes: int = LOG_MAX_BYTES, keep: int = LOG_KEEP) -> None:
    """Put a big log aside: rapport.log becomes rapport.log.1, .1 becomes .2, and so on; the oldest goes.

    Done once as the desk starts (a session logs a few lines), which keeps logging.handlers and the
    socket and pickle modules it imports out of start-up.
    """
    try:
        if path.stat().st_size < max_bytes:
            return
    except FileNotFoundError:
        return
    for number in range(keep - 1, 0, -1):
        older = path.with_name(f"{path.name}.{number}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{number + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


def setup_logging() -> None:
    """Technical details go to a log file in the data folder, never in front of the receptionist."""
    try:
        folder = paths.private_dir(paths.logs_dir())
        rotate_log(folder / LOG_NAME)
        handler: logging.Handler = logging.FileHandler(folder / LOG_NAME, encoding="utf-8")
        paths.private_file(folder / LOG_NAME)
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def hold_garbage_collection() -> Callable[[], None]:
    """Turn Python's cycle collector off while the desk starts; the function returned turns it back on (once).

    Starting makes some 36,000 long-lived objects (modules, classes, Qt's enums) and almost no garbage (about 600
    objects in cycles), yet the collector ran 75 times over them: 7-8 ms of start-up (issue 10). Turned back on,
    the objects made so far are frozen (gc.freeze): later collections skip them, and the few cycles among them
    stay in memory.
    """
    gc.disable()

    def resume() -> None:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
    return resume


def skip_pyside_source_scans() -> None:
    """Spare start-up PySide6's reading of module sources (about 7 ms, issue 10).

    After PySide6 is imported, every import statement naming a module it has not seen makes it read that
    module's whole source (inspect.getsource) to see whether it says "PySide6": the answer (0: it does, -1: it
    does not) only decides whether the module takes part in PySide's `__feature__` switching (snake_case names,
    true properties), which Rapport never turns on. Rapport's own modules and those loaded already are entered in
    PySide's table beforehand: ui's as users of PySide6, the others not (a ui package's __init__ that does not
    name PySide6 would be read as -1: with no feature on, either answer switches nothing). Without that table
    (another PySide6 version), nothing changes.
    """
    known = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if not isinstance(known, dict):
        return
    names = list(sys.modules) + list(LOADED_AFTER_THE_FIRST_PAINT)
    folders = [(os.path.join(os.path.dirname(os.path.abspath(__file__)), package), package)
               for package in ("ui", "models")]
    while folders:  # (os.scandir and strings: os.walk and Path took 0.8 ms of start-up for these 150 files)
        folder, dotted = folders.pop()
        for entry in os.scandir(folder):
            if entry.name.endswith(".py"):
                names.append(dotted if entry.name == "__init__.py" else f"{dotted}.{entry.name[:-3]}")
            elif entry.name.isidentifier() and entry.name != "__pycache__" and entry.is_dir():
                folders.append((entry.path, f"{dotted}.{entry.name}"))
    for name in names:
        known.setdefault(name, 0 if name.split(".")[0] in ("ui", "PySide6", "__main__") else -1)


def say_ready_once_painted(app: QApplication, window: MainWindow) -> None:
    """--exit-when-ready (the start-up benchmark, tests/perf): print READY and quit once the list's first rows
    are painted, as the floor's window is painted before it says READY.

    A window's paint goes from the window down its children in order: the list (in the central widget) is
    painted before the status bar, so the status bar's first paint with rows in the list comes right after the
    rows are painted. (A repaint() asked for in `loaded` painted nothing when the window had only just been
    shown; a timer after the window's paint ran the after-start work first.)"""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                print("READY", flush=True)
                app.quit()
            return False

    # Watched from the moment the list's first rows (none, in an empty office) are in its model: a filter on the
    # status bar from the start made each of its events before that a call into Python with its event's wrapper,
    # about 2 ms of start-up that the floor, watched by nobody, does not pay.
    first_paint = FirstPaint(window)
    window.client_list.loaded.connect(lambda: window.statusBar().installEventFilter(first_paint))
    QTimer.singleShot(60_000, app.quit)  # never painted: end without READY (the benchmark then says so)


def preload_store() -> None:
    """The store's light part before Qt (PySide6 hooks every later import; see skip_pyside_source_scans), and the
    first look at the office. The store itself, with the ORM, loads on the database thread once the first rows are
    painted (models/store/look.py, issue 10)."""
    import concurrent.futures.thread  # noqa: F401  (the database thread)
    import sqlite3  # noqa: F401

    import models.store.look  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    resume_collection = hold_garbage_collection()
    try:
        return _run(parse_args(argv), resume_collection)
    finally:
        resume_collection()


def _run(args: SimpleNamespace, resume_collection: Callable[[], None]) -> int:
    setup_logging()
    location = database_location(args)
    if not location.startswith(POSTGRES_PREFIXES):
        from models.drivers import defer_postgres_driver
        defer_postgres_driver()  # a SQLite desk starts a quarter second sooner (models/drivers.py)
    preload_store()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    skip_pyside_source_scans()
    from ui.app import QT_ARGUMENTS, apply_style
    from ui.main_window import MainWindow
    from ui.views.client_list import FIRST_ROWS

    existing = QApplication.instance()
    app = existing or QApplication(sys.argv[:1] + QT_ARGUMENTS)
    app.setApplicationName("Rapport")
    app.setOrganizationName("Rapport")
    app.setApplicationVersion(VERSION)
    apply_style(app, made_with_style=existing is None)
    window = MainWindow()
    # The window shows once the office has answered, with its list (or the name prompt, or what went wrong) in
    # the first paint: no "Opening the office database..." for a blink, and one paint instead of two.
    def reveal(*_: object) -> None:
        if not window.isVisible():
            window.show()
    window.ctx.events.team_changed.connect(reveal)  # the team is read just after the list's first rows
    window.session.open_failed.connect(reveal)
    QTimer.singleShot(SHOWN_AT_THE_LATEST_MS, reveal)  # a slow office: its "Opening..." page meanwhile
    # the collector is back once the first rows are painted (the next turn of the event loop), or at the latest
    window.client_list.loaded.connect(lambda: QTimer.singleShot(0, resume_collection))
    QTimer.singleShot(COLLECTION_HELD_AT_MOST_MS, resume_collection)
    if args.exit_when_ready:
        say_ready_once_painted(app, window)
    remembered = not (args.demo or args.db) and location == remembered_location()
    allow_cloud = args.allow_cloud_folder or (location == remembered_location() and remembered_cloud_override())
    # A remembered office that is gone is not silently started again, empty, where it was: the window asks.
    window.start(location, demo=args.demo, allow_cloud=allow_cloud, staff=args.staff, create=not remembered,
                 first_rows=FIRST_ROWS)  # the list's first rows from a first look at the office, before the store
    code = app.exec()
    window.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
