"""Office > Find duplicates: likely pairs over the whole office, strongest first, each with why."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import Changes, StoreError
from ui.app import dress
from ui.context import AppContext
from ui.dialogs.merge import MergeDialog
from ui.lifetime import subscribe


def likelihood(strength: float) -> str:
    """A pair's strength in words."""
    return "Very likely" if strength >= 0.9 else "Likely" if strength >= 0.7 else "Possibly"


class DuplicatesDialog(QDialog):
    """Likely duplicates; open either client, merge them (administrator), or say they are different people."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pairs: tuple[store.DuplicatePair, ...] = ()
        self.merge_dialog: MergeDialog | None = None
        self.setWindowTitle("Find duplicates")
        self.setMinimumSize(720, 420)
        self.table = QTableWidget(0, 4, showGrid=False)
        self.table.setHorizontalHeaderLabels(["Client", "Possibly the same as", "Why", "How sure"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = dress(QLabel("Looking for clients entered twice...", objectName="muted", wordWrap=True))
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.open_button = QPushButton("Open")
        self.merge_button = QPushButton("Merge...")
        self.different_button = QPushButton("Different people")
        admin = ctx.staff is not None and ctx.staff.role == "admin"
        self.merge_button.setEnabled(admin)
        if not admin:
            self.merge_button.setToolTip("Only an administrator can merge clients.")
        row = QHBoxLayout()
        for button in (self.open_button, self.merge_button, self.different_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.merge_button.clicked.connect(self._on_merge_clicked)
        self.different_button.clicked.connect(self._on_different_clicked)
        subscribe(self, ctx.events.data_changed, self._on_data_changed)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.run(lambda: store.find_duplicates(limit=200), self._on_loaded, self._on_failed)

    def _on_data_changed(self, changes: Changes) -> None:
        if "client" in changes.kinds and self.isVisible():
            self.refresh()

    def _on_loaded(self, pairs: tuple[store.DuplicatePair, ...]) -> None:
        self.pairs = pairs
        self.table.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            for column, text in enumerate((pair.a_name, pair.b_name, pair.why.capitalize(),
                                           likelihood(pair.strength))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if pairs:
            self.table.selectRow(0)
        self.status.setText(f"{len(pairs)} possible duplicate{'s' if len(pairs) != 1 else ''}, most likely first."
                            if pairs else "No likely duplicates: no two clients share a phone number, an email "
                                          "address or a name.")
        for button in (self.open_button, self.different_button):
            button.setEnabled(bool(pairs))

    def selected(self) -> store.DuplicatePair | None:
        row = self.table.currentRow()
        return self.pairs[row] if 0 <= row < len(self.pairs) else None

    def _on_open_clicked(self) -> None:
        pair = self.selected()
        if pair is not None:
            self.ctx.events.client_requested.emit(pair.a)

    def _on_merge_clicked(self) -> None:
        pair = self.selected()
        if pair is None:
            return
        self.merge_dialog = MergeDialog(self.ctx, pair.a, pair.b, self)
        self.merge_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.merge_dialog.open()

    def _on_different_clicked(self) -> None:
        pair, by = self.selected(), self.ctx.staff_id
        if pair is None or by is None:
            return
        self.ctx.tasks.run(lambda: store.mark_different(pair.a, pair.b, by=by), None, self._on_failed)

    def _on_failed(self, error: StoreError) -> None:
        self.error.setText(error.message)
        self.error.show()
