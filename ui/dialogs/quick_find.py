"""Quick find (Ctrl+K): one search over every client, interaction, note and promise, with results as you type.

Each keystroke's search runs on the database thread with a generation number: a query a newer keystroke has
made stale is dropped before it runs, and a late answer is ignored, so typing never waits (DESIGN.md).
Arrow keys move through the results, Enter opens the client at that entry, Esc closes.
"""
from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules.text import SEARCH_LIMIT, too_long
from models.store import Changes
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.lifetime import subscribe

if TYPE_CHECKING:
    from models.store import SearchHit

Index = QModelIndex | QPersistentModelIndex
HitRole = Qt.ItemDataRole.UserRole + 1
HtmlRole = Qt.ItemDataRole.UserRole + 2
LIMIT = 60
GROUPS = (("client", "Clients"), ("interaction", "Interactions"), ("note", "Notes"), ("promise", "Promises"))
KIND_CHOICES = (("Everything", None), ("Only clients", {"client"}), ("Only interactions", {"interaction"}),
                ("Only notes", {"note"}), ("Only promises", {"promise"}))
# (label, days back the range starts, days back it ends): None = open
WHEN_CHOICES = (("Any time", None, None), ("Past week", 7, None), ("Past month", 31, None),
                ("Past year", 365, None), ("More than a year ago", None, 365))


def marked_html(snippet: str, marks: tuple[tuple[int, int], ...]) -> str:
    """The snippet as HTML with the matched spans in bold (everything else escaped)."""
    out, last = [], 0
    for start, end in marks:
        out.append(html.escape(snippet[last:start]))
        out.append(f"<b>{html.escape(snippet[start:end])}</b>")
        last = end
    out.append(html.escape(snippet[last:]))
    return "".join(out)


def _same_hit(a: SearchHit | None, b: SearchHit | None) -> bool:
    return a is not None and b is not None and (a.kind, a.client_id, a.entry_id) == (b.kind, b.client_id, b.entry_id)


def hit_line(hit: SearchHit, now: datetime) -> str:
    """The first line of a result: whose, when, who."""
    when = fmt.date_only(hit.at, now) if hit.at is not None else ""
    if hit.kind == "client":
        parts = [hit.client_name, f"last contact {when}" if when else "", hit.staff_name]
    else:
        parts = [hit.client_name, when, hit.staff_name]
    return " · ".join(p for p in parts if p)


