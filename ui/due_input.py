"""A due date typed as people say it, with what Rapport understood beneath it, in full.

`DueInput` is the one way a date is typed in Rapport: the promise form, "New due date", and the away
dialog's "Back on" all use it. It owns:

- `edit`, the line a person types in ("fri 4pm", "next fri", "back on monday"). The caller may put it
  anywhere (beside an owner list, say); the rest of the widget goes beneath it.
- `hint`, the preview: "Tomorrow, Friday 20 March, 5:00 pm" (models/rules/words.py), or the question when
  the phrase is ambiguous, or while typing the reason it is not a date yet (in grey: the red error is
  the form's, after a refused save).
- `notes`, what is worth knowing about the moment: a weekend, a time outside office hours.
- one button per choice when the phrase could mean two moments ("Fri 13 Mar (Alt+1)" / "Fri 20 Mar
  (Alt+2)"). Nothing is taken until one is picked: `value()` is None meanwhile.

The rules are models/rules/due_phrases.py; this widget only shows them. `now` is read from a callable
(the store's clock, in local time), so a test can fix it.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from models import store
from models.rules import due_phrases, words
from ui import fmt
from ui.app import dress

# Alt+1 ... Alt+9 pick a choice; no phrase of the grammar has more than two.
MAX_CHOICES = 9
PICKED = "Picked: {moment}."
CHOICE = "{label}  (Alt+{number})"


def _local_now() -> datetime:
    return fmt.local(store.utcnow())


class DueInput(QWidget):
    """A due-date line with its preview, notes and choice buttons beneath (see the module docstring)."""

    moment_changed = Signal(object)
    """The moment the text now means (a naive local datetime), or None while it means none or is unpicked."""

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "", day_start: bool = False,
                 now: Callable[[], datetime] = _local_now, embed_edit: bool = True) -> None:
        super().__init__(parent)
        self.now = now
        # The away dialog's "Back on": a day alone means its start, and office hours do not apply.
        self.day_start = day_start
        self.day_ends = time(0) if day_start else due_phrases.DEFAULT_DUE_TIME
        self.opens, self.closes = due_phrases.OFFICE_OPENS, due_phrases.OFFICE_CLOSES
        self.edit = QLineEdit(placeholderText=placeholder)
        self.hint = dress(QLabel(objectName="hint", wordWrap=True))
        self.notes = dress(QLabel(objectName="hint", wordWrap=True))
        self.notes.hide()
        self.choice_row = QWidget()
        self.choice_buttons: list[QPushButton] = []
        row = QHBoxLayout(self.choice_row)
        row.setContentsMargins(0, 0, 0, 0)
        for number in range(1, MAX_CHOICES + 1):
            button = QPushButton(checkable=True, autoDefault=False)
            button.setObjectName(f"choice{number}")
            button.setShortcut(QKeySequence(f"Alt+{number}"))
            button.clicked.connect(lambda _checked=False, k=number - 1: self.pick(k))
            button.hide()
            self.choice_buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        self.choice_row.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if embed_edit:
            layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        layout.addWidget(self.notes)
        layout.addWidget(self.choice_row)
        self._moment: datetime | None = None
        self._choices: tuple[datetime, ...] = ()
        self._picked: int | None = None
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.edit.installEventFilter(self)
        self.refresh()

    # --- what the form asks ---
    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - reads like the QLineEdit it stands for
        self.edit.setText(text)

    def value(self) -> datetime | None:
        """The moment to save: the one the text means, or the picked choice; None otherwise."""
        if self._choices:
            return self._choices[self._picked] if self._picked is not None else None
        return self._moment

    def value_to_save(self) -> datetime | None:
        """value(), with the text read again first (the clock moved since it was typed); a pick stays."""
        if not (self._choices and self._picked is not None):
            self.refresh()
        return self.value()

    def choices(self) -> tuple[datetime, ...]:
        return self._choices

    def problem(self) -> str:
        """Why value() is None, as the form's error says it (the hint's sentence, or "pick one")."""
        if self._choices and self._picked is None:
            return self.hint.text()
        return due_phrases.due_phrase_hint(self.text(), self.now(), day_ends=self.day_ends)

    def set_office_hours(self, *, opens: time, closes: time, day_ends: time) -> None:
        """The office's settings (store.office_settings()): what a day alone means, and its hours."""
        self.opens, self.closes = opens, closes
        if not self.day_start:
            self.day_ends = day_ends
        self.refresh()

    # --- reading the text ---
    def _on_edit_text_changed(self, _text: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the text again (it changed, or the clock moved) and say what it means."""
        now, text = self.now(), self.edit.text()
        self._picked = None
        self._moment = due_phrases.parse_due(text, now, day_ends=self.day_ends)
        self._choices = due_phrases.due_choices(text, now, day_ends=self.day_ends)[:MAX_CHOICES]
        if self._moment is not None and self.day_start and self._moment.time() == time(0):
            self.hint.setText(words.preview(self._moment, now, with_time=False))  # "back on monday": the day
        else:
            self.hint.setText(due_phrases.due_phrase_hint(text, now, day_ends=self.day_ends))
        for k, button in enumerate(self.choice_buttons):
            if k < len(self._choices):
                label = due_phrases.choice_label(self._choices[k], now)
                button.setText(words._(CHOICE).format(label=label, number=k + 1))  # no "&": Alt+N grabbed twice
                button.setToolTip(words.preview(self._choices[k], now))
                button.setChecked(False)
                button.show()
            else:
                button.hide()
        self.choice_row.setVisible(bool(self._choices))
        self._show_notes(self._moment)
        self._fit()
        self.moment_changed.emit(self.value())

    def pick(self, index: int) -> None:
        """Take choice `index` (a button, or Alt+1/Alt+2); typing again forgets it."""
        if not 0 <= index < len(self._choices):
            return
        self._picked = index
        for k, button in enumerate(self.choice_buttons):
            button.setChecked(k == index)
        chosen = self._choices[index]
        self.hint.setText(words._(PICKED).format(moment=words.preview(chosen, self.now())))
        self._show_notes(chosen)
        self._fit()
        self.edit.setFocus()
        self.moment_changed.emit(chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Alt+1 / Alt+2 typed in the line pick a choice (the buttons' shortcuts do it from elsewhere)."""
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.modifiers() == Qt.KeyboardModifier.AltModifier
                and Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_9 and self._choices):
            self.pick(event.key() - Qt.Key.Key_1)
            return True
        return False

    def _fit(self) -> None:
        """A dialog grows to show the preview's lines (a wrapped label does not ask for room by itself)."""
        self.updateGeometry()
        window = self.window()
        if isinstance(window, QDialog) and window.isVisible():
            window.adjustSize()

    def _show_notes(self, moment: datetime | None) -> None:
        notes: list[str] = []
        if moment is not None:
            notes = due_phrases.due_notes(moment, opens=self.opens, closes=self.closes)
            if self.day_start:  # "back on saturday" is worth a word; the hours of a day's start are not
                notes = notes[:1] if moment.weekday() >= 5 else []
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))

    def clear_feedback(self) -> None:
        """Say nothing beneath the field (the form's error says it once instead)."""
        self.hint.clear()
        self.notes.hide()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self.edit.setFocus()
        super().focusInEvent(event)


def load_office_hours(ctx, *inputs: DueInput) -> None:
    """Ask the store (on the database thread) for the office's hours and end of day, then apply them."""
    def apply(settings) -> None:
        for due_input in inputs:
            try:
                due_input.set_office_hours(opens=settings.opens, closes=settings.closes, day_ends=settings.day_ends)
            except RuntimeError:  # the form closed meanwhile
                pass

    ctx.tasks.run(store.office_settings, apply, lambda _error: None)

