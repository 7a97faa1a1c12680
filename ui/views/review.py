"""Office > Review: the weekly review (REPORTS.md) — Needs attention, touch points, colleagues, clients, trend.

Every number is a link to the interactions, promises or clients it counts (store.review_events). The
review is counted on the database thread in steps (store.review_job) with a progress line; the charts
(pyqtgraph) are imported when the review first draws them. Export as PDF (charts included), each table
as CSV, and Print.
"""
from __future__ import annotations

import csv
import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from PySide6.QtCore import QDate, QMarginsF, QRectF, QSize, QSizeF, QSortFilterProxyModel, QStandardPaths, Qt, QUrl
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QKeySequence,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QShortcut,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules import review as rr
from models.rules.vocab import channel_label
from models.rules.words import month_name
from models.store import Figures, Review, ReviewEvent, Share, StoreError
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.widgets import ColumnsModel, Index

PERIODS = ("This week", "Last week", "This month", "Last 30 days", "This quarter", "Custom")
PDF_MARGIN_MM = 14.0
FOOTER_PX = 24  # room at the foot of a printed page for its number (layout pixels)
LAYOUT_DPI = 96  # the review on paper is laid out in pixels of this size, then scaled to the page
SHOWN_EVENTS = 5  # events shown under a Needs attention line (all of them one click away)
TREND_FIGURES = (("interactions", "Interactions", ""), ("went_well", "Went well", "%"),
                 ("went_wrong", "Went wrong", "%"), ("last_impressions", "Ended well", "%"),
                 ("failures", "Problems", ""), ("fixed_in_time", "Fixed within 48 h", "%"),
                 ("time_to_fix_hours", "Time to fix (hours)", " h"), ("second_impressions", "Second impressions", "%"),
                 ("promises_due", "Promises due", ""), ("kept_on_time", "Kept on time", "%"),
                 ("kept_late", "Kept late", "%"), ("broken", "Promises broken", "%"))


# --- periods ---------------------------------------------------------------------------------------------

def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0)).astimezone()


def period_bounds(name: str, today: date, start: date | None = None, end: date | None = None
                  ) -> tuple[datetime, datetime]:
    """[since, until) of a named period in local time (weeks start on Monday); Custom takes start..end days."""
    if name == "This week":
        monday = today - timedelta(days=today.weekday())
        return _midnight(monday), _midnight(monday + timedelta(days=7))
    if name == "Last week":
        monday = today - timedelta(days=today.weekday() + 7)
        return _midnight(monday), _midnight(monday + timedelta(days=7))
    if name == "This month":
        first = today.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
        return _midnight(first), _midnight(after)
    if name == "Last 30 days":
        return _midnight(today - timedelta(days=29)), _midnight(today + timedelta(days=1))
    if name == "This quarter":
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        after = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
        return _midnight(first), _midnight(after)
    first, last = start or today, end or today
    if last < first:
        first, last = last, first
    return _midnight(first), _midnight(last + timedelta(days=1))


def before(since: datetime, until: datetime) -> tuple[datetime, datetime]:
    """The period of the same length just before."""
    return since - (until - since), since


def period_words(since: datetime, until: datetime) -> str:
    first, last = fmt.local(since), fmt.local(until) - timedelta(days=1)
    if first.date() == last.date():
        return f"{first.day} {month_name(first.month, short=True)} {first.year}"
    return (f"{first.day} {month_name(first.month, short=True)} – {last.day} {month_name(last.month, short=True)} "
            f"{last.year}")


# --- what a number links to ---------------------------------------------------------------------------

CLIENT_FIGURES = ("clients", "at_risk")  # listed by store.review_clients (band counts, band moves, at risk)


@dataclass(frozen=True)
class Link:
    """What one number counts: a figure of a group (side: count, of, pending) in the period, the period
    before (`previous`) or one week of the trend (`week`); for "clients", the band at the start and/or end."""

    figure: str
    group: rr.Group
    side: str = "count"
    previous: bool = False
    start: str = ""
    end: str = ""
    week: int = -1

    def url(self) -> str:
        kind, key = self.group
        query = {"figure": self.figure, "kind": kind, "key": "" if key is None else str(key),
                 "none": "1" if key is None else "0", "side": self.side, "previous": "1" if self.previous else "0",
                 "start": self.start, "end": self.end, "week": str(self.week)}
        return "events:?" + urlencode(query)

    @staticmethod
    def parse(url: str) -> Link | None:
        if not url.startswith("events:?"):
            return None
        q = {k: v[0] for k, v in parse_qs(url[len("events:?"):], keep_blank_values=True).items()}
        kind = q.get("kind", "office")
        key: Any = None if q.get("none") == "1" else q.get("key", "")
        if kind == "staff" and key is not None:
            key = int(key)
        week = q.get("week", "-1")
        return Link(q.get("figure", ""), (kind, key), q.get("side", "count"), q.get("previous") == "1",
                    q.get("start", ""), q.get("end", ""), int(week) if week.lstrip("-").isdigit() else -1)


_NUMBER = re.compile(r"[-+−]?\d[\d,]*(?:\.\d+)?%?")


def linked(text: str, hrefs: Sequence[str | None], *, skip: int = 0, links: bool = True) -> str:
    """`text` as HTML with its numbers (after the first `skip` characters: a name) made links, in order, to
    `hrefs` (None: a number that counts nothing, such as the 48 of "within 48 hours")."""
    if not links:
        return _e(text)
    out, pos = [_e(text[:skip])], skip
    for n, match in enumerate(_NUMBER.finditer(text, skip)):
        href = hrefs[n] if n < len(hrefs) else None
        out.append(_e(text[pos:match.start()]))
        out.append(_a(href, match.group()) if href else _e(match.group()))
        pos = match.end()
    out.append(_e(text[pos:]))
    return "".join(out)


