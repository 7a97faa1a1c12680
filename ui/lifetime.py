"""Views that clean up: subscriptions undone when a widget goes, "stale, reload when shown", dialogs deleted on close.

Every view and dialog that listens to the app's signals (`events.data_changed`, `clock_ticked` ...) does it
through `subscribe`, and re-reads through a `Freshness`: a hidden screen only marks itself stale and reads
once when it is shown again, and a closed dialog takes its subscriptions with it.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def subscribe(owner: QObject, signal: SignalInstance, slot: Callable[..., Any]) -> None:
    """Connect `slot` to `signal` for as long as `owner` lives; the connection goes with it.

    Qt drops a connection to a QObject's own method when that object is deleted, but not one to a lambda or
    a method of a plain Python object: this one is dropped either way.
    """
    receiver = getattr(slot, "__self__", None)
    connection = signal.connect(slot)
    if isinstance(receiver, QObject):
        return  # Qt drops it when the receiver goes (and `owner` is the receiver or one of its parents' children)

    def undo(*_: object) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the sender went first (the window is closing)
            try:
                signal.disconnect(connection)
            except (RuntimeError, TypeError):
                pass

    owner.destroyed.connect(undo)


class Freshness(QObject):
    """A view's data kept fresh: re-read now when the view is on screen, else marked stale and read when shown.

    `changed()` is what a view calls when something it shows may have changed; `load` is its re-read.
    """

    def __init__(self, view: QWidget, load: Callable[[], None]) -> None:
        super().__init__(view)
        self._view = view
        self._load = load
        self.stale = True
        view.installEventFilter(self)

    def changed(self) -> None:
        if self._view.isVisible():
            self.stale = False
            self._load()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._view and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._load()
        return False


def delete_on_close(dialog: QDialog) -> QDialog:
    """A closed dialog is deleted (with its subscriptions), not kept hidden behind the window; the keyboard goes
    back where it was when the dialog was made."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    give_focus_back(dialog)
    return dialog


def give_focus_back(dialog: QDialog) -> None:
    """When `dialog` finishes, its window is active again and the widget that had the keyboard has it again
    (after nested dialogs, such as a conflict over an edit form, the keyboard otherwise went nowhere)."""
    before = QApplication.focusWidget()
    if before is None or before.window() is dialog:
        return

    def back() -> None:
        if shiboken6.isValid(before) and before.isVisible():
            before.window().activateWindow()
            before.setFocus(Qt.FocusReason.OtherFocusReason)

    dialog.finished.connect(lambda _result: QTimer.singleShot(0, back))  # once every dialog above it has gone
