"""Application-wide look: the style sheet from resources/ and colours that stay readable on any palette."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


# Rapport looks the same on every desk: Qt's Fusion style. Given to QApplication as its `-style` argument
# (QT_ARGUMENTS), Qt makes it as it starts; app.setStyle("Fusion") afterwards would make a second style and cost
# start-up 6-20 ms (start-up budget, issue 10).
STYLE = "Fusion"
QT_ARGUMENTS = ["-style", STYLE]


def apply_style(app: QApplication, *, made_with_style: bool = False) -> None:
    """Load resources/style.qss (a missing file leaves Qt's own look, which is fine), on the Fusion style.

    The sheet's quiet text (`palette(placeholder-text)`) becomes `muted_colour`: the palette's placeholder
    colour is half-transparent text, too faint for the sentences a receptionist must read. `made_with_style`: the
    application was made with QT_ARGUMENTS (main.py); otherwise (a test's) it gets the Fusion style here.
    """
    if not made_with_style:
        app.setStyle(STYLE)
    app.setStyleSheet(style_sheet(app.palette()))


def style_sheet(palette: QPalette) -> str:
    """resources/style.qss with its quiet text in a colour readable on `palette` ('' without the file)."""
    sheet = RESOURCES / "style.qss"
    if not sheet.exists():
        return ""
    return sheet.read_text(encoding="utf-8").replace("palette(placeholder-text)", muted_colour(palette).name())


def muted_colour(palette: QPalette | None = None) -> QColor:
    """Quieter than the text but still easy to read (8.5:1 for black on white): text, 30% of the way to the base.

    The palette's PlaceholderText is half-transparent text (about 4:1 on white, less on a tinted window): too faint
    for a sentence a receptionist must read, such as "Nothing is due today."
    """
    palette = palette or QApplication.palette()
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    return QColor.fromRgbF(*(0.7 * a + 0.3 * b for a, b in zip(text.getRgbF()[:3], base.getRgbF()[:3], strict=True)))
