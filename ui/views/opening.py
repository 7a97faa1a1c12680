"""The page shown while an office opens, or when it could not: the sentence, and what the person can do."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.store import StoreError
from ui.app import dress


class OpeningPage(QWidget):
    """'Opening the office database...'; on failure the store's sentence with Try again / Choose another."""

    retry_requested = Signal(bool)
    """Try the same office again (True: use it although it is in a cloud folder)."""

    choose_requested = Signal()
    """The person wants to choose another office database."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = dress(QLabel(alignment=Qt.AlignmentFlag.AlignCenter, objectName="muted", wordWrap=True))
        self.choose_button = QPushButton("Choose another database...")
        self.anyway_button = QPushButton("Use it anyway")
        self.retry_button = QPushButton("Try again")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.retry_button, self.anyway_button, self.choose_button):
            buttons.addWidget(button)
            button.hide()
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.choose_button.clicked.connect(self.choose_requested)
        self.retry_button.clicked.connect(lambda: self.retry_requested.emit(False))
        self.anyway_button.clicked.connect(lambda: self.retry_requested.emit(True))

    def say(self, text: str) -> None:
        self.text.setText(text)
        for button in (self.choose_button, self.anyway_button, self.retry_button):
            button.hide()

    def failed(self, error: StoreError) -> None:
        self.text.setText(error.message)
        self.choose_button.show()
        self.retry_button.show()
        self.anyway_button.setVisible(error.__class__.__name__ == "CloudFolderError")
