"""The Today view as a receptionist reads it: the promise legible at the usual width, each promise once, the same
counts as the start-of-day notice, headings that are not rows, readable colours, and badges that come back."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QStyle

from models import store
from ui.context import AppContext
from ui.events import Events
from ui.main_window import MainWindow
from ui.notify import summary_text
from ui.tasks import SyncTasks
from ui.views.today import PromiseTableModel, TodayView, keep_together

# Monday 23 November 2026 at noon, desk time.
NOON = datetime(2026, 11, 23, 12, 0).astimezone().astimezone(UTC)
# The right pane of a 1280 px window beside the client list.
PANE_WIDTH, PANE_HEIGHT = 800, 640
LONG_PROMISE = "Confirm the inspection date with the landlord and the tenant"


@pytest.fixture
def today(ready: MainWindow, qtbot) -> TodayView:
    store.set_clock(lambda: NOON)
    view = TodayView(ready.ctx)
    qtbot.addWidget(view)
    view.resize(PANE_WIDTH, PANE_HEIGHT)
    return view


def promise(client: int, by: int, text: str, due: datetime, owner: int | None = None) -> int:
    return store.make_promise(client, by=by, text=text, due=due, owner=owner).id


def away(staff: int, by: int) -> None:
    store.set_away(staff, by=by, away_from=NOON - timedelta(days=1), away_until=NOON + timedelta(days=5),
                   reason="Holiday")


def cell(view: TodayView, promise_id: int, column: int, role: int = Qt.ItemDataRole.DisplayRole,
         section: str | None = None) -> object:
    model = view.table_model
    row = model.row_of(promise_id, section)
    assert row >= 0, f"promise {promise_id} is not on the Today view"
    return model.index(row, column).data(role)


def lines_painted(view: TodayView, text: str, column: int) -> int:
    """How many lines the table lays `text` out on in `column` (as Qt's item view does: word wrap, text margins)."""
    table = view.table
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap if table.wordWrap() else QTextOption.WrapMode.ManualWrap)
    layout = QTextLayout(text, table.font())
    layout.setTextOption(option)
    layout.beginLayout()
    count = 0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(table.columnWidth(column) - 2 * margin)
        count += 1
    layout.endLayout()
    return count


def lines_shown(view: TodayView, row: int) -> int:
    """How many text lines fit in a row's height."""
    return max(1, (view.table.rowHeight(row) - 6) // view.table.fontMetrics().lineSpacing())


def contrast(foreground: QColor, background: QColor) -> float:
    """WCAG contrast ratio; a half-transparent foreground is blended onto the background first."""
    alpha = foreground.alphaF()
    blended = [alpha * f + (1 - alpha) * b
               for f, b in zip(foreground.getRgbF()[:3], background.getRgbF()[:3], strict=True)]

    def luminance(rgb: list[float]) -> float:
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(blended), luminance(list(background.getRgbF()[:3]))), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- 1. the promise can be read --------------------------------------------------------------------

def test_the_promise_and_due_sentence_can_be_read_at_the_usual_width(today: TodayView, seeded) -> None:
    anna, oliver = seeded["anna"], seeded["oliver"]
    pid = promise(oliver, anna, LONG_PROMISE, NOON - timedelta(days=4))  # broken: the longest due sentence
    today.show()
    t = PromiseTableModel
    due = cell(today, pid, t.DUE)
    assert isinstance(due, str) and due.startswith("Broken 2 days ago (was due")
    # The promise has the room: wider than the client and owner columns, and stretched to fill the pane.
    widths = {col: today.table.columnWidth(col) for col in range(len(t.COLUMNS))}
    assert widths[t.PROMISE] > max(widths[t.CLIENT], widths[t.OWNER], widths[t.DUE])
    assert sum(widths.values()) >= today.table.viewport().width() - 2
    # All of it is on screen: its lines at this width fit the row (before: one line, "Confirm the inspec...").
    row = today.table_model.row_of(pid)
    assert lines_painted(today, LONG_PROMISE, t.PROMISE) <= lines_shown(today, row)
    assert lines_painted(today, keep_together(due), t.DUE) <= lines_shown(today, row)
    # And the whole text and sentence are a tooltip away.
    assert LONG_PROMISE in str(cell(today, pid, t.PROMISE, Qt.ItemDataRole.ToolTipRole))
    due_tip = str(cell(today, pid, t.DUE, Qt.ItemDataRole.ToolTipRole))
    assert due in due_tip and "Due Thu 19 Nov, 12:00 pm" in due_tip


