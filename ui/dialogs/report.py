"""Client > What happened (issue 11): one client's complete, dated record, to answer a complaint point by point;
printable and saved as PDF (QTextDocument + QPrinter / QPdfWriter, as the hand-off card does).
"""
from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QWidget,
)

from models import store
from models.rules import words
from models.store import ClientRecord, StoreError
from ui import fmt, printing
from ui.context import AppContext

_KIND_COLOURS = {"interaction": "#eef3fb", "note": "#fff8dc", "promise": "#eef8ee", "client": "#f3f3f3"}


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def absolute(value: datetime) -> str:
    """ "Fri 4 Dec 2026, 9:05 am" in local time: a record is read later, so never "Today"."""
    mine = fmt.local(value)
    return (f"{words.weekday_name(mine, short=True)} {mine.day} {words.month_name(mine.month, short=True)} "
            f"{mine.year}, {fmt.clock(mine)}")


def record_html(record: ClientRecord) -> str:
    """The record as HTML a QTextDocument lays out the same on screen, on paper and in a PDF."""
    c = record.client
    out = ["<html><body style='font-size:10pt;'>",
           f"<h2 style='margin-bottom:2px;'>What happened: {_e(c.name)}</h2>"]
    facts = [f"Client number {c.id}", f"on file since {absolute(c.created_at)}"]
    for label, value in (("Organisation", c.organisation), ("Phone", c.phone), ("Email", c.email)):
        if value:
            facts.append(f"{label}: {value}")
    out.append(f"<p style='color:#555;'>{_e(' · '.join(facts))}</p>")
    if record.erased:
        out.append("<p><b>This client's personal data was erased.</b> The record keeps when things happened, who "
                   "did them, the channels and ratings, without what was written.</p>")
    if c.deleted_at is not None:
        out.append(f"<p><b>In the Trash since {_e(absolute(c.deleted_at))}.</b></p>")
    counts: dict[str, int] = {}
    for item in record.items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    summary = words.counts([(counts.get("interaction", 0), "interaction"),
                            (counts.get("note", 0), "internal note"), (counts.get("promise", 0), "promise"),
                            (counts.get("client", 0), "change to the details", "changes to the details")],
                           keep_zero=True)
    out.append(f"<p>{_e(summary)}; oldest first. Times are local.</p>")
    if not record.items:
        out.append("<p style='color:#555;'>Nothing has been recorded for this client yet.</p>")
    for item in record.items:
        colour = _KIND_COLOURS.get(item.kind, "#ffffff")
        who = f" — {item.staff_name}" if item.staff_name else ""
        deleted = " <i>(in the Trash)</i>" if item.deleted else ""
        out.append(f"<table width='100%' cellpadding='6' style='margin-top:8px; background:{colour};'><tr><td>"
                   f"<b>{_e(absolute(item.at))}</b> · {_e(item.title)}{_e(who)}{deleted}<br>{_e(item.text)}")
        if item.lines:
            out.append("<ul style='margin-top:2px; margin-bottom:0px;'>")
            for at, line in item.lines:
                out.append(f"<li>{_e(absolute(at))}: {_e(line)}</li>")
            out.append("</ul>")
        out.append("</td></tr></table>")
    out.append(f"<p style='margin-top:14px; color:#555;'>Prepared by Rapport on {_e(absolute(record.made_at))} "
               "from the office's records and change log.</p></body></html>")
    return "".join(out)


def record_document(record: ClientRecord) -> QTextDocument:
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, f"What happened: {record.client.name}")
    doc.setHtml(record_html(record))
    return doc


class ReportDialog(printing.DocumentDialog):
    """What happened with one client, with Print... and Save as PDF..."""

    noun = "the record"
    file_prefix = "What happened"

    def __init__(self, ctx: AppContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "What happened", 820, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.client_id = client_id
        self.record: ClientRecord | None = None
        self.browser.setHtml("<p>Reading the record...</p>")
        cid = client_id
        ctx.tasks.run(lambda: store.client_record(cid), self._on_loaded, self._on_failed)

    def document(self) -> QTextDocument | None:
        return None if self.record is None else record_document(self.record)

    @property
    def title(self) -> str:
        return f"What happened: {self.record.client.name}" if self.record else "What happened"

    @property
    def subject(self) -> str:
        return self.record.client.name if self.record else ""

    def _on_loaded(self, record: ClientRecord) -> None:
        self.record = record
        self.shown(record_html(record))

    def _on_failed(self, error: StoreError) -> None:
        self.say(error.message)
