"""The Today view: the desk's promises, overdue first, then due today, the next 7 days, and covering for colleagues."""
from __future__ import annotations

import html
import re
from collections.abc import Sized
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules import promises as promise_rules
from models.store import Changes, PromiseRow, StaffMember, StoreError
from models.store.day import split_day
from ui import fmt
from ui import settings as desk
from ui.actions import clients as client_actions
from ui.actions import promises as promise_actions
from ui.actions.promises import away_words
from ui.app import dress, muted_colour
from ui.context import AppContext
from ui.lifetime import Freshness, subscribe
from ui.notify import cover_words
from ui.views.score import badge_text, band_colour, paint_badge
from ui.widgets import ColumnsModel

if TYPE_CHECKING:  # the promise and score subjects load after the first window (start-up budget)
    from models.store import DeskDay

Index = QModelIndex | QPersistentModelIndex

# (key, heading, what an empty section says); the order is the order on screen.
SECTIONS = (
    ("overdue", "Overdue", "Nothing overdue. Well done."),
    ("today", "Due today", "Nothing is due today."),
    ("upcoming", "Next 7 days", "Nothing due in the next 7 days."),
    ("covering", "Covering for colleagues who are away", "Nobody who is away has promises falling due."),
)
NOBODY_AWAY = "Nobody is away, so there is nothing to cover."
# A change of any of these kinds may add, move or remove a promise of the day.
REFRESH_KINDS = frozenset({"promise", "staff", "client", "timeline"})
# Score badges arrive in batches while the office's scores are refreshed: re-read once they settle.
SCORE_SETTLE_MS = 800
LATE = ("overdue", "broken")
# Status colours as (on a light palette, on a dark palette): each reads at least 4.5:1 against its background
# (WCAG AA for normal text: white and #f0f0f0; #1e1e1e to #353535), and the words say the same without colour.
OVERDUE_COLOURS = ("#c62828", "#ff8a80")
DUE_TODAY_COLOURS = ("#b45309", "#f0b040")  # amber-brown, not the score's Amber (#d08a0a, 2.9:1 on white)
# A promise row grows to two lines when its promise, due sentence, client or owner needs them; no further.
MAX_LINES = 2
ROW_HEIGHT = 32  # a one-line row; headings and empty states always
NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class TodayLine:
    """One line of the Today table: a section heading, a section's empty state, or a promise."""

    kind: str  # "heading", "empty" or "promise"
    section: str
    text: str = ""
    promise: PromiseRow | None = None


def due_words(row: PromiseRow, now: datetime) -> str:
    """When a promise is due, in words: 'Overdue by 3 hours', 'Due today at 5:00 pm', 'Due in 3 days (Thu 26 Nov)'."""
    due_local, now_local = fmt.local(row.due), fmt.local(now)
    words = promise_rules.describe_status(row.status, due_local, now_local)
    if row.status == "pending" and (due_local.date() - now_local.date()).days > 1:
        words += f" ({fmt.day(due_local, now_local)})"
    return words


