"""File > Export contacts... and Client > Export as a vCard...: the clients the list shows (its filter and sort) as
vCard 3.0/4.0, or as a CSV of the list's columns as shown or of every contact field."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules import words
from models.store import StoreError
from ui.app import dress
from ui.context import AppContext

FORMATS = {"3.0": "vCard 3.0, for Apple Contacts, Google and Outlook",
           "4.0": "vCard 4.0, for newer address books",
           "csv": "CSV, for Excel and other spreadsheets"}
SUFFIXES = {"3.0": ("vcf", "vCard (*.vcf)"), "4.0": ("vcf", "vCard (*.vcf)"), "csv": ("csv", "CSV (*.csv)")}
EVERY_FIELD_WORDS = ("Name, organisation, phone, email, address, more contact details, last contact, "
                     "next promise due and UID")
UID_COLUMN = ("uid", "UID")


def _clients(count: int) -> str:
    return f"{count:,} client{'' if count == 1 else 's'}"


def export_contacts(ctx: AppContext, parent: QWidget, client_ids: Sequence[int] | None,
                    columns: Sequence[tuple[str, str]] | None = None) -> ExportContactsDialog:
    """Open the export dialog for these clients; `columns` are the list's visible columns as shown (field, header)."""
    dialog = ExportContactsDialog(ctx, client_ids, columns, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ExportContactsDialog(QDialog):
    """Which kind of file (and for a CSV, which columns), then where: the file is written on the database thread."""

    def __init__(self, ctx: AppContext, client_ids: Sequence[int] | None,
                 columns: Sequence[tuple[str, str]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_ids = None if client_ids is None else list(client_ids)
        self.list_columns = list(columns) if columns else None
        self.setWindowTitle("Export contacts")
        if self.client_ids is None:
            text = "Export every client."
        elif self.list_columns:
            text = f"Export the {_clients(len(self.client_ids))} the list shows, in its order."
        else:
            text = "Export this client." if len(self.client_ids) == 1 else f"Export {_clients(len(self.client_ids))}."
        intro = QLabel(text, wordWrap=True)

        self.format_group = QButtonGroup(self)
        formats = QGroupBox("Kind of file")
        format_layout = QVBoxLayout(formats)
        for kind, text in FORMATS.items():
            button = QRadioButton(text)
            button.setProperty("kind", kind)
            self.format_group.addButton(button)
            format_layout.addWidget(button)
        self.format_group.buttons()[0].setChecked(True)
        self.one_per_file = QCheckBox("One file per client, for Outlook (it reads only the first card of a file)")
        format_layout.addWidget(self.one_per_file)

        self.columns_box = QGroupBox("Columns of the CSV")
        columns_layout = QVBoxLayout(self.columns_box)
        self.as_shown = QRadioButton("As shown in the list")
        self.every_field = QRadioButton("Every contact field")
        if self.list_columns:
            shown = words.join([header for _, header in self.list_columns])
            self.as_shown.setChecked(True)
            columns_layout.addWidget(self.as_shown)
            columns_layout.addWidget(self._hint(
                f"{shown}, in that order, plus a UID column that lets Rapport recognise each client when the "
                "file is imported again. For a spreadsheet or a printout of what you see."))
        else:
            self.as_shown.hide()
            self.every_field.setChecked(True)
        columns_layout.addWidget(self.every_field)
        columns_layout.addWidget(self._hint(
            f"{EVERY_FIELD_WORDS}. For moving the clients to another program "
            "or another Rapport office with nothing left out."))

        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.job: Any = None  # the export running (ui/tasks.run_job): Cancel stops it between pages
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export...", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_export_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(formats)
        layout.addWidget(self.columns_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.format_group.buttonToggled.connect(lambda *_: self._on_format_changed())
        self._on_format_changed()

    @staticmethod
    def _hint(text: str) -> QLabel:
        hint = dress(QLabel(text, wordWrap=True, objectName="muted"))
        hint.setContentsMargins(22, 0, 0, 6)
        return hint

    @property
    def kind(self) -> str:
        return str(self.format_group.checkedButton().property("kind"))

    def choose(self, kind: str, *, as_shown: bool = True) -> None:
        """Pick the kind of file (and for a CSV the columns), as a click would."""
        next(b for b in self.format_group.buttons() if b.property("kind") == kind).setChecked(True)
        (self.as_shown if as_shown and self.list_columns else self.every_field).setChecked(True)

    def columns(self) -> list[tuple[str, str]] | None:
        """The CSV's columns: the list's as shown (with the UID at the end), or None for every contact field."""
        if self.kind != "csv" or not self.list_columns or not self.as_shown.isChecked():
            return None
        return self.list_columns + ([] if any(f == "uid" for f, _ in self.list_columns) else [UID_COLUMN])

    def _one_per_file(self) -> bool:
        return self.kind != "csv" and self.one_per_file.isChecked()

    def _on_format_changed(self) -> None:
        self.columns_box.setVisible(self.kind == "csv")
        self.one_per_file.setVisible(self.kind != "csv")
        self.adjustSize()

    def _on_export_clicked(self) -> None:
        suffix, pattern = SUFFIXES[self.kind]
        if self._one_per_file():
            path = QFileDialog.getExistingDirectory(self, "Choose the folder for the clients' cards")
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export contacts", f"Rapport contacts.{suffix}", pattern)
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write the file as a job on the database thread, a page of clients at a time, so the desk's other work
        goes on between pages; the dialog closes when it is written, or says what went wrong."""
        kind, ids, columns, one_per_file = self.kind, self.client_ids, self.columns(), self._one_per_file()
        self.export_button.setEnabled(False)
        self.error.hide()
        self.progress.setValue(0)
        self.progress.show()
        steps = store.export_steps(path, ids, kind=kind, columns=columns, one_per_file=one_per_file)
        self.job = self.ctx.tasks.run_job(steps, self._on_export_progress,
                                          lambda count: self._on_exported(path, count), self._on_export_failed)

    def _on_export_progress(self, progress: tuple[int, int]) -> None:
        done, total = progress
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)

    def _on_exported(self, path: str, count: int) -> None:
        stopped = self.job is not None and self.job.cancelled
        self.job = None
        if not stopped:
            self.ctx.events.message_reported.emit(f"Exported {_clients(count)} to {path}.")
        elif self._one_per_file():
            self.ctx.events.message_reported.emit(f"Export stopped: the cards of {_clients(count)} are in {path}.")
        else:
            self.ctx.events.message_reported.emit("Export stopped: no file was written.")
        self.accept()

    def _on_export_failed(self, error: StoreError) -> None:
        self.job = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
        self.error.setText(error.message)
        self.error.show()

    def reject(self) -> None:
        """Cancel: before the export, close; during it, stop it after the page being written (then close)."""
        if self.job is not None and not self.job.finished:
            self.job.cancel()
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
            return
        super().reject()
