"""What a desk can do to a client: add one, edit their details, move them to the Trash, bring them back."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from models import store
from models.store import Changes, ClientDetails
from ui.context import AppContext
from ui.lifetime import delete_on_close


def add(ctx: AppContext, parent: QWidget, on_added: Callable[[Changes], None] | None = None) -> None:
    """The new-client form; `on_added` gets the Changes (its id is the new client's)."""
    if ctx.staff is None:
        return
    from ui.dialogs.client_dialog import ClientDialog

    dialog = delete_on_close(ClientDialog(ctx, None, parent))
    if on_added is not None:
        dialog.saved.connect(on_added)
    dialog.open()


def edit(ctx: AppContext, parent: QWidget, client: ClientDetails) -> None:
    """The client's details in the form, saved with their version (a colleague's save first is a conflict)."""
    from ui.dialogs.client_dialog import ClientDialog

    delete_on_close(ClientDialog(ctx, client, parent)).open()


def trash(ctx: AppContext, parent: QWidget, client: ClientDetails,
          on_done: Callable[[], None] | None = None) -> None:
    """Move the client to the Trash, after asking (Office > Trash or Undo brings them back)."""
    if ctx.staff is None:
        return
    answer = QMessageBox.question(parent, "Move to Trash",
                                  f"Move {client.name} to the Trash? You can restore them from Office > Trash.")
    if answer != QMessageBox.StandardButton.Yes:
        return
    by, cid = ctx.staff_id, client.id

    def done(_: Changes) -> None:
        ctx.events.message_reported.emit("Moved to the Trash. Undo with Ctrl+Z.")
        if on_done is not None:
            on_done()

    ctx.tasks.run(lambda: store.delete_client(cid, by=by), done,
                  lambda error: ctx.events.error_reported.emit(error.message))


def restore(ctx: AppContext, kind: str, item_id: int, done: str, on_done: Callable[[Changes], None],
            on_failed: Callable[[store.StoreError], None]) -> None:
    """Bring a client (or an entry, a promise) back from the Trash; the client list shows them again."""
    by = ctx.staff_id
    ctx.tasks.run(lambda: store.restore(kind, item_id, by=by), lambda changes: (
        ctx.events.message_reported.emit(done), on_done(changes)), on_failed)


def show_handoff(ctx: AppContext, parent: QWidget, client_id: int) -> None:
    """The client's hand-off card, to read, print or save as PDF."""
    from ui.dialogs.handoff import HandoffDialog

    delete_on_close(HandoffDialog(ctx, client_id, parent)).open()
