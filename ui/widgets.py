"""Small helpers every form uses."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QVBoxLayout, QWidget


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Show (or clear) the red edge of a field the last save refused."""
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FormDialog(QDialog):
    """A small dialog: a form, a line for what went wrong, OK/Save and Cancel; subclasses implement submit()."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = QLabel(objectName="error", wordWrap=True)
        self.error.hide()

    def finish(self, form: QLayout,
               button: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok) -> None:
        """Lay the form out above the error line and the buttons."""
        buttons = QDialogButtonBox(button | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
