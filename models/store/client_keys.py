"""Every client's comparable keys (models/matching.py) in the `client_key` table: what finds possible duplicates.

Written by the store in the same transaction as the client's details (add, edit, import, merge, un-merge);
models/store/duplicates.py reads them. Kept apart from it, with the two questions clients.py asks of the
merges, so that clients.py never imports the duplicates' module (which imports clients.py).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import peewee as pw

from models import matching
from models import tables as t
from models.errors import ValidationError

# A key shared by more clients than this (a switchboard number, a big organisation's first letters) does
# not point at one person: find_duplicates leaves such blocks out, and similar_clients leaves out such an
# organisation-and-first-letters block and reads at most this many clients with one phone, email or name.
BLOCK_LIMIT = 25
BLOCK_KINDS = ("phone", "email", "name", "orgname", "addrname")


# --- the keys table -------------------------------------------------------------------------------

def office_country() -> str:
    """The office's two-letter region (office settings), for phone numbers written without a prefix."""
    row = t.Setting.get_or_none(t.Setting.key == "country")
    if row is None:
        return ""
    try:
        value = json.loads(row.value)
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


def _key_rows(ids: list[int]) -> Any:
    """The columns keys are made of (only these: an upgrade step runs before later columns exist)."""
    c = t.Client
    return c.select(c.id, c.name, c.phone, c.email, c.organisation, c.address).where(c.id.in_(ids))


def _keys_of(row: Any, country: str) -> matching.ClientKeys:
    return matching.client_keys(name=row.name, phone=row.phone, email=row.email, organisation=row.organisation,
                                address=row.address, country=country)


def index_clients(client_ids: Iterable[int]) -> None:
    """Rewrite the keys of these clients from their details (inside the write that changed them)."""
    ids = list(dict.fromkeys(client_ids))
    if not ids:
        return
    country = office_country()
    touched: set[tuple[str, str]] = set()
    for chunk in _chunks(ids):
        k = t.ClientKey
        touched.update(k.select(k.kind, k.key).where(k.client.in_(chunk)).tuples())
        k.delete().where(k.client.in_(chunk)).execute()
        rows = [{"client": c.id, "kind": kind, "key": key}
                for c in _key_rows(chunk)
                for kind, key in sorted(_keys_of(c, country).rows())]
        touched.update((row["kind"], row["key"]) for row in rows)
        for at in range(0, len(rows), 300):
            k.insert_many(rows[at:at + 300]).execute()
    for kind, key in touched:
        if kind in BLOCK_KINDS:
            _flag(kind, key)


def _flag(kind: str, key: str) -> None:
    """Mark a key's rows shared while 2 to BLOCK_LIMIT clients have it (just past the limit: unmark them all)."""
    k = t.ClientKey
    ids = [i for (i,) in k.select(k.id).where((k.kind == kind) & (k.key == key)).limit(BLOCK_LIMIT + 2).tuples()]
    if len(ids) <= BLOCK_LIMIT + 1:
        k.update(shared=2 <= len(ids) <= BLOCK_LIMIT).where(k.id.in_(ids)).execute()


def flag_all() -> None:
    """Mark every shared key at once (after keys were written in bulk: an upgrade, an import, the generator)."""
    k = t.ClientKey
    k.update(shared=False).where(k.shared).execute()
    groups = (k.select(k.kind, k.key).where(k.kind.in_(BLOCK_KINDS)).group_by(k.kind, k.key)
              .having(pw.fn.COUNT(pw.SQL("*")).between(2, BLOCK_LIMIT)))
    for kind, key in list(groups.tuples()):
        k.update(shared=True).where((k.kind == kind) & (k.key == key)).execute()


def rebuild_keys() -> None:
    """Compute every client's keys again (after an upgrade, an import, or a change of the office's country)."""
    t.ClientKey.delete().execute()
    ids = [cid for (cid,) in t.Client.select(t.Client.id).tuples()]
    country = office_country()
    for chunk in _chunks(ids):
        rows = [(c.id, kind, key) for c in _key_rows(chunk)
                for kind, key in sorted(_keys_of(c, country).rows())]
        for at in range(0, len(rows), 300):
            t.ClientKey.insert_many(rows[at:at + 300], fields=[t.ClientKey.client, t.ClientKey.kind,
                                                               t.ClientKey.key]).execute()
    flag_all()


def rekey_phones() -> None:
    """Compute the phone keys again (the office's country changed: it decides how a number without a prefix reads)."""
    country = office_country()
    t.ClientKey.delete().where(t.ClientKey.kind == "phone").execute()
    c = t.Client
    rows = [(cid, "phone", key) for cid, phone in c.select(c.id, c.phone).where(c.phone != "").tuples()
            if (key := matching.client_keys(phone=phone, country=country).phone)]
    for at in range(0, len(rows), 300):
        t.ClientKey.insert_many(rows[at:at + 300], fields=[t.ClientKey.client, t.ClientKey.kind,
                                                           t.ClientKey.key]).execute()
    flag_all()


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def merged_away() -> pw.Select:
    """The ids of clients merged into another (and not un-merged): not in the Trash, not restorable from it."""
    return t.Merge.select(t.Merge.other).where(t.Merge.undone_at.is_null())


def refuse_if_merged(client_id: int) -> None:
    """A ValidationError when the client was merged into another: un-merging brings it back, not Restore."""
    merge = t.Merge.get_or_none((t.Merge.other == client_id) & t.Merge.undone_at.is_null())
    if merge is not None:
        into = t.Client.get_or_none(t.Client.id == merge.keep_id)
        raise ValidationError("client", f"This client was merged into {into.name if into else 'another client'}; "
                                        "un-merge them from that client's menu to bring it back.")
