"""Ctrl+Z takes back this desk's last action through the store; the Trash brings things back."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from models import store
from ui.dialogs.trash import TrashDialog


def test_ctrl_z_undoes_the_last_note_and_the_trash_restores_it(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["oliver"])
    note = ready.client_view.composer.note
    qtbot.keyClicks(note.text, "Wrong client, sorry")
    qtbot.keyClick(note.text, Qt.Key.Key_Return)
    assert len(store.timeline(seeded["oliver"])) == 1 and ready.undo_action.isEnabled()
    ready.client_view.timeline.setFocus()
    qtbot.keyClick(ready, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(store.timeline(seeded["oliver"])) == 0
    assert ready.client_view.timeline.timeline_model.entries == []
    assert "Undone: note added" in ready.statusBar().currentMessage()
    assert not ready.undo_action.isEnabled()
    dialog = TrashDialog(ready.ctx, ready)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 1 and "Wrong client, sorry" in dialog.list.item(0).text()
    assert dialog.list.isVisible() and not dialog.empty.isVisible()
    dialog.restore_button.click()
    assert [e.text for e in store.timeline(seeded["oliver"])] == ["Wrong client, sorry"]
    assert dialog.list.count() == 0
    assert dialog.empty.isVisible() and dialog.empty.text() == "The Trash is empty."
    assert not dialog.list.isVisible() and not dialog.restore_button.isEnabled()
    assert dialog.restored_line.text() == "Note restored: Wrong client, sorry."  # said in the dialog, not behind it


def test_undo_refused_when_a_colleague_changed_it_since(ready, qtbot, seeded) -> None:
    nid = store.add_note(seeded["oliver"], by=seeded["anna"], text="First").id
    anna = seeded["anna"]
    ready.ctx.tasks.run(lambda: store.edit_note(nid, by=anna, text="Edited here"))  # this desk's action
    store.edit_note(nid, by=seeded["ben"], text="Ben's version")  # then a colleague's
    ready.undo_stack.undo()
    assert ready.error_banner.isVisible() and "colleague changed this since" in ready.error_banner.text.text()
    assert store.timeline(seeded["oliver"])[0].text == "Ben's version"


def test_move_a_client_to_the_trash_and_undo(ready, qtbot, seeded, monkeypatch) -> None:
    ready.open_client(seeded["isla"])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    ready.delete_client_action.trigger()
    assert [c.name for c in store.list_clients()] == ["Oliver Thompson"]
    assert ready.client_list.model.row_of(seeded["isla"]) == -1
    ready.undo_stack.undo()
    assert sorted(c.name for c in store.list_clients()) == ["Isla Walsh", "Oliver Thompson"]


def test_closed_trash_windows_go_with_their_subscriptions(ready, qtbot, seeded, monkeypatch) -> None:
    """Open and close the Trash five times, open it once more, make one change: the store is asked once."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from tests.ui.conftest import open_dialog

    real, asked = store.trash, []
    monkeypatch.setattr(store, "trash", lambda **kw: asked.append(1) or real(**kw))
    for _ in range(5):
        ready.trash_action.trigger()
        open_dialog(ready, TrashDialog).close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # what the event loop does next
    ready.trash_action.trigger()
    dialog = open_dialog(ready, TrashDialog)
    assert len(ready.findChildren(TrashDialog)) == 1  # the closed ones are gone, not hidden
    asked.clear()
    anna, isla = seeded["anna"], seeded["isla"]
    ready.ctx.tasks.run(lambda: store.delete_client(isla, by=anna))
    assert asked == [1]
    assert "Isla Walsh" in dialog.list.item(0).text() and "Deleted by Anna Keller" in dialog.list.item(0).text()


def test_the_trash_says_who_deleted_what_and_can_be_filtered(ready, qtbot, seeded) -> None:
    store.delete_client(seeded["isla"], by=seeded["ben"])
    note = store.add_note(seeded["oliver"], by=seeded["anna"], text="A very long note " * 30).id
    store.delete_entry("note", note, by=seeded["anna"])
    ready.trash_action.trigger()
    from tests.ui.conftest import open_dialog

    dialog = open_dialog(ready, TrashDialog)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("Isla Walsh" in t and "Deleted by Ben Okafor" in t for t in texts)
    assert dialog.list.wordWrap()  # a long note wraps instead of widening the window
    dialog.filter.setText("ben")
    shown = [dialog.list.item(i).text() for i in range(dialog.list.count()) if not dialog.list.item(i).isHidden()]
    assert len(shown) == 1 and "Isla Walsh" in shown[0]
