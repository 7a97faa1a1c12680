"""A client's timeline, newest first: painted cards, loaded page by page as the person scrolls."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QListView, QMenu, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from models import store
from models.rules.vocab import channel_label, rating_label
from models.store import (
    Changes,
    InteractionEntry,
    NoteEntry,
    PromiseEntry,
    TimelineCursor,
    TimelineEntry,
    TimelinePage,
)
from ui import fmt
from ui.actions.promises import LABELS
from ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 50
EntryRole = Qt.ItemDataRole.UserRole + 1

# Accent colours: chosen to read on light and dark backgrounds; every colour also has a word beside it.
RATING_COLOURS = {-2: "#d64545", -1: "#e8833a", 0: "#8a8f98", 1: "#4caf7a", 2: "#1f9d55"}
NOTE_COLOUR = "#d4a72c"
PROMISE_COLOURS = {"broken": "#d64545", "overdue": "#e8833a", "kept": "#1f9d55", "kept_late": "#4caf7a",
                   "cancelled": "#8a8f98"}
PROMISE_DEFAULT_COLOUR = "#3b7dd8"
STATUS_WORDS = {"pending": "Open", "due_today": "Due today", "overdue": "Overdue", "broken": "Broken",
                "kept": "Kept", "kept_late": "Kept late", "cancelled": "Cancelled"}


@dataclass(frozen=True, slots=True)
class Card:
    """What one timeline entry says, in words (the delegate paints it; tests and screen readers read it)."""

    meta: str
    title: str
    body: str
    chip: str
    accent: str
    tinted: bool = False


def card_for(entry: TimelineEntry, now: datetime) -> Card:
    """The words and colour of one entry."""
    when = fmt.when(entry.at, now)
    if isinstance(entry, InteractionEntry):
        sign = f"+{entry.rating}" if entry.rating > 0 else str(entry.rating)
        meta = " · ".join(p for p in (when, channel_label(entry.channel), entry.topic or "", entry.staff_name) if p)
        extra = []
        if entry.recovers_id:
            extra.append("Fix of an earlier problem" + (", with an apology" if entry.apology else ""))
        if entry.rating < 0:
            extra.append("Fixed" if entry.recovered_by else "Not fixed yet: right-click and choose Fix this")
        if entry.edited:
            extra.append("(edited)")
        body = "\n".join([entry.details] if entry.details else []) + ("\n" if entry.details and extra else "") \
            + "  ".join(extra)
        return Card(meta, entry.summary, body, f"{sign} {rating_label(entry.rating)}",
                    RATING_COLOURS.get(entry.rating, RATING_COLOURS[0]))
    if isinstance(entry, NoteEntry):
        meta = " · ".join(p for p in (when, "Internal note", entry.staff_name) if p)
        return Card(meta, "", entry.text + ("\n(edited)" if entry.edited else ""),
                    "Pinned note" if entry.pinned else "Note", NOTE_COLOUR, tinted=True)
    assert isinstance(entry, PromiseEntry)
    return _promise_card(entry, when, now)


def _promise_card(entry: PromiseEntry, when: str, now: datetime) -> Card:
    due = fmt.in_sentence(fmt.when(entry.due, now))
    status = STATUS_WORDS.get(entry.status, entry.status)
    accent = PROMISE_COLOURS.get(entry.status, PROMISE_DEFAULT_COLOUR)
    who = entry.staff_name
    action_titles = {
        "made": f"Promised: {entry.text}",
        "kept": f"Kept: {entry.text}",
        "renegotiated": f"New due date agreed: {entry.text}",
        "reassigned": f"Handed over: {entry.text}",
        "cancelled": f"Cancelled: {entry.text}",
        "broken": f"Promise broken: {entry.text}",
    }
    title = action_titles.get(entry.action, entry.text)
    if entry.action == "made":
        body = f"Due {due}, owner {entry.owner_name}"
    elif entry.action == "kept":
        body = "Kept" + (" with an apology for the delay" if entry.apology else "")
    elif entry.action == "renegotiated":
        was = fmt.in_sentence(fmt.when(entry.old_due, now))
        body = f"Due {due} (was {was})" + (f". {entry.reason}" if entry.reason else "")
    elif entry.action == "reassigned":
        body = f"From {entry.old_owner_name} to {entry.owner_name}"
    elif entry.action == "cancelled":
        body = f"Reason: {entry.reason}" if entry.reason else ""
    else:
        body = f"It was due {due} and was not kept within two days. Owner: {entry.owner_name}."
        who = ""
    meta = " · ".join(p for p in (when, "Promise", who) if p)
    return Card(meta, title, body, status, accent)


class TimelineListModel(QAbstractListModel):
    """The loaded entries of one client's timeline; Qt asks for more (fetchMore) as the view scrolls."""

    page_loaded = Signal()
    """A page arrived (tests wait on it; the view may scroll to an entry it was asked for)."""

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_id: int | None = None
        self.entries: list[TimelineEntry] = []
        self._before: TimelineCursor | None = None
        self._after: TimelineCursor | None = None  # issue 14: newer entries above a page read around an entry
        self.around_read: tuple[str, int] | None = None
        self._loading = False
        self._generation = 0
        self.now = store.utcnow()

    def load(self, client_id: int | None, *, keep: int = PAGE_SIZE) -> None:
        """(Re)read the newest entries of `client_id`: at least one page, or as many as were loaded."""
        self._generation += 1
        generation = self._generation
        self._after = self.around_read = None
        if client_id != self.client_id:
            self.beginResetModel()
            self.client_id, self.entries, self._before = client_id, [], None
            self.endResetModel()
        if client_id is None:
            return
        self._loading = True
        limit = max(PAGE_SIZE, min(keep, 500))
        self.ctx.tasks.run(lambda: store.timeline(client_id, limit=limit),
                           lambda page: self._on_first_page(generation, page),
                           lambda err: self._on_failed(generation, err))

    def load_around(self, kind: str, entry_id: int) -> None:
        """Read the page holding this entry (an old one the first pages do not reach): issue 14, quick find."""
        if self.client_id is None:
            return
        self._generation += 1
        generation, client_id = self._generation, self.client_id
        self.around_read = (kind, entry_id)
        self._loading = True
        self.ctx.tasks.run(lambda: store.timeline(client_id, limit=PAGE_SIZE, around=(kind, entry_id)),
                           lambda page: self._on_first_page(generation, page),
                           lambda err: self._on_failed(generation, err))

    def _on_first_page(self, generation: int, page: TimelinePage) -> None:
        if generation != self._generation:
            return  # the person moved to another client meanwhile
        self._loading = False
        self.now = store.utcnow()
        self.beginResetModel()
        self.entries, self._before, self._after = list(page.entries), page.before, page.after
        self.endResetModel()
        self.page_loaded.emit()

    @property
    def has_newer(self) -> bool:
        return self._after is not None

    def fetch_newer(self) -> None:
        """The page above a page read around an entry (the person scrolled to the top)."""
        if self._after is None or self._loading or self.client_id is None:
            return
        self._loading = True
        client_id, cursor, generation = self.client_id, self._after, self._generation
        self.ctx.tasks.run(lambda: store.timeline(client_id, limit=PAGE_SIZE, after=cursor),
                           lambda page: self._on_newer_page(generation, page),
                           lambda err: self._on_failed(generation, err))

    def _on_newer_page(self, generation: int, page: TimelinePage) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if page.entries:
            self.beginInsertRows(QModelIndex(), 0, len(page.entries) - 1)
            self.entries[:0] = page.entries
            self.endInsertRows()
        self._after = page.after
        self.page_loaded.emit()

    def _on_failed(self, generation: int, error: Any) -> None:
        if generation == self._generation:
            self._loading = False
            self.ctx.events.error_reported.emit(error.message)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._before is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self.client_id is None:
            return
        self._loading = True
        client_id, cursor, generation = self.client_id, self._before, self._generation
        self.ctx.tasks.run(lambda: store.timeline(client_id, limit=PAGE_SIZE, before=cursor),
                           lambda page: self._on_next_page(generation, page),
                           lambda err: self._on_failed(generation, err))

    def _on_next_page(self, generation: int, page: TimelinePage) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if page.entries:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
            self.entries.extend(page.entries)
            self.endInsertRows()
        self._before = page.before
        self.page_loaded.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == EntryRole:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            card = card_for(entry, self.now)
            return "\n".join(p for p in (card.meta, card.chip, card.title, card.body) if p)
        return None

    def row_of(self, kind: str, entry_id: int) -> int:
        for i, e in enumerate(self.entries):
            if e.kind == kind and (e.id == entry_id or (isinstance(e, PromiseEntry) and e.promise_id == entry_id)):
                return i
        return -1

    @property
    def has_more(self) -> bool:
        return self._before is not None


