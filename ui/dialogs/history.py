"""Office > History and Client > History of this client (issue 11): who did what, when, to which client,
before -> after in words; filtered by client, colleague, kind and dates; more pages as you scroll; CSV export.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules.history import KIND_LABELS
from models.store import Changes, StaffMember, StoreError
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.dialogs.unmerge import UnmergeDialog  # issue 16
from ui.lifetime import subscribe
from ui.widgets import ColumnsModel, Index

PAGE = 100


class HistoryTableModel(ColumnsModel):
    """Changes, newest first: When, Who, Client, What (the full sentence also as a tooltip)."""

    COLUMNS = ("When", "Who", "Client", "What happened")

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Any] = []
        self.now = store.utcnow()

    def shown_rows(self) -> list[Any]:
        return self.entries

    def reset(self, entries: list[Any]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.now = store.utcnow()
        self.endResetModel()

    def extend(self, entries: list[Any]) -> None:
        if not entries:
            return
        start = len(self.entries)
        self.beginInsertRows(QModelIndex(), start, start + len(entries) - 1)
        self.entries.extend(entries)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return fmt.when(entry.at, self.now)
            if column == 1:
                return entry.staff_name or "Rapport"
            if column == 2:
                return entry.client_name
            return entry.text
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None


class HistoryDialog(QDialog):
    """The change log as a list a person can read; `client_id` fixes the client (Client > History of this client)."""

    def __init__(self, ctx: AppContext, client_id: int | None = None, client_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.fixed_client = client_id
        self.setWindowTitle(f"History of {client_name}" if client_id is not None else "History")
        self.resize(1100, 640)
        self._cursor: Any = None
        self._loading = False
        self._generation = 0

        self.client = QComboBox(editable=True)
        self.client.setAccessibleName("Client")
        self.client.setMinimumWidth(220)
        self.client.addItem("Any client", None)
        self.client.lineEdit().setPlaceholderText("Any client")
        self.staff = QComboBox()
        self.staff.setAccessibleName("Colleague")
        self.staff.addItem("Anyone", None)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        self.kind.addItem("Every kind", None)
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        today = QDate.currentDate()
        self.use_from = QCheckBox("From")
        self.date_from = QDateEdit(today.addDays(-30), calendarPopup=True, enabled=False)
        self.use_until = QCheckBox("to")
        self.date_until = QDateEdit(today, calendarPopup=True, enabled=False)
        for edit in (self.date_from, self.date_until):
            edit.setDisplayFormat("d MMM yyyy")
        filters = QHBoxLayout()
        if client_id is None:
            filters.addWidget(QLabel("Client"))
            filters.addWidget(self.client)
        else:
            self.client.hide()
        for widget in (QLabel("Who"), self.staff, QLabel("Kind"), self.kind, self.use_from, self.date_from,
                       self.use_until, self.date_until):
            filters.addWidget(widget)
        filters.addStretch(1)

        self.model = HistoryTableModel()
        self.table = QTableView(showGrid=False)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Changes")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 130), (2, 190)):
            self.table.setColumnWidth(column, width)
        if client_id is not None:
            self.table.hideColumn(2)
        self.status = dress(QLabel(objectName="muted", wordWrap=True))
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.more_button = QPushButton("Show older changes")
        self.export_button = QPushButton("Export to CSV...")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        if client_id is not None and ctx.staff is not None and ctx.staff.role == "admin":  # issue 16
            self.unmerge_button = buttons.addButton("Un-merge...", QDialogButtonBox.ButtonRole.ActionRole)
            self.unmerge_button.clicked.connect(lambda: UnmergeDialog(ctx, client_id, client_name, self).open())
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        buttons.rejected.connect(self.reject)
        self.more_button.clicked.connect(self.load_more)
        self.export_button.clicked.connect(self.ask_and_export)
        for combo in (self.staff, self.kind):
            combo.currentIndexChanged.connect(lambda _: self.reload())
        self.client.activated.connect(lambda _: self.reload())
        self.client.lineEdit().editingFinished.connect(self._on_client_text_edited)
        for box, edit in ((self.use_from, self.date_from), (self.use_until, self.date_until)):
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(lambda _: self.reload())
            edit.dateChanged.connect(lambda _: self.reload())
        self.table.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        subscribe(self, ctx.events.data_changed, self._on_data_changed)
        ctx.tasks.run(lambda: store.list_staff(include_inactive=True), self._on_staff_loaded)
        if client_id is None:
            ctx.tasks.run(lambda: store.list_clients(), self._on_clients_loaded)
        self.reload()

    # --- filters ---
    def _on_staff_loaded(self, team: list[StaffMember]) -> None:
        self.staff.blockSignals(True)
        for member in team:
            self.staff.addItem(member.name, member.id)
        self.staff.blockSignals(False)

    def _on_clients_loaded(self, clients: list[Any]) -> None:
        self.client.blockSignals(True)
        for row in clients:
            self.client.addItem(row.name, row.id)
        self.client.setCurrentIndex(0)
        self.client.blockSignals(False)
        completer = self.client.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def _on_client_text_edited(self) -> None:
        text = self.client.currentText().strip()
        index = self.client.findText(text, Qt.MatchFlag.MatchFixedString) if text else 0
        self.client.setCurrentIndex(max(0, index))
        self.reload()

    def filters(self) -> dict[str, Any]:
        """The store.history() filters the controls say."""
        values: dict[str, Any] = {
            "client": self.fixed_client if self.fixed_client is not None else self.client.currentData(),
            "staff": self.staff.currentData(),
            "kinds": (self.kind.currentData(),) if self.kind.currentData() else (),
        }
        if self.use_from.isChecked():
            values["since"] = datetime.combine(self.date_from.date().toPython(), time(0, 0)).astimezone()
        if self.use_until.isChecked():  # the whole last day
            values["until"] = datetime.combine(self.date_until.date().toPython() + timedelta(days=1),
                                               time(0, 0)).astimezone()
        return values

    # --- reading ---
    def reload(self) -> None:
        self._generation += 1
        self._cursor = None
        self.model.reset([])
        self._load(first=True)

    def load_more(self) -> None:
        if self._cursor is not None and not self._loading:
            self._load(first=False)

    def _load(self, *, first: bool) -> None:
        filters, cursor, generation = self.filters(), self._cursor, self._generation
        self._loading = True
        self.more_button.setEnabled(False)
        self.status.setText("Reading the history...")
        self.ctx.tasks.run(lambda: store.history(limit=PAGE, before=cursor, **filters),
                           lambda page: self._on_page_loaded(page, generation), self._on_failed)

    def _on_page_loaded(self, page: Any, generation: int) -> None:
        if generation != self._generation:  # the filters changed meanwhile: a newer read is on its way
            return
        self._loading = False
        self.error.hide()
        self.model.extend(list(page.entries))
        self._cursor = page.before
        shown = len(self.model.entries)
        if not shown:
            self.status.setText("Nothing was recorded that matches these filters.")
        elif page.before is None:
            self.status.setText(f"{shown} change{'' if shown == 1 else 's'}, the oldest at the bottom.")
        else:
            self.status.setText(f"The newest {shown} changes; scroll down or press Show older changes for more.")
        self.more_button.setEnabled(page.before is not None)

    def _on_failed(self, error: StoreError) -> None:
        self._loading = False
        self.status.setText("")
        self.error.setText(error.message)
        self.error.show()

    def _on_scrolled(self, value: int) -> None:
        bar = self.table.verticalScrollBar()
        if value >= bar.maximum() - 2 and bar.maximum() > 0:
            self.load_more()

    def _on_data_changed(self, changes: Changes) -> None:
        if self._cursor is None and self.isVisible() and not self._loading and not self.use_until.isChecked():
            self.reload()  # only while everything fits on what is shown: never lose someone's scroll place

    # --- export ---
    def ask_and_export(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self, "Export the history", str(Path(folder) / "Rapport history.csv"),
                                              "CSV file (*.csv)")
        if path:
            self.export_to(path if path.lower().endswith(".csv") else path + ".csv")

    def export_to(self, path: str) -> None:
        filters = self.filters()
        self.status.setText("Writing the CSV file...")
        self.ctx.tasks.run(lambda: store.export_history(path, **filters),
                           lambda count: self.status.setText(
                               f"Saved {count} change{'' if count == 1 else 's'} to {Path(path).name}."),
                           self._on_failed)

    def done(self, result: int) -> None:  # also on Close and Esc: stop following changes
        try:
            self.ctx.events.data_changed.disconnect(self._on_data_changed)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
