"""Application-wide look: the style sheet from resources/ and a readable default font size."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def apply_style(app: QApplication) -> None:
    """Load resources/style.qss (a missing file leaves Qt's own look, which is fine)."""
    app.setStyle("Fusion")
    sheet = RESOURCES / "style.qss"
    if sheet.exists():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))
