"""Possible duplicates: clients like the one being typed, likely pairs across the office, "a different person".

Every client's comparable keys (models/matching.py) live in the `client_key` table, written by the store in
the same transaction as the client's details (add, edit, merge, un-merge). Lookups go through its
(kind, key) index: a phone, an email, a name, or an organisation/address with a name's first letters. Only
the few clients found that way are compared fuzzily, never the whole office.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import Any

import peewee as pw

from models import matching
from models import tables as t
from models.errors import ValidationError
from models.store import _base as b
from models.store.client_keys import (  # noqa: F401 - the keys live there (clients.py keeps them too)
    BLOCK_KINDS,
    BLOCK_LIMIT,
    _chunks,
    _flag,
    _keys_of,
    flag_all,
    index_clients,
    merged_away,
    office_country,
    rebuild_keys,
    refuse_if_merged,
    rekey_phones,
)
from models.store.records import Changes

KINDS = ("client",)
EXACT_KINDS = ("phone", "email", "name")


@dataclass(frozen=True, slots=True)
class SimilarClient:
    """A client possibly the same as the one typed: why (a phrase: "same phone number") and how strongly (0-1)."""

    client_id: int
    name: str
    why: str
    strength: float
    phone: str = ""
    email: str = ""
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two clients that look like one person, with why and how strongly (0-1)."""

    a: int
    a_name: str
    b: int
    b_name: str
    why: str
    strength: float


# --- clients like the one being typed ---------------------------------------------------------------

def _not_same(client_id: int) -> set[int]:
    low = t.NotSame.select(t.NotSame.high).where(t.NotSame.low == client_id)
    high = t.NotSame.select(t.NotSame.low).where(t.NotSame.high == client_id)
    return {x for (x,) in low.tuples()} | {x for (x,) in high.tuples()}


