"""Correct a timeline entry: an interaction's summary, details, channel, how it went and topic, or a note's text.

The earlier values stay in the change log. What was typed stays in the dialog when the save is refused.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from models import store
from models.rules.vocab import CHANNELS, RATINGS
from models.store import InteractionEntry, NoteEntry, StoreError
from ui.context import AppContext
from ui.lifetime import delete_on_close
from ui.widgets import NO_TOPIC, FormDialog, fill_topics


class CorrectInteractionDialog(FormDialog):
    """Every field of a logged interaction that a person can get wrong, in one form."""

    def __init__(self, ctx: AppContext, entry: InteractionEntry, parent: QWidget | None = None) -> None:
        super().__init__("Correct the interaction", parent)
        delete_on_close(self)
        self.ctx, self.entry = ctx, entry
        self.summary = QLineEdit(entry.summary)
        self.summary.setAccessibleName("Summary")
        self.details = QPlainTextEdit(entry.details)
        self.details.setAccessibleName("Details")
        self.details.setTabChangesFocus(True)
        self.details.setFixedHeight(self.details.fontMetrics().lineSpacing() * 5 + 12)
        self.channel = QComboBox()
        for code, label in CHANNELS.items():
            self.channel.addItem(label, code)
        self.channel.setCurrentIndex(max(0, self.channel.findData(entry.channel)))
        self.rating = QComboBox()
        for value in sorted(RATINGS):
            self.rating.addItem(f"{'+' if value > 0 else ''}{value} {RATINGS[value]}", value)
        self.rating.setCurrentIndex(max(0, self.rating.findData(entry.rating)))
        self.topic = QComboBox()
        self.topic.setAccessibleName("Topic")
        self.topic.addItem(NO_TOPIC, None)
        if entry.topic:  # shown at once, even if Settings hides it now; the office's list follows
            self.topic.addItem(entry.topic, entry.topic)
            self.topic.setCurrentIndex(1)
        form = QFormLayout()
        form.addRow("&Summary", self.summary)
        form.addRow("&Details", self.details)
        form.addRow("&Channel", self.channel)
        form.addRow("&How it went", self.rating)
        form.addRow("&Topic", self.topic)
        self.finish(form)
        self.summary.setFocus()
        ctx.tasks.run(store.office_settings, self._on_settings_read, lambda _error: None)  # the list can wait

    def _on_settings_read(self, settings: Any) -> None:
        """The office's topics to pick from (a hidden one is not offered, unless this entry carries it)."""
        fill_topics(self.topic, settings, keep=self.entry.topic)

    def changed_values(self) -> dict[str, Any]:
        """Only what the person changed (so a colleague's change to another field is not written back)."""
        entry = self.entry
        values: dict[str, Any] = {}
        if self.summary.text() != entry.summary:
            values["summary"] = self.summary.text()
        if self.details.toPlainText() != entry.details:
            values["details"] = self.details.toPlainText()
        if self.channel.currentData() != entry.channel:
            values["channel"] = self.channel.currentData()
        if self.rating.currentData() != entry.rating:
            values["rating"] = self.rating.currentData()
        if self.topic.currentData() != (entry.topic or None):
            values["topic"] = self.topic.currentData()
        return values

    def submit(self) -> None:
        values = self.changed_values()
        if not values:
            self.accept()
            return
        by, eid = self.ctx.staff_id, self.entry.id
        self.ctx.tasks.run(lambda: store.edit_interaction(eid, by=by, **values), lambda _: self._saved(),
                           self._on_failed)

    def _saved(self) -> None:
        self.ctx.events.message_reported.emit("The interaction was corrected. The earlier version is in its history.")
        self.accept()

    def _on_failed(self, error: StoreError) -> None:
        self.show_error(error.message)


class CorrectNoteDialog(FormDialog):
    """A note's text; what was typed stays here when the save is refused."""

    def __init__(self, ctx: AppContext, entry: NoteEntry, parent: QWidget | None = None) -> None:
        super().__init__("Correct the note", parent)
        delete_on_close(self)
        self.ctx, self.entry = ctx, entry
        self.text = QPlainTextEdit(entry.text)
        self.text.setAccessibleName("Note")
        self.text.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("&Note", self.text)
        self.finish(form)
        self.text.setFocus()

    def submit(self) -> None:
        text = self.text.toPlainText()
        if text == self.entry.text:
            self.accept()
            return
        by, eid = self.ctx.staff_id, self.entry.id
        self.ctx.tasks.run(lambda: store.edit_note(eid, by=by, text=text), lambda _: self._saved(),
                           lambda error: self.show_error(error.message))

    def _saved(self) -> None:
        self.ctx.events.message_reported.emit("The note was corrected. The earlier text is in its history.")
        self.accept()
