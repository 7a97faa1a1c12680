"""Office > Imports: every contact import (who, when, which file, what it did), and taking one back (issue 15)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import Changes, StoreError
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.dialogs.import_wizard import _fill, _table
from ui.lifetime import subscribe

STATUS_WORDS = {"running": "still running", "done": "done", "cancelled": "stopped part-way", "reverted": "taken back"}


class ImportsDialog(QDialog):
    """The office's imports, newest first; an administrator can take one back."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Imports")
        self.setMinimumSize(720, 360)
        self.imports: tuple[store.ImportInfo, ...] = ()
        self.table = _table(["When", "Who", "File", "New", "Updated", "Unchanged", "Problems", ""])
        self.empty = dress(QLabel("No contacts have been imported yet (File > Import contacts...).",
                                  objectName="muted"))
        self.revert_button = QPushButton("Take back this import...")
        self.revert_button.setToolTip("Its new clients go to the Trash and its updates are undone (administrators)")
        self.message = dress(QLabel(objectName="muted", wordWrap=True))
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.revert_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.revert_button.clicked.connect(self._on_revert_clicked)
        self.table.itemSelectionChanged.connect(self._update_button)
        subscribe(self, self.ctx.events.data_changed, self._on_data_changed)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.run(store.list_imports, self._on_listed, self._on_failed)

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.touches(None, "import"):
            self.refresh()

    def _on_listed(self, imports: tuple[store.ImportInfo, ...]) -> None:
        self.imports = imports
        now = store.utcnow()
        _fill(self.table, [[fmt.when(i.at, now), i.by_name, i.file_name, i.created, i.updated, i.unchanged,
                            i.problems, STATUS_WORDS.get(i.status, i.status)] for i in imports])
        self.empty.setVisible(not imports)
        self._update_button()

    def selected(self) -> store.ImportInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.imports[rows[0].row()] if rows else None

    def _update_button(self) -> None:
        chosen = self.selected()
        admin = self.ctx.staff is not None and self.ctx.staff.role == "admin"
        self.revert_button.setEnabled(chosen is not None and chosen.status != "reverted" and admin)
        if not admin:
            self.revert_button.setToolTip("Only an administrator can take back an import.")

    def _on_revert_clicked(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.ctx.tasks.run(lambda: store.touched_since_import(chosen.id),
                               lambda touched: self._ask(chosen, touched), self._on_failed)

    def _ask(self, chosen: store.ImportInfo, touched: tuple[tuple[int, str], ...]) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Take back the import")
        text = (f"Take back the import of {chosen.file_name}? Its {chosen.created:,} new clients go to the Trash "
                f"and its {chosen.updated:,} updates are undone.")
        keep = take_all = None
        if touched:
            names = ", ".join(name for _, name in touched[:10]) + (" ..." if len(touched) > 10 else "")
            text += f"\n\nColleagues have changed these clients since: {names}."
            keep = box.addButton("Take back, keep those", QMessageBox.ButtonRole.AcceptRole)
            take_all = box.addButton("Take back everything", QMessageBox.ButtonRole.DestructiveRole)
        else:
            keep = box.addButton("Take it back", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        box.setText(text)
        box.finished.connect(lambda _r: self._on_answer(chosen, box.clickedButton(), keep, take_all))
        self.question = box
        box.open()

    def _on_answer(self, chosen: store.ImportInfo, clicked: object, keep: object, take_all: object) -> None:
        if clicked is keep:
            self.take_back(chosen.id, keep_touched=True)
        elif clicked is take_all:
            self.take_back(chosen.id, keep_touched=False)

    def take_back(self, import_id: int, *, keep_touched: bool = True) -> None:
        """Revert an import on the database thread, then list the imports again."""
        by = self.ctx.staff_id
        self.ctx.tasks.run(lambda: store.revert_import(import_id, by=by, keep_touched=keep_touched),
                           self._on_reverted, self._on_failed)

    def _on_reverted(self, _changes: Changes) -> None:
        self.error.hide()
        self.message.setText("The import was taken back. Its new clients are in the Trash.")
        self.refresh()

    def _on_failed(self, error: StoreError) -> None:
        self.error.setText(error.message)
        self.error.show()
