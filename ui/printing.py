"""Printing and saving as PDF the documents a desk hands out (the hand-off card, What happened): A4, one way."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QStandardPaths, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.app import dress

PDF_MARGIN_MM = 15


def save_pdf(doc: QTextDocument, path: str | os.PathLike[str], title: str) -> Path:
    """Write `doc` to `path` as an A4 PDF; OSError (with the reason) when the file cannot be written."""
    target = Path(path)
    with open(target, "wb"):  # fails here, with a reason, on a folder that is missing or read-only
        pass
    writer = QPdfWriter(str(target))
    writer.setTitle(title)
    writer.setCreator("Rapport")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM),
                          QPageLayout.Unit.Millimeter)
    doc.print_(writer)
    del writer  # the file is complete once the writer is gone
    if target.stat().st_size == 0:
        raise OSError(f"nothing could be written to {target}")
    return target


def pdf_name(prefix: str, name: str) -> str:
    """ "Hand-off card - Oliver Thompson.pdf" (characters files cannot hold removed)."""
    clean = "".join(ch for ch in name if ch not in '<>:"/\\|?*' and ch.isprintable()).strip() or "client"
    return f"{prefix} - {clean}.pdf"


def print_document(parent: QWidget, doc: QTextDocument, title: str, caption: str) -> bool:
    """Print through the system's print dialog (which also offers printing to a PDF file); True when printed."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(caption)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    doc.print_(printer)
    return True


def ask_pdf_path(parent: QWidget, caption: str, file_name: str) -> str:
    """Where to save a PDF (in Documents by default), ending in .pdf; "" when the person cancels."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    path, _ = QFileDialog.getSaveFileName(parent, caption, str(Path(folder) / file_name), "PDF document (*.pdf)")
    if not path:
        return ""
    return path if path.lower().endswith(".pdf") else path + ".pdf"


class DocumentDialog(QDialog):
    """A document a desk hands out (the hand-off card, What happened): shown, printed, saved as PDF.

    A subclass fills the browser and says what its document is: `document()` (None while reading),
    `title` ("Hand-off card: Oliver Thompson"), `noun` ("the hand-off card") and `file_prefix`.
    """

    noun = "the document"
    file_prefix = "Document"

    def __init__(self, ctx: Any, name: str, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(name)
        screen = (parent.screen() if parent is not None else QApplication.primaryScreen()).availableGeometry()
        self.resize(min(width, screen.width() - 40), min(860, screen.height() - 60))  # the buttons stay on screen
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(name)
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.saved_line = dress(QLabel(objectName="muted", wordWrap=True))  # where the PDF went, said here (not behind)
        self.saved_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_line.hide()
        self.buttons = QDialogButtonBox()
        self.print_button = QPushButton("Print...")
        self.pdf_button = QPushButton("Save as PDF...")
        for button in (self.print_button, self.pdf_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setEnabled(False)  # until the document is read
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.saved_line)
        layout.addWidget(self.buttons)
        self.print_button.clicked.connect(self.print_document)
        self.pdf_button.clicked.connect(self.ask_and_save_pdf)
        self.buttons.rejected.connect(self.reject)

    # what a subclass says about its document
    def document(self) -> QTextDocument | None:
        raise NotImplementedError

    @property
    def title(self) -> str:
        raise NotImplementedError

    @property
    def subject(self) -> str:
        """Whose document it is (the PDF's file name): the client's name."""
        raise NotImplementedError

    def shown(self, html: str) -> None:
        """The document is read: show it (keeping the scroll position) and allow printing and saving."""
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(html)
        self.browser.verticalScrollBar().setValue(scroll)
        self.setWindowTitle(self.title)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(True)

    def say(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def print_document(self) -> None:
        """Print through the system's print dialog (which also offers printing to a PDF file)."""
        doc = self.document()
        if doc is not None and print_document(self, doc, self.title, f"Print {self.noun}"):
            self.ctx.events.message_reported.emit(f"{self.noun[0].upper()}{self.noun[1:]} was sent to the printer.")

    def ask_and_save_pdf(self) -> None:
        if self.document() is None:
            return
        path = ask_pdf_path(self, f"Save {self.noun} as PDF", pdf_name(self.file_prefix, self.subject))
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Save the document as PDF at `path`; a sentence in the dialog when that cannot be done."""
        doc = self.document()
        if doc is None:
            return False
        try:
            save_pdf(doc, path, self.title)
        except OSError as exc:
            self.say(f"The PDF could not be saved to {path} ({exc.strerror or exc}). Choose another folder and try "
                     "again.")
            return False
        self.say("")
        self.saved_line.setText(f"Saved: {Path(path).resolve()}")
        self.saved_line.show()
        self.ctx.events.message_reported.emit(f"Saved {self.noun} as {Path(path).name}.")
        return True
