"""main.py, the composition root: arguments, where the database is, the log file, and a real launch."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main
from models import store
from tests.conftest import ROOT


def test_db_names_a_file_or_a_postgresql_url(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main.database_location(main.parse_args(["--db", "office.db"])) == str(tmp_path / "office.db")
    url = "postgresql://desk@server/rapport"
    assert main.database_location(main.parse_args(["--db", url])) == url


def test_demo_gets_a_fresh_throw_away_file_each_time() -> None:
    first = Path(main.database_location(main.parse_args(["--demo"])))
    second = Path(main.database_location(main.parse_args(["--demo"])))
    assert first != second and first.name == "demo.db" and first.parent.is_dir() and not first.exists()


def test_without_arguments_the_database_is_in_the_data_folder(_own_data_folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(main, "remembered_location", lambda: "")
    assert main.database_location(main.parse_args([])) == str(_own_data_folder / "rapport.db")


USUAL_STARTS = [[], ["--demo"], ["--db", "office.db"], ["--db=office.db", "--staff", "Anna Keller"],
                ["--db", "postgresql://desk@server/rapport", "--allow-cloud-folder", "--exit-when-ready"],
                ["--staff=Ben", "--staff", "Anna"], ["--db="], ["--db", "a b.db", "--demo", "--demo"]]


def test_a_usual_start_reads_its_arguments_as_argparse_does_without_importing_it() -> None:
    """argparse is built (from the same OPTIONS) only for what the quick reading leaves to it (start-up budget)."""
    for argv in USUAL_STARTS:
        quick = main._read_usual_args(argv)
        assert quick is not None and vars(quick) == vars(main._parser().parse_args(argv)), argv
        assert vars(main.parse_args(argv)) == vars(quick)
    code = "import sys, main; main.parse_args(['--db', 'x.db', '--staff', 'Anna']); print('argparse' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_anything_else_on_the_command_line_is_answered_by_argparse(capsys) -> None:
    for argv in (["--db"], ["--db", "--demo"], ["--demo=yes"], ["--dem"], ["--nonsense"], ["office.db"], ["-h"],
                 ["--version"], ["--staff", "-x"]):
        assert main._read_usual_args(argv) is None, argv
    assert main.parse_args(["--dem"]).demo is True  # argparse's abbreviations still work
    for argv, words in ((["--help"], "the office database"), (["--version"], "Rapport"), (["--db"], "expected")):
        with pytest.raises(SystemExit):
            main.parse_args(argv)
        shown = capsys.readouterr()
        assert words in shown.out + shown.err, argv


def test_a_big_log_is_put_aside_when_the_desk_starts(tmp_path: Path) -> None:
    log = tmp_path / "rapport.log"
    for name, text in (("rapport.log", "now" * 400), ("rapport.log.1", "one"), ("rapport.log.2", "two"),
                       ("rapport.log.3", "three")):
        (tmp_path / name).write_text(text)
    main.rotate_log(log, max_bytes=1000, keep=3)
    assert not log.exists()
    assert [(tmp_path / f"rapport.log.{n}").read_text() for n in (1, 2, 3)] == ["now" * 400, "one", "two"]


def test_a_small_or_missing_log_is_left_alone(tmp_path: Path) -> None:
    log = tmp_path / "rapport.log"
    main.rotate_log(log, max_bytes=1000)  # no log yet: nothing to do, no error
    log.write_text("a few lines")
    main.rotate_log(log, max_bytes=1000)
    assert log.read_text() == "a few lines" and not (tmp_path / "rapport.log.1").exists()


def test_the_app_starts_on_a_database_file_and_lists_its_clients(tmp_path: Path, _own_data_folder: Path) -> None:
    """The real launch, as the README's first command does it: a process, a window, the list on screen."""
    path = tmp_path / "office.db"
    store.open(path)
    try:
        anna = store.add_staff("Anna Keller").id
        store.add_client(name="Oliver Thompson", by=anna)
    finally:
        store.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RAPPORT_DATA_DIR=str(_own_data_folder))
    done = subprocess.run([sys.executable, "main.py", "--db", str(path), "--staff", "anna keller",
                           "--exit-when-ready"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["READY"]
    assert "Traceback" not in done.stderr
    assert (_own_data_folder / "logs" / "rapport.log").exists()  # technical details have a place to go


def _office(tmp_path: Path, clients: int) -> Path:
    """An office file with Anna Keller on the team and `clients` clients (Client 0, Client 1, ...)."""
    path = tmp_path / "office.db"
    store.open(path)
    try:
        anna = store.add_staff("Anna Keller").id
        for n in range(clients):
            store.add_client(name=f"Client {n}", by=anna)
    finally:
        store.close()
    return path


# What every watching script below starts with: the application, and how it finds Rapport's window once made.
WATCHING = """
import builtins, gc, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import main
from ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
def the_window():
    return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
"""


def _start(script: str, data_folder: Path, *args: str) -> list[str]:
    """Rapport started in its own process as main.py does, watched by `script`, with `args`; what it printed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RAPPORT_DATA_DIR=str(data_folder), PYTHONPATH=str(ROOT))
    program = WATCHING + script + "sys.exit(main.main(sys.argv[1:]))\n"
    done = subprocess.run([sys.executable, "-c", program, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_cycle_collector_is_held_while_starting_and_back_after() -> None:
    import gc

    resume = main.hold_garbage_collection()
    try:
        assert not gc.isenabled()
    finally:
        resume()
    try:
        assert gc.isenabled() and gc.get_freeze_count() > 0  # what start-up made is left out of later collections
        resume()  # a second time changes nothing
        assert gc.isenabled()
    finally:
        gc.unfreeze()


# Starts Rapport as main.py does, in a process, and says whether the collector is on once the list is painted
# (before that, whether it was off while the window was being built).
WATCH_THE_COLLECTOR = """
def check():
    window = the_window()
    if not window.client_list.model.rowCount():
        QTimer.singleShot(10, check)
        return
    QTimer.singleShot(50, lambda: (print("after the first rows:", gc.isenabled(), flush=True), app.quit()))
QTimer.singleShot(0, lambda: print("while starting:", gc.isenabled(), flush=True))
QTimer.singleShot(0, check)
"""


def test_a_real_start_collects_again_once_the_first_rows_are_painted(tmp_path: Path, _own_data_folder: Path) -> None:
    path = _office(tmp_path, 1)
    assert _start(WATCH_THE_COLLECTOR, _own_data_folder, "--db", str(path), "--staff", "Anna Keller") == [
        "while starting: False", "after the first rows: True"]


def test_pyside_is_told_which_modules_use_it_instead_of_reading_their_sources(monkeypatch) -> None:  # noqa: ANN001
    """PySide6 reads the source of each module imported after it unless its table already knows the module
    (about 6 ms of start-up): Rapport's modules and those loaded already are entered beforehand."""
    import PySide6.QtCore  # noqa: F401  (the table comes with PySide6)

    feature = sys.modules["shibokensupport.feature"]
    known = feature.pyside_feature_dict
    import importlib

    for name in ("ui.dialogs.help", "models.store.reviews", "ui.views.review"):  # as if not imported yet
        parent, _, child = name.rpartition(".")
        old = importlib.import_module(name)
        monkeypatch.delitem(known, name, raising=False)
        monkeypatch.delitem(sys.modules, name)
        monkeypatch.setattr(sys.modules[parent], child, old)  # put back after the test, as sys.modules is
    read: list[str] = []
    reading = feature._mod_uses_pyside
    monkeypatch.setattr(feature, "_mod_uses_pyside", lambda module: read.append(module.__name__) or reading(module))
    main.skip_pyside_source_scans()
    for name in ("ui.dialogs.help", "models.store.reviews", "ui.views.review"):
        module = __import__(name, fromlist=["_"])
        assert (known[name] == 0) is reading(module)  # what the reading would have said: these name PySide6 or not
    assert read == []  # and nothing was read while importing them
    assert known["logging"] == -1 and known["models.store.clients"] == -1 and known["ui.main_window"] == 0


# Starts Rapport as main.py does and says what the window painted first: the list with its rows, or the page that
# says "Opening the office database..." (a blink of it before the list, with two paints, was the old start).
WATCH_THE_FIRST_PAINT = """
painted = []
class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not painted:
            painted.append(watched.objectName())
            window = the_window()
            print("first paint:", painted[0], window.client_list.model.rowCount(), flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
def install():
    window = the_window()
    print("shown at once:", window.isVisible(), flush=True)
    window.opening.setObjectName("opening page")
    window.opening.installEventFilter(watch)
    window.client_list.table.viewport().setObjectName("list")
    window.client_list.table.viewport().installEventFilter(watch)
QTimer.singleShot(0, install)
"""


def test_the_window_shows_once_the_office_answered_with_its_rows(tmp_path: Path, _own_data_folder: Path) -> None:
    path = _office(tmp_path, 3)
    assert _start(WATCH_THE_FIRST_PAINT, _own_data_folder, "--db", str(path), "--staff", "Anna Keller") == [
        "shown at once: False", "first paint: list 3"]


def test_a_window_whose_office_cannot_open_shows_what_went_wrong(tmp_path: Path, _own_data_folder: Path) -> None:
    path = tmp_path / "no such folder" / "office.db"
    assert _start(WATCH_THE_FIRST_PAINT, _own_data_folder, "--db", str(path)) == [
        "shown at once: False", "first paint: opening page 0"]


# Starts Rapport with --exit-when-ready, as the start-up benchmark does, and says whether the list had been painted
# with its rows when READY was printed (a repaint() asked for as the rows arrived once painted nothing: the window
# was not exposed yet, and READY came early).
WATCH_READY = """
painted = []
class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            painted.append(self.panel.model.rowCount())
        return False
watch = Watch()
def install():
    window = the_window()
    watch.panel = window.client_list
    window.client_list.table.viewport().installEventFilter(watch)
QTimer.singleShot(0, install)
say = builtins.print
builtins.print = lambda *a, **k: say(*a, "after a paint of", painted[-1] if painted else None, "rows;",
                                     "the ORM loaded:", "peewee" in sys.modules, **k)
"""


def test_ready_is_said_once_the_first_rows_are_painted(tmp_path: Path, _own_data_folder: Path) -> None:
    """... painted from a first look at the office: the store and its ORM load right after (models/store/look.py)."""
    path = _office(tmp_path, 4)
    assert _start(WATCH_READY, _own_data_folder, "--db", str(path), "--staff", "Anna Keller", "--exit-when-ready") == [
        "READY after a paint of 4 rows; the ORM loaded: False"]