def share_hrefs(share: Share, link: Link) -> list[str | None]:
    """Where each number of share_words() / counted() leads: "7 of 9, 78%, 2 pending" -> count, of, count,
    pending ("none decided, 2 pending" -> pending)."""
    pending = [replace(link, side="pending").url()] if share.pending else []
    if share.of == 0:
        return pending
    return [link.url(), replace(link, side="of").url(), link.url(), *pending]


def figure_html(fig: Figures, figure: str, link: Link, links: bool) -> str:
    """One figure as the tables write it, each of its numbers a link to what it counts."""
    value = getattr(fig, figure)
    hrefs = share_hrefs(value, link) if isinstance(value, Share) else [link.url()] * 2
    return linked(cell_text(fig, figure), hrefs, links=links)


def _drop(widget: QWidget | None) -> None:
    """Take a chart off the screen now (deleteLater alone leaves it drawn until the event loop runs)."""
    if widget is not None:
        widget.hide()
        widget.deleteLater()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _a(href: str, text: str) -> str:
    return f"<a href='{_e(href)}'>{_e(text)}</a>"


def share_text(share: Share) -> str:
    return rr.share_words(share)


def cell_text(fig: Figures, figure: str) -> str:
    value = getattr(fig, figure)
    if isinstance(value, Share):
        return share_text(value)
    if figure == "time_to_fix_hours":
        return rr.hours_words(value)
    return f"{value:,}"


def sort_value(fig: Figures, figure: str) -> float:
    value = getattr(fig, figure)
    if isinstance(value, Share):
        return -1.0 if value.value is None else value.value
    return -1.0 if value is None else float(value)


# --- tables --------------------------------------------------------------------------------------------

TOUCH_COLUMNS = ("interactions", "went_well", "went_wrong", "last_impressions", "failures", "fixed_in_time",
                 "time_to_fix_hours")
STAFF_COLUMNS = TOUCH_COLUMNS + ("promises_due", "kept_on_time", "kept_late", "broken", "second_impressions")


