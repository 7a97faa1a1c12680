"""Erasing a client (issue 11): personal data gone for good, an anonymous tombstone kept so counts stay honest.

Erasure *updates* rows, never deletes them: the client's fields are blanked and the name becomes the
tombstone ("Client erased by Ada on 4 Dec 2026"); interactions, notes and promises keep their ids, times,
ratings, channels, owners and staff with their text replaced; the change log's before/after for the
client lose the same text (models.rules.history.PERSONAL_KEYS). Because the rows are updated, anything
kept from them by triggers (the search index) forgets the text in the same transaction.

The erasure list (table `erasure`) keeps the client's id and a one-way key of their name, phone and email:
a restore of an older backup erases them again (models/store/backup.py), and an import asks
`is_erased()` before bringing the same person back.
"""
from __future__ import annotations

import hashlib
import json

from models import tables as t
from models.errors import ValidationError
from models.normalise import email_key, phone_key, words
from models.rules import history as hist
from models.rules.words import month_name
from models.store import _base as b
from models.store.clients import forget_score
from models.store.records import Changes

ERASE_KINDS = ("client", "timeline", "promise", "score")
ERASED_TEXT = hist.ERASED
PERSON_LIMIT = 10_000  # characters in a name, phone or email looked up (an import's cells are far shorter)


def erasure_key(name: str, phone: str = "", email: str = "", country: str = "") -> str:
    """The one-way key of a person on the erasure list: SHA-256 of folded name, national phone and email."""
    name, phone, email = _person(name, phone, email)
    if not isinstance(country, str) or len(country) > 2:
        raise ValidationError("country", "The country must be a two-letter code such as GB, DE or US.")
    raw = "|".join((" ".join(words(name or "")), phone_key(phone or "", country), email_key(email or "")))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()  # a lone surrogate keys as itself


def _person(name: object, phone: object, email: object) -> tuple[str, str, str]:
    """The name, phone and email as text the key can be made of, or a ValidationError naming the field."""
    out = []
    for field, label, value in (("name", "The name", name), ("phone", "The phone number", phone),
                                ("email", "The email address", email)):
        value = "" if value is None else value
        if not isinstance(value, str):
            raise ValidationError(field, f"{label} must be text.")
        if len(value) > PERSON_LIMIT:
            raise ValidationError(field, f"{label} is too long to be a person's.")
        out.append(value)
    return out[0], out[1], out[2]


def _country() -> str:
    from models.store.settings import _current  # the office's country reads phone numbers

    return _current().country


def is_erased(name: str, phone: str = "", email: str = "") -> bool:
    """True when a person with this name, phone and email was erased from this office (an import asks first)."""
    name, phone, email = _person(name, phone, email)

    def work() -> bool:
        key = erasure_key(name, phone, email, _country())
        return t.Erasure.select().where(t.Erasure.key == key).exists()
    return b.read(work)


def tombstone(staff_name: str, at_local_day: str) -> str:
    return f"Client erased by {staff_name} on {at_local_day}"


def _day(at: object) -> str:
    local = at.astimezone()  # type: ignore[attr-defined]
    return f"{local.day} {month_name(local.month, short=True)} {local.year}"


def erase_client(client_id: int, *, by: int) -> Changes:
    """Erase a client's personal data (administrators only; cannot be undone). See the module's docstring.

    Allowed on a client in the Trash too. Backups made before still hold the data until they age out.
    """
    client_id = b.as_id(client_id, "client")

    def work(tx: b.Tx) -> None:
        admin = b.require_admin(tx.by, "erase a client")
        b.require_client(client_id, allow_deleted=True)
        # A client merged into this one is the same person: erased with it.
        merged = [m for (m,) in t.Merge.select(t.Merge.other).where((t.Merge.keep == client_id)
                                                                     & t.Merge.undone_at.is_null()).tuples()]
        country, name = _country(), tombstone(admin.name, _day(tx.at))
        for cid in [client_id, *merged]:
            row = t.Client.get_by_id(cid)
            if not t.Erasure.select().where(t.Erasure.client == cid).exists():
                t.Erasure.insert(client=cid, key=erasure_key(row.name, row.phone, row.email, country), at=tx.at,
                                 staff=tx.by).execute()
            erase_rows(cid, name, tx.at)
        tx.log("client", client_id, client_id, "erase", ERASE_KINDS, after={"erased": True, "merged": merged})
    return b.write(by, work)


