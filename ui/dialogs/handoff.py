"""The hand-off card of a client: one screen a colleague reads in 30 seconds, printable and saved as PDF."""
from __future__ import annotations

import html
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QWidget,
)

from models import store
from models.rules import promises as promise_rules
from models.rules import words
from models.rules.vocab import channel_label, rating_label
from models.store import Changes, StoreError
from ui import fmt, printing
from ui.context import AppContext
from ui.lifetime import subscribe
from ui.views.score import BAND_COLOURS, NEUTRAL_COLOUR, TREND_WORDS

if TYPE_CHECKING:  # the promise and score subjects load after the first window (start-up budget)
    from models.store import HandoffCard

LATE_COLOUR = "#c62828"
MUTED_COLOUR = "#6b7078"
CAUTION_BACKGROUND = "#fdecea"


def _e(text: str) -> str:
    """Escape a person's text for the card (quotes too), keeping its line breaks."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def absolute(value: datetime | None) -> str:
    """'Mon 23 Nov 2026, 9:05 am' in local time: a printed card is read on another day, so no 'Today'."""
    if value is None:
        return ""
    local = fmt.local(value)
    return f"{words.short_date(local, local)} {local.year}, {fmt.clock(local)}"


def day_then_time(value: datetime) -> str:
    """'Mon 23 Nov 2026<br>1:55&nbsp;pm' for a narrow column: the day, then the time, which never splits."""
    day, time = absolute(value).split(", ", 1)
    return f"{_e(day)}<br>{_e(time).replace(' ', '&nbsp;')}"


def _section(title: str) -> str:
    return f'<h3 style="margin-top:14px; margin-bottom:4px;">{_e(title)}</h3>'


def _muted(text: str) -> str:
    return f'<span style="color:{MUTED_COLOUR};">{text}</span>'


def handoff_html(card: HandoffCard, now: datetime) -> str:
    """The card as an HTML document (QTextDocument's subset); every text a person typed is escaped."""
    c, badge = card.client, card.score.badge
    out: list[str] = ['<html><body style="font-size:10.5pt;">']

    # Who, and how they feel about us
    colour = BAND_COLOURS.get(badge.band, NEUTRAL_COLOUR)
    out.append('<table width="100%" cellspacing="0" cellpadding="0"><tr><td>')
    out.append(f'{_muted("Hand-off card")}<h1 style="margin:0;">{_e(c.name)}</h1>')
    if c.organisation:
        out.append(f"<div>{_e(c.organisation)}</div>")
    out.append('</td><td align="right" valign="middle">')
    out.append(f'<table cellspacing="0" cellpadding="8"><tr><td bgcolor="{colour}" style="color:#ffffff; '
               f'font-size:16pt; font-weight:bold;">{badge.score} {_e(badge.band)}</td></tr></table>')
    trend = TREND_WORDS.get(badge.trend, badge.trend)
    out.append(f'<div align="right">{_muted(f"{_e(trend)} over the last 30 days")}</div>')
    out.append("</td></tr></table>")
    if c.deleted_at is not None:
        out.append(f'<p style="color:{LATE_COLOUR}; font-weight:bold;">This client is in the Trash '
                   f'(since {_e(absolute(c.deleted_at))}).</p>')

    # What to watch out for
    cautions = []
    if c.caution:
        cautions.append(f"<b>Caution:</b> {_e(c.caution)}")
    if "new" in badge.flags:
        cautions.append("New client: too few encounters to say much yet.")
    if "stale" in badge.flags:
        cautions.append("No contact for 60 days or more.")
    if cautions:
        out.append(f'<table width="100%" cellspacing="0" cellpadding="8" style="margin-top:8px;">'
                   f'<tr><td bgcolor="{CAUTION_BACKGROUND}" style="border:1px solid {LATE_COLOUR};">'
                   + "<br>".join(cautions) + "</td></tr></table>")

    # How to reach them
    out.append(_section("Contact"))
    prefers = _e(channel_label(c.preferred_channel)) if c.preferred_channel else _muted("No preference noted")
    handler = _e(c.usual_handler_name) if c.usual_handler_name else _muted("Nobody in particular")
    last = _e(absolute(c.last_contact_at)) if c.last_contact_at else _muted("None yet")
    rows = [("Phone", _e(c.phone)), ("Email", _e(c.email)), ("Address", _e(c.address)), ("Prefers", prefers),
            ("Usually handled by", handler), ("Last contact", last)]
    out.append('<table cellspacing="0" cellpadding="2">')
    for label, value in rows:
        if value:
            out.append(f'<tr><td style="color:{MUTED_COLOUR}; padding-right:12px;">{label}</td><td>{value}</td></tr>')
    out.append("</table>")

    # Why this score
    out.append(_section("Why this score"))
    if card.score.reasons:
        out.append("<ul style='margin-top:0;'>" + "".join(f"<li>{_e(r.sentence)}</li>" for r in card.score.reasons)
                   + "</ul>")
    else:
        out.append(f"<p>{_muted('Nothing stands out yet: there is too little history.')}</p>")

    # What we owe them
    out.append(_section(f"Open promises ({len(card.promises)})" if card.promises else "Open promises"))
    if card.promises:
        now_local = fmt.local(now)
        out.append('<table width="100%" cellspacing="0" cellpadding="3">')
        for p in card.promises:
            late = p.status in ("overdue", "broken")
            words = promise_rules.describe_status(p.status, fmt.local(p.due), now_local)
            style = f' style="color:{LATE_COLOUR}; font-weight:bold;"' if late else ""
            out.append(f'<tr><td width="28%"{style}>{_e(words)}<br>{_muted(day_then_time(p.due))}</td>'
                       f"<td>{_e(p.text)}</td><td width=\"22%\">{_e(p.owner_name)}</td></tr>")
        out.append("</table>")
    else:
        out.append(f"<p>{_muted('No open promises.')}</p>")

    # What the team wrote down
    out.append(_section("Pinned notes"))
    if card.pinned_notes:
        for note in card.pinned_notes:
            out.append(f"<p style='margin-bottom:2px;'>{_e(note.text)}<br>"
                       f"{_muted(_e(f'{note.staff_name}, {absolute(note.at)}'))}</p>")
    else:
        out.append(f"<p>{_muted('No pinned notes.')}</p>")

    # What happened lately
    out.append(_section(f"Last {len(card.interactions)} interactions" if len(card.interactions) > 1
                        else "Last interaction" if card.interactions else "Interactions"))
    if card.interactions:
        out.append('<table width="100%" cellspacing="0" cellpadding="3">')
        for i in card.interactions:
            how = rating_label(i.rating)
            style = f' style="color:{LATE_COLOUR};"' if i.rating < 0 else ""
            fixed = ""
            if i.rating < 0:
                fixed = " (put right)" if i.recovered_by else " (not put right yet)"
            out.append(f'<tr><td width="28%">{day_then_time(i.at)}</td>'
                       f"<td>{_e(channel_label(i.channel))}, <span{style}>{_e(how)}{fixed}</span>: {_e(i.summary)}"
                       f"</td><td width=\"22%\">{_e(i.staff_name)}</td></tr>")
        out.append("</table>")
    else:
        out.append(f"<p>{_muted('No interactions yet.')}</p>")

    out.append(f"<p style='margin-top:16px;'>{_muted(_e(f'Prepared by Rapport on {absolute(card.generated_at)}.'))}"
               "</p></body></html>")
    return "".join(out)


def handoff_document(card: HandoffCard, now: datetime | None = None) -> QTextDocument:
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, f"Hand-off card: {card.client.name}")
    doc.setHtml(handoff_html(card, now or card.generated_at))
    return doc


