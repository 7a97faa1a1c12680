"""Walking-skeleton budgets, as ratios against a baseline measured in the same run (DESIGN.md, Performance)."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models import store
from models import tables as t
from models.generate import BigOffice
from models.store.clients import client_rows_query
from tests.perf.bench import ROOT, interleaved_medians, report

pytestmark = pytest.mark.perf


def test_the_first_timeline_page_costs_the_same_for_50_or_50000_entries(opened: BigOffice) -> None:
    busy, quiet = opened.busy_client, opened.quiet_client
    assert opened.busy_entries == 50_000 and opened.quiet_entries == 50
    assert len(store.timeline(busy, limit=50)) == 50 and len(store.timeline(quiet, limit=50)) == 50
    busy_ms, quiet_ms = interleaved_medians(lambda: store.timeline(busy, limit=50),
                                            lambda: store.timeline(quiet, limit=50), runs=41)
    ratio = busy_ms / quiet_ms
    report(f"timeline first page: 50,000 entries {busy_ms:.2f} ms vs 50 entries {quiet_ms:.2f} ms "
           f"= {ratio:.2f}x (budget 1.2x)")
    assert ratio <= 1.2


def test_a_deep_timeline_page_costs_the_same_as_the_first(opened: BigOffice) -> None:
    busy = opened.busy_client
    cursor = None
    for _ in range(200):  # 10,000 entries deep
        cursor = store.timeline(busy, limit=50, before=cursor).before
    deep_ms, first_ms = interleaved_medians(lambda: store.timeline(busy, limit=50, before=cursor),
                                            lambda: store.timeline(busy, limit=50), runs=31)
    report(f"timeline page 200 vs page 1 (50,000-entry client): {deep_ms:.2f} ms vs {first_ms:.2f} ms "
           f"= {deep_ms / first_ms:.2f}x")
    assert deep_ms / first_ms <= 1.5


def test_the_client_list_costs_at_most_3x_the_raw_select(opened: BigOffice) -> None:
    sql, params = client_rows_query().sql()
    db = t.database.obj

    def raw() -> list:
        return db.execute_sql(sql, params).fetchall()

    assert len(raw()) == opened.clients == len(store.list_clients())
    list_ms, raw_ms = interleaved_medians(lambda: store.list_clients(), raw, runs=21)
    ratio = list_ms / raw_ms
    report(f"client list, {opened.clients:,} clients: store.list_clients {list_ms:.1f} ms vs raw SELECT "
           f"{raw_ms:.1f} ms = {ratio:.2f}x (budget 3x)")
    assert ratio <= 3.0


EMPTY_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 780); w.show()
app.processEvents()
print("READY", flush=True)
"""

# The floor of any list window in this stack: a table over a Python model with 300 rows and a search box,
# no database, no store, no menus. What Rapport adds on top of this is what start-up work can still cut.
BARE_TABLE_WINDOW = """
import sys
from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget
class Rows(QAbstractTableModel):
    def rowCount(self, parent=None): return 300
    def columnCount(self, parent=None): return 6
    def data(self, index, role=0):
        return f"Client {index.row()}" if role == 0 else None
    def headerData(self, section, orientation, role=0):
        return str(section) if role == 0 and orientation == Qt.Orientation.Horizontal else None
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 780)
page = QWidget(); layout = QVBoxLayout(page); layout.addWidget(QLineEdit(placeholderText="Find a client"))
table = QTableView(); rows = Rows(); table.setModel(rows); layout.addWidget(table); w.setCentralWidget(page)
w.show()
app.processEvents()
print("READY", flush=True)
"""


# Starts of each, interleaved; the medians are compared. 7 gave medians that moved by +-4% between runs on a 2-core
# machine (one slow start in three was enough); 15 keep them within about +-2%, for ~4 s more.
STARTS = 15


def _peak_kib(pid: int) -> int:
    """The process's peak resident memory so far (Linux VmHWM, KiB); 0 where /proc does not say."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _until_ready(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Milliseconds from starting the process to its "READY" line (the first rows painted), and its peak memory
    by then (KiB)."""
    started = time.perf_counter()
    with subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == "READY":
                elapsed = (time.perf_counter() - started) * 1000
                peak = _peak_kib(proc.pid)
                break
        else:
            raise AssertionError(f"{args[1]} ended without becoming ready")
        proc.kill()
    return elapsed, peak


def test_start_up_to_the_first_painted_rows(big_office: tuple[Path, BigOffice], tmp_path: Path) -> None:
    """Budget: 1.2x the stack's floor (a bare table window after `import peewee`) to the first painted rows, and
    1.25x that window's peak memory; both measured in this run and printed (issue 10). Guarded at 2x and 1.6x."""
    import os
    path, office = big_office
    # A desk-sized virtual screen, so that Rapport's first window is as big as the baseline's (1280 x 780):
    # on the default 800 x 600 one it would shrink to fit and paint less.
    screen = tmp_path / "screen.json"
    screen.write_text('{"screens": [{"name": "desk", "x": 0, "y": 0, "width": 1366, "height": 830, '
                      '"logicalDpi": 96, "logicalBpi": 96, "dpr": 1}]}')
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen}", RAPPORT_DATA_DIR=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"))  # no window arrangement remembered from another run
    app = [sys.executable, "main.py", "--db", str(path), "--staff", "Staff 1", "--exit-when-ready"]
    empty = [sys.executable, "-c", EMPTY_WINDOW]
    # The floor: the bare table window with the mandated ORM imported first (psycopg deferred, as main.py does).
    floor = [sys.executable, "-c", "from models.drivers import defer_postgres_driver; defer_postgres_driver(); "
             "import peewee\n" + BARE_TABLE_WINDOW]
    # An installed Rapport starts from compiled bytecode, as PySide6 does (pip compiled it). Where
    # PYTHONDONTWRITEBYTECODE is set (CI), it would recompile every module on every start instead.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "main.py", "models", "ui"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    commands = {"app": app, "empty": empty, "floor": floor}
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    for command in commands.values():
        _until_ready(command, env)  # warm the file cache
    for _ in range(STARTS):
        for name, command in commands.items():
            elapsed, peak = _until_ready(command, env)
            times[name].append(elapsed)
            peaks[name].append(peak)
    a, e, f = (statistics.median(times[name]) for name in ("app", "empty", "floor"))
    am, fm = (statistics.median(peaks[name]) / 1024 for name in ("app", "floor"))
    report(f"start-up to the first painted rows with {office.clients:,} clients: {a:.0f} ms vs the floor (a bare "
           f"300-row table window after `import peewee`) {f:.0f} ms = {a / f:.2f}x (budget 1.2x); an empty "
           f"PySide6 window {e:.0f} ms, the floor is {f / e:.2f}x of it")
    if fm:
        report(f"peak memory at start: {am:.1f} MiB vs the floor window's {fm:.1f} MiB = {am / fm:.2f}x (budget 1.25x)")
        assert am / fm <= 1.6  # a regression guard: a chart or import library loaded at start
    assert a / f <= 2.0  # a regression guard: psycopg imported at start-up again would be ~3x
