"""Merge two clients (administrator): side by side, choose field by field whose value the merged client keeps."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import Changes, ClientDetails, StoreError
from ui.app import dress
from ui.context import AppContext

# The details a person chooses between, with their labels (store.merge_clients' `fields`).
FIELDS = (("name", "Name"), ("organisation", "Organisation"), ("phone", "Phone"), ("email", "Email"),
          ("address", "Address"), ("preferred_channel", "Prefers"), ("usual_handler", "Usual handler"),
          ("caution", "Caution"), ("more_details", "More details"))
EXPLAIN = ("Both timelines, promises and notes go to the merged client, with both change logs. "
           "Edit > Undo right after, or Un-merge in the client's menu later, gives both clients back as they were.")


def shown(client: ClientDetails, field: str) -> str:
    """A detail as the form shows it ('(none)' for an empty one); the address on one line."""
    value: Any = client.usual_handler_name if field == "usual_handler" else getattr(client, field)
    text = " ".join(str(value or "").split())
    return text or "(none)"


class MergeDialog(QDialog):
    """Two clients side by side; a choice per detail that differs; Merge asks the store (an administrator's)."""

    merged = Signal(object)
    """The clients were merged (the Changes; Changes.id is the merge's id)."""

    def __init__(self, ctx: AppContext, keep: int, other: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.keep_id, self.other_id = keep, other
        self.clients: tuple[ClientDetails, ClientDetails] | None = None
        self.choices: dict[str, QButtonGroup] = {}
        self.setWindowTitle("Merge two clients")
        self.setMinimumWidth(640)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        self.explain = dress(QLabel(EXPLAIN, wordWrap=True, objectName="muted"))
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.swap_button = QPushButton("Keep the other record")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose, for each detail that differs, which one the merged client keeps."))
        layout.addLayout(self.grid)
        swap_row = QHBoxLayout()
        swap_row.addWidget(self.swap_button)
        swap_row.addStretch(1)
        layout.addLayout(swap_row)
        layout.addWidget(self.explain)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.swap_button.clicked.connect(self._on_swap_clicked)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.load()

    def load(self) -> None:
        keep, other = self.keep_id, self.other_id
        self.ctx.tasks.run(lambda: (store.get_client(keep), store.get_client(other)), self._on_loaded,
                           self._on_failed)

    def _on_loaded(self, clients: tuple[ClientDetails, ClientDetails]) -> None:
        self.clients = clients
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.choices = {}
        keep, other = clients
        self.grid.addWidget(QLabel(f"<b>Keep: {keep.name}</b>"), 0, 1)
        self.grid.addWidget(QLabel(f"<b>Merge in: {other.name}</b>"), 0, 2)
        for row, (field, label) in enumerate(FIELDS, start=1):
            mine, theirs = shown(keep, field), shown(other, field)
            self.grid.addWidget(QLabel(label), row, 0)
            left, right = QRadioButton(mine), QRadioButton(theirs)
            left.setObjectName(f"keep_{field}")
            right.setObjectName(f"other_{field}")
            group = QButtonGroup(self)
            group.addButton(left, 0)
            group.addButton(right, 1)
            # an empty detail takes the other's; otherwise the kept record's
            (right if mine == "(none)" and theirs != "(none)" else left).setChecked(True)
            same = mine == theirs
            left.setEnabled(not same)
            right.setEnabled(not same)
            self.grid.addWidget(left, row, 1)
            self.grid.addWidget(right, row, 2)
            if not same:
                self.choices[field] = group
        self.merge_button.setEnabled(True)

    def fields(self) -> dict[str, str]:
        """What the person chose: field -> "keep" or "other" (store.merge_clients' `fields`)."""
        return {field: "other" if group.checkedId() == 1 else "keep" for field, group in self.choices.items()}

    def _on_swap_clicked(self) -> None:
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self.merge_button.setEnabled(False)
        self.load()

    def submit(self) -> None:
        by, keep, other, fields = self.ctx.staff_id, self.keep_id, self.other_id, self.fields()
        self.merge_button.setEnabled(False)
        self.ctx.tasks.run(lambda: store.merge_clients(keep, other, by=by, fields=fields), self._on_merged,
                           self._on_failed)

    def _on_merged(self, changes: Changes) -> None:
        self.merged.emit(changes)
        self.ctx.events.message_reported.emit("Merged. Edit > Undo takes it back.")
        self.accept()

    def _on_failed(self, error: StoreError) -> None:
        self.merge_button.setEnabled(self.clients is not None)
        self.error.setText(error.message)
        self.error.show()