def save_pdf(card: HandoffCard, path: str | os.PathLike[str], now: datetime | None = None) -> Path:
    """Write the card to `path` as an A4 PDF; OSError (with the reason) when the file cannot be written."""
    return printing.save_pdf(handoff_document(card, now), path, f"Hand-off card: {card.client.name}")


class HandoffDialog(printing.DocumentDialog):
    """The hand-off card of one client, with Print... and Save as PDF...; it follows changes while open."""

    noun = "the hand-off card"
    file_prefix = "Hand-off card"

    def __init__(self, ctx: AppContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Hand-off card", 760, parent)
        self.client_id = client_id
        self.card: HandoffCard | None = None
        self.browser.setHtml(f"<p>{_muted('Reading the card...')}</p>")
        subscribe(self, ctx.events.data_changed, self._on_events_data_changed)
        self.load()

    def document(self) -> QTextDocument | None:
        return None if self.card is None else handoff_document(self.card)

    @property
    def title(self) -> str:
        return f"Hand-off card: {self.card.client.name}" if self.card else "Hand-off card"

    @property
    def subject(self) -> str:
        return self.card.client.name if self.card else ""

    def load(self) -> None:
        cid = self.client_id
        self.ctx.tasks.run(lambda: store.handoff_card(cid), self._on_card_loaded, self._on_card_failed)

    def _on_card_loaded(self, card: HandoffCard) -> None:
        self.card = card
        self.shown(handoff_html(card, card.generated_at))

    def _on_card_failed(self, error: StoreError) -> None:
        self.say(error.message)

    def _on_events_data_changed(self, changes: Changes) -> None:
        if self.isVisible() and changes.touches(self.client_id, "client", "timeline", "promise", "score", "staff"):
            self.load()