class FiguresTableModel(ColumnsModel):
    """Rows of (name, group, Figures); each figure cell a number that opens its events."""

    def __init__(self, first: str, figures: tuple[str, ...]) -> None:
        super().__init__()
        self.figures = figures
        self.COLUMNS = (first, *(rr.FIGURE_WORDS[f] for f in figures))
        self.rows: list[tuple[str, rr.Group, Figures]] = []

    def shown_rows(self) -> list[tuple[str, rr.Group, Figures]]:
        return self.rows

    def set_rows(self, rows: list[tuple[str, rr.Group, Figures]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def link(self, row: int, column: int) -> Link | None:
        if column == 0 or not 0 <= row < len(self.rows):
            return None
        return Link(self.figures[column - 1], self.rows[row][1])

    def parts(self, row: int, column: int) -> list[tuple[str, Link]]:
        """Each number of a cell and what it opens: "7 of 9, 78%, 2 pending" -> the 7, all 9, the 2 pending."""
        link = self.link(row, column)
        if link is None:
            return []
        value = getattr(self.rows[row][2], link.figure)
        if not isinstance(value, Share):
            return [(f"What {cell_text(self.rows[row][2], link.figure)} counts", link)]
        out = [(f"The {value.count:,} counted", link), (f"All {value.of:,}", replace(link, side="of"))]
        if value.pending:
            out.append((f"The {value.pending:,} not decided yet", replace(link, side="pending")))
        return out if value.of else out[2:]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name, _group, fig = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return name if column == 0 else cell_text(fig, self.figures[column - 1])
        if role == Qt.ItemDataRole.UserRole:
            return name.casefold() if column == 0 else sort_value(fig, self.figures[column - 1])
        if role == Qt.ItemDataRole.ToolTipRole and column:
            parts = self.parts(index.row(), column)
            more = "; right-click (or the menu key) for " + ", ".join(p[0][0].lower() + p[0][1:] for p in parts[1:]) \
                if len(parts) > 1 else ""
            return f"Click (or Enter) to see what this number counts{more}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def csv_rows(self) -> Iterator[list[str]]:
        yield list(self.COLUMNS)
        for name, _group, fig in self.rows:
            yield [name] + [cell_text(fig, f) for f in self.figures]


class FiguresTable(QTableView):
    """A table of figures: a click or Enter opens what a cell counts; its menu (right-click or the menu key)
    opens each of its numbers: the counted, all of them, those not decided yet."""

    def __init__(self, model: FiguresTableModel, on_link: Callable[[Link], None]) -> None:
        super().__init__()
        self.figures_model = model
        self.on_link = on_link
        self.menu: QMenu | None = None

    def parts(self, index: Index) -> list[tuple[str, Link]]:
        proxy = self.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        source = proxy.mapToSource(index)
        return self.figures_model.parts(source.row(), source.column())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt's name)
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        index = self.currentIndex() if keyboard else self.indexAt(event.pos())
        parts = self.parts(index) if index.isValid() else []
        if not parts:
            return
        self.menu = QMenu(self)
        for label, link in parts:
            self.menu.addAction(label, lambda link=link: self.on_link(link))
        where = self.visualRect(index).center() if keyboard else event.pos()
        self.menu.popup(self.viewport().mapToGlobal(where))


def figures_table(model: FiguresTableModel, on_link: Callable[[Link], None]) -> QTableView:
    view = FiguresTable(model, on_link)
    proxy = QSortFilterProxyModel(view)
    proxy.setSourceModel(model)
    proxy.setSortRole(Qt.ItemDataRole.UserRole)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
    view.setAccessibleName(model.COLUMNS[0])

    def open_cell(index: Index) -> None:
        source = proxy.mapToSource(index)
        link = model.link(source.row(), source.column())
        if link is not None:
            on_link(link)
    view.clicked.connect(open_cell)
    view.activated.connect(open_cell)
    return view


# --- the events behind a number --------------------------------------------------------------------------

class EventsDialog(QDialog):
    """What one number counts: the interactions, promises or clients, each openable."""

    COLUMNS = ("When", "Client", "Who", "Touch point", "Topic", "What", "")
    CLIENT_COLUMNS = ("Client", "What", "Score")  # a list of clients (band counts, band moves, at risk)

    def __init__(self, ctx: AppContext, title: str, events: tuple[ReviewEvent, ...], now: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.events = events
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(900, 480)
        clients = bool(events) and all(e.kind == "client" for e in events)
        count = rr.plural(len(events), "client") if clients else rr.plural(len(events), "entry", "entries")
        heading = QLabel(f"{title}: {count}", wordWrap=True)
        columns = self.CLIENT_COLUMNS if clients else self.COLUMNS
        self.table = QTableWidget(len(events), len(columns), showGrid=False)
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, e in enumerate(events):
            what = e.summary if e.kind != "client" else e.summary or "–"
            cells = ((e.client_name or "(erased)", what, e.note) if clients else
                     (fmt.when(e.at, now) if e.at else "", e.client_name or "(erased)", e.staff_name,
                      channel_label(e.channel) if e.channel else "", e.topic or "", what, e.note))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("Open the client", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(bool(events))
        self.open_button.clicked.connect(self.open_current)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if events:
            self.table.selectRow(0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.open_button.setDefault(True)  # Enter on a row opens it (set once shown: the button box resets it)

    def open_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.events):
            e = self.events[row]
            if e.kind == "client":
                self.ctx.events.client_requested.emit(e.client_id)
            else:
                self.ctx.events.entry_requested.emit(e.client_id, e.kind, e.id)


# --- the review window -------------------------------------------------------------------------------------

class ReviewView(QWidget):
    """The review of a period compared with the one before; opened from Office > Review (Ctrl+Shift+R)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.setWindowTitle("Review")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1200, 740)
        self.review: Review | None = None
        self.previous: Review | None = None
        self.trend: tuple[Figures, ...] = ()
        self.trend_weeks: list[datetime] = []
        self.generation = 0
        self.now = store.utcnow()

        self.period = QComboBox()
        self.period.addItems(PERIODS)
        self.period.setCurrentText("Last week")
        self.period.setAccessibleName("Period")
        self.start, self.end = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        today = QDate.currentDate()
        self.start.setDate(today.addDays(-13))
        self.end.setDate(today)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("d MMM yyyy")
            edit.hide()
        self.heading = QLabel(wordWrap=True, objectName="heading")
        self.progress_text = QLabel()
        self.progress = QProgressBar(maximumWidth=220, textVisible=False)
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.pdf_button = QPushButton("Save as PDF...")
        self.print_button = QPushButton("Print...")
        self.csv_button = QToolButton(text="Save a table as CSV",
                                      popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.csv_menu = QMenu(self.csv_button)
        self.csv_button.setMenu(self.csv_menu)
        for button in (self.pdf_button, self.print_button, self.csv_button):
            button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period)
        top.addWidget(self.start)
        top.addWidget(self.end)
        top.addWidget(self.heading, 1)
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)
        top.addWidget(self.print_button)
        line = QHBoxLayout()
        line.addWidget(self.progress_text)
        line.addWidget(self.progress)
        line.addStretch(1)

        self.tabs = QTabWidget()
        self.attention = self._browser("Needs attention")
        self.tabs.addTab(self.attention, "Needs attention")
        self.channel_model = FiguresTableModel("Touch point", TOUCH_COLUMNS)
        self.topic_model = FiguresTableModel("Topic", TOUCH_COLUMNS)
        self.staff_model = FiguresTableModel("Colleague", STAFF_COLUMNS)
        self.touch_tab = QWidget()
        touch = QVBoxLayout(self.touch_tab)
        split = QSplitter(Qt.Orientation.Horizontal)
        tables = QWidget()
        tables_layout = QVBoxLayout(tables)
        tables_layout.setContentsMargins(0, 0, 0, 0)
        tables_layout.addWidget(QLabel("Per channel"))
        tables_layout.addWidget(figures_table(self.channel_model, self.show_link), 1)
        tables_layout.addWidget(QLabel("Per topic"))
        tables_layout.addWidget(figures_table(self.topic_model, self.show_link), 1)
        split.addWidget(tables)
        self.touch_charts = QWidget()
        QVBoxLayout(self.touch_charts).setContentsMargins(0, 0, 0, 0)
        split.addWidget(self.touch_charts)
        split.setSizes([700, 420])
        touch.addWidget(split)
        self.tabs.addTab(self.touch_tab, "Touch points")
        self.colleagues_tab = QWidget()
        colleagues = QVBoxLayout(self.colleagues_tab)
        self.colleague_facts = self._browser("Colleagues")
        colleagues.addWidget(self.colleague_facts, 1)
        colleagues.addWidget(figures_table(self.staff_model, self.show_link), 1)
        self.tabs.addTab(self.colleagues_tab, "Colleagues")
        self.clients_tab = QWidget()
        clients = QHBoxLayout(self.clients_tab)
        self.client_text = self._browser("Clients")
        clients.addWidget(self.client_text, 3)
        self.band_holder = QWidget()
        QVBoxLayout(self.band_holder).setContentsMargins(0, 0, 0, 0)
        clients.addWidget(self.band_holder, 2)
        self.tabs.addTab(self.clients_tab, "Clients")
        self.trend_tab = QWidget()
        self.trend_grid = QGridLayout(self.trend_tab)
        self.tabs.addTab(self.trend_tab, "Trend")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(line)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)

        self.period.currentTextChanged.connect(self._on_period_changed)
        self.start.dateChanged.connect(lambda _d: self.load())
        self.end.dateChanged.connect(lambda _d: self.load())
        self.pdf_button.clicked.connect(self.ask_and_save_pdf)
        self.print_button.clicked.connect(self.print_review)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.load)
        self.load()

    def _browser(self, name: str) -> QTextBrowser:
        browser = QTextBrowser()
        browser.setOpenLinks(False)
        browser.setAccessibleName(name)
        browser.anchorClicked.connect(self._on_anchor_clicked)
        return browser

    # --- loading ---------------------------------------------------------------------------------

    def bounds(self) -> tuple[datetime, datetime]:
        name = self.period.currentText()
        return period_bounds(name, fmt.local(self.now).date(), self.start.date().toPython(),
                             self.end.date().toPython())

    def _on_period_changed(self, name: str) -> None:
        for edit in (self.start, self.end):
            edit.setVisible(name == "Custom")
        self.load()

    def load(self) -> None:
        """Count the review on the database thread, in steps, with a progress line; a newer load wins."""
        self.generation += 1
        generation = self.generation
        self.now = store.utcnow()
        since, until = self.bounds()
        self.heading.setText(f"{period_words(since, until)}, compared with {period_words(*before(since, until))}")
        self.say("")
        self.progress_text.setText("Counting the figures...")
        self.progress.setRange(0, 0)
        self.progress.show()
        now = self.now
        holder: dict[str, Iterator[tuple[int, int, Review | None]]] = {}

        def start() -> tuple[int, int, Review | None]:
            holder["job"] = store.review_job(since, until, now=now)
            return next(holder["job"])

        def step_done(result: tuple[int, int, Review | None]) -> None:
            if generation != self.generation:
                holder["job"].close() if "job" in holder else None
                return
            done, total, review = result
            if review is None or done < total:
                if review is not None:  # the figures, before the clients are scored
                    self.review = review
                    self.show_review()
                self.progress.setRange(0, total)
                self.progress.setValue(done)
                self.progress_text.setText(f"Scoring the clients: {done - 1:,} of {total - 1:,}...")
                self.ctx.tasks.run(lambda: next(holder["job"]), step_done, self._on_failed)
                return
            self._on_review(generation, review)
        self.ctx.tasks.run(start, step_done, self._on_failed)

    def _on_review(self, generation: int, review: Review) -> None:
        self.review = review
        self.previous = None
        self.show_review()
        self.progress_text.setText("Comparing with the period before...")
        since, until, now = review.since, review.until, review.now

        def previous_done(previous: Review) -> None:
            if generation == self.generation:
                self.previous = previous
                self.show_review()
                self.progress_text.setText("Drawing the 12-week trend...")
                self.ctx.tasks.run(lambda: (store.trend_bounds(12, now), store.review_trend(12, now=now)),
                                   trend_done, self._on_failed)

        def trend_done(result: tuple[list[datetime], tuple[Figures, ...]]) -> None:
            if generation == self.generation:
                self.trend_weeks, self.trend = result
                self.show_trend()
                self.progress_text.setText("")
                self.progress.hide()
        self.ctx.tasks.run(lambda: store.review(*before(since, until), now=now, clients=False), previous_done,
                           self._on_failed)

    def _on_failed(self, error: StoreError) -> None:
        self.progress.hide()
        self.progress_text.setText("")
        self.say(getattr(error, "message", str(error)))

    def say(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- showing -----------------------------------------------------------------------------------

    def staff_name(self, staff_id: object) -> str:
        names = self.review.staff_names if self.review else {}
        return names.get(staff_id, "someone") if isinstance(staff_id, int) else "someone"

    def group_name(self, group: rr.Group) -> str:
        kind, key = group
        if kind == "staff":
            return self.staff_name(key)
        if kind == "channel":
            return "Promises" if key == rr.PROMISE_CHANNEL else channel_label(str(key))
        if kind == "topic":
            return "No topic" if key is None else str(key)
        return "The office"

    def show_review(self) -> None:
        review = self.review
        if review is None:
            return
        self.attention.setHtml(self.attention_html(links=True))
        channels = [(self.group_name(("channel", k)), ("channel", k), f) for k, f in review.by_channel.items()
                    if k != rr.PROMISE_CHANNEL]
        self.channel_model.set_rows(channels)
        self.topic_model.set_rows([(self.group_name(("topic", k)), ("topic", k), f) for k, f in review.by_topic.items()
                                   if f.interactions])
        self.staff_model.set_rows([(self.staff_name(k), ("staff", k), f) for k, f in review.by_staff.items()])
        self.colleague_facts.setHtml(self.colleagues_html(links=True))
        self.client_text.setHtml(self.clients_html(links=True))
        self._draw_touch_charts()
        for button in (self.pdf_button, self.print_button, self.csv_button):
            button.setEnabled(True)
        self._fill_csv_menu()

    def _replace(self, holder: QWidget, widgets: list[QWidget]) -> None:
        layout = holder.layout()
        while layout.count():
            _drop(layout.takeAt(0).widget())
        for widget in widgets:
            layout.addWidget(widget, 1)

    def _draw_touch_charts(self, paper: bool = False) -> list[QWidget]:
        from ui.views import review_charts as charts

        review = self.review
        assert review is not None
        made = []
        for title, rows in (("Went wrong, per channel", self.channel_model.rows),
                            ("Went wrong, per topic", self.topic_model.rows)):
            rows = sorted(rows, key=lambda r: -(r[2].went_wrong.value or 0))
            made.append(charts.bar_chart(title, [r[0] for r in rows],
                                         [None if r[2].went_wrong.value is None else 100 * r[2].went_wrong.value
                                          for r in rows], paper=paper,
                                         targets=[Link("went_wrong", r[1]) for r in rows]))
        if review.band_moves is not None:
            targets = {(band, side): Link("clients", rr.OFFICE, **{side: band})
                       for band in rr.BANDS for side in ("start", "end")}
            band = charts.band_chart(review.band_moves.at_since, review.band_moves.at_until, paper=paper,
                                     targets=targets)
            if not paper:
                self._replace(self.band_holder, [band])
            made.append(band)
        if not paper:
            for chart in made:
                chart.picked.connect(self.show_link)
            self._replace(self.touch_charts, made[:2])
        return made

    def _trend_series(self) -> list[tuple[str, list[float | None], str]]:
        out = []
        for figure, title, suffix in TREND_FIGURES:
            values: list[float | None] = []
            for fig in self.trend:
                value = getattr(fig, figure)
                if isinstance(value, Share):
                    values.append(None if value.value is None else 100 * value.value)
                else:
                    values.append(None if value is None else float(value))
            out.append((title, values, suffix))
        return out

    def _week_labels(self) -> list[str]:
        return [f"{fmt.local(w).day} {month_name(fmt.local(w).month, short=True)}" for w in self.trend_weeks[:-1]]

    def show_trend(self, paper: bool = False) -> list[QWidget]:
        from ui.views import review_charts as charts

        made = [charts.line_chart(title, values, self._week_labels(), paper=paper, suffix=suffix,
                                  targets=[Link(figure, rr.OFFICE, week=k) for k in range(len(values))])
                for (title, values, suffix), figure in zip(self._trend_series(), (f[0] for f in TREND_FIGURES),
                                                           strict=True)]
        if not paper:
            for chart in made:
                chart.picked.connect(self.show_link)
            while self.trend_grid.count():
                _drop(self.trend_grid.takeAt(0).widget())
            for n, chart in enumerate(made):
                chart.setMinimumSize(QSize(200, 120))
                self.trend_grid.addWidget(chart, n // 4, n % 4)
        return made

    # --- the sections as HTML (on screen with links; on paper without) ---------------------------------

    def attention_html(self, *, links: bool) -> str:
        review = self.review
        assert review is not None
        out = ["<h3>Needs attention</h3>"]
        if not review.attention:
            out.append("<p>Nothing needs attention in this period.</p>")
        for item in review.attention:
            out.append(f"<p><b>{self.attention_sentence_html(item, links)}</b></p><ul>")
            for e in item.events[:SHOWN_EVENTS]:
                out.append(self._event_html(e, links))
            if item.count > SHOWN_EVENTS and links:
                out.append(f"<li>{_a(Link(item.figure, item.group).url(), f'Show all {item.count:,}')}</li>")
            out.append("</ul>")
        out.append("<h3>The office</h3><table cellpadding='3'><tr><th align='left'>Figure</th>"
                   "<th align='right'>This period</th><th align='right'>The period before</th></tr>")
        for figure in rr.FIGURES:
            now_text = figure_html(review.office, figure, Link(figure, rr.OFFICE), links)
            then = "…"
            if self.previous is not None:
                then = figure_html(self.previous.office, figure, Link(figure, rr.OFFICE, previous=True), links)
            out.append(f"<tr><td>{_e(rr.FIGURE_WORDS[figure])}</td><td align='right'>{now_text}</td>"
                       f"<td align='right'>{then}</td></tr>")
        out.append("</table>")
        return "".join(out)

    def _event_html(self, e: ReviewEvent, links: bool) -> str:
        """One event under a Needs attention line: the client opens the client; what happened, and each
        number of its note ("fixed after 5 h", a score's "35 → 34"), open the entry (for a client who moved
        into Red: the entry behind the biggest reason). The time, the colleague and the touch point say when,
        who and where (grey, `title='when'`)."""
        review = self.review
        assert review is not None
        entry = f"entry:{e.client_id}:{e.kind}:{e.id}"
        if e.kind == "client":
            moves = review.band_moves.into_red if review.band_moves else ()
            move = next((m for m in moves if m.client_id == e.client_id), None)
            entry = (f"entry:{e.client_id}:{move.reason_kind}:{move.reason_id}" if move and move.reason_kind
                     and move.reason_id else f"client:{e.client_id}")
        what = e.summary or "(text erased)"
        client = _a(f"client:{e.client_id}", e.client_name or "(erased)") if links else _e(e.client_name)
        when = ", ".join(p for p in (fmt.when(e.at, review.now) if e.at else "", e.staff_name,
                                     channel_label(e.channel) if e.channel else "") if p)
        note = linked(e.note, [f"client:{e.client_id}" if e.kind == "client" else entry] * 4, links=links)
        details = (f"<span title='when'>{_e(when)}</span>" + (", " if when and e.note else "") + note)
        return (f"<li>{client}: {_a(entry, what) if links else _e(what)} "
                f"<span style='color:gray'>({details})</span></li>")

    def attention_sentence_html(self, item: Any, links: bool) -> str:
        """A Needs attention line with each of its numbers a link: "Billing: 8 of 15 (53%) went wrong, against
        16% for the whole office" -> the 8, the 15, the 8, the office's went wrong."""
        link = Link(item.figure, item.group)
        review = self.review
        assert review is not None
        if item.kind in ("unfixed", "into_red"):
            return linked(item.sentence, [link.url()], links=links)  # "10 problems still unfixed after 48 hours"
        fig = review.office if item.group == rr.OFFICE else {
            "staff": review.by_staff, "channel": review.by_channel, "topic": review.by_topic}[item.group[0]].get(
            item.group[1])
        share: Share = getattr(fig, item.figure) if fig is not None else Share(item.count, item.count)
        office = Link(item.figure, rr.OFFICE).url()
        if item.kind == "touch_point":
            hrefs = [*share_hrefs(share, link), office]
            return linked(item.sentence, hrefs, skip=len(self.group_name(item.group)) + 1, links=links)
        if item.kind == "colleague":  # "Ben Okafor kept 7 of 21 promises on time (33%), against 69% for ..."
            hrefs = [link.url(), replace(link, side="of").url(), link.url(), office]
            return linked(item.sentence, hrefs, skip=len(self.group_name(item.group)), links=links)
        return linked(item.sentence, [*share_hrefs(share, link)], skip=item.sentence.index(":"), links=links)

    def colleagues_html(self, *, links: bool) -> str:
        review = self.review
        assert review is not None
        out = ["<h3>Colleagues</h3><p style='color:gray'>Facts, not rankings: a promise counts for whoever owned it "
               "when it fell due, a problem for whoever handled the interaction that went worst.</p><ul>"]
        for staff_id, fig in sorted(review.by_staff.items(), key=lambda kv: self.staff_name(kv[0])):
            group = ("staff", staff_id)
            name = self.staff_name(staff_id)
            for sentence in rr.colleague_sentence(name, fig):
                hrefs = self._colleague_hrefs(sentence[len(name):], fig, group)
                out.append(f"<li>{linked(sentence, hrefs, skip=len(name), links=links)}</li>")
        out.append("</ul>")
        return "".join(out)

    @staticmethod
    def _colleague_hrefs(words: str, fig: Figures, group: rr.Group) -> list[str | None]:
        """Where the numbers of one of rr.colleague_sentence()'s facts lead (`words`: the fact after the name)."""
        def to(figure: str, side: str = "count") -> str:
            return Link(figure, group, side).url()
        if "kept on time" in words:  # "7 of 9 promises kept on time, 78% (1 not decided yet)"
            return share_hrefs(fig.kept_on_time, Link("kept_on_time", group))
        if "promise" in words:  # "3 promises due, none decided yet"
            return [to("promises_due")]
        if "went well" in words:  # "12 interactions, 7 went well (58%)"
            return [to("interactions"), to("went_well"), to("went_well")]
        if "second impressions" in words:  # "1 of 2 second impressions made (50%)"
            return [to("second_impressions"), to("second_impressions", "of"), to("second_impressions")]
        # "3 problems, 2 of 3 fixed within 48 h": the 48 counts nothing
        return [to("failures"), to("fixed_in_time"), to("fixed_in_time", "of"), None]

    def clients_html(self, *, links: bool) -> str:
        review = self.review
        assert review is not None
        moves = review.band_moves
        out = ["<h3>Clients</h3>"]
        def clients(count: int, start: str = "", end: str = "") -> str:
            return linked(f"{count:,}", [Link("clients", rr.OFFICE, start=start, end=end).url()], links=links)

        if moves is not None:
            out.append("<table cellpadding='3'><tr><th align='left'>Clients</th><th align='right'>At the start</th>"
                       "<th align='right'>At the end</th></tr>")
            for band in rr.BANDS:
                out.append(f"<tr><td>{band}</td><td align='right'>{clients(moves.at_since[band], start=band)}</td>"
                           f"<td align='right'>{clients(moves.at_until[band], end=band)}</td></tr>")
            out.append("</table><h4>Band moves</h4><table cellpadding='3'><tr><th align='left'>From \\ to</th>"
                       + "".join(f"<th align='right'>{band}</th>" for band in rr.BANDS) + "</tr>")
            for start in rr.BANDS:
                out.append(f"<tr><td>{start}</td>" + "".join(
                    f"<td align='right'>{clients(moves.moves[start, end], start, end)}</td>" for end in rr.BANDS)
                    + "</tr>")
            out.append("</table>")
            title = f"Moved into Red: {len(moves.into_red)}"
            out.append(f"<h4>{linked(title, [Link('into_red', rr.OFFICE).url()], links=links)}</h4><ul>")
            for m in moves.into_red:
                client = f"client:{m.client_id}"
                reason = (f"entry:{m.client_id}:{m.reason_kind}:{m.reason_id}" if m.reason_kind and m.reason_id
                          else client)
                out.append(f"<li>{_a(client, m.name) if links else _e(m.name)} "
                           f"({linked(f'{m.score_before} → {m.score_after}', [client, client], links=links)}): "
                           f"{_a(reason, m.reason) if links and m.reason else _e(m.reason)}</li>")
            out.append("</ul>")
        title = f"At risk at the end of the period: {len(review.at_risk)}"
        out.append(f"<h4>{linked(title, [Link('at_risk', rr.OFFICE).url()], links=links)}</h4><ul>")
        for r in review.at_risk:
            client = f"client:{r.client_id}"
            words = f"{r.score} {r.band}{' and falling' if r.band == 'Amber' else ''} ({r.trend30:+d} in 30 days)"
            out.append(f"<li>{_a(client, r.name) if links else _e(r.name)}: "
                       f"{linked(words, [client, client, None], links=links)}</li>")
        out.append("</ul>")
        return "".join(out)

    # --- links ---------------------------------------------------------------------------------------

    def _on_anchor_clicked(self, url: QUrl) -> None:
        # Qt's rich text keeps an href's entities as written ("&amp;"): without this, every link's group after
        # the first "&" was lost and a colleague's or a topic's number opened the whole office's events
        text = html.unescape(url.toString())
        if text.startswith("client:"):
            self.ctx.events.client_requested.emit(int(text.split(":", 1)[1]))
            return
        if text.startswith("entry:"):  # entry:<client>:<kind>:<id>, the reason a client moved into Red
            _scheme, client, kind, entry = text.split(":", 3)
            self.ctx.events.entry_requested.emit(int(client), kind, int(entry))
            return
        link = Link.parse(text)
        if link is not None:
            self.show_link(link)

    def show_link(self, link: Link) -> None:
        """List what a number counts, read on the database thread."""
        review = self.review
        if review is None:
            return
        since, until = (review.since, review.until) if not link.previous else before(review.since, review.until)
        if 0 <= link.week < len(self.trend_weeks) - 1:
            since, until = self.trend_weeks[link.week], self.trend_weeks[link.week + 1]
        now = review.now
        title = f"{self.link_words(link)} — {self.group_name(link.group)}, {period_words(since, until)}"
        if not self.progress_text.text():  # (while the review still counts, its progress line stays)
            self.progress_text.setText("Finding what this number counts...")
        if link.figure in CLIENT_FIGURES:
            def read() -> tuple[ReviewEvent, ...]:
                return store.review_clients(since, until, now=now, start=link.start or None, end=link.end or None,
                                            at_risk=link.figure == "at_risk")
        else:
            def read() -> tuple[ReviewEvent, ...]:
                return store.review_events(link.figure, link.group, since, until, now=now, side=link.side)
        self.ctx.tasks.run(read, lambda events: self._show_events(title, events), self._on_failed)

    @staticmethod
    def link_words(link: Link) -> str:
        """What a number counts, as the events list's title says it."""
        if link.figure == "clients":
            if link.start and link.end:
                return f"{link.start} at the start, {link.end} at the end"
            return f"{link.start} at the start" if link.start else f"{link.end} at the end"
        words = {"unfixed": "Problems still unfixed", "into_red": "Moved into Red",
                 "at_risk": "At risk at the end"}.get(link.figure) or rr.FIGURE_WORDS.get(link.figure, link.figure)
        return words + {"of": " (all counted)", "pending": " (not decided yet)"}.get(link.side, "")

    def _show_events(self, title: str, events: tuple[ReviewEvent, ...]) -> None:
        if self.progress_text.text() == "Finding what this number counts...":
            self.progress_text.setText("")
        dialog = EventsDialog(self.ctx, title, events, self.now, self)
        dialog.show()
        self.events_dialog = dialog

    # --- export -------------------------------------------------------------------------------------

    def _fill_csv_menu(self) -> None:
        self.csv_menu.clear()
        for label, rows in (("Touch points per channel", self.channel_model.csv_rows),
                            ("Touch points per topic", self.topic_model.csv_rows),
                            ("Colleagues", self.staff_model.csv_rows),
                            ("Clients by band", self._band_rows),
                            ("Clients at risk", self._risk_rows),
                            ("Trend, week by week", self._trend_rows)):
            self.csv_menu.addAction(f"{label}...", lambda label=label, rows=rows: self.ask_and_save_csv(label, rows))

    def _band_rows(self) -> Iterator[list[str]]:
        """The band moves: a row per band at the start (with how many clients went to each band at the end)."""
        moves = self.review.band_moves if self.review else None
        yield ["At the start \\ at the end", *rr.BANDS, "At the start"]
        if moves is None:
            return
        for start in rr.BANDS:
            yield [start, *(str(moves.moves[start, end]) for end in rr.BANDS), str(moves.at_since[start])]
        yield ["At the end", *(str(moves.at_until[end]) for end in rr.BANDS), str(sum(moves.at_since.values()))]

    def _risk_rows(self) -> Iterator[list[str]]:
        yield ["Client", "Score", "Band", "Change in 30 days"]
        for r in self.review.at_risk if self.review else ():
            yield [r.name, str(r.score), r.band, f"{r.trend30:+d}"]

    def _trend_rows(self) -> Iterator[list[str]]:
        yield ["Week starting", *(rr.FIGURE_WORDS[f] for f in rr.FIGURES)]
        for week, fig in zip(self.trend_weeks, self.trend, strict=False):
            yield [fmt.local(week).date().isoformat(), *(cell_text(fig, f) for f in rr.FIGURES)]

    def _folder(self) -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())

    def ask_and_save_csv(self, label: str, rows: Callable[[], Iterator[list[str]]]) -> None:
        path, _ = QFileDialog.getSaveFileName(self, f"Save {label.lower()} as CSV",
                                              str(Path(self._folder()) / f"Review - {label}.csv"), "CSV (*.csv)")
        if path:
            self.save_csv(path, rows)

    def save_csv(self, path: str, rows: Callable[[], Iterator[list[str]]]) -> bool:
        try:
            with open(path, "w", newline="", encoding="utf-8-sig") as handle:  # the BOM: spreadsheets read UTF-8
                csv.writer(handle).writerows(rows())
        except OSError as exc:
            self.say(f"The file could not be saved to {path} ({exc.strerror or exc}). Choose another folder.")
            return False
        self.ctx.events.message_reported.emit(f"Saved {Path(path).name}.")
        return True

    def document(self) -> QTextDocument:
        """The whole review on paper: every section, and the charts drawn black on white."""
        from ui.views import review_charts as charts

        review = self.review
        assert review is not None
        doc = QTextDocument()
        doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, "Review")
        images = []
        for n, chart in enumerate(self._draw_touch_charts(paper=True)):
            name = f"chart{n}.png"
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                            charts.chart_image(chart, QSize(620, 300)))
            images.append(name)
            chart.deleteLater()
        trend = []
        for n, chart in enumerate(self.show_trend(paper=True) if self.trend else []):
            name = f"trend{n}.png"
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                            charts.chart_image(chart, QSize(300, 180)))
            trend.append(name)
            chart.deleteLater()
        # on paper the colleagues' 12 figures are two tables: 13 columns do not fit a page's width
        rows = (self._table_html(self.channel_model) + self._table_html(self.topic_model)
                + self._table_html(self.staff_model, TOUCH_COLUMNS)
                + self._table_html(self.staff_model, STAFF_COLUMNS[len(TOUCH_COLUMNS):]))
        trend_html = "<table cellspacing='4'>" + "".join(
            ("<tr>" if k % 2 == 0 else "") + f"<td><img src='{quote(n)}' width='300' height='180'></td>"
            + ("</tr>" if k % 2 else "") for k, n in enumerate(trend)) + "</table>"
        body = (f"<h2>Review: {_e(period_words(review.since, review.until))}</h2>"
                f"<p>Compared with {_e(period_words(*before(review.since, review.until)))}. "
                f"Prepared by Rapport on {_e(fmt.when(review.now, review.now))}.</p>"
                + self.attention_html(links=False)
                + "<h3>Touch points</h3>" + "".join(f"<p><img src='{n}' width='620' height='300'></p>"
                                                     for n in images[:2])
                + rows + self.colleagues_html(links=False) + self.clients_html(links=False)
                + "".join(f"<p><img src='{n}' width='620' height='300'></p>" for n in images[2:])
                + ("<h3>Trend, last 12 weeks</h3>" + trend_html if trend else ""))
        doc.setHtml(f"<html><body style='font-size:9pt'>{body}</body></html>")
        return doc

    def document_for(self, device: QPagedPaintDevice) -> QTextDocument:
        """document() laid out on the device's printable page, in the same units on every computer (the screen's
        dots per inch would otherwise decide whether two trend charts fit side by side); the page's last lines
        are left for its number (print_paged)."""
        doc = self.document()
        resolution = device.pageLayout().paintRectPixels(device.resolution())
        scale = LAYOUT_DPI / device.resolution()
        doc.setPageSize(QSizeF(resolution.width() * scale, resolution.height() * scale - FOOTER_PX))
        return doc

    @staticmethod
    def _table_html(model: FiguresTableModel, figures: tuple[str, ...] | None = None) -> str:
        rows = list(model.csv_rows())
        if len(rows) < 2:
            return ""
        if figures is not None:  # the name and these figures' columns only
            keep = [0, *(1 + model.figures.index(f) for f in figures)]
            rows = [[row[k] for k in keep] for row in rows]
        head = "".join(f"<th align='left'>{_e(c)}</th>" for c in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
        # <thead>: the header row is repeated on the next page when a table breaks
        return (f"<table border='1' cellspacing='0' cellpadding='2' style='font-size:8pt'><thead><tr>{head}</tr>"
                f"</thead>{body}</table><br>")

    def save_pdf(self, path: str) -> bool:
        """The review as an A4 PDF at `path`, charts included; a sentence in the window when that fails."""
        try:
            with open(path, "wb"):
                pass
        except OSError as exc:
            self.say(f"The PDF could not be saved to {path} ({exc.strerror or exc}). Choose another folder.")
            return False
        writer = pdf_writer(path)
        print_paged(self.document_for(writer), writer)
        del writer
        self.ctx.events.message_reported.emit(f"Saved the review as {Path(path).name}.")
        return True

    def ask_and_save_pdf(self) -> None:
        if self.review is None:
            return
        name = f"Review - {period_words(self.review.since, self.review.until)}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save the review as PDF", str(Path(self._folder()) / name),
                                              "PDF document (*.pdf)")
        if path:
            self.save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf")

    def print_review(self) -> None:
        if self.review is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Review")
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_paged(self.document_for(printer), printer)
            self.ctx.events.message_reported.emit("The review was sent to the printer.")


