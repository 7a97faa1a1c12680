"""The hand-off card: everything a colleague needs to pick up a client's case, read in one go."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import tables as t
from models.store import _base as b
from models.store.clients import get_client
from models.store.promises import client_promises
from models.store.records import ClientDetails, InteractionEntry, NoteEntry, PromiseRow
from models.store.scores import ClientScore, client_score
from models.store.timelines import _interactions

LAST_INTERACTIONS = 5  # "the last five interactions" of the card
PINNED_NOTES = 20  # more pinned notes than this is no longer a card; the timeline has them all


@dataclass(frozen=True, slots=True)
class HandoffCard:
    """One client on one screen: who they are, how they feel about us, what we owe them, what to know."""

    client: ClientDetails
    score: ClientScore
    promises: tuple[PromiseRow, ...]  # open promises, overdue first (by due date)
    interactions: tuple[InteractionEntry, ...]  # the last few, newest first
    pinned_notes: tuple[NoteEntry, ...]  # newest first
    generated_at: datetime


def handoff_card(client_id: int) -> HandoffCard:
    """The hand-off card of a client (also of one in the Trash, which the card says)."""
    client_id = b.as_id(client_id, "client")

    def work() -> HandoffCard:
        now = b.utcnow()
        client = get_client(client_id)  # raises the store's sentence for a client that does not exist
        names = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
        interactions = tuple(entry for _, _, _, entry in _interactions(client_id, LAST_INTERACTIONS, None, names))
        n = t.Note
        notes = tuple(
            NoteEntry("note", nid, client_id, t.from_micros(at), staff, names.get(staff, ""), text, True,
                      edited is not None)
            for nid, at, staff, text, edited in t.database.obj.execute(
                n.select(n.id, n.at, n.staff, n.text, n.edited_at)
                .where((n.client == client_id) & n.pinned & n.deleted_at.is_null())
                .order_by(n.at.desc(), n.id.desc()).limit(PINNED_NOTES)).fetchall())
        return HandoffCard(client, client_score(client_id), tuple(client_promises(client_id)),
                           interactions[:LAST_INTERACTIONS], notes, now)
    return b.read(work)
