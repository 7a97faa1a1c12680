"""Office > History: the change log as records a person can read, filtered and paged newest first (issue 11).

Paging is keyset on the change id (the order changes were committed in): each page ends with a cursor,
the next page is `id < cursor`, so a page costs the same on the first or the 20,000th page and stays
stable while desks keep writing. A date range is first turned into an id range through the index on
`at`, so it combines with the colleague, client and kind filters on their own (x, id) indexes.
"""
from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from models import tables as t
from models.errors import DatabaseError, ValidationError
from models.rules import history as words
from models.store import _base as b

MAX_PAGE = 500
CSV_COLUMNS = ("change", "when (UTC)", "who", "client", "client id", "kind", "action", "what")


@dataclass(frozen=True, slots=True)
class HistoryCursor:
    """Where the next (older) page starts: opaque to callers."""

    id: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change: who did what, when, to which client, with before/after and the same in words."""

    id: int
    at: datetime
    staff_id: int | None
    staff_name: str
    kind: str  # the change log's entity: client, interaction, note, promise, staff, pin, settings, office
    action: str
    entity_id: int | None
    client_id: int | None
    client_name: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    text: str  # the change in words, starting with the verb ("Changed the client's details: phone ...")


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """One page of history, newest first; pass `before` back for the next (older) page."""

    entries: tuple[HistoryEntry, ...]
    before: HistoryCursor | None = None

    def __iter__(self) -> Iterator[HistoryEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


_COLUMNS = 'id, "at", staff, entity, action, entity_id, client, before, after'
# A date range becomes an id range through the index on `at` (ids follow time). Desks' clocks differ a
# little, so the id range is found with this margin and the exact times are then checked row by row.
CLOCK_MARGIN = timedelta(hours=1)


def history_sql(*, client: int | None = None, staff: int | None = None, kinds: tuple[str, ...] = (),
                since: datetime | None = None, until: datetime | None = None, limit: int = 50,
                before: int | None = None) -> tuple[str, list[Any]]:
    """The SQL and parameters of one page (written out by hand: building it with peewee cost more than running it;
    tests/perf runs the same SQL raw as its baseline)."""
    mark = t.database.obj.param
    cond: list[str] = []
    params: list[Any] = []
    if client is not None:
        cond.append(f"client = {mark}")
        params.append(client)
    if staff is not None:
        cond.append(f"staff = {mark}")
        params.append(staff)
    if kinds:
        cond.append(f"entity IN ({', '.join([mark] * len(kinds))})")
        params += list(kinds)
    if since is not None:
        cond.append(f'id >= COALESCE((SELECT id FROM "change" WHERE "at" >= {mark} ORDER BY "at" LIMIT 1), 0)')
        cond.append(f'"at" >= {mark}')
        params += [t.to_micros(since - CLOCK_MARGIN), t.to_micros(since)]
    if until is not None:
        cond.append(f'id <= COALESCE((SELECT id FROM "change" WHERE "at" < {mark} ORDER BY "at" DESC LIMIT 1), 0)')
        cond.append(f'"at" < {mark}')
        params += [t.to_micros(until + CLOCK_MARGIN), t.to_micros(until)]
    if before is not None:
        cond.append(f"id < {mark}")
        params.append(before)
    where = f" WHERE {' AND '.join(cond)}" if cond else ""
    params.append(limit + 1)
    return f'SELECT {_COLUMNS} FROM "change"{where} ORDER BY id DESC LIMIT {mark}', params


def _check(client: object, staff: object, kinds: object, since: object, until: object, limit: object,
           before: object) -> tuple[int | None, int | None, tuple[str, ...], datetime | None, datetime | None]:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", f"A page of history holds 1 to {MAX_PAGE} changes.")
    if before is not None and not isinstance(before, HistoryCursor):
        raise ValidationError("before", "That is not a position in the history.")
    if isinstance(kinds, str):
        kinds = (kinds,)
    if kinds is None:
        kinds = ()
    if isinstance(kinds, (bytes, dict)) or not isinstance(kinds, Iterable) \
            or not all(isinstance(k, str) for k in kinds):  # type: ignore[union-attr]
        raise ValidationError("kinds", "Choose the kinds of change from the list.")
    kinds = tuple(kinds)  # type: ignore[arg-type]
    unknown = [k for k in kinds if k not in words.KIND_LABELS]
    if unknown:
        raise ValidationError("kinds", f"The history has no kind of change called '{unknown[0]}'.")
    start = b.check_time(since, "since", "The first day", optional=True)
    end = b.check_time(until, "until", "The last day", optional=True)
    if start is not None and end is not None and end <= start:
        raise ValidationError("until", "The end of the period must be after its start.")
    return (None if client is None else b.as_id(client, "client"), None if staff is None else b.as_id(staff, "staff"),
            kinds, start, end)


def history(*, client: int | None = None, staff: int | None = None, kinds: Iterable[str] = (),
            since: datetime | None = None, until: datetime | None = None, limit: int = 50,
            before: HistoryCursor | None = None) -> HistoryPage:
    """A page of the change log, newest first, each change in words; filters combine (all must match).

    `client` and `staff` are ids (staff = who made the change), `kinds` the change log's kinds
    (models.rules.history.KIND_LABELS), `since` <= at < `until` aware datetimes. Pass the page's
    `before` to read the next, older page (keyset paging on the change id).
    """
    client_id, staff_id, kind_list, start, end = _check(client, staff, kinds, since, until, limit, before)

    def work() -> HistoryPage:
        sql, params = history_sql(client=client_id, staff=staff_id, kinds=kind_list, since=start, until=end,
                                  limit=limit, before=before.id if before else None)
        rows = t.database.obj.execute_sql(sql, params).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        entries = _entries(rows)
        return HistoryPage(entries, HistoryCursor(rows[-1][0]) if more and rows else None)
    return b.read(work)


def _entries(rows: list[tuple[Any, ...]]) -> tuple[HistoryEntry, ...]:
    db = t.database.obj
    staff_names = dict(db.execute_sql("SELECT id, name FROM staff").fetchall())
    client_ids = sorted({r[6] for r in rows if r[6] is not None})
    marks = ", ".join([db.param] * len(client_ids))
    client_names = dict(db.execute_sql(f"SELECT id, name FROM client WHERE id IN ({marks})", client_ids).fetchall()
                        ) if client_ids else {}
    today = b.utcnow().astimezone().date()
    out = []
    for cid, at, staff, entity, action, entity_id, client, before, after in rows:
        before_d = json.loads(before) if before else None
        after_d = json.loads(after) if after else None
        text = words.describe(entity, action, entity_id, before_d, after_d, names=staff_names, today=today,
                              to_local=lambda moment: moment.astimezone())
        out.append(HistoryEntry(cid, t.from_micros(at), staff, staff_names.get(staff, "") if staff else "", entity,
                                action, entity_id, client, client_names.get(client, "") if client else "",
                                before_d, after_d, text))
    return tuple(out)


def export_history(path: str | os.PathLike[str], *, client: int | None = None, staff: int | None = None,
                   kinds: Iterable[str] = (), since: datetime | None = None, until: datetime | None = None,
                   page: int = MAX_PAGE) -> int:
    """Write the filtered history to a CSV file (UTF-8 with a BOM, so spreadsheets read accents); the row count.

    Reads page by page (short reads, nothing held open between them).
    """
    target = b.check_path(path, "path", "The history file")
    _check(client, staff, kinds, since, until, page, None)  # before the file is made
    cursor: HistoryCursor | None = None
    count = 0
    try:
        with open(target, "w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_COLUMNS)
            while True:
                chunk = history(client=client, staff=staff, kinds=kinds, since=since, until=until, limit=page,
                                before=cursor)
                for e in chunk:
                    writer.writerow((e.id, e.at.isoformat(timespec="seconds"), e.staff_name, e.client_name,
                                     e.client_id or "", words.KIND_LABELS.get(e.kind, e.kind), e.action,
                                     _no_formula(e.text)))
                count += len(chunk)
                if chunk.before is None:
                    return count
                cursor = chunk.before
    except OSError as exc:
        raise DatabaseError(f"The history could not be written to {target.name} ({exc.strerror or exc}). "
                            "Choose another folder.") from exc


def _no_formula(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