def test_short_rows_stay_one_line_and_long_ones_stop_at_two(today: TodayView, seeded) -> None:
    anna, oliver, isla = seeded["anna"], seeded["oliver"], seeded["isla"]
    short = promise(oliver, anna, "Ring back", NOON + timedelta(hours=2))
    essay = promise(isla, anna, "Call the insurer " * 25, NOON + timedelta(hours=3))
    today.show()
    model, table = today.table_model, today.table
    assert lines_shown(today, model.row_of(short)) == 1
    long_row = model.row_of(essay)
    assert lines_shown(today, long_row) == 2  # the rest is "..." and the tooltip
    assert table.rowHeight(long_row) <= 2 * table.fontMetrics().lineSpacing() + 20
    assert "<p>Call the insurer" in str(cell(today, essay, PromiseTableModel.PROMISE, Qt.ItemDataRole.ToolTipRole))
    # Headings keep their height (their text spans the whole row).
    assert all(table.rowHeight(i) == table.verticalHeader().defaultSectionSize()
               for i, line in enumerate(model.lines) if line.promise is None)


def test_a_due_sentence_wraps_between_its_parts() -> None:
    assert keep_together("Broken 2 days ago (was due Thu 19 Nov)") == \
        "Broken 2 days ago (was\u00a0due\u00a0Thu\u00a019\u00a0Nov)"
    assert keep_together("Due tomorrow at 5:00 pm") == "Due tomorrow at 5:00\u00a0pm"


# --- 2. each promise once ----------------------------------------------------------------------------

def test_whole_team_shows_an_away_colleagues_promise_once_under_covering(today: TodayView, seeded) -> None:
    anna, ben, oliver, isla = seeded["anna"], seeded["ben"], seeded["oliver"], seeded["isla"]
    annas_late = promise(oliver, anna, "Send the invoice", NOON - timedelta(hours=3))
    bens_late = promise(isla, anna, "Post the keys", NOON - timedelta(hours=5), owner=ben)
    bens_today = promise(oliver, anna, "Ring the plumber", NOON + timedelta(hours=2), owner=ben)
    bens_later = promise(isla, anna, "Chase the quote", NOON + timedelta(days=2), owner=ben)
    away(ben, anna)
    today.team_button.click()
    today.show()

    assert [r.id for r in today.rows_in("overdue")] == [annas_late]
    assert today.rows_in("today") == () and today.rows_in("upcoming") == ()
    assert [r.id for r in today.rows_in("covering")] == [bens_late, bens_today, bens_later]
    shown = [line.promise.id for line in today.table_model.lines if line.promise is not None]
    assert sorted(shown) == sorted({annas_late, bens_late, bens_today, bens_later})  # each once
    headings = [line.text for line in today.table_model.lines if line.kind == "heading"]
    assert headings == ["Overdue (1)", "Due today", "Next 7 days", "Covering for colleagues who are away (3)"]
    assert today.summary.text() == "1 overdue, 0 due today (the team's), 2 to cover today (3 this week)"
    assert cell(today, bens_late, PromiseTableModel.OWNER) == "Ben Okafor (away)"  # the badge says whose
    assert cell(today, bens_late, PromiseTableModel.ACTION) == "I'll take it"


# --- 3. the header and the start-of-day notice agree --------------------------------------------------

