"""The promise dialogs: a new due date, another owner, or a cancellation with its reason (ui/actions/promises.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QWidget

from models import store
from models.rules import due_phrases
from models.store import ConflictError, PromiseEntry, PromiseRow, StoreError
from ui import fmt
from ui.actions import promises as promise_actions
from ui.app import dress
from ui.context import AppContext
from ui.due_input import DueInput, load_office_hours
from ui.lifetime import delete_on_close
from ui.widgets import FormDialog, mark_invalid


class PromiseActionDialog(FormDialog):
    """A new due date, another owner, or a cancellation with its reason."""

    TITLES = {"renegotiate": "New due date", "reassign": "Give to a colleague", "cancel": "Cancel promise"}

    def __init__(self, ctx: AppContext, action: str,
                 promise: promise_actions.PromiseRef | PromiseEntry | PromiseRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.TITLES[action], parent)
        delete_on_close(self)
        self.ctx, self.action = ctx, action
        self.promise = promise_actions.ref(promise)
        self.version: int | None = self.promise.version
        self.field: Any
        form = QFormLayout()
        form.addRow(QLabel(f"<b>{self.promise.text}</b>", wordWrap=True))
        self.hint = dress(QLabel(objectName="hint", wordWrap=True))
        self.reason = QLineEdit(placeholderText="Optional" if action == "renegotiate" else "Why? (required)")
        if action == "renegotiate":  # issue 13: the shared due-date input, preview and choices beneath
            self.due_input = DueInput(placeholder="When? For example: fri 3pm", embed_edit=False)
            self.field = self.due_input.edit
            self.hint = self.due_input.hint
            self.due_input.moment_changed.connect(self._on_due_input_moment_changed)
            load_office_hours(ctx, self.due_input)
            form.addRow(QLabel("New due date, agreed with the client"))
            form.addRow(self.field)  # the whole width: the preview and the choices read beneath it
            form.addRow(self.due_input)
            form.addRow("Reason", self.reason)
        elif action == "reassign":
            self.field = QComboBox()
            now = store.utcnow()
            owner = self.promise.owner_id
            for member in ctx.team:
                note = " (has it now)" if member.id == owner else " (away)" if member.is_away(now) else ""
                self.field.addItem(member.name + note, member.id)
            # Suggest somebody else: yourself when you don't have it, else the first colleague who is in.
            others = [m for m in ctx.team if m.id != owner]
            suggested = next((m for m in others if m.id == ctx.staff_id), None) or \
                next((m for m in others if not m.is_away(now)), None)
            self.field.setCurrentIndex(max(0, self.field.findData(suggested.id if suggested else ctx.staff_id)))
            form.addRow("Give to", self.field)
        else:
            self.field = self.reason
            form.addRow("Reason", self.reason)
        self.finish(form)
        if action == "cancel":  # "Cancel" in a dialog that cancels a promise would read the wrong way round
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Cancel the promise")
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep it")

    def _on_due_input_moment_changed(self, moment: datetime | None) -> None:
        """A date that now reads (or a choice picked) takes back the red "did not understand" at once."""
        if moment is not None:
            self.error.hide()
            mark_invalid(self.field, False)

    def submit(self) -> None:
        by, pid, version = self.ctx.staff_id, self.promise.id, self.version
        call: Callable[[], object]
        if self.action == "renegotiate":
            due_local = self.due_input.value_to_save()  # None while the phrase asks and nobody picked
            if due_local is None:
                problem = self.due_input.problem()
                self.due_input.clear_feedback()
                mark_invalid(self.field, True)
                self.show_error(problem)
                return
            question = due_phrases.due_warning(due_local, fmt.local(store.utcnow()))  # past, or years away
            if question and QMessageBox.question(self, "Check the due date", question) != \
                    QMessageBox.StandardButton.Yes:
                self.field.setFocus()
                return
            due, reason = due_local.astimezone(), self.reason.text()
            call = lambda: store.renegotiate_promise(pid, by=by, due=due, reason=reason, version=version)  # noqa: E731
        elif self.action == "reassign":
            owner = self.field.currentData()
            member = next((m for m in self.ctx.team if m.id == owner), None)
            if member is not None and owner != self.ctx.staff_id and \
                    not promise_actions.confirm_owner(self.ctx, self, member, self.promise.due):
                return
            call = lambda: store.reassign_promise(pid, by=by, owner=owner, version=version)  # noqa: E731
        else:
            reason = self.reason.text()
            call = lambda: store.cancel_promise(pid, by=by, reason=reason, version=version)  # noqa: E731
        self.ctx.tasks.run(call, lambda _: self.accept(), self._on_failed)

    def _on_failed(self, error: StoreError) -> None:
        if isinstance(error, ConflictError) and isinstance(error.current, store.PromiseRow):
            theirs = error.current
            self.version = theirs.version  # a second OK saves this change on top of theirs, knowingly
            self.show_error(f"A colleague changed this promise meanwhile. Theirs: '{theirs.text}', due "
                            f"{fmt.when(theirs.due, store.utcnow())}, owner {theirs.owner_name}. Press OK again to "
                            "save yours on top of theirs, or Cancel to keep theirs.")
            return
        self.show_error(error.message)
