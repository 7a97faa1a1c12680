"""Client > Erase this client's personal data (issue 11): an administrator's action, asked twice, recorded.

What stays is an anonymous tombstone ("Client erased by Ada on 4 Dec 2026") with the ids, times, ratings,
channels and staff, so counts, scores and the review stay honest. It cannot be undone, and backups made
before still hold the data until they age out: the dialog says both, and points at the export of one
client (a privacy request's copy) to make first.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from models import store
from models.store import ClientDetails
from ui.context import AppContext
from ui.dialogs import pin
from ui.widgets import FormDialog

EXPLANATION = (
    "<p>Erasing removes <b>{name}</b>'s personal data from the office database: their name, organisation, "
    "phone, email, address and caution note, and the text of every interaction, note and promise about them — "
    "also from the history of changes and the search.</p>"
    "<p>What stays is an anonymous record (\"Client erased by {admin} on ...\") with the dates, ratings, channels "
    "and who dealt with them, so the office's counts and scores stay right. Their name, phone and email are kept "
    "only as a one-way code, so Rapport can notice if the same person is imported again.</p>"
    "<p><b>This cannot be undone.</b> Backups made before today still hold the data until they age out (the "
    "newest ten are kept); restoring one erases this client again. If the client asked for a copy of their data, "
    "use <i>Client &gt; Export this client...</i> first.</p>")


class EraseDialog(FormDialog):
    """First question: what erasure does, a tick to confirm; then a second question; then the administrator's PIN."""

    erased = Signal(int)
    """The client with this id was erased."""

    def __init__(self, ctx: AppContext, client: ClientDetails, parent: QWidget | None = None) -> None:
        super().__init__(f"Erase {client.name}", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.client = ctx, client
        admin = ctx.staff.name if ctx.staff else "an administrator"
        self.text = QLabel(EXPLANATION.format(name=client.name.replace("<", "&lt;"), admin=admin), wordWrap=True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.understood = QCheckBox("I understand: this client's personal data will be gone for good.")
        form = QVBoxLayout()
        form.addWidget(self.text)
        form.addWidget(self.understood)
        self.finish(form)
        self.setMinimumWidth(560)
        self.erase_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.erase_button.setText("Erase...")
        self.erase_button.setEnabled(False)
        self.understood.toggled.connect(self.erase_button.setEnabled)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)

    def confirm_again(self) -> bool:
        """The second question (a separate window, Cancel by default)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Erase for good?",
                          f"Erase {self.client.name} now? This cannot be undone.", parent=self)
        box.addButton("Erase for good", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep the client", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is not keep

    def submit(self) -> None:
        if not self.understood.isChecked() or not self.confirm_again():
            return
        pin.as_admin(self.ctx, self, "erase a client", self._erase)

    def _erase(self) -> None:
        cid, by = self.client.id, self.ctx.staff_id
        self.erase_button.setEnabled(False)
        self.ctx.tasks.run(lambda: store.erase_client(cid, by=by), self._on_erased, self._on_failed)

    def _on_erased(self, _changes: object) -> None:
        self.ctx.events.message_reported.emit("The client's personal data was erased.")
        self.erased.emit(self.client.id)
        self.accept()

    def _on_failed(self, error: store.StoreError) -> None:
        self.erase_button.setEnabled(True)
        self.show_error(error.message)
