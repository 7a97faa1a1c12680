"""Find anything: one search over every client, interaction, note and promise (the index: models/search_index.py)."""
from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterable
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
from models.store.dataclass_init import fast_init

log = logging.getLogger(__name__)

KINDS = ("client", "interaction", "note", "promise")
MAX_HITS = 500
# Per entry kind: its time and staff columns (a promise counts from when it was made, by whom).
_ENTRY_COLUMNS = {"interaction": ("at", "staff_id"), "note": ("at", "staff_id"), "promise": ("made_at", "made_by_id")}


@fast_init
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
    if kinds is not None and (isinstance(kinds, (str, bytes, dict)) or not isinstance(kinds, Iterable)):
        raise ValidationError("kinds", f"Choose what to search as a list of {', '.join(KINDS)}.")
    wanted = KINDS if kinds is None else tuple(kinds)
    unknown = [k for k in wanted if not isinstance(k, str) or k not in KINDS]
    if unknown:
        raise ValidationError("kinds", f"There is nothing called {unknown[0]!r} to search; choose from "
                                       f"{', '.join(KINDS)}.")
    client_id = None if client is None else b.as_id(client, "client")
    staff_id = None if staff is None else b.as_id(staff, "staff")
    since = b.check_time(since, "since", "The start date", optional=True)
    until = b.check_time(until, "until", "The end date", optional=True)

    def work() -> tuple[SearchHit, ...]:
        db = t.database.obj
        country = si.office_country(db) if si.has_phone(text) else ""  # only phone numbers need it
        query = si.parse(text, country)
        if not query.terms:
            return ()
        filters = _Filters(client_id, staff_id, since, until)
        hits: list[SearchHit] = []
        common = _how_common(db, [k for k in KINDS if k in wanted], query)
        param = si.match_param(query, db)
        if "client" in wanted:
            hits += [_client_hit(row, query, country)
                     for row in _clients(db, query, param, filters, limit, common["client"])]
        rows: list[tuple[int, int, str, tuple[Any, ...]]] = []
        left = limit - len(hits)
        entry_kinds = [k for k in ("interaction", "note", "promise") if k in wanted]
        if entry_kinds and left > 0:
            for kind in entry_kinds:
                rows += [(r[3], r[0], kind, r) for r in _entries(db, kind, query, param, filters, left, common[kind])]
        rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
        hits += [_entry_hit(kind, row, query, country) for _, _, kind, row in rows[:left]]
        return tuple(hits)
    return b.read(work)


class _Filters:
    """A search's filters: which are given (`shape`: the SQL's shape) and their values (`params`: its parameters)."""

    __slots__ = ("client", "staff", "since", "until", "shape", "params")

    def __init__(self, client: int | None, staff: int | None, since: datetime | None, until: datetime | None) -> None:
        self.client, self.staff, self.since, self.until = client, staff, since, until
        values = (client, staff, since, until)
        self.shape = tuple(v is not None for v in values)
        self.params = tuple(t.to_micros(v) if isinstance(v, datetime) else v for v in values if v is not None)

    def sql(self, db: pw.Database, owner: str, staff: str, at: str) -> tuple[str, list[Any]]:
        parts = [f" AND {column} {op} {db.param}" for given, (column, op)
                 in zip(self.shape, ((owner, "="), (staff, "="), (at, ">="), (at, "<")), strict=True) if given]
        return "".join(parts), list(self.params)


# The SQL text of each statement a search runs, per engine, kind, limit and which filters are given (their values
# are parameters): a search runs the same few statements keystroke after keystroke.
_SQL: dict[tuple[Any, ...], str] = {}


def _client_statement(db: pw.Database, filters: _Filters, limit: int | None) -> str:
    key = ("client", db.param, filters.shape, limit)
    sql = _SQL.get(key)
    if sql is None:
        sql = _SQL[key] = clients_sql(db, filters, limit)[0]
    return sql


def _entry_statement(db: pw.Database, kind: str, filters: _Filters, limit: int | None) -> str:
    key = (kind, db.param, filters.shape, limit)
    sql = _SQL.get(key)
    if sql is None:
        sql = _SQL[key] = entries_sql(db, kind, filters, limit)[0]
    return sql