def test_the_header_and_the_start_notice_count_to_cover_today_alike(today: TodayView, seeded) -> None:
    anna, ben, oliver = seeded["anna"], seeded["ben"], seeded["oliver"]
    promise(oliver, anna, "Ring the plumber", NOON + timedelta(hours=2), owner=ben)
    promise(oliver, anna, "Post the keys", NOON - timedelta(hours=1), owner=ben)
    promise(oliver, anna, "Chase the quote", NOON + timedelta(days=3), owner=ben)
    away(ben, anna)
    today.show()
    notice = summary_text(store.desk_day(staff_id=anna), anna)
    header = today.summary.text()
    assert notice == "2 promises to cover today for colleagues who are away."
    assert header == "0 overdue, 0 due today (yours), 2 to cover today (3 this week)"
    in_notice = re.search(r"(\d+) promises? to cover today", notice)
    in_header = re.search(r"(\d+) to cover today", header)
    assert in_notice and in_header and in_notice.group(1) == in_header.group(1)
    assert len(today.rows_in("covering")) == 3  # the week's number is the rows under Covering


def test_the_header_says_to_cover_today_when_all_of_it_is_today(today: TodayView, seeded) -> None:
    anna, ben = seeded["anna"], seeded["ben"]
    promise(seeded["isla"], anna, "Ring the plumber", NOON + timedelta(hours=2), owner=ben)
    away(ben, anna)
    today.show()
    assert today.summary.text() == "0 overdue, 0 due today (yours), 1 to cover today"


# --- 4. headings are not rows --------------------------------------------------------------------------

def test_headings_and_empty_states_are_never_current_or_selected(today: TodayView, seeded, qtbot) -> None:
    anna, oliver, isla = seeded["anna"], seeded["oliver"], seeded["isla"]
    late = promise(oliver, anna, "Send the invoice", NOON - timedelta(hours=3))
    soon = promise(isla, anna, "Ring back", NOON + timedelta(hours=2))
    today.show()
    model, table = today.table_model, today.table
    heading = next(i for i, line in enumerate(model.lines) if line.kind == "heading" and line.section == "today")
    empty = next(i for i, line in enumerate(model.lines) if line.kind == "empty")

    for row in (heading, empty):
        rect = table.visualRect(model.index(row, PromiseTableModel.PROMISE))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert table.currentIndex().row() != row
        assert not table.selectionModel().isRowSelected(row)
        assert not model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsSelectable

    table.setFocus()
    table.setCurrentIndex(model.index(model.row_of(late), PromiseTableModel.PROMISE))
    qtbot.keyClick(table, Qt.Key.Key_Down)  # over "Due today (1)" to the next promise
    assert today.current_promise() is not None and today.current_promise().id == soon
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert today.current_promise() is not None and today.current_promise().id == late
    qtbot.keyClick(table, Qt.Key.Key_Up)  # nothing above but the "Overdue" heading: stay
    assert today.current_promise() is not None and today.current_promise().id == late
    assert table.selectionModel().selectedRows() == [model.index(model.row_of(late), 0)]


def test_headings_do_not_look_disabled(today: TodayView) -> None:
    today.show()
    model = today.table_model
    text = QApplication.palette().color(QPalette.ColorRole.Text)
    heading = next(i for i, line in enumerate(model.lines) if line.kind == "heading")
    assert model.index(heading, 0).data(Qt.ItemDataRole.ForegroundRole) == text
    assert isinstance(model.index(heading, 0).data(Qt.ItemDataRole.FontRole), QFont)


# --- 5. colours that read ------------------------------------------------------------------------------