def erase_rows(client_id: int, name: str, at: object) -> None:
    """Blank one client's personal data in every table (inside the caller's transaction)."""
    c = t.Client
    c.update(name=name, organisation="", phone="", email="", address="", caution="", search_text="",
             more_details="", search_words="", updated_at=at, version=c.version + 1).where(c.id == client_id).execute()
    # what an import recorded of the client (the earlier details, the vCard's UID) goes too
    t.ImportedRow.update(before=None, uid="").where(t.ImportedRow.client == client_id).execute()
    # search_words too (issue 14): the search index's normalised forms of the text (the triggers re-index the rows)
    t.Interaction.update(summary=ERASED_TEXT, details="", search_words="").where(
        t.Interaction.client == client_id).execute()
    t.Note.update(text=ERASED_TEXT, search_words="").where(t.Note.client == client_id).execute()
    t.Promise.update(text=ERASED_TEXT, cancel_reason="", search_words="").where(t.Promise.client == client_id).execute()
    t.PromiseEvent.update(reason="").where(t.PromiseEvent.client == client_id).execute()
    forget_score(client_id)  # the cached score's summary carries the interactions' summaries
    _forget_keys(client_id)
    for merge in t.Merge.select().where((t.Merge.keep == client_id) | (t.Merge.other == client_id)):
        t.Merge.update(keep_before=_blank_row(merge.keep_before), other_before=_blank_row(merge.other_before)
                       ).where(t.Merge.id == merge.id).execute()
    ch = t.Change
    for change_id, before, after in ch.select(ch.id, ch.before, ch.after).where(ch.client == client_id).tuples():
        new_before = _blank(before)
        new_after = _blank(after)
        if (new_before, new_after) != (before, after):
            ch.update(before=new_before, after=new_after).where(ch.id == change_id).execute()


_CLIENT_TEXT = ("name", "organisation", "phone", "email", "address", "caution", "search_text", "more_details",
                "search_words")  # search_words: the search index's normalised forms of the rest (issue 14)


def _forget_keys(client_id: int) -> None:
    """The client's comparable keys (possible duplicates) go: a tombstone is nobody's duplicate."""
    from models.store.duplicates import BLOCK_KINDS, _flag  # noqa: PLC0415 - duplicates imports the clients

    k = t.ClientKey
    touched = set(k.select(k.kind, k.key).where(k.client == client_id).tuples())
    k.delete().where(k.client == client_id).execute()
    for kind, key in touched:
        if kind in BLOCK_KINDS:
            _flag(kind, key)


def _blank_row(raw: str) -> str:
    """A client row kept by a merge (JSON) with its text blanked: both sides of a merge are the same person."""
    values = json.loads(raw)
    return json.dumps({k: ("" if k in _CLIENT_TEXT and isinstance(v, str) else v) for k, v in values.items()})


def _blank(raw: str | None) -> str | None:
    if not raw:
        return raw
    try:
        values = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(values, dict):
        return None
    return json.dumps(hist.blank_personal(values), default=str, ensure_ascii=False)


def erasure_list() -> list[tuple[int, str, object, int | None]]:
    """The erasure list as (client id, key, at, staff) rows: what a restore must apply again."""
    e = t.Erasure
    return list(e.select(e.client, e.key, e.at, e.staff).order_by(e.id).tuples())


def reapply(entries: list[tuple[int, str, object, int | None]]) -> int:
    """Erase again, in the open (just restored) office, every listed client it still holds; how many it erased.

    Runs inside the caller's write transaction.
    """
    done = 0
    known = {cid for (cid,) in t.Erasure.select(t.Erasure.client).tuples()}
    names = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
    for client_id, key, at, staff in entries:
        if client_id not in known:
            t.Erasure.insert(client=client_id, key=key, at=at, staff=staff).execute()
        if t.Client.get_or_none(t.Client.id == client_id) is not None:
            erase_rows(client_id, tombstone(names.get(staff, "an administrator"), _day(at)), at)
            done += 1
    return done
