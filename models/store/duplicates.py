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
from itertools import combinations
from typing import Any

import peewee as pw

from models import matching
from models import tables as t
from models.errors import ValidationError
from models.store import _base as b
from models.store.records import Changes

KINDS = ("client",)
# A key shared by more clients than this (a switchboard number, a big organisation's first letters) does
# not point at one person; find_duplicates leaves such blocks out, similar_clients reads at most this many.
BLOCK_LIMIT = 25
CANDIDATES_PER_KEY = 200
EXACT_KINDS = ("phone", "email", "name")
BLOCK_KINDS = ("phone", "email", "name", "orgname", "addrname")


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


def _keys_of(row: Any, country: str) -> matching.ClientKeys:
    return matching.client_keys(name=row.name, phone=row.phone, email=row.email, organisation=row.organisation,
                                address=row.address, country=country)


def index_clients(client_ids: Iterable[int]) -> None:
    """Rewrite the keys of these clients from their details (inside the write that changed them)."""
    ids = list(dict.fromkeys(client_ids))
    if not ids:
        return
    country = office_country()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        t.ClientKey.delete().where(t.ClientKey.client.in_(chunk)).execute()
        rows = [{"client": c.id, "kind": kind, "key": key}
                for c in t.Client.select().where(t.Client.id.in_(chunk))
                for kind, key in sorted(_keys_of(c, country).rows())]
        for at in range(0, len(rows), 300):
            t.ClientKey.insert_many(rows[at:at + 300]).execute()


def rebuild_keys() -> None:
    """Compute every client's keys again (after an upgrade, an import, or a change of the office's country)."""
    ids = [cid for (cid,) in t.Client.select(t.Client.id).tuples()]
    index_clients(ids)


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
        for cid, kind, key in query.tuples():
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
        for cid, *rest in query.tuples():
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
    for field, value in texts.items():
        if not isinstance(value, str):
            raise ValidationError(field, f"{field.capitalize()} must be text.")
        if len(value) > 500 and field != "address" or len(value) > 100_000:
            return ()
    if isinstance(exclude, int) and not isinstance(exclude, bool):
        excluded = {exclude}
    else:
        excluded = {b.as_id(x, "exclude") for x in (exclude or ())}

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
            per = CANDIDATES_PER_KEY if kind in ("orgname", "addrname") else BLOCK_LIMIT
            for key in values:
                query = (t.ClientKey.select(t.ClientKey.client)
                         .where((t.ClientKey.kind == kind) & (t.ClientKey.key == key)).limit(per))
                candidates.update(cid for (cid,) in query.tuples())
        candidates -= excluded
        if len(excluded) == 1:
            candidates -= _not_same(next(iter(excluded)))
        if not candidates:
            return ()
        details = _live(candidates)
        stored = _stored_keys(details)
        found = []
        for cid, (cname, cphone, cemail, corg) in details.items():
            verdict = matching.assess(keys, matching.key_from_rows(cname, stored.get(cid, set())))
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
    BLOCK_LIMIT clients is left out, so the work grows with the office, not with its square.
    """
    def work() -> tuple[DuplicatePair, ...]:
        k, c = t.ClientKey, t.Client
        count = pw.fn.COUNT(k.id).over(partition_by=[k.kind, k.key])
        inner = (k.select(k.kind, k.key, k.client.alias("cid"), count.alias("n"))
                 .join(c, on=(c.id == k.client)).where(c.deleted_at.is_null() & k.kind.in_(BLOCK_KINDS)))
        sub = inner.alias("blocks")
        query = (pw.Select([sub], [sub.c.kind, sub.c.key, sub.c.cid])
                 .where((sub.c.n >= 2) & (sub.c.n <= BLOCK_LIMIT)).order_by(sub.c.kind, sub.c.key, sub.c.cid))
        blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for kind, key, cid in t.database.obj.execute(query).fetchall():
            blocks[(kind, key)].append(cid)
        pairs = {pair for members in blocks.values() for pair in combinations(sorted(members), 2)}
        if not pairs:
            return ()
        different = {(lo, hi) for lo, hi in t.NotSame.select(t.NotSame.low, t.NotSame.high).tuples()}
        pairs -= different
        ids = {x for pair in pairs for x in pair}
        names = _live(ids)
        stored = _stored_keys(names)
        keys = {cid: matching.key_from_rows(names[cid][0], stored.get(cid, set())) for cid in names}
        found = []
        for lo, hi in pairs:
            if lo in keys and hi in keys:
                verdict = matching.assess(keys[lo], keys[hi])
                if verdict:
                    found.append(DuplicatePair(lo, names[lo][0], hi, names[hi][0], verdict[1], verdict[0]))
        found.sort(key=lambda p: (-p.strength, p.a_name.casefold(), p.a, p.b))
        return tuple(found[:max(0, limit)])
    return b.read(work)
