"""Un-merge (administrator): a merged client's merges, and the button that gives both clients back."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import Changes, StoreError
from ui import fmt
from ui.app import dress
from ui.context import AppContext


def describe(merge: store.MergeInfo, client_name: str, now: object) -> str:
    """One merge in words, with what un-merging it leaves where it is."""
    came = f"{merge.moved} entr{'y' if merge.moved == 1 else 'ies'}, notes and promises came over"
    line = f"{merge.other_name} merged in {fmt.in_sentence(fmt.when(merge.at, now))}: {came}."  # type: ignore[arg-type]
    if merge.added_since:
        line += (f" {merge.added_since} entr{'y' if merge.added_since == 1 else 'ies'} logged on {client_name} "
                 f"since stay with {client_name}.")
    return line


class UnmergeDialog(QDialog):
    """The merges into one client that can be taken back; Un-merge gives both clients back as they were."""

    def __init__(self, ctx: AppContext, client_id: int, client_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.client_id, self.client_name = client_id, client_name
        self.merges: tuple[store.MergeInfo, ...] = ()
        self.setWindowTitle("Un-merge")
        self.setMinimumWidth(560)
        self.list = QListWidget()
        self.status = QLabel(wordWrap=True)
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.unmerge_button = self.buttons.addButton("Un-merge", QDialogButtonBox.ButtonRole.ActionRole)
        self.unmerge_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addWidget(dress(QLabel(
            "Un-merging gives both clients back with their own details, entries and promises, as they were before the "
            "merge (a change to the merged client's details since is taken back too). Entries colleagues logged on the "
            "merged client since the merge stay with it.", wordWrap=True, objectName="muted")))
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.unmerge_button.clicked.connect(self.submit)
        self.refresh()

    def refresh(self) -> None:
        client_id = self.client_id
        self.ctx.tasks.run(lambda: (store.utcnow(), store.merges(client_id)), self._on_loaded, self._on_failed)

    def _on_loaded(self, result: tuple[object, tuple[store.MergeInfo, ...]]) -> None:
        now, self.merges = result
        self.list.clear()
        for merge in self.merges:
            QListWidgetItem(describe(merge, self.client_name, now), self.list)
        if self.merges:
            self.list.setCurrentRow(0)
            self.status.setText(f"Clients merged into {self.client_name}, newest first:")
        else:
            self.status.setText(f"Nobody was merged into {self.client_name}, so there is nothing to un-merge.")
        self.unmerge_button.setEnabled(bool(self.merges))

    def submit(self) -> None:
        row, by = self.list.currentRow(), self.ctx.staff_id
        if not 0 <= row < len(self.merges):
            return
        merge_id = self.merges[row].id
        self.unmerge_button.setEnabled(False)
        self.ctx.tasks.run(lambda: store.unmerge(merge_id, by=by), self._on_unmerged, self._on_failed)

    def _on_unmerged(self, changes: Changes) -> None:
        self.ctx.events.message_reported.emit("Un-merged: both clients are back as they were.")
        self.accept()

    def _on_failed(self, error: StoreError) -> None:
        self.unmerge_button.setEnabled(bool(self.merges))
        self.error.setText(error.message)
        self.error.show()
