"""This desk's Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z): its own recent actions, through the store, said in words."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from models import store
from models.store import ChangeKind, Changes, StoreError
from ui.context import AppContext

UNDO_DEPTH = 20
UNDOABLE = frozenset({ChangeKind.CLIENT, ChangeKind.TIMELINE, ChangeKind.PROMISE})


class UndoStack(QObject):
    """The last UNDO_DEPTH writes of this desk; each knows what it was ("Log call: Called about the invoice")."""

    changed = Signal()
    """What Undo would take back changed (a write, an undo, a new office): menus re-read `undo_text`."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stack: list[tuple[Changes, str]] = []
        self._redo: list[tuple[Changes, str]] = []  # what Undo took back, newest last (a new action empties it)
        self._undoing = False
        ctx.events.written.connect(self._on_events_written)

    def show_on(self, undo: QAction, redo: QAction) -> None:
        """Edit > Undo and Redo say what they would take back or do again, and are off when there is nothing."""
        undo.setText(self.undo_text)
        undo.setEnabled(self.can_undo)
        redo.setText(self.redo_text)
        redo.setEnabled(self.can_redo)

    @property
    def can_undo(self) -> bool:
        return bool(self._stack) and not self._undoing

    @property
    def undo_text(self) -> str:
        """'Undo 'Log call: Called about the invoice'' for the menu; plain 'Undo' when there is nothing."""
        if not self._stack:
            return "Undo"
        what = self._stack[-1][1]
        return f"Undo '{what}'" if what else "Undo"

    @property
    def can_redo(self) -> bool:
        return bool(self._redo) and not self._undoing

    @property
    def redo_text(self) -> str:
        """'Redo 'Note added'' for the menu; plain 'Redo' when there is nothing."""
        what = self._redo[-1][1] if self._redo else ""
        return f"Redo '{what}'" if what else "Redo"

    def clear(self) -> None:
        self._stack, self._redo = [], []
        self._undoing = False
        self.changed.emit()

    def _on_events_written(self, changes: Changes) -> None:
        if self._undoing or not changes.kinds & UNDOABLE or not changes.change_ids:
            return
        self._stack = (self._stack + [(changes, "")])[-UNDO_DEPTH:]
        self._redo = []  # a new action: what was undone before it is not redone on top of it
        self.changed.emit()
        ids = changes.change_ids
        self.ctx.tasks.run(lambda: store.describe(ids), lambda what: self._on_described(ids, what),
                           lambda _error: None)  # the menu says plain "Undo" then

    def _on_described(self, ids: tuple[int, ...], what: str) -> None:
        self._stack = [(c, what if c.change_ids == ids else text) for c, text in self._stack]
        self.changed.emit()

    def undo(self) -> None:
        """Take back this desk's last action, through the store."""
        if not self.can_undo or self.ctx.staff is None:
            return
        changes, what = self._stack.pop()
        self._undoing = True
        self.changed.emit()
        by, ids = self.ctx.staff_id, changes.change_ids
        # A tuple, not Changes: tasks announces it as no new write of this desk (Undo would undo the undo).
        self.ctx.tasks.run(lambda: (store.undo(ids, by=by),), lambda done: self._on_undone(what, done[0]),
                           self._on_undo_failed)

    def _on_undone(self, what: str, changes: Changes) -> None:
        self._undoing = False
        self._redo = (self._redo + [(changes, what)])[-UNDO_DEPTH:]
        self.changed.emit()
        self.ctx.events.message_reported.emit(f"Undone: {what.lower()}." if what else "Undone.")
        self.ctx.events.data_changed.emit(changes)

    def _on_undo_failed(self, error: StoreError) -> None:
        self._undoing = False
        self.changed.emit()
        self.ctx.events.error_reported.emit(error.message)

    def redo(self) -> None:
        """Do again what the last Undo took back, through the store (refused if a colleague changed it since)."""
        if not self.can_redo or self.ctx.staff is None:
            return
        changes, what = self._redo.pop()
        self._undoing = True
        self.changed.emit()
        by, ids = self.ctx.staff_id, changes.change_ids
        self.ctx.tasks.run(lambda: (store.redo(ids, by=by),), lambda done: self._on_redone(what, done[0]),
                           self._on_undo_failed)

    def _on_redone(self, what: str, changes: Changes) -> None:
        self._undoing = False
        self._stack = (self._stack + [(changes, what)])[-UNDO_DEPTH:]  # Undo takes it back once more
        self.changed.emit()
        self.ctx.events.message_reported.emit(f"Done again: {what.lower()}." if what else "Done again.")
        self.ctx.events.data_changed.emit(changes)
