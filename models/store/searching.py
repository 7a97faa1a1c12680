"""Find anything: one search over every client, interaction, note and promise (the index: models/search_index.py)."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee as pw

from models import db as dbmod
from models import search_index as si
from models import tables as t
from models.errors import ValidationError
from models.rules.text import SEARCH_LIMIT, too_long
from models.store import _base as b
from models.store.clients import matching_clients_sql

log = logging.getLogger(__name__)

KINDS = ("client", "interaction", "note", "promise")
MAX_HITS = 500
# Per entry kind: its time and staff columns (a promise counts from when it was made, by whom).
_ENTRY_COLUMNS = {"interaction": ("at", "staff_id"), "note": ("at", "staff_id"), "promise": ("made_at", "made_by_id")}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One thing found: a client, or an entry on a client's timeline, with a snippet and the matched spans.

    `at` is a client's last contact; `staff_name` its usual handler (or ""). `marks` are (start, end) spans of
    `snippet`, which is plain text.
    """

    client_id: int
    client_name: str
    kind: str  # "client", "interaction", "note", "promise"
    entry_id: int | None
    at: datetime | None
    staff_name: str
    snippet: str
    marks: tuple[tuple[int, int], ...]


def check_search_text(text: object) -> str:
    """The text to search for, or a ValidationError: a search is a few words, at most SEARCH_LIMIT characters."""
    if not isinstance(text, str):
        raise ValidationError("text", "The search text must be text.")
    if len(text) > SEARCH_LIMIT:
        raise ValidationError("text", too_long("The search text", SEARCH_LIMIT, len(text)))
    return text


def search(text: str, *, limit: int = 50, client: int | None = None, kinds: Iterable[str] | None = None,
           since: datetime | None = None, until: datetime | None = None,
           staff: int | None = None) -> tuple[SearchHit, ...]:
    """Clients (best match first), then entries (newest first) whose words start with every word typed.

    Case, accents, apostrophes and hyphens do not matter; a phone number matches however it is written.
    Nothing typed is an operator. `limit` counts hits in all; `client` and `staff` are ids; `kinds` a set of
    KINDS; `since` <= at < `until`. Deleted entries and clients in the Trash are not found.
    """
    text = check_search_text(text)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_HITS:
        raise ValidationError("limit", f"A search returns 1 to {MAX_HITS} results.")
    wanted = KINDS if kinds is None else tuple(kinds)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValidationError("kinds", f"There is nothing called {unknown[0]!r} to search; choose from "
                                       f"{', '.join(KINDS)}.")
    client_id = None if client is None else b.as_id(client, "client")
    staff_id = None if staff is None else b.as_id(staff, "staff")
    since = b.check_time(since, "since", "The start date", optional=True)
    until = b.check_time(until, "until", "The end date", optional=True)

    def work() -> tuple[SearchHit, ...]:
        db = t.database.obj
        country = si.office_country(db)
        query = si.parse(text, country)
        if not query.terms:
            return ()
        param = si.match_param(query, db)
        names = dict(db.execute_sql('SELECT "id", "name" FROM "staff"').fetchall())
        filters = _Filters(client_id, staff_id, since, until)
        hits: list[SearchHit] = []
        if "client" in wanted:
            hits += [_client_hit(row, names, query, country) for row in _clients(db, param, filters, limit)]
        rows: list[tuple[int, int, str, tuple[Any, ...]]] = []
        left = limit - len(hits)
        for kind in ("interaction", "note", "promise"):
            if kind in wanted and left > 0:
                rows += [(r[3], r[0], kind, r) for r in _entries(db, kind, param, filters, left)]
        rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
        hits += [_entry_hit(kind, row, names, query, country) for _, _, kind, row in rows[:left]]
        return tuple(hits)
    return b.read(work)


@dataclass(frozen=True, slots=True)
class _Filters:
    client: int | None
    staff: int | None
    since: datetime | None
    until: datetime | None

    def sql(self, db: pw.Database, owner: str, staff: str, at: str) -> tuple[str, list[Any]]:
        parts, params = [], []
        for value, column, op in ((self.client, owner, "="), (self.staff, staff, "="),
                                  (self.since, at, ">="), (self.until, at, "<")):
            if value is not None:
                parts.append(f" AND {column} {op} {db.param}")
                params.append(t.to_micros(value) if isinstance(value, datetime) else value)
        return "".join(parts), params


