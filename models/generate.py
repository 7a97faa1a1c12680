"""A big office for benchmarks: 10,000 clients, 1,000,000 timeline entries, 50,000 promises, inserted in bulk."""
from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import peewee as pw

from models import db as dbmod
from models import search_index
from models import tables as t
from models.matching import client_keys
from models.rules.text import search_key
from models.store.clients import refresh_contact_columns
from models.store.duplicates import flag_all
from models.store.settings import DEFAULT_TOPICS

RARE_WORD, RARE_EVERY = "boiler", 100_000
BATCH = 400  # rows per INSERT: well inside SQLite's and PostgreSQL's parameter limits
US_PER_DAY = 86_400_000_000


@dataclass(frozen=True, slots=True)
class BigOffice:
    """What the generator made, for the benchmarks to aim at."""

    clients: int
    entries: int
    promises: int
    busy_client: int  # the client with `busy_entries` timeline entries
    quiet_client: int  # the client with `quiet_entries`
    busy_entries: int
    quiet_entries: int
    staff: tuple[int, ...]


def _batches(rows: Iterator[tuple[Any, ...]] | Sequence[tuple[Any, ...]], size: int = BATCH) -> Iterator[list]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(table: type[t.BaseTable], fields: list[pw.Field], rows: Iterator[tuple[Any, ...]]) -> int:
    """insert_many's SQL, built once and run with the driver's executemany (peewee would rebuild it per batch).

    Values must already be in database form (times as integer microseconds).
    """
    db = t.database.obj
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f'INSERT INTO "{table._meta.table_name}" ({columns}) VALUES ({marks})'
    count = 0
    cursor = db.cursor()
    for batch in _batches(rows, 5000):
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


