"""Small helpers every form uses."""
from __future__ import annotations

from collections.abc import Sequence, Sized
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QVBoxLayout, QWidget

from ui.app import dress

if TYPE_CHECKING:  # the dialogs' own widgets load with the first dialog, not with the first window (start-up)
    from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLayout

Index = QModelIndex | QPersistentModelIndex


class ColumnsModel(QAbstractTableModel):
    """A flat table model with named columns: subclasses set COLUMNS and say which rows are shown (shown_rows)."""

    COLUMNS: tuple[str, ...] = ()

    def shown_rows(self) -> Sized:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.shown_rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Show (or clear) the red edge of a field the last save refused."""
    dress(widget)
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def ask_apology(parent: QWidget) -> bool | None:
    """Marking a late promise kept: did the client get an apology? True/False, or None when the person cancels."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, "Kept late", "This promise is late. Did you apologise to the client?",
                                  buttons.Yes | buttons.No | buttons.Cancel)
    if answer == buttons.Cancel:
        return None
    return answer == buttons.Yes


FORM_MIN_WIDTH = 440


class FormDialog(QDialog):
    """A small dialog: a form, a line for what went wrong, OK/Save and Cancel; subclasses implement submit()."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(FORM_MIN_WIDTH)  # room for the examples in the fields and a hint's sentence
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        from PySide6.QtWidgets import QDialogButtonBox

        self.buttons = QDialogButtonBox()

    def finish(self, form: QLayout, button: QDialogButtonBox.StandardButton | None = None) -> None:
        """Lay the form out above the error line and the buttons (`button`: OK unless another is named)."""
        from PySide6.QtWidgets import QDialogButtonBox

        standard = QDialogButtonBox.StandardButton
        buttons = self.buttons
        buttons.setStandardButtons((button or standard.Ok) | standard.Cancel)
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


# A banner's box by its object name: (red, green, blue, the fill's opacity, the edge's opacity).
BANNER_BOXES = {"errorBanner": (214, 69, 69, 0.15, 0.7), "busyBanner": (212, 167, 44, 0.18, 0.8),
                "noticeBanner": (52, 120, 200, 0.14, 0.6)}


class Banner(QWidget):
    """A calm line across the top of the window for something the person should know, with a close button.

    It paints its own tinted, rounded box (BANNER_BOXES): a style sheet would bring Qt's style-sheet style into the
    window, about 8 ms the first time, and a big office's first start shows a banner (issue 10).
    """

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.text = QLabel(wordWrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("Dismiss")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def say(self, message: str) -> None:
        self.text.setText(message)
        self.show()

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        red, green, blue, fill, edge = BANNER_BOXES.get(self.objectName(), BANNER_BOXES["noticeBanner"])
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(red, green, blue, round(edge * 255)))
        painter.setBrush(QColor(red, green, blue, round(fill * 255)))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)


class DeskButton(QToolButton):
    """'At the desk: Anna Keller' at the top right; its menu ticks who is here and switches to a colleague."""

    chosen = Signal(object)
    """A colleague (a StaffMember) was picked from the menu: the desk should switch to them."""

    someone_else_requested = Signal()
    """'Someone else...' was picked: ask who is at the desk."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="deskButton", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.desk_menu = QMenu(self)
        self.setMenu(self.desk_menu)
        self.setToolTip("Who is at this desk? Switch here (Ctrl+Shift+S)")
        font = self.font()
        font.setWeight(QFont.Weight.DemiBold)
        self.setFont(font)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Room around the name (10 px at the sides, 4 above and below), drawn by the Fusion style."""
        return super().sizeHint() + QSize(12, 4)

    def show_team(self, team: Sequence[Any], here: Any) -> None:
        """The team in the menu, with a tick at whoever is at the desk now (`here`, a StaffMember or None)."""
        if here is not None:
            self.setText(f"At the desk: {here.name}")
        self.desk_menu.clear()
        for member in team:
            action = self.desk_menu.addAction(member.name)
            action.setCheckable(True)
            action.setChecked(here is not None and member.id == here.id)
            action.triggered.connect(lambda _checked=False, m=member: self.chosen.emit(m))
        self.desk_menu.addSeparator()
        self.desk_menu.addAction("Someone else...", self.someone_else_requested.emit)


NO_TOPIC = "No topic"


def fill_topics(box: QComboBox, settings: Any, *, keep: str | None = None) -> None:
    """A topic picker filled with the office's topics (Settings), "No topic" first; a hidden topic is not offered,
    unless it is `keep` (the topic an entry already carries). The current choice stays chosen where it still is."""
    chosen = box.currentData()
    box.clear()
    box.addItem(NO_TOPIC, None)
    names = [name for name in settings.topics if name not in settings.hidden_topics]
    if keep and keep not in names:
        names.append(keep)
    for name in names:
        box.addItem(name, name)
    box.setCurrentIndex(max(0, box.findData(chosen)))
