"""Several desks, one database: the change feed other desks poll, and who is working where (presence)."""
from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta

import peewee as pw

from models import db as dbmod
from models import tables as t
from models.errors import ValidationError
from models.store import _base as b
from models.store.records import Changes

# A desk that has not been heard of for this long is no longer shown as online (heartbeats come every 30 s, so
# three were missed: a desk that crashed on another computer stops blocking restores within a minute and a half).
LIVE_WITHIN = timedelta(seconds=90)
# Session rows older than this are removed by whoever sends a heartbeat next.
FORGET_AFTER = timedelta(hours=12)
MAX_FEED = 5000


@dataclass(frozen=True, slots=True)
class Presence:
    """A desk that is online now."""

    session_id: str
    staff_id: int | None
    staff_name: str
    host: str
    client_id: int | None
    app_version: str
    last_seen_s: float  # seconds since its last heartbeat


def _session_key(value: object, field: str, *, optional: bool = False) -> str | None:
    """A desk session id as start_session() made it (32 hex digits), or None where that is allowed."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > 64 or not value.isascii() or not value.isprintable():
        raise ValidationError(field, "That is not a desk session of this office.")
    return value


def latest_change_id() -> int:
    """The newest change-log id (0 for an empty log): where a desk starts following the feed."""
    return b.read(lambda: t.Change.select(pw.fn.MAX(t.Change.id)).scalar() or 0)


def changes_since(after_id: int, *, skip_origin: str | None = None) -> tuple[int, Changes]:
    """What other desks changed after `after_id`: (the newest id seen, the merged Changes).

    Rows written by `skip_origin` (this desk's own session) are skipped: their Changes were announced
    when they were made. Over PostgreSQL, change ids become visible in order because every write
    transaction takes the same advisory lock before writing its change row (models/db.py).
    """
    after_id = b.check_count(after_id, "after_id", "The last change seen", low=0, high=b.INT_MAX)
    skip_origin = _session_key(skip_origin, "skip_origin", optional=True)
    def work() -> tuple[int, Changes]:
        rows = (t.Change.select(t.Change.id, t.Change.client, t.Change.kinds, t.Change.origin)
                .where(t.Change.id > after_id).order_by(t.Change.id).limit(MAX_FEED).tuples())
        last, clients, kinds, all_clients = after_id, set(), set(), False
        for cid, client, kind_text, origin in rows:
            last = cid
            if skip_origin and origin == skip_origin:
                continue
            kinds.update(k for k in kind_text.split(",") if k)
            if client is None:
                all_clients = all_clients or bool({"client", "staff", "promise"} & set(kind_text.split(",")))
            else:
                clients.add(client)
        if all_clients:
            clients = set()  # a change without a client (the team, say) concerns every view
        return last, Changes(frozenset(clients), frozenset(kinds))
    return b.read(work)


def this_host() -> str:
    return (socket.gethostname() or "this computer")[:200]


def process_gone(host: str, pid: int) -> bool:
    """True for a desk of this computer whose process is no longer running (it crashed or was killed)."""
    if host != this_host() or pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False  # running under another user, or the platform cannot tell: count it as alive
    return False


def start_session(staff_id: int | None, *, app_version: str, host: str | None = None) -> str:
    """Register this running desk; returns its session id (also stamped on its change-log rows).

    A desk of this computer that crashed is replaced at once (its process is gone), rather than staying
    "online" until its last heartbeat ages out.
    """
    staff_id = b.optional_id(staff_id, "staff", bits=32)  # session.staff is a 4-byte integer
    app_version = b.clean(app_version, "app_version", "The app version", limit=50)
    host = b.clean(host, "host", "The computer's name", limit=200) if host is not None else None
    session_id = uuid.uuid4().hex
    host = (host or this_host())[:200]

    def work() -> None:
        now = b.utcnow()
        gone = [sid for sid, h, pid in t.Session.select(t.Session.id, t.Session.host, t.Session.pid).tuples()
                if process_gone(h, pid)]
        if gone:
            t.Session.delete().where(t.Session.id.in_(gone)).execute()
        t.Session.insert(id=session_id, staff=staff_id, host=host, pid=os.getpid(), app_version=app_version[:50],
                         started_at=now, last_seen=now, client=None).execute()
    b.read(work)  # one statement: autocommit is enough, and it must not wait behind the write lock
    b.set_origin(session_id)
    return session_id


def heartbeat(session_id: str, *, staff_id: int | None, client_id: int | None) -> None:
    """Say this desk is alive, who is at it and which client is open. Never touches the change log."""
    session_id = _session_key(session_id, "session_id")
    staff_id = b.optional_id(staff_id, "staff", bits=32)  # session.staff is a 4-byte integer
    client_id = b.optional_id(client_id, "client", bits=32)
    def work() -> None:
        now = b.utcnow()
        updated = (t.Session.update(last_seen=now, staff=staff_id, client=client_id)
                   .where(t.Session.id == session_id).execute())
        if not updated:  # cleaned up by another desk after a long sleep: come back
            t.Session.insert(id=session_id, staff=staff_id, host=socket.gethostname()[:200], pid=os.getpid(),
                             app_version="", started_at=now, last_seen=now, client=client_id).execute()
        t.Session.delete().where(t.Session.last_seen < now - FORGET_AFTER).execute()
    b.read(work)


def end_session(session_id: str) -> None:
    """This desk is closing."""
    session_id = _session_key(session_id, "session_id")
    b.read(lambda: t.Session.delete().where(t.Session.id == session_id).execute())


def online(*, exclude: str | None = None) -> list[Presence]:
    """Desks heard from recently, newest first (optionally without this desk)."""
    exclude = _session_key(exclude, "exclude", optional=True)
    def work() -> list[Presence]:
        now = b.utcnow()
        names = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
        query = (t.Session.select().where(t.Session.last_seen >= now - LIVE_WITHIN)
                 .order_by(t.Session.last_seen.desc()))
        return [Presence(s.id, s.staff, names.get(s.staff, ""), s.host, s.client, s.app_version,
                         (now - s.last_seen).total_seconds())
                for s in query if s.id != exclude and not process_gone(s.host, s.pid)]
    return b.read(work)


def poll(after_id: int, *, skip_origin: str | None = None) -> tuple[int, Changes]:
    """The cheap check a desk runs every couple of seconds: anything new from other desks since `after_id`?

    On SQLite `PRAGMA data_version` changes only when another connection commits, so an idle office
    costs one pragma per poll; on PostgreSQL the feed query itself is one primary-key range probe.
    """
    after_id = b.check_count(after_id, "after_id", "The last change seen", low=0, high=b.INT_MAX)
    db = t.database.obj
    if isinstance(db, pw.SqliteDatabase):
        def version() -> int:
            return int(db.execute_sql("PRAGMA data_version").fetchone()[0])
        current = b.read(version)
        if not dbmod.data_version_changed(current):
            return after_id, Changes()
        result = changes_since(after_id, skip_origin=skip_origin)
        dbmod.note_data_version(current)  # only once the feed was read: a failed read is tried again
        return result
    return changes_since(after_id, skip_origin=skip_origin)
