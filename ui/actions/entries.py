"""What a desk can do to a timeline entry: correct it, pin it, move it to the Trash, bring it back."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from models import store
from models.store import InteractionEntry, NoteEntry, TimelineEntry
from ui.context import AppContext

TRASHED = "Moved to the Trash. Undo with Ctrl+Z."


def trash(ctx: AppContext, entry: TimelineEntry) -> None:
    """Move an interaction or a note to the Trash (Undo brings it back)."""
    by, kind, eid = ctx.staff_id, entry.kind, entry.id
    ctx.tasks.run(lambda: store.delete_entry(kind, eid, by=by), lambda _: ctx.events.message_reported.emit(TRASHED),
                  lambda error: ctx.events.error_reported.emit(error.message))


def restore(ctx: AppContext, kind: str, entry_id: int) -> None:
    by = ctx.staff_id
    ctx.tasks.run(lambda: store.restore_entry(kind, entry_id, by=by),
                  lambda _: ctx.events.message_reported.emit("Brought back from the Trash."),
                  lambda error: ctx.events.error_reported.emit(error.message))


def toggle_pin(ctx: AppContext, entry: NoteEntry) -> None:
    """Pin a note to the top of the hand-off card, or unpin it."""
    by, eid, pinned = ctx.staff_id, entry.id, not entry.pinned
    ctx.tasks.run(lambda: store.edit_note(eid, by=by, pinned=pinned), None,
                  lambda error: ctx.events.error_reported.emit(error.message))


def correct(ctx: AppContext, parent: QWidget, entry: TimelineEntry) -> None:
    """Correct an interaction (summary, details, channel, how it went, topic) or a note's text, in a form that keeps
    what was typed when the save is refused; the earlier values stay in the change log."""
    from ui.dialogs.entry_edit import CorrectInteractionDialog, CorrectNoteDialog
    if isinstance(entry, InteractionEntry):
        CorrectInteractionDialog(ctx, entry, parent).open()
    elif isinstance(entry, NoteEntry):
        CorrectNoteDialog(ctx, entry, parent).open()