class TimelineDelegate(QStyledItemDelegate):
    """Paints an entry as a card: coloured edge, a meta line, the rating in words, title and body."""

    PAD = 10
    EDGE = 5
    MAX_BODY_LINES = 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.width = 600
        self.now = store.utcnow()

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.88))
        bold = QFont(base)
        bold.setBold(True)
        return base, small, bold

    def _card(self, index: Index) -> Card | None:
        entry = index.data(EntryRole)
        return card_for(entry, self.now) if entry is not None else None

    def _body_height(self, metrics: QFontMetrics, text: str, width: int) -> int:
        if not text:
            return 0
        rect = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
        return min(rect.height(), metrics.lineSpacing() * self.MAX_BODY_LINES)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        card = self._card(index)
        if card is None:
            return QSize(self.width, 40)
        base, small, bold = self._fonts(option)
        inner = max(100, self.width - 2 * self.PAD - self.EDGE - 12)
        height = self.PAD + QFontMetrics(small).lineSpacing() + 4
        if card.title:
            height += QFontMetrics(bold).boundingRect(QRect(0, 0, inner, 10_000), Qt.TextFlag.TextWordWrap,
                                                      card.title).height() + 2
        height += self._body_height(QFontMetrics(base), card.body, inner)
        return QSize(self.width, height + self.PAD + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card = self._card(index)
        if card is None:
            return
        base, small, bold = self._fonts(option)
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outer = option.rect.adjusted(4, 3, -4, -3)
        background = palette.color(QPalette.ColorRole.Base)
        if card.tinted:
            tint = QColor(NOTE_COLOUR)
            tint.setAlpha(40)
            background = QColor(background)
            painter.setBrush(background)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        border = palette.color(QPalette.ColorRole.Highlight) if selected else palette.color(QPalette.ColorRole.Mid)
        painter.setPen(border)
        painter.setBrush(background)
        painter.drawRoundedRect(outer, 6, 6)
        if card.tinted:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tint)
            painter.drawRoundedRect(outer, 6, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(card.accent))
        painter.drawRoundedRect(QRect(outer.left(), outer.top(), self.EDGE, outer.height()), 2, 2)

        text_colour = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        left = outer.left() + self.EDGE + self.PAD
        width = outer.right() - left - self.PAD
        y = outer.top() + self.PAD - 2

        painter.setFont(small)
        metrics = QFontMetrics(small)
        chip_width = metrics.horizontalAdvance(card.chip) + 14
        chip = QRect(outer.right() - self.PAD - chip_width, y - 1, chip_width, metrics.height() + 2)
        chip_colour = QColor(card.accent)
        chip_colour.setAlpha(45)
        painter.setBrush(chip_colour)
        painter.setPen(QColor(card.accent))
        painter.drawRoundedRect(chip, 8, 8)
        painter.setPen(text_colour)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, card.chip)
        painter.setPen(muted)
        painter.drawText(QRect(left, y, width - chip_width - 8, metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(card.meta, Qt.TextElideMode.ElideRight, width - chip_width - 8))
        y += metrics.lineSpacing() + 4

        painter.setPen(text_colour)
        if card.title:
            painter.setFont(bold)
            rect = QFontMetrics(bold).boundingRect(QRect(left, y, width, 10_000), Qt.TextFlag.TextWordWrap,
                                                   card.title)
            painter.drawText(QRect(left, y, width, rect.height()), Qt.TextFlag.TextWordWrap, card.title)
            y += rect.height() + 2
        if card.body:
            painter.setFont(base)
            height = self._body_height(QFontMetrics(base), card.body, width)
            painter.drawText(QRect(left, y, width, height), Qt.TextFlag.TextWordWrap, card.body)
        painter.restore()


class TimelineView(QListView):
    """The list of cards; a right-click offers what can be done with an entry."""

    fix_requested = Signal(object)
    """Fix this failed interaction (an InteractionEntry)."""

    continue_requested = Signal(object)
    """Log another interaction in the same encounter as this one (an InteractionEntry)."""

    keep_requested = Signal(object)
    """Mark this promise kept (a PromiseEntry)."""

    promise_action_requested = Signal(str, object)
    """Another promise action: "renegotiate", "reassign" or "cancel" (a PromiseEntry)."""

    edit_requested = Signal(object)
    """Correct this interaction or note."""

    delete_requested = Signal(object)
    """Move this interaction or note to the Trash."""

    pin_requested = Signal(object)
    """Pin or unpin this note."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.timeline_model = TimelineListModel(ctx, self)
        self.delegate = TimelineDelegate(self)
        self.setModel(self.timeline_model)
        self.setItemDelegate(self.delegate)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setSpacing(0)
        self.setWordWrap(True)
        self.setAccessibleName("Timeline")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.timeline_model.modelReset.connect(self._on_model_reset)
        # issue 14: a page read around an old entry loads newer pages above it as the person scrolls up,
        # keeping what they were looking at in place
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.timeline_model.rowsAboutToBeInserted.connect(self._on_rows_about_to_be_inserted)
        self.timeline_model.rowsInserted.connect(self._on_rows_inserted)
        self._anchor = -1

    def _on_scrolled(self, value: int) -> None:
        if value == self.verticalScrollBar().minimum() and self.timeline_model.has_newer:
            self.timeline_model.fetch_newer()

    def _on_rows_about_to_be_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._anchor = self.indexAt(QPoint(4, 4)).row() if first == 0 else -1

    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if first == 0 and self._anchor >= 0:
            index = self.timeline_model.index(self._anchor + last + 1)
            QTimer.singleShot(0, self, lambda: self.scrollTo(index, QListView.ScrollHint.PositionAtTop))

    def _on_model_reset(self) -> None:
        self.delegate.now = self.timeline_model.now

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        self.delegate.width = self.viewport().width()
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()

    def show_client(self, client_id: int | None) -> None:
        self.timeline_model.load(client_id)

    def refresh(self) -> None:
        self.timeline_model.load(self.timeline_model.client_id, keep=len(self.timeline_model.entries))

    def on_data_changed(self, changes: Changes) -> None:
        cid = self.timeline_model.client_id
        if cid is not None and changes.touches(cid, "timeline", "promise", "staff"):
            self.refresh()

    def scroll_to_entry(self, kind: str, entry_id: int) -> bool:
        row = self.timeline_model.row_of(kind, entry_id)
        if row < 0:
            return False
        index = self.timeline_model.index(row)
        self.setCurrentIndex(index)
        self.scrollTo(index, QListView.ScrollHint.PositionAtCenter)
        return True

    def current_entry(self) -> TimelineEntry | None:
        index = self.currentIndex()
        return index.data(EntryRole) if index.isValid() else None

    def actions_for(self, entry: TimelineEntry) -> list[tuple[str, Any]]:
        """The context-menu actions for an entry, as (label, callback) pairs."""
        out: list[tuple[str, Any]] = []
        if isinstance(entry, InteractionEntry):
            if entry.rating < 0 and not entry.recovered_by:
                out.append(("Fix this...", lambda: self.fix_requested.emit(entry)))
            out.append(("Continue this encounter...", lambda: self.continue_requested.emit(entry)))
            out.append(("Edit...", lambda: self.edit_requested.emit(entry)))
            out.append(("Move to Trash", lambda: self.delete_requested.emit(entry)))
        elif isinstance(entry, NoteEntry):
            pin_label = "Unpin" if entry.pinned else "Pin to the hand-off card"
            out.append((pin_label, lambda: self.pin_requested.emit(entry)))
            out.append(("Edit...", lambda: self.edit_requested.emit(entry)))
            out.append(("Move to Trash", lambda: self.delete_requested.emit(entry)))
        elif isinstance(entry, PromiseEntry) and entry.status in ("pending", "due_today", "overdue", "broken"):
            out.append((LABELS["keep"], lambda: self.keep_requested.emit(entry)))
            if entry.status != "broken":
                out.append((LABELS["renegotiate"], lambda: self.promise_action_requested.emit("renegotiate", entry)))
            out.append((LABELS["give"], lambda: self.promise_action_requested.emit("reassign", entry)))
            out.append((LABELS["correct"], lambda: self.promise_action_requested.emit("correct", entry)))
            out.append((LABELS["cancel"], lambda: self.promise_action_requested.emit("cancel", entry)))
        return out

    def _on_context_menu_requested(self, pos: Any) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        actions = self.actions_for(index.data(EntryRole))
        if not actions:
            return
        menu = QMenu(self)
        for label, callback in actions:
            menu.addAction(label, callback)
        menu.exec(self.viewport().mapToGlobal(pos))
