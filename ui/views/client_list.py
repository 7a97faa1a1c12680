"""The client list: every client with last contact and next promise, filtered as you type."""
from __future__ import annotations

from collections.abc import Callable, Sized
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules.text import SEARCH_LIMIT, too_long
from models.store import Changes, ClientRow
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.lifetime import subscribe
from ui.views.score import badge_text, badge_tooltip, paint_badge
from ui.widgets import ColumnsModel

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

Index = QModelIndex | QPersistentModelIndex
# The rest of the list is read once the first rows are painted, or after this long if they are not (ms).
REST_AT_THE_LATEST_MS = 500
# Rows shown before the rest of a big office's list has been read: more than the tallest screen shows (a 4K
# screen's list holds about 70). 300 read and sorted twice the work for rows nobody sees before the rest is in.
FIRST_ROWS = 100


DISPLAY, USER, TOOLTIP = (int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole,
                                           Qt.ItemDataRole.ToolTipRole))
ANSWERED_ROLES = frozenset({DISPLAY, USER, TOOLTIP})


class ClientTableModel(ColumnsModel):
    """All live clients in memory (10,000 rows are a few MB), kept sorted; the filter is the set of client ids the
    search index matched (found on the database thread), applied in one pass over the sorted rows."""

    COLUMNS = ("Score", "Name", "Organisation", "Phone", "Last contact", "Next promise due")
    SCORE, NAME, ORG, PHONE, LAST, NEXT = range(6)
    # issue 15: what each column is in a CSV of the list (store.export_clients_csv's fields)
    FIELDS = ("score", "name", "organisation", "phone", "last_contact", "next_due")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: dict[int, ClientRow] = {}
        self._sorted: list[ClientRow] = []  # every row, in the current sort: sorted again only when rows or sort change
        self._visible: list[ClientRow] = []
        self._matching: frozenset[int] | None = None  # issue 14: None = no filter
        self._sort = (self.NAME, Qt.SortOrder.AscendingOrder)
        self._at_risk_only = False
        self.now = store.utcnow()

    # --- data in ---
    def set_rows(self, rows: list[ClientRow]) -> None:
        self._rows = {r.id: r for r in rows}
        self._rebuild(resort=True)

    def merge_rows(self, ids: set[int], rows: list[ClientRow]) -> None:
        """Replace the rows of `ids` with fresh ones (a client missing from `rows` was deleted)."""
        for cid in ids:
            self._rows.pop(cid, None)
        self._rows.update({r.id: r for r in rows})
        self._rebuild(resort=True)

    def set_matching(self, ids: frozenset[int] | None) -> None:
        """Show only these clients (None: all), as store.matching_clients found them; no sorting again."""
        self._matching = ids
        self._rebuild()

    @property
    def filtering(self) -> bool:
        return self._matching is not None

    def set_at_risk_only(self, on: bool) -> None:
        self._at_risk_only = on
        self._rebuild()

    def _matches(self, row: ClientRow) -> bool:
        if self._at_risk_only and not (row.band == "Red" or (row.band == "Amber" and row.trend == "down")):
            return False
        return self._matching is None or row.id in self._matching

    def _rebuild(self, *, resort: bool = False) -> None:
        self.beginResetModel()
        if resort:
            self._sorted = list(self._rows.values())
            self._apply_sort()
        self._visible = [r for r in self._sorted if self._matches(r)]
        self.endResetModel()

    def _apply_sort(self) -> None:
        column, order = self._sort
        keys = {
            self.SCORE: lambda r: (r.score if r.score is not None else -1, r.name.casefold()),
            self.NAME: lambda r: (r.name.casefold(), r.id),
            self.ORG: lambda r: (r.organisation.casefold(), r.name.casefold()),
            self.PHONE: lambda r: (r.phone, r.name.casefold()),
            self.LAST: lambda r: (r.last_contact_us or 0, r.name.casefold()),
            self.NEXT: lambda r: (r.next_due_us is None, r.next_due_us or 0),
        }
        reverse = order == Qt.SortOrder.DescendingOrder
        self._sorted.sort(key=keys[column], reverse=reverse)
        self._visible.sort(key=keys[column], reverse=reverse)

    # --- Qt model API ---
    def shown_rows(self) -> Sized:
        return self._visible

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Asked for seven roles of every cell painted: the roles it does not answer go first, as plain ints (the
        # first paint of the list asked about 700 times; issue 10).
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        row = self._visible[index.row()]
        col = index.column()
        if role == DISPLAY:
            return self._text(row, col)
        if role == USER:
            return row
        if col == self.SCORE:  # the tooltip
            return badge_tooltip(row.score, row.band, row.trend, row.flags)
        return None

    def _text(self, row: ClientRow, col: int) -> str:
        if col == self.SCORE:
            return badge_text(row.score, row.band, row.trend, row.flags)
        if col == self.NAME:
            return row.name
        if col == self.ORG:
            return row.organisation
        if col == self.PHONE:
            return row.phone
        if col == self.LAST:
            return fmt.date_only(row.last_contact_at, self.now)
        return fmt.when(row.next_due_at, self.now)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._apply_sort()
        self.layoutChanged.emit()

    # --- helpers for the panel ---
    def row_of(self, client_id: int) -> int:
        for i, r in enumerate(self._visible):
            if r.id == client_id:
                return i
        return -1

    def client_at(self, row: int) -> ClientRow | None:
        return self._visible[row] if 0 <= row < len(self._visible) else None

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def shown(self) -> int:
        return len(self._visible)


class ScoreDelegate(QStyledItemDelegate):
    """Paints the score column as the same badge the client header shows.

    Whether the row is selected comes from the view's selection, not from `option.state`: reading that makes
    PySide build its whole QStyle class (about 5 ms) as the first rows are painted (start-up budget, issue 10).
    """

    def __init__(self, table: QTableView, model: ClientTableModel) -> None:
        super().__init__(table)
        self.model = model
        self.selection = table.selectionModel()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = self.model.client_at(index.row())  # (straight from the model, not a round trip through Qt)
        selected = self.selection.isSelected(index)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        if row is None:
            return
        rect = QRectF(option.rect).adjusted(3, 3, -3, -3)
        text = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        paint_badge(painter, rect, row.score, row.band, row.trend, (), option.font, text)


# Column widths (px) of the list: these always show; the optional ones give way in this order when it is narrow.
ESSENTIAL_WIDTHS = {ClientTableModel.SCORE: 104, ClientTableModel.NAME: 140, ClientTableModel.PHONE: 112,
                    ClientTableModel.NEXT: 130}
OPTIONAL_WIDTHS = ((ClientTableModel.ORG, 130), (ClientTableModel.LAST, 95))
LIST_CHROME = 24  # the table's frame and its vertical scroll bar (the list's width for its essential columns)


class ClientTable(QTableView):
    """The list's table; it says when it was resized, so that its columns fit its width (an event filter made every
    event the table gets, a hundred at start-up, a call into Python), and when it has painted."""

    resized = Signal()
    painted = Signal()
    """The list was painted (said after each paint)."""

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.resized.emit()

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        self.painted.emit()


class ClientListPanel(QWidget):
    """The left side of the window: find a client, see who needs attention, add a client."""

    client_activated = Signal(int)
    """The person chose a client (click or Enter)."""

    add_requested = Signal()
    """The person asked to add a new client."""

    loaded = Signal()
    """The list's first rows are in (none, in an empty office): they are painted next, and the window is usable."""

    first_rows_shown = Signal()
    """The list's first rows are painted: said the turn after that paint (or REST_AT_THE_LATEST_MS after they came,
    in a window that is not painted). The store opens the office then, after a first look (ui/session.py)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = ClientTableModel(self)
        self._loaded = False
        self._loading = False
        self._early: tuple[int, list[ClientRow]] | None = None  # first rows read before the list showed (prefetch)
        self._office = 0  # which office the rows in flight belong to: forget() outdates them
        self._reload_again = False
        self._refreshing = False
        self._stale = True
        self._selected: int | None = None
        self._syncing = False
        self._generation = 0  # issue 14: each keystroke's filter query; a stale one is dropped or ignored
        self._rest_for: int | None = None  # the office whose whole list is read once its first rows are painted

        self.search = QLineEdit(placeholderText="Find a client: name, organisation, phone, email or address")
        # (its clear button comes the turn after the first rows are in: _show_rows)
        self.search.setAccessibleName("Find a client")
        self.at_risk = QToolButton(text="At risk", checkable=True)  # its checked look when first checked (ui.app.dress)
        self.at_risk.setToolTip("Show only clients in the red, or amber and falling")
        self.add_button = QPushButton("New client")
        self.add_button.setToolTip("Add a client (Ctrl+N)")
        self.count = dress(QLabel(objectName="muted"))

        self.table = ClientTable(showGrid=False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ClientTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)  # issue 15: the person arranges the columns (and a CSV follows them)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._columns_menu: QMenu | None = None
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        header.sectionMoved.connect(self._on_header_section_moved)
        self.table.resized.connect(self.fit_columns)  # the columns fit the list's width (fit_columns) ...
        self.auto_fit = True  # ... until the person arranges them (or the desk remembers how they were arranged)
        self._fitting = False
        header.sectionResized.connect(self._on_header_section_resized)
        self.table.setItemDelegateForColumn(ClientTableModel.SCORE, ScoreDelegate(self.table, self.model))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.at_risk)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.add_button.clicked.connect(self.add_requested)
        self.at_risk.toggled.connect(self._on_at_risk_toggled)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.activated.connect(self._on_table_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        subscribe(self, ctx.events.data_changed, self._on_data_changed)
        subscribe(self, ctx.events.clock_ticked, self._on_clock_ticked)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.focus_search)

    def fit_columns(self) -> None:
        """Name, phone and the next promise due always show without scrolling sideways; the narrow columns
        (last contact first, then organisation) give way when the list is narrow, and come back when it grows.
        Whatever room is left goes to the name."""
        if not self.auto_fit:
            return
        self._fitting = True
        # The viewport's width, without asking for the viewport: PySide6 takes ~8 ms to hand it over the first
        # time, at start-up (issue 10). The same number (tests/ui/test_first_rows.py).
        width = self.table.maximumViewportSize().width()
        if self.model.rowCount():  # (no rows, no scroll bar: its first wrapping is 0.6 ms more at start-up)
            bar = self.table.verticalScrollBar()
            width -= bar.width() if bar.isVisible() else 0
        spare = width - sum(ESSENTIAL_WIDTHS.values())
        for col, width in OPTIONAL_WIDTHS:
            shown = spare >= width
            self.table.setColumnHidden(col, not shown)
            if shown:
                spare -= width
                self.table.setColumnWidth(col, width)
        for col, width in ESSENTIAL_WIDTHS.items():
            self.table.setColumnWidth(col, width + (max(0, spare) if col == ClientTableModel.NAME else 0))
        self._fitting = False

    def _on_header_section_resized(self, _col: int, _old: int, _new: int) -> None:
        if not self._fitting and self.table.horizontalHeader().isVisible() and \
                QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self.auto_fit = False  # the person dragged a column: theirs from now on

    # --- the columns as the person arranged them (issue 15) ---
    def _on_header_section_moved(self, _logical: int, _old: int, _new: int) -> None:
        self.auto_fit = False  # the person moved a column: theirs from now on

    def _on_header_menu_requested(self, pos: Any) -> None:
        """Right-click on the headers: tick the columns to show (one menu, made the first time)."""
        if self._columns_menu is None:
            self._columns_menu = QMenu(self)
            for col, title in enumerate(self.model.COLUMNS):
                action = self._columns_menu.addAction(title)
                action.setCheckable(True)
                action.setEnabled(col != ClientTableModel.NAME)  # a list of clients always names them
                action.triggered.connect(lambda on, col=col: self.show_column(col, on))
        for col, action in enumerate(self._columns_menu.actions()):
            action.setChecked(not self.table.isColumnHidden(col))
        self._columns_menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def show_column(self, col: int, shown: bool) -> None:
        """Show or hide a column, as the person chose (the list stops arranging its columns by itself)."""
        self.auto_fit = False
        self.table.setColumnHidden(col, not shown)
        if shown and self.table.columnWidth(col) < 40:
            self.table.setColumnWidth(col, dict(OPTIONAL_WIDTHS).get(col) or ESSENTIAL_WIDTHS.get(col, 100))

    def shown_columns(self) -> list[tuple[str, str]]:
        """The visible columns in their on-screen order: (the store's CSV field, the header as shown)."""
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(visual) for visual in range(header.count())]
        return [(self.model.FIELDS[col], str(self.model.headerData(col, Qt.Orientation.Horizontal)))
                for col in logical if not header.isSectionHidden(col)]

    def shown_ids(self) -> list[int]:
        """The clients the list shows (its filter), in its sort."""
        return [row.id for row in self.model.shown_rows()]

    # --- loading ---
    def prefetch(self) -> None:
        """The office just opened: read the first screenful now, while the desk is being set up, so that the list
        paints its first rows as soon as it is shown (start-up budget, issue 10); the rest is read then."""
        if self._loaded or self._loading:
            return
        self._stale = False
        self._loading = True
        self._read_first()

    def take_first_rows(self, rows: list[ClientRow]) -> None:
        """The list's first rows from a first look at the office, before the store opened it (ui/session.py): shown
        as its own first read would be, and the rest read once they are painted."""
        if self._loaded or self._loading:
            return
        self._stale = False
        self._loading = True
        self._on_first_rows_loaded((self._office, rows))

    def reload(self) -> None:
        """Read the whole list again (start, a new day, another desk's bulk change).

        The very first load shows the first names at once and reads the rest right after, so a big
        office's window is usable before all 10,000 rows have arrived.
        """
        if not self.isVisible() and self._loaded:
            self._stale = True
            return
        self._stale = False
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        if not self._loaded:
            self._read_first()
        else:
            self._read_all()

    def _read_first(self) -> None:
        office = self._office
        self.ctx.tasks.run(lambda: (office, store.list_clients(limit=FIRST_ROWS)), self._on_first_rows_loaded,
                           self._on_load_failed)

    def _read_all(self) -> None:
        office = self._office
        self.ctx.tasks.run(lambda: (office, store.list_clients()), self._on_rows_loaded, self._on_load_failed)

    def _on_first_rows_loaded(self, answer: tuple[int, list[ClientRow]]) -> None:
        office, rows = answer
        if self._loaded or office != self._office:
            return  # the whole list is here already, or these are the rows of an office this desk has left
        if not self.isVisible():
            self._early = answer  # prefetched: shown (and the rest read) when the list is
            return
        if len(rows) < FIRST_ROWS:  # that was the whole list: there is no rest to read
            self._on_rows_loaded(answer)
            return
        self.count.setText("Loading the rest of the clients...")
        self._show_rows(rows)
        # The rest once these are painted: read while they were being painted, it slowed the paint by a quarter
        # (one GIL for the database thread's 10,000 rows and the paint's calls into Python; issue 10).
        self._read_rest_after_paint(office)

    def _read_rest_after_paint(self, office: int) -> None:
        """Read the whole list once the first rows are painted (the turn after), or in REST_AT_THE_LATEST_MS."""
        def read() -> None:
            if self._rest_for == office == self._office:  # only for the office still open
                self._rest_for = None
                self._read_all()

        self._rest_for = office
        self._once_painted(read)

    def _on_rows_loaded(self, answer: tuple[int, list[ClientRow]]) -> None:
        office, rows = answer
        if office != self._office:
            return
        self._loading = False
        self._loaded = True
        self._show_rows(rows)
        self._update_count()
        if self._reload_again:
            self._reload_again = False
            self.reload()
        self.refresh_scores()

    def forget(self) -> None:
        """Another database is being opened: show nothing until its list arrives."""
        self._loaded = False
        self._loading = False
        self._reload_again = False
        self._early = None
        self._office += 1  # a read of the office being left that is still in flight is ignored
        self._stale = True
        self._selected = None
        self.model.set_rows([])
        self.count.clear()

    def refresh_scores(self) -> None:
        """Bring stale score badges up to date, a batch at a time, on the database thread.

        Each batch's Changes come back through data_changed, which merges the refreshed rows.
        """
        if self._refreshing:
            return
        self._refreshing = True
        # (named on the database thread: the score engine loads there, after the first rows are painted)
        self.ctx.tasks.run(lambda: store.refresh_scores(), self._on_scores_refreshed, self._on_refresh_failed)

    def _on_scores_refreshed(self, changes: Changes) -> None:
        self._refreshing = False
        if changes.clients:
            self.refresh_scores()  # there may be more waiting

    def _on_refresh_failed(self, error: Any) -> None:
        self._refreshing = False  # the next clock tick tries again; scores are not worth a banner

    def _on_clock_ticked(self) -> None:
        self.model.now = store.utcnow()
        self.model.layoutChanged.emit()  # "Today" / "Yesterday" move on
        self.refresh_scores()

    def _on_load_failed(self, error: Any) -> None:
        self._loading = False
        self._stale = True  # shown again, it tries again
        self.ctx.events.error_reported.emit(error.message)

    def _show_rows(self, rows: list[ClientRow]) -> None:
        first = not self.model.total
        self.model.now = store.utcnow()
        self.model.set_rows(rows)
        self._restore_selection()
        if first:
            self.loaded.emit()
            QTimer.singleShot(0, self, lambda: self.search.setClearButtonEnabled(True))  # (0.6 ms; shown when typed in)
            self._once_painted(self.first_rows_shown.emit)

    def _once_painted(self, then: Callable[[], None]) -> None:
        """`then()`, once: the turn after the list's next paint, or in REST_AT_THE_LATEST_MS if none comes."""
        done: list[bool] = []

        def run() -> None:
            if not done:
                done.append(True)
                then()

        def painted() -> None:
            self.table.painted.disconnect(painted)
            QTimer.singleShot(0, self, run)
        self.table.painted.connect(painted)
        QTimer.singleShot(REST_AT_THE_LATEST_MS, self, run)

    def _on_data_changed(self, changes: Changes) -> None:
        if "settings" in changes.kinds and self._loaded and self.model.filtering:
            # the office's country may have changed how phone numbers read: the typed filter asks again
            self._on_search_text_changed(self.search.text())
        # (While only the first rows are in, their clients' changes are merged too: the rest, read after the first
        # paint, is read as it is then.)
        if not changes.kinds & {"client", "timeline", "promise", "score"} or not (self._loaded or self.model.total):
            return
        if not changes.clients:
            self.reload()
            return
        ids = set(changes.clients)
        self.ctx.tasks.run(lambda: store.list_clients(ids=ids), lambda rows: self._on_rows_merged(ids, rows))

    def _on_rows_merged(self, ids: set[int], rows: list[ClientRow]) -> None:
        self.model.now = store.utcnow()
        self.model.merge_rows(ids, rows)
        if self.model.filtering:  # issue 14: a changed client may match the filter now, or no longer
            self._on_search_text_changed(self.search.text())
        self._restore_selection()
        if self._loaded:  # (until then it says the rest is being loaded)
            self._update_count()
        if any(row.score is None for row in rows):
            self.refresh_scores()  # a save made these badges stale: bring them back now, not at the next tick

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self._early is not None:
            early, self._early = self._early, None
            self._on_first_rows_loaded(early)
        elif self._stale:
            self.reload()

    # --- interaction ---
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def select_client(self, client_id: int) -> None:
        self._selected = client_id
        self._restore_selection()

    def _restore_selection(self) -> None:
        if self._selected is None:
            return
        row = self.model.row_of(self._selected)
        self._syncing = True  # the list follows the open client; it does not open it again
        if row < 0:  # filtered out: no other client stays highlighted as if it were the open one
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
        else:
            self.table.selectRow(row)  # with the view told, so exactly one row is painted as chosen
        self._syncing = False
        if row >= 0:
            index = self.model.index(row, 0)
            # After a reset the view lays its rows out later: scroll once it has (a new client at the
            # end was left as a sliver under the scroll bar).
            QTimer.singleShot(0, self.table, lambda: self.table.scrollTo(index))

    def _on_search_text_changed(self, text: str) -> None:
        """Find the matching clients on the database thread; a newer keystroke drops or outdates this one."""
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self._on_matching_found(generation, None)
            return
        if len(text) > SEARCH_LIMIT:
            self.count.setText(too_long("The search text", SEARCH_LIMIT, len(text)))
            return

        def find() -> frozenset[int] | None:
            if generation != self._generation:
                return None  # dropped before it ran: the person typed on
            return store.matching_clients(text)
        self.ctx.tasks.run(find, lambda ids: self._on_matching_found(generation, ids), self._on_filter_failed)

    def _on_matching_found(self, generation: int, ids: frozenset[int] | None) -> None:
        if generation != self._generation:
            return  # a later keystroke's answer is coming
        self.model.set_matching(ids)
        self._restore_selection()
        self._update_count()

    def _on_filter_failed(self, error: Any) -> None:
        self.count.setText(error.message)

    def _on_at_risk_toggled(self, on: bool) -> None:
        dress(self.at_risk)  # the checked look (QToolButton:checked)
        self.model.set_at_risk_only(on)
        if on:
            self.table.sortByColumn(ClientTableModel.SCORE, Qt.SortOrder.AscendingOrder)
        self._restore_selection()
        self._update_count()

    def _on_search_return_pressed(self) -> None:
        if self.model.shown:
            self.table.setFocus()
            self._syncing = True
            self.table.selectRow(0)
            self._syncing = False
            self._open_row(0, again=True)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        self._open_row(index.row(), again=True)

    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid() and self.table.hasFocus() and not self._syncing:
            self._open_row(current.row())

    def _open_row(self, row: int, *, again: bool = False) -> None:
        """Open the client of `row`. A click, Enter or a double-click opens it even when it is the one selected
        (the window may show Today, or the client was just restored); arrowing onto it does not open it twice."""
        client = self.model.client_at(row)
        if client is not None and (again or client.id != self._selected):
            self._selected = client.id
            self.client_activated.emit(client.id)

    def _update_count(self) -> None:
        total, shown = self.model.total, self.model.shown
        if total == 0:
            self.count.setText("No clients yet. Add the first one with New client.")
        elif shown == total:
            self.count.setText(f"{total:,} client{'s' if total != 1 else ''}")
        elif self.model._at_risk_only and not self.model.filtering:
            self.count.setText(f"{shown:,} of {total:,} clients at risk")
        else:
            self.count.setText(f"{shown:,} of {total:,} clients match")
