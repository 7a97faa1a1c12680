"""The Help menu: Keyboard shortcuts (F1 or Ctrl+/), every shortcut the window has, read from its actions; About."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import APP_VERSION

# Keys that work inside a screen rather than through a menu (the list, Today, the forms).
SCREEN_KEYS = (
    ("Ctrl+F", "Search the client list"),
    ("Enter", "Open the chosen client (in the list, the search box or Today)"),
    ("Enter", "Save what you typed in a form (Shift+Enter starts a new line)"),
    ("Alt+1 ... Alt+5", "Choose how an interaction went, in the log form"),
    ("Esc", "Close a dialog without saving"),
)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, in menu words, without repeats."""
    rows: dict[str, str] = {}
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.setdefault(" or ".join(keys), action.text().replace("&", "").rstrip("."))
    return sorted(rows.items(), key=lambda row: row[1].casefold()) + list(SCREEN_KEYS)


class ShortcutsDialog(QDialog):
    """A sheet of every keyboard shortcut."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, showGrid=False)
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Every shortcut of the window:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(520, 560)


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, "About Rapport",
                      f"Rapport {APP_VERSION}\n\nRapport keeps every client's timeline, an explainable impression "
                      "score, and the office's promises, so no follow-up is forgotten.")
