"""Add or edit a client's contact details, with checks a receptionist understands."""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules.text import check_email, check_phone, check_text
from models.rules.vocab import CHANNELS
from models.store import Changes, ClientDetails, ConflictError, StoreError
from ui.app import dress
from ui.context import AppContext
from ui.dialogs.conflict import ConflictDialog
from ui.widgets import mark_invalid

# How long typing pauses before possible duplicates are looked up (a query per pause, not per key).
SIMILAR_DELAY_MS = 300


class ClientDialog(QDialog):
    """One form for a new client and for editing an existing one (saved with its version)."""

    saved = Signal(object)
    """The client was saved (the Changes; Changes.id is the client's id)."""

    def __init__(self, ctx: AppContext, client: ClientDetails | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client = client
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle("Edit client" if client else "New client")
        self.setMinimumWidth(460)
        self.name = QLineEdit()
        self.organisation = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setFixedHeight(60)
        self.more_details = QPlainTextEdit(placeholderText="Other phones, emails, addresses, birthday, job title, "
                                                           "website ... one per line")
        self.more_details.setFixedHeight(60)
        self.channel = QComboBox()
        self.channel.addItem("(no preference)", "")
        for code, label in CHANNELS.items():
            self.channel.addItem(label, code)
        self.handler = QComboBox()
        self.handler.addItem("(nobody in particular)", None)
        for member in ctx.team:
            self.handler.addItem(member.name, member.id)
        self.caution = QPlainTextEdit(placeholderText="Anything a colleague must know first, "
                                                      "e.g. Upset about the March invoice")
        self.caution.setFixedHeight(60)
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        # issue 16: "Possibly the same as: ..." while a client is typed, found through tasks
        self.similar = QLabel(objectName="similar", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.similar.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByKeyboard
                                             | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.similar.linkActivated.connect(self._on_similar_link_activated)
        self.similar.hide()
        self.hits: tuple[store.SimilarClient, ...] = ()
        self.dismissed: set[int] = set()
        self._generation = 0
        self._similar_timer = QTimer(self, singleShot=True, interval=SIMILAR_DELAY_MS)
        self._similar_timer.timeout.connect(self._look_for_similar)
        form = QFormLayout()
        form.addRow("Name *", self.name)
        form.addRow("Organisation", self.organisation)
        form.addRow("Phone", self.phone)
        form.addRow("Email", self.email)
        form.addRow("Address", self.address)
        form.addRow("More contact details", self.more_details)  # issue 15
        form.addRow("Prefers", self.channel)
        form.addRow("Usual handler", self.handler)
        form.addRow("Caution", self.caution)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.similar)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {
            "name": self.name, "organisation": self.organisation, "phone": self.phone, "email": self.email,
            "address": self.address, "preferred_channel": self.channel, "usual_handler": self.handler,
            "caution": self.caution, "more_details": self.more_details,
        }
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        if client is not None:
            self.set_values(client)
        for edit in (self.name, self.organisation, self.phone, self.email):
            edit.textEdited.connect(self._similar_timer.start)
        self.address.textChanged.connect(self._on_address_changed)
        self.name.setFocus()

    def set_values(self, client: ClientDetails | dict[str, Any]) -> None:
        get = client.get if isinstance(client, dict) else lambda k, d=None: getattr(client, k, d)
        self.name.setText(get("name", "") or "")
        self.organisation.setText(get("organisation", "") or "")
        self.phone.setText(get("phone", "") or "")
        self.email.setText(get("email", "") or "")
        self.address.setPlainText(get("address", "") or "")
        self.caution.setPlainText(get("caution", "") or "")
        self.more_details.setPlainText(get("more_details", "") or "")
        self.channel.setCurrentIndex(max(0, self.channel.findData(get("preferred_channel", "") or "")))
        handler = get("usual_handler", None) if isinstance(client, dict) else client.usual_handler_id
        self.handler.setCurrentIndex(max(0, self.handler.findData(handler)))

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(), "organisation": self.organisation.text(), "phone": self.phone.text(),
            "email": self.email.text(), "address": self.address.toPlainText(),
            "preferred_channel": self.channel.currentData(), "usual_handler": self.handler.currentData(),
            "caution": self.caution.toPlainText(), "more_details": self.more_details.toPlainText(),
        }

    def show_error(self, field: str, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        for name, widget in self.fields.items():
            mark_invalid(widget, name == field)
        if field in self.fields:
            self.fields[field].setFocus()

    def _instant_check(self, values: dict[str, Any]) -> bool:
        """The checks that need no database, so a mistake is named before anything is sent."""
        _, problem = check_text(values["name"], "The name", required=True)
        if problem:
            self.show_error("name", problem)
            return False
        for field, check in (("phone", check_phone), ("email", check_email)):
            text, problem = check_text(values[field], "This field")
            problem = problem or check(text)
            if problem:
                self.show_error(field, problem)
                return False
        return True

    def submit(self) -> None:
        values = self.values()
        if not self._instant_check(values):
            return
        by = self.ctx.staff_id
        self.buttons.setEnabled(False)
        if self.client is None:
            name = values.pop("name")
            self.ctx.tasks.run(lambda: store.add_client(name=name, by=by, **values), self._on_saved, self._on_failed)
        else:
            cid, version = self.client.id, self.client.version
            self.ctx.tasks.run(lambda: store.update_client(cid, version=version, by=by, **values),
                               self._on_saved, self._on_failed)

    def resolve_conflict(self, theirs: ClientDetails) -> None:
        """A colleague saved first: show both versions; save the person's choice on top of theirs."""
        dialog = ConflictDialog(theirs, self.values(), self.ctx.team, self)
        self.conflict_dialog = dialog
        dialog.finished.connect(lambda result: self._on_conflict_finished(dialog, theirs, result))
        dialog.open()

    def _on_conflict_finished(self, dialog: ConflictDialog, theirs: ClientDetails, result: int) -> None:
        self.conflict_dialog = None
        self.client = theirs
        if result != QDialog.DialogCode.Accepted.value:
            self.set_values(theirs)
            self.ctx.events.message_reported.emit("Kept your colleague's version.")
            self.accept()
            return
        self.set_values(dialog.merged)
        self.submit()

    # --- possibly the same person (issue 16) ---
    def _on_address_changed(self) -> None:
        if self.address.hasFocus():
            self._similar_timer.start()

    def _look_for_similar(self) -> None:
        """Ask the store for clients like the one typed; a newer keystroke makes this one stale."""
        self._generation += 1
        generation = self._generation
        values = self.values()
        typed = {k: values[k].strip() for k in ("name", "phone", "email", "organisation", "address")}
        exclude = self.client.id if self.client is not None else None

        def call() -> tuple[int, tuple[store.SimilarClient, ...]]:
            if generation != self._generation:
                return generation, ()  # a newer keystroke is queued: skip the query
            return generation, store.similar_clients(**typed, limit=5, exclude=exclude)
        self.ctx.tasks.run(call, self._on_similar_found, lambda error: None)

    def _on_similar_found(self, result: tuple[int, tuple[store.SimilarClient, ...]]) -> None:
        generation, hits = result
        if generation != self._generation:
            return  # a late answer to what was typed before
        self.hits = hits
        self._show_similar()

    def _show_similar(self) -> None:
        hits = [h for h in self.hits if h.client_id not in self.dismissed]
        if not hits:
            self.similar.hide()
            self.similar.clear()
            return
        hit = hits[0]
        who = ", ".join(escape(x) for x in (hit.name, hit.phone or hit.email or hit.organisation) if x)
        more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
        self.similar.setText(f"Possibly the same as: <b>{who}</b>{more} — <a href='open:{hit.client_id}'>open</a>"
                             f" / <a href='different:{hit.client_id}'>it's a different person</a>"
                             f"<br><span>{escape(hit.why.capitalize())}.</span>")
        self.similar.setToolTip("\n".join(f"{h.name}: {h.why}" for h in hits))
        self.similar.show()

    def _on_similar_link_activated(self, link: str) -> None:
        action, _, ident = link.partition(":")
        client_id = int(ident)
        if action == "open":
            self.ctx.events.client_requested.emit(client_id)
            self.reject()
            return
        self.dismissed.add(client_id)
        if self.client is not None:
            self._remember_different(self.client.id, (client_id,))
        self._show_similar()

    def _remember_different(self, client_id: int, others: tuple[int, ...]) -> None:
        by = self.ctx.staff_id
        if by is None:
            return
        self.ctx.tasks.run(lambda: [store.mark_different(client_id, other, by=by) for other in others],
                           None, lambda error: self.ctx.events.error_reported.emit(error.message))

    def _on_saved(self, changes: Changes) -> None:
        self.buttons.setEnabled(True)
        if self.client is None and self.dismissed and changes.id is not None:
            self._remember_different(changes.id, tuple(sorted(self.dismissed)))
        self.saved.emit(changes)
        self.accept()

    def _on_failed(self, error: StoreError) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ConflictError) and isinstance(error.current, ClientDetails):
            self.resolve_conflict(error.current)
            return
        self.show_error(getattr(error, "field", ""), error.message)
