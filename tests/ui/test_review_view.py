"""Office > Review on the demo office: the sections fill in, every number opens what it counts, PDF and CSV."""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl

from models import store
from models.demo import seed_demo
from models.store import Share
from ui.context import AppContext
from ui.events import Events
from ui.tasks import SyncTasks
from ui.views.review import EventsDialog, Link, ReviewView, period_bounds
from ui.views.timeline import card_for

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "office.db"
    store.open(path)
    try:
        seed_demo(NOW)
    finally:
        store.close()
    return path


@pytest.fixture
def view(qtbot, demo_file: Path, tmp_path: Path) -> Iterator[ReviewView]:
    store.open(demo_file)
    store.set_clock(lambda: NOW)
    events = Events()
    ctx = AppContext(SyncTasks(events), events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    widget = ReviewView(ctx)
    qtbot.addWidget(widget)
    widget.period.setCurrentText("Last 30 days")
    yield widget
    store.set_clock(None)
    store.close()


def test_the_review_shows_the_demo_pattern_and_every_number_opens_its_events(view: ReviewView, qtbot) -> None:
    review = view.review
    assert review is not None and view.previous is not None and len(view.trend) == 12
    text = view.attention.toPlainText()
    assert "Billing:" in text and "went wrong" in text  # the billing touch point that goes wrong
    assert "Ben Okafor kept" in text  # the colleague whose call-backs come late
    assert view.channel_model.rowCount() >= 5 and view.topic_model.rowCount() >= 5
    row = next(n for n, r in enumerate(view.topic_model.rows) if r[0] == "Billing")
    column = 1 + view.topic_model.figures.index("went_wrong")
    link = view.topic_model.link(row, column)
    assert link == Link("went_wrong", ("topic", "Billing"))
    view.show_link(link)
    dialog = view.events_dialog
    assert isinstance(dialog, EventsDialog)
    share: Share = review.by_topic["Billing"].went_wrong
    assert dialog.table.rowCount() == share.count > 0
    opened: list[tuple[int, str, int]] = []
    view.ctx.events.entry_requested.connect(lambda c, k, i: opened.append((c, k, i)))
    dialog.open_current()
    assert opened and opened[0][1] == "interaction"
    # a number in the text is a link too
    view._on_anchor_clicked(QUrl(Link("failures", ("office", None)).url()))
    assert view.events_dialog.table.rowCount() == review.office.failures


def test_pdf_and_csv(view: ReviewView, tmp_path: Path) -> None:
    pdf = tmp_path / "review.pdf"
    assert view.save_pdf(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000  # charts are images in it
    from ui.views.review import PDF_MARGIN_MM, pdf_writer

    doc = view.document_for(pdf_writer(str(tmp_path / "layout.pdf")))
    width_mm = 210 - 2 * PDF_MARGIN_MM
    assert doc.pageSize().width() == pytest.approx(width_mm / 25.4 * 96, abs=1)  # the same on every screen
    assert doc.pageCount() <= 7  # the trend's 12 small charts two a row (one a row took 9 pages)
    if shutil.which("pdftotext"):  # each page says its number (print_ numbers pages only when it lays them out)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = text.split("\f")[:-1]
        assert len(pages) == doc.pageCount()
        assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
        assert "Needs attention" in pages[0]
    target = tmp_path / "channels.csv"
    assert view.save_csv(str(target), view.channel_model.csv_rows)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Touch point,Interactions") and len(lines) == view.channel_model.rowCount() + 1
    bands = tmp_path / "bands.csv"
    assert view.save_csv(str(bands), view._band_rows)
    moves = view.review.band_moves
    rows = [line.split(",") for line in bands.read_text(encoding="utf-8-sig").splitlines()]
    assert rows[1] == ["Green", *(str(moves.moves["Green", end]) for end in ("Green", "Amber", "Red")),
                       str(moves.at_since["Green"])]
    assert rows[4][:4] == ["At the end", *(str(moves.at_until[end]) for end in ("Green", "Amber", "Red"))]
    assert "Clients by band..." in [a.text() for a in view.csv_menu.actions()]
    assert not view.save_csv(str(tmp_path / "missing" / "x.csv"), view.channel_model.csv_rows)
    assert "could not be saved" in view.error.text()


def test_periods() -> None:
    today = datetime(2026, 11, 25).date()  # a Wednesday
    since, until = period_bounds("Last week", today)
    assert (since.date().isoformat(), until.date().isoformat()) == ("2026-11-16", "2026-11-23")
    since, until = period_bounds("This quarter", today)
    assert (since.date().isoformat(), until.date().isoformat()) == ("2026-10-01", "2027-01-01")
    since, until = period_bounds("Custom", today, today, today.replace(day=20))
    assert (since.date().isoformat(), until.date().isoformat()) == ("2026-11-20", "2026-11-26")


def test_the_charts_library_loads_only_with_the_review() -> None:
    """A fresh process that imports the whole window has not paid for pyqtgraph (start-up budget)."""
    import subprocess

    code = "import ui.main_window, sys; print('pyqtgraph' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).parents[2])})
    assert out.stdout.strip() == "False"


def test_a_topic_is_picked_from_the_keyboard_in_the_log_form_and_shown_on_the_timeline(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["isla"])
    form = ready.client_view.composer.interaction
    assert [form.topic.itemText(n) for n in range(form.topic.count())][:3] == ["No topic", "Enquiry", "Quote"]
    qtbot.keyClick(form, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert form.topic.hasFocus()
    qtbot.keyClicks(form.topic, "Bi")  # the first letters choose it
    assert form.topic.currentText() == "Billing"
    form.summary.setText("Asked about the March invoice")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    entry = store.timeline(seeded["isla"]).entries[0]
    assert entry.topic == "Billing"
    assert form.topic.currentText() == "No topic"  # the next one starts without
    assert "· Billing ·" in repr(card_for(entry, store.utcnow()))  # "Today, 9:05 am · Phone · Billing · Anna ..."


def test_office_review_opens_from_the_menu_and_an_administrator_is_told_once(ready, qtbot, seeded) -> None:
    ready.review_action.trigger()
    assert isinstance(ready.review_view, ReviewView) and ready.review_view.isVisible()
    assert ready.review_action.shortcut().toString() == "Ctrl+Shift+R"
    monday = _next_review_day()
    store.set_clock(lambda: monday)
    ready.session.nudge_review()
    assert ready.notice_banner.text.text() == "This week's review is ready: Office > Review (Ctrl+Shift+R)."
    assert store.review_nudge(seeded["anna"]) is False  # told once: not again, at this desk or another


def _next_review_day() -> datetime:
    local = datetime.now(UTC).astimezone()
    return local + timedelta(days=(7 - local.weekday()) % 7 or 7)


def test_with_the_real_database_thread_the_window_keeps_answering_while_the_review_counts(
        qtbot, demo_file: Path, tmp_path: Path) -> None:
    from ui.tasks import Tasks

    store.open(demo_file)
    events = Events()
    tasks = Tasks(events)
    try:
        tasks.run(lambda: store.open(demo_file))  # the database thread's own connection
        ctx = AppContext(tasks, events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        widget = ReviewView(ctx)
        qtbot.addWidget(widget)
        assert widget.review is None  # the constructor returned before anything was counted
        assert widget.progress_text.text() == "Counting the figures..."  # said at once; counted on the thread
        qtbot.waitUntil(lambda: len(widget.trend) == 12, timeout=60_000)
        assert widget.review is not None and widget.previous is not None
        assert widget.progress_text.text() == ""
    finally:
        tasks.run(store.close)
        tasks.shutdown()
        store.close()