def _clients(db: pw.Database, query: si.Query, param: str, filters: _Filters, limit: int,
             counts: dict[str, int]) -> list[tuple[Any, ...]]:
    """Clients best first; words every client has ("client" in every email, say) are checked on the few rows
    the other words find, as for entries."""
    rare = _rare_terms(query, counts)
    every = not rare or len(rare) == len(query.terms)
    sql = _client_statement(db, filters, limit if every else None)
    if not every:
        param = si.match_param(si.make_query(rare), db)
    rows = _run(db, sql, [param, *filters.params, *([param] if si.is_postgres(db) else [])])
    if every:
        return rows
    return [r for r in rows if si.words_match(query, si.row_words(r[4:]))][:limit]


def _rare_terms(query: si.Query, counts: dict[str, int]) -> tuple[si.Term, ...]:
    """The terms whose words' stems are not common (fewer than DENSE rows)."""
    return tuple(term for term in query.terms
                 if min(DENSE, sum(min(counts[w] for w in alt) for alt in term.alternatives)) < DENSE)


def clients_sql(db: pw.Database, filters: _Filters, limit: int | None) -> tuple[str, list[Any]]:
    """The SQL behind the clients found (tests/perf times it raw): best match first, live ones only."""
    join, cond = si.match_sql("client", "c", db)
    extra, params = filters.sql(db, "c.id", "c.usual_handler_id", "c.last_contact_at")
    columns = ", ".join(f'c."{c}"' for c in (*si.CLIENT_COLUMNS, si.WORDS_COLUMN))
    sql = (f'SELECT c.id, c.name, c.last_contact_at, COALESCE(s.name, \'\'), {columns} FROM "client" c{join} '
           f'LEFT JOIN "staff" s ON s.id = c.usual_handler_id '
           f"WHERE {cond} AND c.deleted_at IS NULL{extra} ORDER BY {si.client_rank(db)}"
           + ("" if limit is None else f" LIMIT {int(limit)}"))
    return sql, params


def entries_sql(db: pw.Database, kind: str, filters: _Filters, limit: int | None) -> tuple[str, list[Any]]:
    """The FTS5 MATCH query for one kind of entries (tests/perf times it raw): matches newest first, live ones."""
    join, cond = si.match_sql(kind, "x", db)
    select, where, params = _entries_select(db, kind, filters)
    sql = (f"{select}{join} {where} AND {cond} ORDER BY x.{_ENTRY_COLUMNS[kind][0]} DESC, x.id DESC"
           + ("" if limit is None else f" LIMIT {int(limit)}"))
    return sql, params  # the match parameter goes after `params`


def _entries_select(db: pw.Database, kind: str, filters: _Filters) -> tuple[str, str, list[Any]]:
    table, columns = si.INDEXED[kind]
    at, staff = _ENTRY_COLUMNS[kind]
    extra, params = filters.sql(db, "x.client_id", f"x.{staff}", f"x.{at}")
    texts = ", ".join(f'x."{c}"' for c in (*columns, si.WORDS_COLUMN))
    select = f'SELECT x.id, x.client_id, c.name, x.{at}, s.name, {texts} FROM "{table._meta.table_name}" x'
    where = (f'JOIN "client" c ON c.id = x.client_id JOIN "staff" s ON s.id = x.{staff} '
             f"WHERE x.deleted_at IS NULL AND c.deleted_at IS NULL{extra}")
    return select, where, params


# How entries are found (per kind): a word's three-letter stem, counted by the index up to DENSE, says how
# common it is. When every word typed is common, the newest entries are read in time order and matched in
# Python until `limit` are found (a word in most rows is met at once); otherwise the index is asked for the
# uncommon words and the common ones are checked on those few rows. Both give exactly the newest matches.
DENSE = 2000
WALK_CHUNK = 250
WALK_MAX = 20_000


# A stem's counts only choose the way to the same answer, so they may be a little old: kept for a minute (the
# next keystrokes of a word share its stem).
_STEM_COUNTS: dict[tuple[int, tuple[str, ...], str], tuple[float, tuple[int, ...]]] = {}
STEM_COUNTS_S = 60.0