def is_dark(palette: QPalette) -> bool:
    """A dark palette (light text on a dark base), as a desktop's dark mode gives."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def status_colour(colours: tuple[str, str], palette: QPalette | None = None) -> QColor:
    """One of OVERDUE_COLOURS / DUE_TODAY_COLOURS: the shade that reads on this palette (light or dark)."""
    return QColor(colours[is_dark(palette or QApplication.palette())])


class PromiseTableModel(ColumnsModel):
    """The day's promises under their section headings (the headings and empty states are lines too)."""

    COLUMNS = ("Score", "Client", "Promise", "Owner", "Due", "")
    SCORE, CLIENT, PROMISE, OWNER, DUE, ACTION = range(6)
    WRAPPING = (PROMISE, CLIENT, OWNER, DUE)  # the columns whose text may take a second line

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[TodayLine] = []
        self.sections: dict[str, tuple[PromiseRow, ...]] = {key: () for key, _, _ in SECTIONS}
        self.now = store.utcnow()
        self.away: dict[int, str] = {}  # staff id -> "away until Fri 27 Nov"
        self.staff_id: int | None = None

    def set_sections(self, sections: dict[str, tuple[PromiseRow, ...]], *, now: datetime, away: dict[int, str],
                     staff_id: int | None, anybody_away: bool) -> None:
        self.beginResetModel()
        self.sections, self.now, self.away, self.staff_id = sections, now, away, staff_id
        self.lines = []
        for key, heading, empty in SECTIONS:
            rows = sections.get(key, ())
            self.lines.append(TodayLine("heading", key, f"{heading} ({len(rows)})" if rows else heading))
            if not rows:
                text = NOBODY_AWAY if key == "covering" and not anybody_away else empty
                self.lines.append(TodayLine("empty", key, text))
            self.lines += [TodayLine("promise", key, promise=r) for r in rows]
        self.endResetModel()

    # --- helpers for the view and tests ---
    def line_at(self, row: int) -> TodayLine | None:
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def row_of(self, promise_id: int, section: str | None = None) -> int:
        for i, line in enumerate(self.lines):
            if line.promise is not None and line.promise.id == promise_id and section in (None, line.section):
                return i
        return -1

    def action_text(self, line: TodayLine) -> str:
        return "I'll take it" if line.section == "covering" else "Mark kept"

    def owner_text(self, row: PromiseRow) -> str:
        return f"{row.owner_name} (away)" if row.owner_id in self.away else row.owner_name

    # --- Qt model API ---
    def shown_rows(self) -> Sized:
        return self.lines

    def flags(self, index: Index) -> Qt.ItemFlag:
        line = self.line_at(index.row())
        if line is None or line.promise is None:
            # Headings and empty states are not rows to act on: never current, never selected, and the arrow
            # keys step over them (their colours are given in data(), so they do not look disabled).
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line_at(index.row()) if index.isValid() else None
        if line is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return line.promise
        if line.promise is None:
            return self._line_data(line, col, role)
        row = line.promise
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(line, row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.DUE and row.status in LATE:
                return status_colour(OVERDUE_COLOURS)
            if col == self.DUE and row.status == "due_today":
                return status_colour(DUE_TODAY_COLOURS)
            if col == self.SCORE and row.client_score is not None:
                return band_colour(row.client_band)
            if col == self.CLIENT:
                return QApplication.palette().color(QPalette.ColorRole.Link)
        if role == Qt.ItemDataRole.FontRole and col == self.CLIENT:
            font = QFont()
            font.setUnderline(True)
            return font
        return None

    def _line_data(self, line: TodayLine, col: int, role: int) -> Any:
        if col != 0:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return line.text
        if role == Qt.ItemDataRole.FontRole and line.kind == "heading":
            font = QFont()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.1)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if line.kind == "empty":
                return muted_colour()
            if line.section == "overdue" and self.sections.get("overdue"):
                return status_colour(OVERDUE_COLOURS)
            return QApplication.palette().color(QPalette.ColorRole.Text)  # not the disabled grey (see flags)
        return None

    def text_of(self, line: TodayLine, col: int) -> str:
        """What a promise line shows in a column (as DisplayRole, without going through an index)."""
        assert line.promise is not None
        return self._text(line, line.promise, col)

    def _text(self, line: TodayLine, row: PromiseRow, col: int) -> str:
        if col == self.SCORE:
            return badge_text(row.client_score, row.client_band, "")
        if col == self.CLIENT:
            return row.client_name
        if col == self.PROMISE:
            return row.text
        if col == self.OWNER:
            return self.owner_text(row)
        if col == self.DUE:
            return due_words(row, self.now)
        return self.action_text(line)

    def _tooltip(self, line: TodayLine, row: PromiseRow, col: int) -> str:
        if col == self.SCORE:
            if row.client_score is None:
                return "The impression score is being worked out."
            return f"Impression score {row.client_score} of 100 ({row.client_band})."
        if col == self.CLIENT:
            return f"Open {row.client_name}"
        if col == self.PROMISE:
            return long_tip(row.text)
        if col == self.DUE:  # the whole sentence (the cell may be cut short) and the exact time
            return f"{due_words(row, self.now)}.\nDue {fmt.in_sentence(fmt.when(row.due, self.now))}."
        if col == self.OWNER and row.owner_id in self.away:
            return f"{row.owner_name} is {self.away[row.owner_id]}."
        if col == self.ACTION:
            if line.section == "covering":
                return f"Take this promise over from {row.owner_name}: it becomes yours."
            return "Mark this promise kept."
        return self._text(line, row, col)


def long_tip(text: str) -> str:
    """A tooltip for text that may be long: rich text, so Qt wraps it instead of one line across the screen."""
    if len(text) <= 60:
        return text
    return f"<p>{html.escape(text)}</p>"


