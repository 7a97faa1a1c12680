"""The composer above the timeline: log an interaction, add a note, make a promise, in a few keystrokes."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules import due_phrases, words
from models.rules.text import LONG_LIMIT, check_text
from models.rules.vocab import CHANNELS, RATINGS
from models.store import BusyError, ChangeKind, Changes, InteractionEntry, StoreError
from ui import fmt
from ui.actions import promises as promise_actions
from ui.app import dress
from ui.context import AppContext
from ui.drafts import Drafts
from ui.due_input import DueInput, load_office_hours
from ui.lifetime import subscribe
from ui.widgets import NO_TOPIC, fill_topics, mark_invalid

# While the shared database stays busy, a save is tried again this often (the text stays in the form).
BUSY_RETRY_MS = 3000
# Shown in the form meanwhile (ui/tasks.BUSY_WAITING is the window's banner while any call waits on the lock).
BUSY_RETRYING = ("The shared database is busy at another desk. What you typed is kept, and Rapport keeps trying "
                 "to save it.")


class UndoFallsThrough(QObject):
    """Ctrl+Z in a box with nothing of its own to undo goes to Edit > Undo (the desk's last action).

    A box always claims Ctrl+Z for itself, so right after "Log it" (the cursor still in the emptied
    summary) Ctrl+Z used to do nothing at all. Typing in the box is still undone first.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Undo)):
            if isinstance(watched, QLineEdit):
                own = watched.isUndoAvailable()
            elif isinstance(watched, QPlainTextEdit):
                own = watched.document().isUndoAvailable()
            else:
                own = True
            return not own  # consumed unaccepted: the window's Undo shortcut gets the key
        return False