def print_paged(doc: QTextDocument, device: QPagedPaintDevice) -> int:
    """Print a document laid out by document_for() page by page, with "Page 2 of 6" at the foot of each page
    (QTextDocument.print_ numbers pages only when it lays the document out itself); returns the page count."""
    scale = device.resolution() / LAYOUT_DPI
    page = doc.pageSize()
    pages = doc.pageCount()
    painter = QPainter(device)
    try:
        for number in range(pages):
            if number:
                device.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -number * page.height())
            doc.drawContents(painter, QRectF(0, number * page.height(), page.width(), page.height()))
            painter.restore()
            font = QFont(doc.defaultFont())  # in the device's own units: a point is a point on paper
            font.setPointSizeF(8)
            painter.setFont(font)
            footer = QRectF(0, page.height() * scale, page.width() * scale, FOOTER_PX * scale)
            painter.drawText(footer, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"Page {number + 1} of {pages}")
    finally:
        painter.end()
    return pages


def pdf_writer(path: str) -> QPdfWriter:
    """An A4 PDF with the review's margins."""
    writer = QPdfWriter(path)
    writer.setTitle("Review")
    writer.setCreator("Rapport")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM),
                          QPageLayout.Unit.Millimeter)
    return writer


def open_review(window: QWidget) -> None:
    """Office > Review (Ctrl+Shift+R): its own window, deleted when closed (pyqtgraph loads only now)."""
    view = ReviewView(window.ctx, window)  # type: ignore[attr-defined]
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.review_view = view  # type: ignore[attr-defined]
    view.show()