class HitDelegate(QStyledItemDelegate):
    """Paints a result as two lines: client, date and who; then the snippet with the matched words in bold."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setHtml(index.data(HtmlRole) or html.escape(index.data() or ""))
        doc.setTextWidth(max(100, option.rect.width()))
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        option.text = text
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()


class ResultsListModel(QStandardItemModel):
    """The hits, grouped under a heading per kind (headings cannot be chosen)."""

    def show_hits(self, hits: tuple[SearchHit, ...], now: datetime) -> None:
        self.clear()
        for kind, heading in GROUPS:
            group = [h for h in hits if h.kind == kind]
            if not group:
                continue
            title = QStandardItem(heading)
            title.setFlags(Qt.ItemFlag.NoItemFlags)
            title.setData(f"<span style='font-weight:600'>{html.escape(heading)}</span>", HtmlRole)
            self.appendRow(title)
            for hit in group:
                line = hit_line(hit, now)
                item = QStandardItem(f"{line}\n{hit.snippet}")
                item.setData(hit, HitRole)
                item.setData(f"{html.escape(line)}<br><span>{marked_html(hit.snippet, hit.marks)}</span>", HtmlRole)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.appendRow(item)

    def hit_rows(self) -> list[int]:
        return [r for r in range(self.rowCount()) if self.item(r).data(HitRole) is not None]


class QuickFindDialog(QDialog):
    """Find anything: clients by their details, entries by what was said; Enter opens the client at the entry."""

    searched = Signal(object)
    """Results for the current text are on screen (a tuple of SearchHit; tests wait on it)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, client_id: int | None = None,
                 client_name: str = "", text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Find anything")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.client_id = client_id
        self._generation = 0
        self._refresh = -1  # the generation of a search that refreshes the same text (after a save)
        self.hits: tuple[SearchHit, ...] = ()

        self.search = QLineEdit(placeholderText="Find a client, a call, a note or a promise: any words, a phone number")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find anything")
        only = f"O&nly {client_name.replace('&', '&&')}" if client_name else "O&nly this client"
        self.only_client = QCheckBox(only, toolTip="Only this client's results (Alt+N)")
        self.only_client.setVisible(client_id is not None)
        self.kinds = QComboBox()
        for label, _ in KIND_CHOICES:
            self.kinds.addItem(label)
        self.kinds.setAccessibleName("What to find")
        self.when = QComboBox()
        for label, _, _ in WHEN_CHOICES:
            self.when.addItem(label)
        self.when.setAccessibleName("When")
        self.colleague = QComboBox()
        self.colleague.addItem("Anyone", None)
        for member in ctx.team:
            self.colleague.addItem(member.name, member.id)
        self.colleague.setAccessibleName("Who")
        self.results_model = ResultsListModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setAccessibleName("Results")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the search field
        self.status = dress(QLabel(objectName="muted"))
        self.status.setWordWrap(True)

        # the filters from the keyboard too: Alt+N above, and Alt+W(hat), Alt+H (when), Alt+O (who)
        for key, widget, words in (("Alt+W", self.kinds, "What to find"), ("Alt+H", self.when, "When"),
                                   ("Alt+O", self.colleague, "Whose entries")):
            widget.setToolTip(f"{words} ({key})")
            QShortcut(QKeySequence(key), self, widget.setFocus)
        filters = QHBoxLayout()
        for widget in (self.only_client, self.kinds, self.when, self.colleague):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.resize(640, 480)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.installEventFilter(self)
        self.only_client.toggled.connect(self._on_filter_changed)
        self.kinds.currentIndexChanged.connect(self._on_filter_changed)
        self.when.currentIndexChanged.connect(self._on_filter_changed)
        self.colleague.currentIndexChanged.connect(self._on_filter_changed)
        self.results.activated.connect(self._on_results_activated)
        self.results.clicked.connect(self._on_results_activated)
        subscribe(self, ctx.events.data_changed, self._on_data_changed)
        if text:
            self.search.setText(text)
        self._show_status()

    # --- searching ---
    def _on_filter_changed(self, *_: Any) -> None:
        self._on_search_text_changed(self.search.text())

    def _on_search_text_changed(self, text: str) -> None:
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self._on_found(generation, ())
            return
        if len(text) > SEARCH_LIMIT:
            self._on_found(generation, ())
            self.status.setText(too_long("The search text", SEARCH_LIMIT, len(text)))
            return
        kwargs = self._filters()

        def find() -> tuple[SearchHit, ...] | None:
            if generation != self._generation:
                return None  # dropped before it ran: a newer keystroke is queued behind it
            return store.search(text, limit=LIMIT, **kwargs)
        self.ctx.tasks.run(find, lambda hits: self._on_found(generation, hits),
                           lambda error: self._on_failed(generation, error))

    def _filters(self) -> dict[str, Any]:
        now = store.utcnow()
        _, kinds = KIND_CHOICES[self.kinds.currentIndex()]
        _, since_days, until_days = WHEN_CHOICES[self.when.currentIndex()]
        return {
            "client": self.client_id if self.only_client.isChecked() else None,
            "kinds": kinds,
            "since": now - timedelta(days=since_days) if since_days else None,
            "until": now - timedelta(days=until_days) if until_days else None,
            "staff": self.colleague.currentData(),
        }

    def _on_found(self, generation: int, hits: tuple[SearchHit, ...] | None) -> None:
        if generation != self._generation or hits is None:
            return  # a later keystroke's answer is the one to show (or quick find was closed meanwhile: done())
        chosen = self.current_hit() if generation == self._refresh else None
        self.hits = hits
        self.results_model.show_hits(hits, store.utcnow())
        rows = self.results_model.hit_rows()
        if rows:  # the first result; after a refresh, the one chosen before when it is still there
            same = [r for r in rows if _same_hit(self.results_model.item(r).data(HitRole), chosen)]
            self.results.setCurrentIndex(self.results_model.index((same or rows)[0], 0))
        self._show_status()
        self.searched.emit(hits)

    def _on_failed(self, generation: int, error: Any) -> None:
        if generation == self._generation:
            self.status.setText(error.message)

    def _on_data_changed(self, changes: Changes) -> None:
        """Something was saved, here or at another desk: search again, so what is shown is what is there now."""
        if changes.kinds & {"client", "timeline", "promise", "staff", "settings"} and self.search.text().strip():
            self._refresh = self._generation + 1  # the search this starts: its answer keeps the chosen one chosen
            self._on_search_text_changed(self.search.text())

    def done(self, result: int) -> None:  # also on Esc and Enter: answers still on their way are dropped
        self._generation += 1
        super().done(result)

    def _show_status(self) -> None:
        if not self.search.text().strip():
            self.status.setText("Type a few letters of a name, a word from a call or note, or a phone number.")
        elif not self.hits:
            self.status.setText("Nothing found. Fewer or shorter words find more.")
        else:
            more = " (the first ones; type more to narrow it down)" if len(self.hits) >= LIMIT else ""
            self.status.setText(f"{len(self.hits)} found{more}. Arrow keys choose, Enter opens, Esc closes.")

    # --- choosing ---
    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.move_selection({Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                                     Qt.Key.Key_PageUp: -5}[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def move_selection(self, step: int) -> None:
        rows = self.results_model.hit_rows()
        if not rows:
            return
        current = self.results.currentIndex().row()
        at = rows.index(current) if current in rows else -1
        target = rows[max(0, min(len(rows) - 1, at + step))]
        index = self.results_model.index(target, 0)
        self.results.setCurrentIndex(index)
        self.results.scrollTo(index)

    def current_hit(self) -> SearchHit | None:
        index = self.results.currentIndex()
        return index.data(HitRole) if index.isValid() else None

    def _on_results_activated(self, index: QModelIndex) -> None:
        if index.data(HitRole) is not None:
            self.results.setCurrentIndex(index)
            self.open_current()

    def open_current(self) -> None:
        """Open the chosen client, at the chosen entry (the timeline finds the page holding it)."""
        hit = self.current_hit()
        if hit is None:
            return
        if hit.entry_id is None:
            self.ctx.events.client_requested.emit(hit.client_id)
        else:
            self.ctx.events.entry_requested.emit(hit.client_id, hit.kind, hit.entry_id)
        self.accept()


def open_quick_find(parent: QWidget, ctx: AppContext, client_view: Any, text: str = "") -> QuickFindDialog:
    """Open quick find over `parent` (the window), offering "only this client" when a client is open.

    One at a time: letters typed in the toolbar's field while it opens go on in the open one.
    """
    for open_one in parent.findChildren(QuickFindDialog):
        if open_one.isVisible():
            open_one.search.insert(text)
            open_one.search.setFocus()
            return open_one
    client = getattr(client_view, "client", None)
    dialog = QuickFindDialog(ctx, parent, client_id=client.id if client else None,
                             client_name=client.name if client else "", text=text)
    dialog.show()  # not modal: letters typed before it has the keyboard reach the toolbar's field, then it
    dialog.activateWindow()
    dialog.search.setFocus()
    dialog.search.end(False)
    return dialog