def _clients(db: pw.Database, param: str, filters: _Filters, limit: int) -> list[tuple[Any, ...]]:
    join, cond = si.match_sql("client", "c", db)
    extra, params = filters.sql(db, "c.id", "c.usual_handler_id", "c.last_contact_at")
    columns = ", ".join(f'c."{c}"' for c in si.CLIENT_COLUMNS)
    sql = (f'SELECT c.id, c.name, c.last_contact_at, c.usual_handler_id, {columns} FROM "client" c{join} '
           f"WHERE {cond} AND c.deleted_at IS NULL{extra} ORDER BY {si.client_rank(db)} LIMIT {int(limit)}")
    ranked = [param] if si.is_postgres(db) else []  # PostgreSQL ranks against the query once more
    return db.execute_sql(sql, [param, *params, *ranked]).fetchall()


def entries_sql(db: pw.Database, kind: str, filters: _Filters, limit: int) -> tuple[str, list[Any]]:
    """The SQL behind one kind of entries (tests/perf times it raw): matches newest first, live ones only."""
    table, columns = si.INDEXED[kind]
    at, staff = _ENTRY_COLUMNS[kind]
    join, cond = si.match_sql(kind, "x", db)
    extra, params = filters.sql(db, "x.client_id", f"x.{staff}", f"x.{at}")
    texts = ", ".join(f'x."{c}"' for c in columns)
    sql = (f'SELECT x.id, x.client_id, c.name, x.{at}, x.{staff}, {texts} FROM "{table._meta.table_name}" x{join} '
           f'JOIN "client" c ON c.id = x.client_id '
           f"WHERE {cond} AND x.deleted_at IS NULL AND c.deleted_at IS NULL{extra} "
           f"ORDER BY x.{at} DESC, x.id DESC LIMIT {int(limit)}")
    return sql, params


def _entries(db: pw.Database, kind: str, param: str, filters: _Filters, limit: int) -> list[tuple[Any, ...]]:
    sql, params = entries_sql(db, kind, filters, limit)
    return db.execute_sql(sql, [param, *params]).fetchall()


def _client_hit(row: tuple[Any, ...], names: dict[int, str], query: si.Query, country: str) -> SearchHit:
    cid, name, last, handler, *texts = row
    snippet, marks = si.snippet(texts, query, country)
    return SearchHit(cid, name, "client", None, None if last is None else t.from_micros(last),
                     names.get(handler, "") if handler else "", snippet, marks)


def _entry_hit(kind: str, row: tuple[Any, ...], names: dict[int, str], query: si.Query, country: str) -> SearchHit:
    eid, cid, client_name, at, staff, *texts = row
    snippet, marks = si.snippet(texts, query, country)
    return SearchHit(cid, client_name, kind, eid, t.from_micros(at), names.get(staff, ""), snippet, marks)


def matching_clients(text: str) -> frozenset[int] | None:
    """Ids of the clients the client-list filter keeps for `text`: None when nothing is typed (every client).

    The same index and words as search(); text without any word in it (only quotes, say) keeps nobody.
    """
    text = check_search_text(text)

    def work() -> frozenset[int] | None:
        if not text.strip():
            return None
        sql, params = matching_clients_sql(text)
        if sql is None:
            return frozenset()
        live = f"{sql} AND c.deleted_at IS NULL"
        return frozenset(r[0] for r in t.database.obj.execute_sql(live, params).fetchall())
    return b.read(work)


def rebuild_search_index(*, clients: Iterable[int] | None = None) -> None:
    """After bulk work (import, restore, copy, merge, erase): recompute the search words and rebuild the index.

    With `clients`, only those clients' rows (their own and their timelines') are recomputed — what a merge
    or an erase needs; the triggers re-index whatever changed. One transaction.
    """
    wanted = None if clients is None else [b.as_id(c, "client") for c in clients]

    def attempt() -> None:
        with dbmod.write_transaction() as db:
            si.rebuild(db, clients=wanted)
    dbmod.with_retry(attempt)


def check_search_index() -> str | None:
    """The health check's part: a damaged search index is rebuilt; a sentence only when that did not mend it."""
    found = b.read(lambda: si.problem(t.database.obj))
    if found is None:
        return None
    log.error("the search index is damaged (%s); rebuilding it", found)
    rebuild_search_index()
    found = b.read(lambda: si.problem(t.database.obj))
    if found is None:
        return None
    log.error("the search index is still damaged after a rebuild: %s", found)
    return ("Search could not repair its index, so some things may not be found. Everything else is safe; "
            "ask whoever looks after Rapport for help.")