def _stored_keys(ids: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
    out: dict[int, set[tuple[str, str]]] = defaultdict(set)
    ids = list(ids)
    for start in range(0, len(ids), 500):
        query = (t.ClientKey.select(t.ClientKey.client, t.ClientKey.kind, t.ClientKey.key)
                 .where(t.ClientKey.client.in_(ids[start:start + 500])))
        for cid, kind, key in t.database.obj.execute(query).fetchall():
            out[cid].add((kind, key))
    return out


def _live(ids: Iterable[int]) -> dict[int, tuple[str, str, str, str]]:
    """id -> (name, phone, email, organisation) of the clients that are not deleted."""
    ids = list(ids)
    out: dict[int, tuple[str, str, str, str]] = {}
    c = t.Client
    for start in range(0, len(ids), 500):
        query = (c.select(c.id, c.name, c.phone, c.email, c.organisation)
                 .where(c.id.in_(ids[start:start + 500]) & c.deleted_at.is_null()))
        for cid, *rest in t.database.obj.execute(query).fetchall():
            out[cid] = tuple(rest)  # type: ignore[assignment]
    return out


def similar_clients(*, name: str = "", phone: str = "", email: str = "", organisation: str = "",
                    address: str = "", limit: int = 5, exclude: int | Iterable[int] | None = None
                    ) -> tuple[SimilarClient, ...]:
    """Clients possibly the same as these details, strongest first: same phone or email (normalised), or a
    close name (accents, word order, nicknames, typos) at the same organisation or address, or the same name.

    `exclude` leaves out a client (the one being edited: then pairs marked "a different person" are left out
    too) or several. Looks candidates up by their keys; only those are compared.
    """
    texts = {"name": name, "phone": phone, "email": email, "organisation": organisation, "address": address}
    limit = b.check_count(limit, "limit", "The number of similar clients", low=0, high=b.MAX_IDS)
    for field, value in texts.items():
        if not isinstance(value, str):
            raise ValidationError(field, f"{field.capitalize()} must be text.")
        if len(value) > 500 and field != "address" or len(value) > 100_000:
            return ()
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValidationError(field, f"{field.capitalize()} holds broken characters (often from copying and "
                                             "pasting). Please retype them.") from None
    # half-typed text may hold anything; a NUL cannot even be sent to PostgreSQL (saved clients have none)
    name, phone, email, organisation, address = (v.replace("\x00", "") for v in (name, phone, email, organisation,
                                                                                   address))
    if isinstance(exclude, int) and not isinstance(exclude, bool):
        excluded = {b.as_id(exclude, "exclude")}
    else:
        excluded = set(b.check_ids(exclude or (), "exclude"))

    def work() -> tuple[SimilarClient, ...]:
        keys = matching.client_keys(name=name, phone=phone, email=email, organisation=organisation,
                                    address=address, country=office_country())
        wanted = keys.rows() - {("org", keys.organisation), ("addr", keys.address)}
        if not wanted:
            return ()
        candidates: set[int] = set()
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, key in wanted:
            by_kind[kind].append(key)
        for kind, values in by_kind.items():
            for key in values:
                query = (t.ClientKey.select(t.ClientKey.client)
                         .where((t.ClientKey.kind == kind) & (t.ClientKey.key == key)).limit(BLOCK_LIMIT + 1))
                ids = [cid for (cid,) in query.tuples()]
                if len(ids) <= BLOCK_LIMIT or kind in EXACT_KINDS:
                    candidates.update(ids[:BLOCK_LIMIT])
        candidates -= excluded
        if len(excluded) == 1:
            candidates -= _not_same(next(iter(excluded)))
        if not candidates:
            return ()
        details = _live(candidates)
        stored = _stored_keys(details)
        found = []
        for cid, (cname, cphone, cemail, corg) in details.items():
            verdict = matching.assess(keys, matching.key_from_rows(stored.get(cid, set())))
            if verdict:
                found.append(SimilarClient(cid, cname, verdict[1], verdict[0], cphone, cemail, corg))
        found.sort(key=lambda s: (-s.strength, s.name.casefold(), s.client_id))
        return tuple(found[:max(0, limit)])
    return b.read(work)


# --- "It's a different person" -----------------------------------------------------------------------

def mark_different(a: int, b_id: int, *, by: int) -> Changes:
    """Remember that two clients are different people: they are no longer offered as possible duplicates."""
    a, b_id = b.as_id(a, "client"), b.as_id(b_id, "client")
    if a == b_id:
        raise ValidationError("client", "A client cannot be a different person from themselves.")
    low, high = min(a, b_id), max(a, b_id)

    def work(tx: b.Tx) -> None:
        b.require_client(low, allow_deleted=True)
        b.require_client(high, allow_deleted=True)
        if t.NotSame.get_or_none((t.NotSame.low == low) & (t.NotSame.high == high)) is None:
            t.NotSame.create(low=low, high=high, by=tx.by, at=tx.at)
        tx.log("not_same", None, low, "add", KINDS, after={"low": low, "high": high})
        tx.clients.add(high)
    return b.write(by, work)


def different_people(a: int, b_id: int) -> bool:
    """Whether somebody said these two clients are different people."""
    a, b_id = b.as_id(a, "client"), b.as_id(b_id, "client")
    low, high = min(a, b_id), max(a, b_id)
    return b.read(lambda: t.NotSame.get_or_none((t.NotSame.low == low) & (t.NotSame.high == high)) is not None)


# --- likely pairs across the office ------------------------------------------------------------------

def find_duplicates(*, limit: int = 100) -> tuple[DuplicatePair, ...]:
    """Likely pairs over the whole office, strongest first, each with why.

    Clients are brought together only by a shared key (blocking), and a key shared by more than
    BLOCK_LIMIT clients is left out, so the work grows with the pairs found, not with the office's square.
    """
    limit = b.check_count(limit, "limit", "The number of pairs", low=0, high=b.MAX_IDS)

    def work() -> tuple[DuplicatePair, ...]:
        k, c = t.ClientKey, t.Client
        db = t.database.obj
        # the keys 2 to BLOCK_LIMIT clients share: a partial index holds just those rows (and covers them)
        blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for kind, key, cid in db.execute(k.select(k.kind, k.key, k.client).where(k.shared)).fetchall():
            blocks[(kind, key)].append(cid)
        shared: dict[tuple[int, int], set[str]] = defaultdict(set)  # pair -> the kinds of key it shares
        for (kind, _), members in blocks.items():
            for pair in combinations(sorted(members), 2):
                shared[pair].add(kind)
        if not shared:
            return ()
        for pair in t.NotSame.select(t.NotSame.low, t.NotSame.high).tuples():
            shared.pop(pair, None)
        # the names (and their words, from the name key) of the live clients among them
        involved = k.select(k.client).where(k.shared)
        query = (c.select(c.id, c.name, k.key)
                 .join(k, pw.JOIN.LEFT_OUTER, on=((k.client == c.id) & (k.kind == "name")))
                 .where(c.id.in_(involved) & c.deleted_at.is_null()))
        names = {cid: (name, key or "") for cid, name, key in db.execute(query).fetchall()}
        found = []
        for (lo, hi), kinds in shared.items():
            if lo in names and hi in names:
                verdict = matching.assess(*matching.pair_keys(names[lo][1], names[hi][1], kinds))
                if verdict:
                    found.append(DuplicatePair(lo, names[lo][0], hi, names[hi][0], verdict[1], verdict[0]))
        found.sort(key=lambda p: (-p.strength, p.a_name.casefold(), p.a, p.b))
        return tuple(found[:max(0, limit)])
    return b.read(work)


# --- merge and un-merge ----------------------------------------------------------------------------

MERGE_KINDS = ("client", "timeline", "promise", "score")
# The rows that belong to a client and move with it, in the order they are moved (and moved back).
_MOVED: dict[str, type[t.BaseTable]] = {"interaction": t.Interaction, "note": t.Note, "promise": t.Promise,
                                         "promise_event": t.PromiseEvent}


@dataclass(frozen=True, slots=True)
class MergeInfo:
    """A merge into a client that can still be taken back, and what un-merging it would leave where it is."""

    id: int
    keep: int
    other: int
    other_name: str
    at: datetime  # UTC
    by: int | None
    moved: int  # entries, notes and promises that came over from `other`
    added_since: int  # entries, notes and promises logged on the merged client since: they stay with it


def _client_values(client_id: int) -> dict[str, Any]:
    """The client's row in database form (times as microseconds), by column: what un-merge writes back."""
    query = t.Client.select().where(t.Client.id == client_id)
    cursor = t.database.obj.execute(query)
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def _write_client_values(client_id: int, values: dict[str, Any]) -> None:
    """Write a client row back as it was, but with a version never used before: a desk still holding the
    merged client's details (a later version) must meet a conflict, never save over the restored ones."""
    columns = t.Client._meta.columns
    current = t.Client.get_by_id(client_id).version
    restored = {columns[name]: value for name, value in values.items() if name not in ("id", "version")}
    t.Client.update({**restored, t.Client.version: max(current, int(values["version"])) + 1}).where(
        t.Client.id == client_id).execute()


def _settle(*client_ids: int) -> None:
    """After rows changed hands: the list's columns, the score and the keys of these clients follow."""
    from models.store.clients import forget_score, refresh_contact_columns  # noqa: PLC0415

    for client_id in client_ids:
        refresh_contact_columns(client_id)
        forget_score(client_id)
    index_clients(client_ids)


def merge_clients(keep: int, other: int, *, by: int, fields: dict[str, str] | None = None) -> Changes:
    """Merge `other` into `keep` (administrator): one client with both timelines, promises, notes and change
    log. `fields` maps a detail ("phone") to "keep" or "other": whose value the merged client keeps (the rest
    keep `keep`'s). Changes.id is the merge's id, for unmerge(); every moved row records it.
    """
    from models.store.clients import FIELDS, _search_text  # noqa: PLC0415

    keep, other = b.as_id(keep, "keep"), b.as_id(other, "other")
    if keep == other:
        raise ValidationError("other", "Choose two different clients to merge.")
    if fields is not None and not isinstance(fields, dict):
        raise ValidationError("fields", "Say for each detail whose value to keep, e.g. {\"phone\": \"other\"}.")
    chosen = dict(fields or {})
    for field, side in chosen.items():
        if field not in FIELDS:
            raise ValidationError(field, f"Clients have no field called {field!r}.")
        if side not in ("keep", "other"):
            raise ValidationError(field, "Choose whose value to keep: \"keep\" or \"other\".")

    def work(tx: b.Tx) -> int:
        b.require_admin(tx.by, "merge clients")
        kept, gone = b.require_client(keep), b.require_client(other)
        keep_before, other_before = _client_values(keep), _client_values(other)
        merge = t.Merge.create(keep=keep, other=other, by=tx.by, at=tx.at, keep_before=json.dumps(keep_before),
                               other_before=json.dumps(other_before), fields=json.dumps(chosen, sort_keys=True))
        values = {field: getattr(gone if chosen.get(field) == "other" else kept,
                                 "usual_handler_id" if field == "usual_handler" else field) for field in FIELDS}
        t.Client.update({**{getattr(t.Client, f): v for f, v in values.items()}, t.Client.version: kept.version + 1,
                         t.Client.updated_at: tx.at, t.Client.search_text: _search_text(values)}).where(
            t.Client.id == keep).execute()
        t.Client.update(deleted_at=tx.at, version=gone.version + 1).where(t.Client.id == other).execute()
        moved = 0
        for entity, table in {**_MOVED, "change": t.Change}.items():
            ids = [i for (i,) in table.select(table.id).where(table.client == other).tuples()]
            for chunk in _chunks(ids):
                t.MergeMove.insert_many([{"merge": merge.id, "entity": entity, "row_id": i} for i in chunk]).execute()
                table.update(client=keep).where(table.id.in_(chunk)).execute()
            moved += len(ids) if entity in ("interaction", "note", "promise") else 0
        _settle(keep, other)
        changed = {f: v for f, v in values.items() if (kept.usual_handler_id if f == "usual_handler"
                                                        else getattr(kept, f)) != v}
        tx.log("merge", merge.id, other, "merged-away", MERGE_KINDS, after={"into": keep})
        tx.log("merge", merge.id, keep, "merge", MERGE_KINDS, before={"other": other, "name": gone.name},
               after={"fields": changed, "moved": moved})
        return merge.id
    return b.write(by, work)


def _unmerge(tx: b.Tx, merge_id: int) -> None:
    b.require_admin(tx.by, "un-merge clients")
    merge = t.Merge.get_or_none(t.Merge.id == merge_id)
    if merge is None:
        raise ValidationError("merge", "That merge does not exist.")
    if merge.undone_at is not None:
        raise ValidationError("merge", "Those clients were already un-merged.")
    kept = t.Client.get_or_none(t.Client.id == merge.keep_id)
    gone = t.Client.get_or_none(t.Client.id == merge.other_id)
    if kept is None or gone is None:
        raise ValidationError("merge", "One of the two clients no longer exists, so they cannot be un-merged.")
    if kept.deleted_at is not None:
        raise ValidationError("merge", f"{kept.name} was deleted or merged again since; restore or un-merge that "
                                       "first.")
    if gone.deleted_at != merge.at:
        raise ValidationError("merge", f"{gone.name} was changed since the merge, so it cannot be un-merged.")
    moved: dict[str, list[int]] = defaultdict(list)
    for entity, row_id in (t.MergeMove.select(t.MergeMove.entity, t.MergeMove.row_id)
                           .where(t.MergeMove.merge == merge.id).tuples()):
        moved[entity].append(row_id)
    for entity, table in {**_MOVED, "change": t.Change}.items():
        for chunk in _chunks(moved.get(entity, [])):
            table.update(client=merge.other_id).where(table.id.in_(chunk) & (table.client == merge.keep_id)).execute()
    # steps logged since on a promise that goes back belong to that promise
    for chunk in _chunks(moved.get("promise", [])):
        t.PromiseEvent.update(client=merge.other_id).where(t.PromiseEvent.promise.in_(chunk)).execute()
    _write_client_values(merge.keep_id, json.loads(merge.keep_before))
    _write_client_values(merge.other_id, json.loads(merge.other_before))
    t.Merge.update(undone_at=tx.at, undone_by=tx.by).where(t.Merge.id == merge.id).execute()
    _settle(merge.keep_id, merge.other_id)
    tx.log("merge", merge.id, merge.other_id, "unmerge", MERGE_KINDS, after={"from": merge.keep_id})
    tx.log("merge", merge.id, merge.keep_id, "unmerge", MERGE_KINDS, after={"other": merge.other_id})


def unmerge(merge_id: int, *, by: int) -> Changes:
    """Take a merge back (administrator): both clients as they were, with their own entries, details and
    promises. Entries colleagues logged on the merged client since stay with it.
    """
    merge_id = b.as_id(merge_id, "merge")

    def work(tx: b.Tx) -> int:
        _unmerge(tx, merge_id)
        return merge_id
    return b.write(by, work)


def undo_merge(tx: b.Tx, row: t.Change) -> None:
    """Edit > Undo of a merge (models/store/recycle.py): un-merge it; its second change row needs nothing."""
    if row.action == "merge":
        _unmerge(tx, int(row.entity_id))
    elif row.action != "merged-away":
        raise ValidationError("undo", "That can't be undone from here.")


def merges(client_id: int) -> tuple[MergeInfo, ...]:
    """Merges into this client that can still be un-merged, newest first."""
    client_id = b.as_id(client_id, "client")

    def work() -> tuple[MergeInfo, ...]:
        out = []
        query = (t.Merge.select().where((t.Merge.keep == client_id) & t.Merge.undone_at.is_null())
                 .order_by(t.Merge.id.desc()))
        for m in query:
            other = json.loads(m.other_before)
            moved = (t.MergeMove.select().where((t.MergeMove.merge == m.id)
                                                & t.MergeMove.entity.in_(("interaction", "note", "promise"))).count())
            added = sum(table.select().where((table.client == client_id) & (table.created_at > m.at)).count()
                        for table in (t.Interaction, t.Note))
            added += t.Promise.select().where((t.Promise.client == client_id) & (t.Promise.made_at > m.at)).count()
            out.append(MergeInfo(m.id, m.keep_id, m.other_id, other.get("name", ""), m.at, m.by, moved, added))
        return tuple(out)
    return b.read(work)


