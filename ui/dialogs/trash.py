"""The Trash: deleted clients, interactions, notes and promises, and the button that brings them back."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import ChangeKind, Changes, StoreError
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.lifetime import Freshness, delete_on_close, subscribe

KIND_WORDS = {"client": "Client", "interaction": "Interaction", "note": "Note", "promise": "Promise"}


def item_text(item: store.TrashItem, now: object) -> str:
    """One entry of the Trash: what it was and whose, then who deleted it and when (on a line of its own)."""
    what = KIND_WORDS.get(item.kind, item.kind)
    whose = "" if item.kind == "client" else f" ({item.client_name})"
    by = f" by {item.deleted_by_name}" if item.deleted_by_name else ""
    when = fmt.in_sentence(fmt.when(item.deleted_at, now))  # type: ignore[arg-type]
    return f"{what}{whose}: {item.text}\nDeleted{by}, {when}"


class TrashDialog(QDialog):
    """Everything deleted, newest first; Restore brings the chosen one back."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        delete_on_close(self)
        self.ctx = ctx
        self.setWindowTitle("Trash")
        self.setMinimumSize(560, 380)
        self.filter = QLineEdit(placeholderText="Filter: a name, a word, a colleague...", clearButtonEnabled=True)
        self.list = QListWidget(wordWrap=True)  # a long summary wraps; the list never scrolls sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setAlternatingRowColors(True)
        self.empty = dress(QLabel("The Trash is empty.", objectName="muted",
                                  alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop))
        self.restored_line = dress(QLabel(objectName="muted", wordWrap=True))  # what the last Restore brought back
        self.restore_button = QPushButton("Restore")
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Deleted things stay here, so nothing is lost by a slip of the mouse."))
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)  # the empty list's room, so the sentence above stays at the top
        layout.addLayout(row)
        layout.addWidget(self.restored_line)
        layout.addWidget(self.error)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.list.itemActivated.connect(lambda _: self._on_restore_clicked())
        self.filter.textChanged.connect(self._apply_filter)
        self.freshness = Freshness(self, self.reload)
        subscribe(self, ctx.events.data_changed, self._on_data_changed)

    def reload(self) -> None:
        self.ctx.tasks.run(store.trash, self._on_trash_loaded)

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.kinds & {ChangeKind.CLIENT, ChangeKind.TIMELINE, ChangeKind.PROMISE}:
            self.freshness.changed()

    def _apply_filter(self) -> None:
        """Show the entries whose words (what, whose, who deleted it) contain every word typed."""
        words = self.filter.text().casefold().split()
        for row in range(self.list.count()):
            entry = self.list.item(row)
            entry.setHidden(not all(w in entry.text().casefold() for w in words))

    def _on_trash_loaded(self, items: list[store.TrashItem]) -> None:
        self.list.clear()
        now = store.utcnow()
        for item in items:
            entry = QListWidgetItem(item_text(item, now))
            entry.setData(Qt.ItemDataRole.UserRole, item)
            self.list.addItem(entry)
        self._apply_filter()
        self.empty.setVisible(not items)
        self.list.setVisible(bool(items))
        self.restore_button.setEnabled(bool(items))
        if items:
            self.list.setCurrentRow(0)

    def _on_restore_clicked(self) -> None:
        entry = self.list.currentItem()
        if entry is None:
            return
        item: store.TrashItem = entry.data(Qt.ItemDataRole.UserRole)
        by = self.ctx.staff_id
        self.error.hide()
        self._restoring = f"{KIND_WORDS.get(item.kind, item.kind)} restored: {item.text}."
        self.ctx.tasks.run(lambda: store.restore(item.kind, item.id, by=by), self._on_restored, self._on_failed)

    def _on_restored(self, _changes: object) -> None:
        self.restored_line.setText(self._restoring)  # said here: the status bar is behind this dialog
        self.ctx.events.message_reported.emit(self._restoring)

    def _on_failed(self, error: StoreError) -> None:
        self.error.setText(error.message)
        self.error.show()
