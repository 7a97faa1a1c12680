"""Printing and saving as PDF the documents a desk hands out (the hand-off card, What happened): A4, one way."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QStandardPaths
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

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
