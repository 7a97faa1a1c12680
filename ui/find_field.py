"""The window's Find anything field (in the toolbar) and Ctrl+K; the quick-find dialog itself
(ui/dialogs/quick_find.py, issue 14) is loaded the first time somebody searches: start-up budget (issue 10)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QToolBar, QWidgetAction


def install(window: Any, bar: QToolBar) -> QToolBar:
    """Ctrl+K and a field in the toolbar (after its buttons), on the main window; the action (`quick_find_action`)
    goes in the Edit menu when the menus are filled (ui/menus.py)."""
    field = QLineEdit(placeholderText="Find anything (Ctrl+K)", maximumWidth=260)
    field.setAccessibleName("Find anything")
    action = QAction(window, shortcut=QKeySequence("Ctrl+K"),  # (text, window) would try the QIcon form first
                     text="Find anything...", toolTip="Search every client, call, note and promise (Ctrl+K)")

    def find(text: str = "") -> None:
        from ui.dialogs.quick_find import open_quick_find

        field.clear()
        view = window._client_view if window.right.currentWidget() is window._client_view else None
        open_quick_find(window, window.ctx, view, text)
    action.triggered.connect(lambda: find())
    field.textEdited.connect(find)
    action.changed.connect(lambda: field.setEnabled(action.isEnabled()))  # off until someone is at the desk
    window.addAction(action)
    window.quick_find_action, window.find_field = action, field
    QTimer.singleShot(0, window, lambda: _place(bar, field))
    return bar


def _place(bar: QToolBar, field: QLineEdit) -> None:
    """Once the window is built: the field after the toolbar's buttons (before its spacer)."""
    spacer = next((a for a in bar.actions() if isinstance(a, QWidgetAction)), None)
    if spacer is None:
        bar.addWidget(field)
    else:
        bar.insertWidget(spacer, field)
