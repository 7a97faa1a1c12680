"""Rapport's look: the Fusion style, the looks of labels and boxes (`dress`, resources/style.qss) and colours that
stay readable on any palette."""
from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

W = TypeVar("W", bound=QWidget)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


# Rapport looks the same on every desk: Qt's Fusion style. Given to QApplication as its `-style` argument
# (QT_ARGUMENTS), Qt makes it as it starts; app.setStyle("Fusion") afterwards would make a second style and cost
# start-up 6-20 ms (start-up budget, issue 10).
STYLE = "Fusion"
QT_ARGUMENTS = ["-style", STYLE]


def apply_style(app: QApplication, *, made_with_style: bool = False) -> None:
    """Rapport's look on the Fusion style. `made_with_style`: the application was made with QT_ARGUMENTS
    (main.py); otherwise (a test's) it gets the Fusion style here.

    No style sheet is set on the application: with one (or with one on any widget of the first window) Qt polishes
    and paints through its style-sheet style, which cost start-up about 8 ms (issue 10). Widgets with a look of
    their own get it from `dress`.
    """
    if not made_with_style:
        app.setStyle(STYLE)


# The looks of labels, given as a colour and a font (no style sheet): object name -> (colour, weight, pixel size,
# padding above and below). "muted" is `muted_colour`, readable on the palette in use.
LABEL_LOOKS: dict[str, tuple[str, QFont.Weight, int, int]] = {
    "muted": ("muted", QFont.Weight.Normal, 0, 0),
    "hint": ("muted", QFont.Weight.Normal, 0, 0),
    "error": ("#c62828", QFont.Weight.DemiBold, 0, 2),
    "presence": ("#3b7dd8", QFont.Weight.DemiBold, 0, 0),
    "clientName": ("", QFont.Weight.DemiBold, 20, 0),
}
_sheet: list[str] = []  # resources/style.qss, read when the first box is dressed


def dress(widget: W) -> W:
    """Give `widget` the look its object name asks for, and return it.

    A label (LABEL_LOOKS: muted, hint, error, presence, clientName) gets a colour and a font. Anything else (the
    caution, context and offer boxes, the banners, a checkable QToolButton, a field marked invalid) gets
    resources/style.qss as its own sheet, whose selectors decide as before (`QLabel#caution`,
    `QToolButton:checked`, `*[invalid="true"]`); call it when the widget first needs its look (a banner when it
    first shows) so that the first window has no sheet at all. A label renamed later (muted to error) is dressed
    again by whoever renames it.
    """
    look = LABEL_LOOKS.get(widget.objectName()) if isinstance(widget, QLabel) else None
    if look is not None:
        colour, weight, pixels, padding = look
        palette = widget.palette()
        if colour:
            palette.setColor(QPalette.ColorRole.WindowText, muted_colour(palette) if colour == "muted" else
                             QColor(colour))
            widget.setPalette(palette)
        font = widget.font()
        font.setWeight(weight)
        if pixels:
            font.setPixelSize(pixels)
        widget.setFont(font)
        widget.setContentsMargins(0, padding, 0, padding)
        return widget
    if not _sheet:
        _sheet.append(style_sheet())
    if widget.styleSheet() != _sheet[0]:
        widget.setStyleSheet(_sheet[0])
    return widget


def style_sheet() -> str:
    """resources/style.qss, the boxes' looks ('' without the file: Qt's own look, which is fine)."""
    sheet = RESOURCES / "style.qss"
    return sheet.read_text(encoding="utf-8") if sheet.exists() else ""


def muted_colour(palette: QPalette | None = None) -> QColor:
    """Quieter than the text but still easy to read (8.5:1 for black on white): text, 30% of the way to the base.

    The palette's PlaceholderText is half-transparent text (about 4:1 on white, less on a tinted window): too faint
    for a sentence a receptionist must read, such as "Nothing is due today."
    """
    palette = palette or QApplication.palette()
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    return QColor.fromRgbF(*(0.7 * a + 0.3 * b for a, b in zip(text.getRgbF()[:3], base.getRgbF()[:3], strict=True)))
