"""The Trash: deleted clients, interactions, notes and promises, and the button that brings them back."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import Changes, StoreError
from ui import fmt
from ui.context import AppContext

KIND_WORDS = {"client": "Client", "interaction": "Interaction", "note": "Note", "promise": "Promise"}


def item_text(item: store.TrashItem, now: object) -> str:
    """One line of the Trash: what it was, whose, when it was deleted."""
    what = KIND_WORDS.get(item.kind, item.kind)
    whose = "" if item.kind == "client" else f" ({item.client_name})"
    return f"{what}{whose}: {item.text}  \u2014 deleted {fmt.when(item.deleted_at, now)}"  # type: ignore[arg-type]


class TrashDialog(QDialog):
    """Everything deleted, newest first; Restore brings the chosen one back."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Trash")
        self.setMinimumSize(560, 380)
        self.list = QListWidget()
        self.empty = QLabel("The Trash is empty.", objectName="muted",
                            alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.restored_line = QLabel(objectName="muted", wordWrap=True)  # what the last Restore brought back
        self.restore_button = QPushButton("Restore")
        self.error = QLabel(objectName="error", wordWrap=True)
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Deleted things stay here, so nothing is lost by a slip of the mouse."))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)  # the empty list's room, so the sentence above stays at the top
        layout.addLayout(row)
        layout.addWidget(self.restored_line)
        layout.addWidget(self.error)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.list.itemActivated.connect(lambda _: self._on_restore_clicked())
        ctx.events.data_changed.connect(self._on_data_changed)
        self.reload()

    def reload(self) -> None:
        self.ctx.tasks.run(store.trash, self._on_trash_loaded)

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.kinds & {"client", "timeline", "promise"}:
            self.reload()

    def _on_trash_loaded(self, items: list[store.TrashItem]) -> None:
        self.list.clear()
        now = store.utcnow()
        for item in items:
            entry = QListWidgetItem(item_text(item, now))
            entry.setData(Qt.ItemDataRole.UserRole, item)
            self.list.addItem(entry)
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
