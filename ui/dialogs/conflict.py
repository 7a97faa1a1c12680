"""When a colleague saved the same client first: theirs beside mine, field by field, and the person decides."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models.store import ClientDetails, StaffMember

LABELS = {
    "name": "Name", "organisation": "Organisation", "phone": "Phone", "email": "Email", "address": "Address",
    "preferred_channel": "Prefers", "usual_handler": "Usual handler", "caution": "Caution",
    "more_details": "More contact details",
}


def their_values(theirs: ClientDetails) -> dict[str, Any]:
    return {
        "name": theirs.name, "organisation": theirs.organisation, "phone": theirs.phone, "email": theirs.email,
        "address": theirs.address, "preferred_channel": theirs.preferred_channel,
        "usual_handler": theirs.usual_handler_id, "caution": theirs.caution, "more_details": theirs.more_details,
    }


def differing(theirs: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    """The fields where the two versions disagree (after the tidying the store does)."""
    def norm(field: str, value: Any) -> Any:
        if isinstance(value, str):
            value = " ".join(value.split()) if field not in ("address", "caution", "more_details") else value.strip()
            return value.lower() if field == "email" else value
        return value
    return [f for f in LABELS if norm(f, theirs.get(f)) != norm(f, mine.get(f))]


class ConflictDialog(QDialog):
    """Keep theirs, take mine, or pick per field; `merged` holds the result when accepted."""

    def __init__(self, theirs: ClientDetails, mine: dict[str, Any], team: list[StaffMember],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theirs = their_values(theirs)
        self.mine = dict(mine)
        self.fields = differing(self.theirs, self.mine)
        self.merged: dict[str, Any] = dict(self.theirs)
        self.version = theirs.version
        names = {m.id: m.name for m in team}

        def show(field: str, value: Any) -> str:
            if field == "usual_handler":
                return names.get(value, "(nobody)") if value else "(nobody)"
            return str(value) if value not in (None, "") else "(empty)"

        who = theirs.saved_by_name or "A colleague"
        self.setWindowTitle(f"{who} changed this client")
        intro = QLabel(f"{who} saved this client while you were editing it. Nothing has been overwritten. "
                       "Choose, for each difference, which version to keep.", wordWrap=True)
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Field</b>"), 0, 0)
        grid.addWidget(QLabel(f"<b>{'Theirs' if not theirs.saved_by_name else who + chr(39) + 's'} (saved)</b>"),
                       0, 1)
        grid.addWidget(QLabel("<b>Yours</b>"), 0, 2)
        self.choices: dict[str, QButtonGroup] = {}
        for row, field in enumerate(self.fields, start=1):
            group = QButtonGroup(self)
            theirs_button = QRadioButton(show(field, self.theirs.get(field)))
            mine_button = QRadioButton(show(field, self.mine.get(field)))
            group.addButton(theirs_button, 0)
            group.addButton(mine_button, 1)
            mine_button.setChecked(True)
            grid.addWidget(QLabel(LABELS[field]), row, 0)
            grid.addWidget(theirs_button, row, 1)
            grid.addWidget(mine_button, row, 2)
            self.choices[field] = group
        if not self.fields:
            grid.addWidget(QLabel("Their version already says what yours says."), 1, 0, 1, 3)
        self.keep_theirs = QPushButton("Keep theirs")
        self.take_mine = QPushButton("Take mine")
        self.save_choice = QPushButton("Save my choice")
        buttons = QDialogButtonBox()
        buttons.addButton(self.keep_theirs, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.take_mine, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.save_choice, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.keep_theirs.clicked.connect(self.reject)
        self.take_mine.clicked.connect(self._on_take_mine_clicked)
        self.save_choice.clicked.connect(self._on_save_choice_clicked)

    def _on_take_mine_clicked(self) -> None:
        for group in self.choices.values():
            group.button(1).setChecked(True)
        self._on_save_choice_clicked()

    def _on_save_choice_clicked(self) -> None:
        self.merged = dict(self.theirs)
        for field, group in self.choices.items():
            if group.checkedId() == 1:
                self.merged[field] = self.mine.get(field)
        self.accept()