def _how_common(db: pw.Database, kinds: list[str], query: si.Query) -> dict[str, dict[str, int]]:
    """Per kind, per word typed: how many rows its stem matches (up to DENSE; one-letter words count as DENSE)."""
    out: dict[str, dict[str, int]] = {kind: {} for kind in kinds}
    now = time.monotonic()
    for word in query.prefixes:
        key = (id(db), tuple(kinds), word[:3])
        cached = _STEM_COUNTS.get(key)
        if len(word) < 2:
            counts: tuple[int, ...] = (DENSE,) * len(kinds)
        elif cached is not None and now - cached[0] < STEM_COUNTS_S:
            counts = cached[1]
        else:
            sql = si.probe_sql(kinds, db, DENSE)
            counts = tuple(_run(db, sql, [si.probe_param(word[:3], db)] * len(kinds))[0])
            if len(_STEM_COUNTS) > 2000:
                _STEM_COUNTS.clear()
            _STEM_COUNTS[key] = (now, counts)
        for kind, count in zip(kinds, counts, strict=True):
            out[kind][word] = count
    return out


def _entries(db: pw.Database, kind: str, query: si.Query, param: str, filters: _Filters, limit: int,
             counts: dict[str, int]) -> list[tuple[Any, ...]]:
    rare = _rare_terms(query, counts)
    if not rare:
        walked = _walk(db, kind, query, filters, limit)
        if walked is not None:
            return walked
    if len(rare) == len(query.terms) or not rare:
        return _run(db, _entry_statement(db, kind, filters, limit), [*filters.params, param])
    rows = _run(db, _entry_statement(db, kind, filters, None),
                [*filters.params, si.match_param(si.make_query(rare), db)])
    return [r for r in rows if si.words_match(query, si.row_words(r[5:]))][:limit]


def _walk(db: pw.Database, kind: str, query: si.Query, filters: _Filters, limit: int) -> list[tuple[Any, ...]] | None:
    """The newest entries that match, read newest first; None when they are too sparse for this to pay."""
    at = _ENTRY_COLUMNS[kind][0]
    select, where, params = _entries_select(db, kind, filters)
    found: list[tuple[Any, ...]] = []
    cursor: tuple[int, int] | None = None
    walked = 0
    while walked < WALK_MAX:
        after = "" if cursor is None else f" AND (x.{at}, x.id) < ({db.param}, {db.param})"
        sql = f"{select} {where}{after} ORDER BY x.{at} DESC, x.id DESC LIMIT {WALK_CHUNK}"
        rows = _run(db, sql, [*params, *(cursor or ())])
        found += [r for r in rows if si.words_match(query, si.row_words(r[5:]))]
        if len(found) >= limit or len(rows) < WALK_CHUNK:
            return found[:limit]
        walked += len(rows)
        cursor = (rows[-1][3], rows[-1][0])
    return None


def _run(db: pw.Database, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Straight to the driver: a search is a handful of small reads, and peewee's wrapper would be most of it."""
    cursor = db.connection().execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def _client_hit(row: tuple[Any, ...], query: si.Query, country: str) -> SearchHit:
    snippet, marks = si.snippet(row[4:-1], query, country)  # the client's texts (not its search words)
    last = row[2]
    return SearchHit(row[0], row[1], "client", None, None if last is None else t.from_micros(last), row[3], snippet,
                     marks)


def _entry_hit(kind: str, row: tuple[Any, ...], query: si.Query, country: str) -> SearchHit:
    snippet, marks = si.snippet(row[5:-1], query, country)  # the entry's texts (not its search words)
    return SearchHit(row[1], row[2], kind, row[0], t.from_micros(row[3]), row[4], snippet, marks)


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
    wanted = None if clients is None else b.check_ids(clients, "clients")

    def attempt() -> None:
        with dbmod.write_transaction() as db:
            si.rebuild(db, clients=wanted)
    dbmod.with_retry(attempt)


def catch_up_search_index() -> Generator[tuple[int, int], bool | None, int]:
    """After the office's country changed (at this desk or another): the entries' search words made again with it.

    Phone numbers written without a country code are read in the office's country; the settings write redoes the
    clients' words at once and leaves the entries' (up to millions) to this job. It runs in short steps, one write
    transaction each, and yields (ids passed, ids in all) after each; several desks running it share the work.
    Sending False stops it after the step that ran (the rest is done later, here or at another desk). Returns
    how many rows' words changed; nothing to do costs one small read.
    """
    if not b.read(lambda: t.Meta.select().where(t.Meta.key == si.CATCH_UP_KEY).exists()):
        return 0

    def attempt() -> tuple[int, int, int] | None:
        with dbmod.write_transaction() as db:
            return si.catch_up_step(db)
    changed = 0
    while (step := dbmod.with_retry(attempt)) is not None:
        changed += step[0]
        if step[1] >= step[2]:
            break
        if (yield step[1], step[2]) is False:
            break
    return changed


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