def _centred(rect: QRect, height: int) -> QRect:
    """The middle `height` pixels of a cell (a badge or button keeps its size when a row grows to two lines)."""
    if rect.height() <= height:
        return rect
    return QRect(rect.x(), rect.y() + (rect.height() - height) // 2, rect.width(), height)


def keep_together(words: str) -> str:
    """A due sentence that wraps between its parts, not inside them: '(was due Thu 19 Nov)' and '5:00 pm' stay
    whole (no-break spaces), so a second line reads 'pm' or 'Nov)' never on its own."""
    words = re.sub(r"\([^)]*\)", lambda m: m.group(0).replace(" ", NBSP), words)
    return re.sub(r"(\d) ([ap]m)\b", rf"\1{NBSP}\2", words)


class TodayDelegate(QStyledItemDelegate):
    """Paints the score as the usual badge and the action column as a button."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.column() == PromiseTableModel.DUE and option.text:
            option.text = keep_together(option.text)

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(Qt.ItemDataRole.UserRole)
        if row is None or index.column() not in (PromiseTableModel.SCORE, PromiseTableModel.ACTION):
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        if index.column() == PromiseTableModel.SCORE:
            text = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
            paint_badge(painter, QRectF(_centred(option.rect, ROW_HEIGHT)).adjusted(3, 4, -3, -4), row.client_score,
                        row.client_band, "", (), option.font, text)
            return
        button = QStyleOptionButton()
        button.rect = _centred(option.rect, ROW_HEIGHT).adjusted(4, 3, -4, -3)
        button.text = index.data(Qt.ItemDataRole.DisplayRole)
        button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, option.widget)


class TodayView(QWidget):
    """What the desk has promised and must not forget, one click from each client."""

    day_loaded = Signal(object)
    """The office's day was read (a models.store.DeskDay of the whole team): the notifier checks it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day: DeskDay | None = None
        self.team: list[StaffMember] = list(ctx.team)
        self._loading = False
        self._again = False
        self._generation = 0
        self._scores_asked: set[int] = set()

        self.title = dress(QLabel("Today", objectName="clientName"))
        self.summary = dress(QLabel(objectName="muted"))
        self.mine_button = QPushButton("My promises", checkable=True)
        self.team_button = QPushButton("Whole team", checkable=True)
        self.mine_button.setToolTip("Only promises you own (Covering always shows colleagues who are away)")
        self.team_button.setToolTip("Everyone's promises")
        self.scope = QButtonGroup(self)
        self.scope.setExclusive(True)
        self.scope.addButton(self.mine_button)
        self.scope.addButton(self.team_button)
        mine = str(ctx.settings.value(desk.TODAY_SCOPE, "mine")) != "team"
        (self.mine_button if mine else self.team_button).setChecked(True)
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        self.table_model = PromiseTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setItemDelegate(TodayDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)  # up to MAX_LINES lines a row (_fit_rows), then "..." and the tooltip
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setMouseTracking(True)
        self.table.setAccessibleName("Today's promises")
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self._size_columns()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.mine_button)
        top.addWidget(self.team_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)

        self._score_timer = QTimer(self, singleShot=True, interval=SCORE_SETTLE_MS)
        self._score_timer.timeout.connect(self.refresh)
        self._rows_timer = QTimer(self, singleShot=True, interval=0)  # once after a burst of column resizes
        self._rows_timer.timeout.connect(self._fit_rows)
        self.table.horizontalHeader().sectionResized.connect(self._rows_timer.start)
        self.scope.buttonClicked.connect(self._on_scope_button_clicked)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.installEventFilter(self)  # Enter opens the client of the current row
        self.table.entered.connect(self._on_table_entered)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.freshness = Freshness(self, lambda: self.load())  # read when shown; while hidden, marked stale
        subscribe(self, ctx.events.data_changed, self._on_events_data_changed)
        subscribe(self, ctx.events.clock_ticked, self.refresh)
        subscribe(self, ctx.events.staff_changed, self._on_events_staff_changed)

    # --- layout ---
    def _size_columns(self) -> None:
        """The promise gets the room; the badge and button fit their contents; client, owner and due stay compact.

        Widths follow the font (a desk with large text gets wider columns). At the usual 1280 px window the
        right pane is about 800 px, and the promise gets about a third of it, on up to two lines.
        """
        fm = self.table.fontMetrics()
        bold = QFont(self.table.font())
        bold.setBold(True)
        pad = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 4
        t = PromiseTableModel
        widths = {  # typical texts fit on one line; longer ones take a second (_fit_rows)
            t.SCORE: QFontMetrics(bold).horizontalAdvance("100 Amber") + 24,
            t.CLIENT: fm.horizontalAdvance("Oliver Thompson") + pad,
            t.OWNER: fm.horizontalAdvance("Ben Okafor (away)") + pad,
            t.DUE: fm.horizontalAdvance("Due tomorrow at 5:00 pm") + pad,  # "Broken ... (was due ...)": two lines
            t.ACTION: max(fm.horizontalAdvance(w) for w in ("I'll take it", "Mark kept")) + 36,
        }
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(fm.horizontalAdvance("Owner") + pad)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # client, owner, due: the person may widen
        header.setSectionResizeMode(t.PROMISE, QHeaderView.ResizeMode.Stretch)
        for col in (t.SCORE, t.ACTION):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        for col, width in widths.items():
            self.table.setColumnWidth(col, width)

    def _fit_rows(self) -> None:
        """Each promise row one line tall, or two when a text is wider than its column (beyond two: "..." at the
        end of the second line, and the tooltip has it all). Headings and empty states stay one line.

        Measured with the font rather than sizeHintForRow: the big office's week has hundreds of rows.
        """
        model, table = self.table_model, self.table
        fm = table.fontMetrics()
        margins = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)  # as Qt draws text
        room = [(col, table.columnWidth(col) - margins) for col in PromiseTableModel.WRAPPING]
        two_lines = ROW_HEIGHT + fm.lineSpacing() * (MAX_LINES - 1)
        for i, line in enumerate(model.lines):
            height = ROW_HEIGHT
            if line.promise is not None and any(
                    fm.horizontalAdvance(model.text_of(line, col)) > width for col, width in room):
                height = two_lines
            if table.rowHeight(i) != height:
                table.setRowHeight(i, height)

    # --- reading ---
    @property
    def mine_only(self) -> bool:
        return self.mine_button.isChecked()

    def refresh(self) -> None:
        """Re-read the day now if the view is on screen, else when it is next shown."""
        self.freshness.changed()

    def load(self) -> None:
        """Read the whole team's day (and who is away) on the database thread."""
        self.freshness.stale = False
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._generation += 1
        generation = self._generation
        self.ctx.tasks.run(lambda: (store.desk_day(), store.list_staff()),
                           lambda result: self._on_day_read(generation, result),
                           lambda error: self._on_day_failed(generation, error))

    def _on_day_read(self, generation: int, result: tuple[DeskDay, list[StaffMember]]) -> None:
        self._loading = False
        if generation == self._generation:
            self.day, self.team = result
            if self.team != self.ctx.team:  # read fresh with the day: the promise actions ask about who is away
                self.ctx.team = list(self.team)
                self.ctx.events.team_changed.emit()
            self._show()
            self.day_loaded.emit(self.day)
            self._ask_for_scores()
        if self._again:
            self._again = False
            self.load()

    def _on_day_failed(self, generation: int, error: StoreError) -> None:
        self._loading = False
        if generation == self._generation:
            self.say(error.message)

    def _show(self) -> None:
        if self.day is None:
            return
        now = store.utcnow()
        away = {m.id: words for m in self.team if (words := away_words(m, now))}
        selected = self.current_promise()
        sections = split_day(self.day, staff_id=self.ctx.staff_id, mine_only=self.mine_only)
        self.table_model.set_sections(sections, now=now, away=away, staff_id=self.ctx.staff_id,
                                      anybody_away=any(m.is_away(now) for m in self.team))
        self.table.clearSpans()
        for i, line in enumerate(self.table_model.lines):
            if line.promise is None:
                self.table.setSpan(i, 0, 1, len(PromiseTableModel.COLUMNS))
        self._fit_rows()
        if selected is not None:
            row = self.table_model.row_of(selected.id)
            if row >= 0:
                self.table.selectRow(row)
        late, today = len(sections["overdue"]), len(sections["today"])
        whose = "yours" if self.mine_only else "the team's"
        # "to cover today" counts what the start-of-day notice counts; the week's rest in brackets
        self.summary.setText(f"{late} overdue, {today} due today ({whose}), {cover_words(sections['covering'])}")

    def _ask_for_scores(self) -> None:
        """Badges not worked out yet are worked out now (a batch at a time), then the view re-reads."""
        if self.day is None:
            return
        rows = self.day.overdue + self.day.today + self.day.upcoming + self.day.covering
        missing = sorted({r.client_id for r in rows if r.client_score is None} - self._scores_asked)[:50]
        if missing:
            self._scores_asked.update(missing)
            self.ctx.tasks.run(lambda: store.refresh_scores(client_ids=missing, limit=len(missing)),
                               None, lambda _error: None)  # a badge is not worth a banner; it comes later

    def rows_in(self, section: str) -> tuple[PromiseRow, ...]:
        """The promises shown in a section ("overdue", "today", "upcoming", "covering"), in screen order."""
        return self.table_model.sections.get(section, ())

    def current_promise(self) -> PromiseRow | None:
        index = self.table.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    # --- what changed elsewhere ---
    def _on_events_data_changed(self, changes: Changes) -> None:
        if changes.kinds & REFRESH_KINDS:
            # A save (here or at another desk) may have made these clients' badges stale: the re-read shows "..."
            # for them, and _ask_for_scores must be free to ask for them again (as the client list does).
            if changes.clients:
                self._scores_asked -= changes.clients
            else:
                self._scores_asked.clear()
            self.refresh()
        elif "score" in changes.kinds and self.day is not None:
            shown = {r.client_id for r in self.day.overdue + self.day.today + self.day.upcoming + self.day.covering}
            if not changes.clients or changes.clients & shown:
                self._score_timer.start()

    def _on_events_staff_changed(self, member: StaffMember) -> None:
        self._show()
        self.refresh()

    def _on_scope_button_clicked(self, button: QPushButton) -> None:
        self.ctx.settings.setValue(desk.TODAY_SCOPE, "mine" if self.mine_only else "team")
        self._show()

    # --- the person's actions ---
    def say(self, message: str) -> None:
        """Show a sentence above the list (a refused action); cleared by the next successful one."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _on_table_clicked(self, index: QModelIndex) -> None:
        line = self.table_model.line_at(index.row())
        if line is None or line.promise is None:
            return
        if index.column() == PromiseTableModel.CLIENT:
            self.open_client(line.promise)
        elif index.column() == PromiseTableModel.ACTION:
            self.act(line)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        line = self.table_model.line_at(index.row())
        if line is not None and line.promise is not None and index.column() not in (
                PromiseTableModel.CLIENT, PromiseTableModel.ACTION):  # those did their thing on the first click
            self.open_client(line.promise)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
            row = self.current_promise()
            if row is not None:
                self.open_client(row)
                return True
        return super().eventFilter(watched, event)

    def _on_table_entered(self, index: QModelIndex) -> None:
        clickable = index.data(Qt.ItemDataRole.UserRole) is not None and index.column() in (
            PromiseTableModel.CLIENT, PromiseTableModel.ACTION)
        self.table.viewport().setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)

    def _on_table_context_menu_requested(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        line = self.table_model.line_at(index.row()) if index.isValid() else None
        if line is None or line.promise is None:
            return
        menu = QMenu(self)
        for label, callback in self.actions_for(line):
            menu.addAction(label, callback)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def actions_for(self, line: TodayLine) -> list[tuple[str, Any]]:
        """The context-menu actions of a promise line, as (label, callback) pairs: every promise action."""
        row = line.promise
        assert row is not None
        promise = promise_actions.ref(row)
        labels = promise_actions.LABELS
        out: list[tuple[str, Any]] = [(f"Open {row.client_name}", lambda: self.open_client(row)),
                                      (labels["keep"], lambda: self.keep(row))]
        if row.owner_id != self.ctx.staff_id:
            out.append((labels["take"], lambda: self.take(row)))
        out += [(labels["give"], lambda: self.give(row)),
                (labels["renegotiate"], lambda: promise_actions.renegotiate(self.ctx, self, promise)),
                (labels["correct"], lambda: promise_actions.correct_text(self.ctx, self, promise, say=self.say)),
                (labels["cancel"], lambda: promise_actions.cancel(self.ctx, self, promise)),
                ("Hand-off card...", lambda: self.show_handoff(row.client_id))]
        return out

    def act(self, line: TodayLine) -> None:
        """The row's button: "I'll take it" under Covering, "Mark kept" elsewhere."""
        assert line.promise is not None
        if line.section == "covering":
            self.take(line.promise)
        else:
            self.keep(line.promise)

    def open_client(self, row: PromiseRow) -> None:
        self.ctx.events.client_requested.emit(row.client_id)

    def show_handoff(self, client_id: int) -> None:
        client_actions.show_handoff(self.ctx, self, client_id)

    def keep(self, row: PromiseRow) -> None:
        """Mark the promise kept (ui/actions/promises.py asks about the apology when it is late)."""
        promise_actions.keep(self.ctx, self, promise_actions.ref(row), say=self.say, after=self.refresh)

    def take(self, row: PromiseRow) -> None:
        """"I'll take it": the promise becomes the desk person's (warned first if they are away themselves)."""
        promise_actions.take(self.ctx, self, promise_actions.ref(row), say=self.say, after=self.refresh)

    def give(self, row: PromiseRow) -> None:
        """Give the promise to a colleague chosen from the team; warned when they are away when it falls due."""
        promise_actions.give(self.ctx, self, promise_actions.ref(row), say=self.say, after=self.refresh)