def dark_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, colour in ((QPalette.ColorRole.Base, "#2d2d2d"), (QPalette.ColorRole.Window, "#353535"),
                         (QPalette.ColorRole.Text, "#f0f0f0"), (QPalette.ColorRole.WindowText, "#f0f0f0"),
                         (QPalette.ColorRole.PlaceholderText, "#80f0f0f0")):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_due_today_overdue_and_empty_states_read_at_4_5_to_1(today: TodayView, seeded, scheme: str) -> None:
    anna, oliver = seeded["anna"], seeded["oliver"]
    due_today = promise(oliver, anna, "Ring back", NOON + timedelta(hours=2))
    late = promise(oliver, anna, "Send the invoice", NOON - timedelta(hours=2))
    today.show()
    light = QApplication.palette()
    if scheme == "dark":
        QApplication.setPalette(dark_palette())
    try:
        base = QApplication.palette().color(QPalette.ColorRole.Base)
        model, fg = today.table_model, Qt.ItemDataRole.ForegroundRole
        due_colour = cell(today, due_today, PromiseTableModel.DUE, fg)
        late_colour = cell(today, late, PromiseTableModel.DUE, fg)
        assert isinstance(due_colour, QColor) and isinstance(late_colour, QColor)
        assert contrast(due_colour, base) >= 4.5
        assert contrast(late_colour, base) >= 4.5
        assert due_colour.hue() in range(20, 50) and due_colour != late_colour  # still orange, not the red
        empty = next(i for i, line in enumerate(model.lines) if line.kind == "empty")
        assert model.lines[empty].text == "Nothing due in the next 7 days."
        assert contrast(model.index(empty, 0).data(fg), base) >= 4.5
    finally:
        QApplication.setPalette(light)


# --- 6. the badge comes back after "I'll take it" -------------------------------------------------------

def test_the_score_badge_comes_back_after_taking_a_promise(ready: MainWindow, seeded, qtbot) -> None:
    """Today brings its own badges back: here it is alone on its events, with no client list refreshing scores
    for it (as while the list is still loading, or in a window without one)."""
    anna, ben, isla = seeded["anna"], seeded["ben"], seeded["isla"]
    store.set_clock(lambda: NOON)
    events = Events()
    ctx = AppContext(SyncTasks(events), events, ready.ctx.settings, staff=ready.ctx.staff, team=ready.ctx.team)
    today = TodayView(ctx)
    qtbot.addWidget(today)
    today.resize(PANE_WIDTH, PANE_HEIGHT)
    store.log_interaction(isla, by=anna, summary="Lovely visit", rating=2, channel="visit")
    away(ben, anna)
    pid = promise(isla, anna, "Chase the contractor", NOON + timedelta(days=1), owner=ben)
    today.mine_button.click()
    today.show()
    badge = PromiseTableModel.SCORE
    qtbot.waitUntil(lambda: bool(cell(today, pid, badge)), timeout=3000)  # worked out when first shown
    score = store.client_score(isla).badge
    assert cell(today, pid, badge) == f"{score.score} {score.band}"

    rect = today.table.visualRect(today.table_model.index(today.table_model.row_of(pid, "covering"),
                                                          PromiseTableModel.ACTION))
    qtbot.mouseClick(today.table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center()))
    assert [r.id for r in today.rows_in("upcoming")] == [pid]  # it is Anna's now
    assert today.rows_in("upcoming")[0].client_score is None  # the save made the cached badge stale ...
    qtbot.waitUntil(lambda: cell(today, pid, badge) == f"{score.score} {score.band}", timeout=2500)  # ... not for long


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_quiet_labels_everywhere_read_at_4_5_to_1(scheme: str, qtbot) -> None:  # noqa: ANN001
    """QLabel#muted and #hint (the Today header, 'Database: ...', form hints) were the palette's half-transparent
    placeholder colour, about 4:1; `dress` gives them a readable one for the palette in use."""
    from PySide6.QtWidgets import QLabel

    from ui.app import dress

    palette = dark_palette() if scheme == "dark" else QApplication.style().standardPalette()
    for name in ("muted", "hint"):
        label = QLabel("Nothing is due today.", objectName=name)
        qtbot.addWidget(label)
        label.setPalette(palette)
        dress(label)
        colour = label.palette().color(QPalette.ColorRole.WindowText)
        assert colour != palette.color(QPalette.ColorRole.PlaceholderText)
        assert contrast(colour, palette.color(QPalette.ColorRole.Window)) >= 4.5