class EnterTextEdit(QPlainTextEdit):
    """A multi-line field where Enter saves and Shift+Enter starts a new line."""

    submitted = Signal()
    """Enter was pressed without Shift."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ComposerForm(QWidget):
    """What the three forms share: the client they write to, the error line, drafts, the save round trip."""

    saved = Signal(object)
    """The form's text was saved (the Changes the store returned)."""

    draft_key = "form"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_id: int | None = None
        self.drafts: Drafts | None = None
        self.saving = False
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self._draft_timer = QTimer(self, singleShot=True, interval=400)
        self._draft_timer.timeout.connect(self._write_draft)
        self._fields: dict[str, QWidget] = {}

    # --- drafts ---
    def set_client(self, client_id: int | None, drafts: Drafts | None) -> None:
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self._write_draft()
        self.client_id, self.drafts = client_id, drafts
        self.clear_error()
        self.reset()
        draft = drafts.load(self._key()) if drafts and client_id is not None else None
        if draft:
            self.set_values(draft)

    def _key(self) -> str:
        return f"client-{self.client_id}-{self.draft_key}"

    def schedule_draft(self) -> None:
        self._draft_timer.start()

    def _write_draft(self) -> None:
        if self.drafts is not None and self.client_id is not None:
            self.drafts.save(self._key(), self.values())

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def set_values(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    # --- errors ---
    def show_error(self, field: str, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        widget = self._fields.get(field)
        for name, w in self._fields.items():
            mark_invalid(w, name == field)
        if widget is not None:
            widget.setFocus()

    def clear_error(self) -> None:
        self.error.hide()
        for w in self._fields.values():
            mark_invalid(w, False)

    # --- saving ---
    def save_with(self, call: Any, success: str, then: Any = None) -> None:
        """Run the store call on the database thread; on success clear the form, on failure keep every word.

        While the shared database is busy at another desk the save is tried again every few seconds,
        with the text kept in the form, until it goes through (SHARING.md: keep what they typed, keep trying).
        """
        if self.saving:
            return
        if self.client_id is None or self.ctx.staff_id is None:
            self.show_error("", "Choose a client and say who is at the desk first.")
            return
        self.saving = True
        self.clear_error()

        def done(changes: Changes) -> None:
            self.saving = False
            self.reset()
            if self.drafts is not None:
                self.drafts.clear(self._key())
            self.ctx.events.message_reported.emit(success)
            self.saved.emit(changes)
            if then is not None:
                then(changes)

        def failed(error: StoreError) -> None:
            if isinstance(error, BusyError):
                self.show_error("", BUSY_RETRYING)
                QTimer.singleShot(BUSY_RETRY_MS, self, lambda: self.ctx.tasks.run(call, done, failed))
                return
            self.saving = False
            self.show_error(getattr(error, "field", ""), error.message)

        self.ctx.tasks.run(call, done, failed)

    def check(self, field: str, value: str, label: str, **kwargs: Any) -> str | None:
        """Instant validation with the same rule the store applies; None (and an error shown) when refused."""
        text, problem = check_text(value, label, **kwargs)
        if problem:
            self.show_error(field, problem)
            return None
        return text


class InteractionForm(ComposerForm):
    """Log a call, visit, email ...: channel, how it went, a one-line summary, optional details."""

    draft_key = "interaction"

    logged = Signal(int, int, str, str, bool)
    """An interaction was logged: (id, rating, channel, summary, was it a fix); views may offer a follow-up."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.fixing: InteractionEntry | None = None
        self.continuing: InteractionEntry | None = None

        self.channel = QComboBox()
        for code, label in CHANNELS.items():
            self.channel.addItem(label, code)
        self.channel.setAccessibleName("Channel")
        self.topic = QComboBox(toolTip="Topic, optional (Alt+T, then type its first letters)")  # issue 17
        self.topic.setAccessibleName("Topic")
        self.topic.addItem(NO_TOPIC, None)
        QShortcut(QKeySequence("Alt+T"), self, self.topic.setFocus)
        subscribe(self, ctx.events.data_changed, self._on_data_changed)  # a topic renamed, added, hidden
        self.rating_group = QButtonGroup(self)
        self.rating_group.setExclusive(True)
        rating_row = QHBoxLayout()
        rating_row.setSpacing(4)
        for number, value in enumerate(sorted(RATINGS), start=1):
            sign = f"+{value}" if value > 0 else str(value)
            button = dress(QToolButton(text=f"{sign} {RATINGS[value]}", checkable=True))
            button.setObjectName(f"rating{value:+d}".replace("+", "p").replace("-", "m"))
            button.setToolTip(f"{RATINGS[value]} (Alt+{number})")
            button.setShortcut(QKeySequence(f"Alt+{number}"))
            self.rating_group.addButton(button, value)
            rating_row.addWidget(button)
        rating_row.addStretch(1)
        self.summary = QLineEdit(placeholderText="What happened? For example: Called about the March invoice")
        self.summary.setAccessibleName("Summary")
        self.details = QPlainTextEdit(placeholderText="Details (optional)")
        self.details.setFixedHeight(52)
        self.details.setAccessibleName("Details")
        self.context = dress(QLabel(objectName="context", wordWrap=True))
        self.context.hide()
        self.apology = QCheckBox("We apologised to the client")
        self.apology.setToolTip("Tick only if the client heard an apology: a fix with one restores more trust")
        self.apology.hide()
        self.cancel_context = QPushButton("Not a fix")
        self.cancel_context.hide()
        self.save_button = QPushButton("Log it")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Enter in the summary)")

        context_row = QHBoxLayout()
        context_row.addWidget(self.context, 1)
        context_row.addWidget(self.apology)
        context_row.addWidget(self.cancel_context)
        top = QHBoxLayout()
        top.addWidget(self.channel)
        top.addLayout(rating_row, 1)
        bottom = QHBoxLayout()
        # the topic sits before the summary, not beside the channel: the top row (channel and five
        # ratings) is what sets the pane's narrowest width
        bottom.addWidget(self.topic)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(context_row)
        layout.addLayout(top)
        layout.addLayout(bottom)
        layout.addWidget(self.details)
        layout.addWidget(self.error)
        self._fields = {"summary": self.summary, "details": self.details, "rating": self.channel,
                        "channel": self.channel, "topic": self.topic}

        self.summary.returnPressed.connect(self.submit)
        self.save_button.clicked.connect(self.submit)
        self.cancel_context.clicked.connect(self.clear_context)
        self.summary.textChanged.connect(self.schedule_draft)
        self.details.textChanged.connect(self.schedule_draft)
        self.reset()

    def reset(self) -> None:
        self.summary.setText("")  # setText and setPlainText also forget the box's undo history
        self.details.setPlainText("")
        self.rating_group.button(0).setChecked(True)
        self.clear_context()
        self.topic.setCurrentIndex(0)
        self.ctx.tasks.run(store.office_settings, self._on_settings_read, lambda _error: None)

    def _on_data_changed(self, changes: Changes) -> None:
        if ChangeKind.SETTINGS in changes.kinds:
            self.ctx.tasks.run(store.office_settings, self._on_settings_read, lambda _error: None)

    def _on_settings_read(self, settings: Any) -> None:
        """The office's topics (Settings) to pick from; a hidden one is no longer offered."""
        fill_topics(self.topic, settings)

    def values(self) -> dict[str, Any]:
        return {"summary": self.summary.text(), "details": self.details.toPlainText(),
                "rating": self.rating_group.checkedId(), "channel": self.channel.currentData(),
                "topic": self.topic.currentData()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.summary.setText(str(values.get("summary", "")))
        self.details.setPlainText(str(values.get("details", "")))
        button = self.rating_group.button(int(values.get("rating", 0) or 0))
        if button is not None:
            button.setChecked(True)
        index = self.channel.findData(values.get("channel"))
        if index >= 0:
            self.channel.setCurrentIndex(index)
        self.topic.setCurrentIndex(max(0, self.topic.findData(values.get("topic"))))

    def start_fix(self, entry: InteractionEntry) -> None:
        """Log the fix of a failed interaction (SPEC.md: its own encounter, plus a recovery)."""
        self.clear_context()
        self.fixing = entry
        self.context.setText(f"Fixing: {entry.summary} ({fmt.when(entry.at, store.utcnow())})")
        self.context.show()
        self.apology.setChecked(False)  # recorded only when somebody ticks it: it must be true
        self.apology.show()
        self.cancel_context.setText("Not a fix")
        self.cancel_context.show()
        self.rating_group.button(1).setChecked(True)
        self.summary.setFocus()

    def start_continue(self, entry: InteractionEntry) -> None:
        """Log another touch of the same encounter (the visit goes on)."""
        self.clear_context()
        self.continuing = entry
        self.context.setText(f"Same encounter as: {entry.summary} ({fmt.when(entry.at, store.utcnow())})")
        self.context.show()
        self.cancel_context.setText("New encounter")
        self.cancel_context.show()
        self.channel.setCurrentIndex(max(0, self.channel.findData(entry.channel)))
        self.summary.setFocus()

    def clear_context(self) -> None:
        self.fixing = self.continuing = None
        self.context.hide()
        self.apology.hide()
        self.apology.setChecked(False)
        self.cancel_context.hide()

    def submit(self) -> None:
        summary = self.check("summary", self.summary.text(), "The summary", required=True)
        if summary is None:
            return
        details = self.check("details", self.details.toPlainText(), "The details", multiline=True, plural=True)
        if details is None:
            return
        client_id, by = self.client_id, self.ctx.staff_id
        rating, channel = self.rating_group.checkedId(), self.channel.currentData()
        fixing = self.fixing.id if self.fixing else None
        encounter = self.continuing.encounter if self.continuing else None
        apology = self.apology.isChecked() if self.fixing else False
        topic = self.topic.currentData()

        def call() -> Changes:
            return store.log_interaction(client_id, by=by, summary=summary, rating=rating, channel=channel,
                                         details=details, recovers=fixing, encounter=encounter, apology=apology,
                                         topic=topic)

        def after(changes: Changes) -> None:
            if changes.id is not None:
                self.logged.emit(changes.id, rating, channel, summary, fixing is not None)

        self.save_with(call, "Fix logged." if fixing else "Interaction logged.", after)


class NoteForm(ComposerForm):
    """An internal note: Enter saves, Shift+Enter for a new line."""

    draft_key = "note"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.text = EnterTextEdit(placeholderText="Internal note, never shown to the client. "
                                                  "Enter saves; Shift+Enter starts a new line.")
        self.text.setAccessibleName("Note")
        self.text.setFixedHeight(70)
        self.pinned = QCheckBox("Pin to the hand-off card")
        self.save_button = QPushButton("Add note")
        row = QHBoxLayout()
        row.addWidget(self.pinned)
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._fields = {"text": self.text}
        self.text.submitted.connect(self.submit)
        self.save_button.clicked.connect(self.submit)
        self.text.textChanged.connect(self.schedule_draft)

    def reset(self) -> None:
        self.text.setPlainText("")
        self.pinned.setChecked(False)

    def values(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText(), "pinned": self.pinned.isChecked()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.text.setPlainText(str(values.get("text", "")))
        self.pinned.setChecked(bool(values.get("pinned")))

    def submit(self) -> None:
        text = self.check("text", self.text.toPlainText(), "The note", required=True, multiline=True,
                          limit=LONG_LIMIT)
        if text is None:
            return
        client_id, by, pinned = self.client_id, self.ctx.staff_id, self.pinned.isChecked()
        self.save_with(lambda: store.add_note(client_id, by=by, text=text, pinned=pinned), "Note added.")


class PromiseForm(ComposerForm):
    """Make a promise: what, when (typed as people say it: "tomorrow 3pm", "fri"), and whose it is."""

    draft_key = "promise"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.origin: int | None = None
        self.text = QLineEdit(placeholderText="What did we promise? For example: Call back about the invoice")
        self.text.setAccessibleName("Promise")
        # issue 13: the due date as people say it, the preview in full beneath, choices when it is ambiguous
        self.due_input = DueInput(placeholder="When? For example: tomorrow 3pm, fri, in 2 days, 1 Dec",
                                  embed_edit=False)
        self.due = self.due_input.edit
        self.due.setAccessibleName("Due")
        self.hint = self.due_input.hint
        self.owner = QComboBox()
        self.owner.setAccessibleName("Owner")
        self.save_button = QPushButton("Make promise")
        form = QFormLayout()
        form.addRow("Promise", self.text)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due, 1)
        due_row.addWidget(QLabel("Owner"))
        due_row.addWidget(self.owner)
        due_row.addWidget(self.save_button)
        form.addRow("Due", due_row)
        form.addRow("", self.due_input)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self._fields = {"text": self.text, "due": self.due, "owner": self.owner}
        self.text.returnPressed.connect(self._on_text_return_pressed)
        self.due.returnPressed.connect(self.submit)
        self.save_button.clicked.connect(self.submit)
        self.due_input.moment_changed.connect(self._on_due_input_moment_changed)
        self.text.textChanged.connect(self.schedule_draft)
        self.due.textChanged.connect(self.schedule_draft)

    def set_client(self, client_id: int | None, drafts: Drafts | None) -> None:
        super().set_client(client_id, drafts)
        if client_id is not None:  # the office's end of day and hours, read once the office is open
            load_office_hours(self.ctx, self.due_input)

    def set_team(self, team: list[store.StaffMember], me: int | None) -> None:
        current = self.owner.currentData()
        self.owner.clear()
        for member in team:
            self.owner.addItem(member.name, member.id)
        index = self.owner.findData(current if current is not None else me)
        self.owner.setCurrentIndex(max(index, 0))
        if current is None and me is not None:
            self.owner.setCurrentIndex(max(self.owner.findData(me), 0))

    def reset(self) -> None:
        self.text.setText("")
        self.due.setText("")
        self.origin = None
        if self.ctx.staff_id is not None:
            self.owner.setCurrentIndex(max(self.owner.findData(self.ctx.staff_id), 0))

    def values(self) -> dict[str, Any]:
        return {"text": self.text.text(), "due": self.due.text()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.text.setText(str(values.get("text", "")))
        self.due.setText(str(values.get("due", "")))

    def prefill(self, text: str, due_text: str, origin: int | None = None) -> None:
        """Start a promise from an offer (the second impression, a thank-you)."""
        self.text.setText(text)
        self.due.setText(due_text)
        self.origin = origin
        self.due.setFocus()
        self.due.selectAll()

    def _now_local(self) -> datetime:
        return fmt.local(store.utcnow())

    def _on_due_input_moment_changed(self, moment: datetime | None) -> None:
        """A date that now reads (or a choice picked) takes back the red "did not understand" at once."""
        if moment is not None and self.due.property("invalid"):
            self.clear_error()

    def _on_text_return_pressed(self) -> None:
        if self.due.text().strip():
            self.submit()
        else:
            self.due.setFocus()

    def submit(self) -> None:
        text = self.check("text", self.text.text(), "What was promised", required=True)
        if text is None:
            return
        now = self._now_local()
        due_local = self.due_input.value_to_save()  # None while the phrase asks and nobody picked
        if due_local is None:
            problem = self.due_input.problem()
            self.due_input.clear_feedback()  # the same sentence shows once, as the error
            self.show_error("due", problem)
            return
        question = due_phrases.due_warning(due_local, now)
        if question and QMessageBox.question(self, "Check the due date", question) != QMessageBox.StandardButton.Yes:
            self.due.setFocus()
            return
        owner = self.owner.currentData()
        member = next((m for m in self.ctx.team if m.id == owner), None)
        due = due_local.astimezone(UTC)  # naive local -> aware UTC for the store
        if member is not None and owner != self.ctx.staff_id and \
                not promise_actions.confirm_owner(self.ctx, self, member, due):  # the one away question
            self.owner.setFocus()
            return
        client_id, by, origin = self.client_id, self.ctx.staff_id, self.origin
        self.save_with(lambda: store.make_promise(client_id, by=by, text=text, due=due, owner=owner, origin=origin),
                       f"Promise saved, due {words.in_sentence(due_phrases.describe_due(due_local, now))}.",
                       lambda _changes: self.text.setFocus())  # ready for the next promise


class Composer(QTabWidget):
    """The three forms in tabs, with the shortcuts that open each one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.interaction = InteractionForm(ctx)
        self.note = NoteForm(ctx)
        self.promise = PromiseForm(ctx)
        self.addTab(self.interaction, "Log interaction  (Ctrl+L)")
        self.addTab(self.note, "Note  (Ctrl+Shift+N)")
        self.addTab(self.promise, "Promise  (Ctrl+Shift+P)")
        self.setDocumentMode(True)
        self._undo_filter = UndoFallsThrough(self)
        for form in self.forms():
            for editor in (*form.findChildren(QLineEdit), *form.findChildren(QPlainTextEdit)):
                editor.installEventFilter(self._undo_filter)

    def forms(self) -> tuple[ComposerForm, ...]:
        return (self.interaction, self.note, self.promise)

    def set_client(self, client_id: int | None, drafts: Drafts | None) -> None:
        for form in self.forms():
            form.set_client(client_id, drafts)

    def open_interaction(self) -> None:
        if self.isEnabled() and self.isVisible():
            self.setCurrentWidget(self.interaction)
            self.interaction.summary.setFocus()

    def open_note(self) -> None:
        if self.isEnabled() and self.isVisible():
            self.setCurrentWidget(self.note)
            self.note.text.setFocus()

    def open_promise(self) -> None:
        if self.isEnabled() and self.isVisible():
            self.setCurrentWidget(self.promise)
            self.promise.text.setFocus()

    def suggest_fix_due(self) -> str:
        """A due date inside the 48 hours that make a second impression count: tomorrow at 5 pm."""
        now = fmt.local(store.utcnow())
        candidate = due_phrases.parse_due("tomorrow", now)
        if candidate is None or candidate - now > timedelta(hours=48):
            return "in 24 hours"
        return "tomorrow"