def generate_big_office(*, clients: int = 10_000, entries: int = 1_000_000, promises: int = 50_000,
                        busy_entries: int = 50_000, quiet_entries: int = 50, seed: int = 1,
                        now: datetime | None = None, twins: float = 0.0) -> BigOffice:
    """Fill the open, empty database. Client 1 gets `busy_entries`, client 2 `quiet_entries`, the rest share.

    `twins` (0-1): that share of the clients at the end are entered again as a client from the start, with the
    same phone and organisation and a typo in the name (what duplicates look like in an office).
    """
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    now_us = t.to_micros(now)
    span = 3 * 365 * US_PER_DAY  # three years of history
    with dbmod.write_transaction():
        staff = tuple(
            t.Staff.create(name=f"Staff {i}", initials=f"S{i}", role="admin" if i == 1 else "staff",
                           created_at=now - timedelta(days=1200)).id
            for i in range(1, 9)
        )
    # entries per client: 1 is busy, 2 is quiet, the rest share what is left as evenly as possible
    rest = max(0, entries - busy_entries - quiet_entries)
    per = [busy_entries, quiet_entries] + [rest // max(1, clients - 2)] * (clients - 2)
    for i in range(rest - sum(per[2:])):
        per[2 + i % max(1, clients - 2)] += 1

    client_rows = []
    for n in range(1, clients + 1):
        name = f"Client {n:05d} {rng.choice(('Walsh', 'Nowak', 'Khan', 'Osei', 'Rossi', 'Evans'))}"
        org = rng.choice(("", "Bayview Holdings", "Quayside Dental", "Northgate Plumbing"))
        phone = f"01632 {rng.randint(100000, 999999)}"
        email = f"client{n}@example.com"
        client_rows.append((name, org, phone, email, "", "", "", None, now_us - span, None, now_us - span, 1,
                            None, None, None, search_key(name, org, phone, email)))
    twin_count = int(clients * twins)
    for i in range(twin_count):  # the rows at the end become twins of the rows at the start
        name, org, phone = client_rows[i][:3]
        twin = f"{name[:-2]}{name[-1]}{name[-2]}"
        client_rows[-1 - i] = (twin, org, phone, *client_rows[-1 - i][3:15], search_key(twin, org, phone,
                                                                                         client_rows[-1 - i][3]))
    with dbmod.write_transaction():
        _insert(t.Client, [t.Client.name, t.Client.organisation, t.Client.phone, t.Client.email, t.Client.address,
                           t.Client.preferred_channel, t.Client.caution, t.Client.usual_handler, t.Client.created_at,
                           t.Client.created_by, t.Client.updated_at, t.Client.version, t.Client.deleted_at,
                           t.Client.last_contact_at, t.Client.next_due_at, t.Client.search_text], iter(client_rows))
    client_ids = [cid for (cid,) in t.Client.select(t.Client.id).order_by(t.Client.id).tuples()]
    with dbmod.write_transaction():
        _insert(t.ClientKey, [t.ClientKey.client, t.ClientKey.kind, t.ClientKey.key, t.ClientKey.shared],
                ((cid, kind, key, False) for cid, row in zip(client_ids, client_rows, strict=True)
                 for kind, key in sorted(client_keys(name=row[0], organisation=row[1], phone=row[2],
                                                     email=row[3]).rows())))
        flag_all()

    channels = ("phone", "email", "visit", "meeting", "invoice", "letter", "website", "other")
    topics = (*DEFAULT_TOPICS, None, None)  # most interactions carry one of the office's topics
    last_contact: dict[int, int] = {}

    made = [0]  # interactions so far: one in RARE_EVERY mentions the rare word the search benchmark looks for

    def interactions(cid: int, count: int) -> Iterator[tuple[Any, ...]]:
        for k in range(count):
            made[0] += 1
            details = f"Mentioned the {RARE_WORD} again" if made[0] % RARE_EVERY == 0 else ""
            at = now_us - span + (span * (k + 1)) // (count + 1) - rng.randint(0, 3_600_000_000)
            rating = rng.choice((-2, -1, 0, 0, 1, 1, 1, 2, 2))
            local_day = t.from_micros(at).date().isoformat()
            last_contact[cid] = max(last_contact.get(cid, 0), at)
            yield (cid, at, rng.choice(channels), rng.choice(staff), f"Interaction {k} with client {cid}", details,
                   rating, local_day, None, False, at, None, None, None, rng.choice(topics))

    def notes(cid: int, count: int) -> Iterator[tuple[Any, ...]]:
        for k in range(count):
            at = now_us - span + (span * (k + 1)) // (count + 1) + 60_000_000
            yield (cid, at, rng.choice(staff), f"Note {k} about client {cid}", k % 50 == 0, at, None, None, None)

    i_fields = [t.Interaction.client, t.Interaction.at, t.Interaction.channel, t.Interaction.staff,
                t.Interaction.summary, t.Interaction.details, t.Interaction.rating, t.Interaction.encounter,
                t.Interaction.recovers, t.Interaction.apology, t.Interaction.created_at, t.Interaction.edited_at,
                t.Interaction.deleted_at, t.Interaction.deleted_by, t.Interaction.topic]
    n_fields = [t.Note.client, t.Note.at, t.Note.staff, t.Note.text, t.Note.pinned, t.Note.created_at,
                t.Note.edited_at, t.Note.deleted_at, t.Note.deleted_by]
    # Promises make one "made" entry each; the remaining entries are 85% interactions, 15% notes.
    promise_share = {cid: 0 for cid in client_ids}
    for k in range(promises):
        promise_share[client_ids[2 + k % max(1, len(client_ids) - 2)] if len(client_ids) > 2 else client_ids[0]] += 1
    total = 0
    for start in range(0, len(client_ids), 200):
        with dbmod.write_transaction():
            for cid, count in zip(client_ids[start:start + 200], per[start:start + 200], strict=True):
                own = max(0, count - promise_share[cid])
                n_notes = own * 15 // 100
                total += _insert(t.Interaction, i_fields, interactions(cid, own - n_notes))
                total += _insert(t.Note, n_fields, notes(cid, n_notes))
    total += _generate_promises(rng, client_ids, promise_share, staff, now_us)
    with dbmod.write_transaction():
        for cid, at in last_contact.items():
            t.Client.update(last_contact_at=at).where(t.Client.id == cid).execute()
        for cid in client_ids:
            if promise_share[cid]:
                refresh_contact_columns(cid)
    with dbmod.write_transaction() as db:
        search_index.rebuild(db)  # bulk work ends with the search words of every row
    t.database.obj.execute_sql("ANALYZE")  # fresh statistics, as a long-used office would have
    return BigOffice(len(client_ids), total, promises, client_ids[0], client_ids[1], per[0], per[1], staff)


def _generate_promises(rng: random.Random, client_ids: list[int], share: dict[int, int], staff: tuple[int, ...],
                       now_us: int) -> int:
    """Promises spread over the clients: most kept, some open and due in the coming days, some overdue."""
    p_fields = [t.Promise.client, t.Promise.made_at, t.Promise.made_by, t.Promise.owner, t.Promise.text,
                t.Promise.due, t.Promise.status, t.Promise.kept_at, t.Promise.kept_by, t.Promise.apology,
                t.Promise.version, t.Promise.cancel_reason]
    rows = []
    for cid, count in share.items():
        for k in range(count):
            made = now_us - rng.randint(0, 400) * US_PER_DAY - rng.randint(0, US_PER_DAY)
            due = made + rng.randint(1, 10) * US_PER_DAY
            owner = rng.choice(staff)
            is_open = due > now_us - 3 * US_PER_DAY and rng.random() < 0.8
            kept = None if is_open else due - rng.randint(-US_PER_DAY, US_PER_DAY)
            rows.append((cid, made, owner, owner, f"Promise {k} to client {cid}", due,
                         "open" if is_open else "kept", kept, None if is_open else owner, False, 1, ""))
    with dbmod.write_transaction():
        _insert(t.Promise, p_fields, iter(rows))
    e_fields = [t.PromiseEvent.promise, t.PromiseEvent.client, t.PromiseEvent.at, t.PromiseEvent.staff,
                t.PromiseEvent.action, t.PromiseEvent.new_due, t.PromiseEvent.new_owner, t.PromiseEvent.apology,
                t.PromiseEvent.reason]
    with dbmod.write_transaction():
        query = t.Promise.select(t.Promise.id, t.Promise.client, t.Promise.made_at, t.Promise.made_by, t.Promise.due)
        # raw values (integer times), materialised before writing: never write with a cursor open
        made_events = [(pid, cid, made, owner, "made", due, owner, False, "")
                       for pid, cid, made, owner, due in t.database.obj.execute(query).fetchall()]
        count = _insert(t.PromiseEvent, e_fields, iter(made_events))
    return count


def generate_change_log(*, changes: int = 1_000_000, seed: int = 1, now: datetime | None = None) -> int:
    """Add `changes` change-log rows over three years to the open office (for Office > History's benchmark).

    Rows look like the store's own (who, which client, which kind, before/after JSON), spread over the
    office's staff and clients, ids in time order as the store writes them.
    """
    rng = random.Random(seed)
    now_us = t.to_micros(now or datetime.now(UTC))
    span = 3 * 365 * US_PER_DAY
    staff = [sid for (sid,) in t.Staff.select(t.Staff.id).tuples()]
    clients = [cid for (cid,) in t.Client.select(t.Client.id).tuples()]
    shapes = (("interaction", "add", '{"summary": "Called about the invoice", "rating": 1, "channel": "phone"}',
               None), ("note", "add", '{"text": "Prefers calls after 5 pm", "pinned": false}', None),
              ("promise", "add", '{"text": "Call back", "due": "2026-11-24T17:00:00+00:00", "owner": 1}', None),
              ("client", "edit", '{"phone": "020 7946 0000"}', '{"phone": "01632 960001"}'),
              ("interaction", "edit", '{"summary": "Called about the invoice (paid)"}',
               '{"summary": "Called about the invoice"}'), ("promise", "keep", '{"status": "kept"}',
                                                            '{"status": "open"}'))
    fields = [t.Change.at, t.Change.staff, t.Change.entity, t.Change.entity_id, t.Change.client, t.Change.action,
              t.Change.kinds, t.Change.origin, t.Change.before, t.Change.after]

    def rows() -> Iterator[tuple[Any, ...]]:
        for k in range(changes):
            entity, action, after, before = shapes[rng.randrange(len(shapes))]
            at = now_us - span + (span * (k + 1)) // (changes + 1)
            yield (at, rng.choice(staff), entity, rng.randint(1, 1_000_000), rng.choice(clients), action,
                   "timeline", "", before, after)
    total = 0
    stream = rows()
    while total < changes:
        with dbmod.write_transaction():
            added = _insert(t.Change, fields, (row for _, row in zip(range(100_000), stream, strict=False)))
        if not added:
            break
        total += added
    t.database.obj.execute_sql("ANALYZE")
    return total
