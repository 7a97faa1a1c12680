"""A first look at a SQLite office before the store opens it: the first rows of the client list and the team, read
with sqlite3 alone, for the desk's first window.

Loading the ORM and the store takes a desk longer than painting its whole first window (issue 10). A first look
reads, from a read-only connection, exactly what `list_clients(limit=...)` and `list_staff()` would, so the window
shows its first rows at once; the store opens the office right after they are painted, and every other read and
every write go through it as always.

It looks only where the store would simply open the file and read it: a Rapport file of this schema version, in no
cloud folder, that this desk may write to, in rollback-journal mode, not damaged, not busy. Anywhere else it says
None and the store opens the office as always (and says what is wrong, or upgrades it after its backup). A small
file's check for damage therefore runs as the store opens it, just after the first paint; nothing is written to
the file before that.
"""
from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from models.errors import ValidationError
from models.rules.location import cloud_service
from models.schema import APPLICATION_ID, SCHEMA_KEY, SCHEMA_VERSION
from models.store.clock import utcnow
from models.store.records import ClientRow, StaffMember, client_rows

SQLITE_HEADER = b"SQLite format 3\x00"
MOST_ROWS = 10_000  # a first screenful is a few dozen
BUSY_TIMEOUT_S = 0.1  # a desk committing holds the file for milliseconds; busier, the store waits its turn (a look
# that waited longer would only add to that wait)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The SELECTs behind store.list_clients(limit=...) and store.list_staff(), as peewee writes them
# (tests/store/test_first_look.py holds them equal to the store's queries).
CLIENT_ROWS_SQL = (
    'SELECT "t1"."id", "t1"."name", "t1"."organisation", "t1"."phone", "t1"."email", "t1"."last_contact_at", '
    '"t1"."next_due_at", "t1"."search_text", "t2"."score", "t2"."band", "t2"."trend", "t2"."flags", '
    '"t2"."stable_until" FROM "client" AS "t1" LEFT OUTER JOIN "score_cache" AS "t2" ON ("t2"."client_id" = '
    '"t1"."id") WHERE ("t1"."deleted_at" IS NULL) ORDER BY LOWER("t1"."name"), "t1"."id" LIMIT ?')
TEAM_SQL = (
    'SELECT "t1"."id", "t1"."name", "t1"."initials", "t1"."role", "t1"."pin_hash", "t1"."away_from", '
    '"t1"."away_until", "t1"."away_reason", "t1"."active", "t1"."created_at", "t1"."version" FROM "staff" AS "t1" '
    'WHERE ("t1"."active" = ?) ORDER BY "t1"."name", "t1"."id"')


class FirstLook(NamedTuple):
    location: str  # as store.open names it (Office.location)
    rows: list[ClientRow]  # the client list's first rows, as list_clients(limit=...) reads them
    team: list[StaffMember]  # as list_staff() reads it


def first_look(location: str | os.PathLike[str], limit: int) -> FirstLook | None:
    """The first `limit` rows of the client list and the team of the SQLite office file at `location`, or None
    where the store would do more than open the file and read it (see the module's docstring)."""
    if not isinstance(location, str | os.PathLike):
        raise ValidationError("location", "The office database is a file's path.")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 <= limit <= MOST_ROWS:
        raise ValidationError("limit", f"The rows to look at are a whole number from 0 to {MOST_ROWS:,}.")
    try:
        path = Path(location).expanduser()
        if not _plainly_readable(path):
            return None
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                                     check_same_thread=False)
    except (OSError, ValueError, RuntimeError, sqlite3.Error):  # (RuntimeError: a home folder that cannot be found)
        return None
    try:
        connection.execute("PRAGMA mmap_size=0")  # as the store: memory-mapped reads are unsafe on a network share
        if (connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID
                or connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "delete"):
            return None
        connection.execute("BEGIN")  # one snapshot for the version, the rows and the team
        version = connection.execute('SELECT "value" FROM "meta" WHERE "key" = ?', (SCHEMA_KEY,)).fetchone()
        if version is None or version[0] != str(SCHEMA_VERSION):  # (an older file is upgraded by the store)
            return None
        rows = client_rows(connection.execute(CLIENT_ROWS_SQL, (limit,)).fetchall(), _now_us())
        team = [StaffMember(sid, name, initials, role, bool(active), _when(away_from), _when(away_until), reason,
                            edits, bool(pin_hash))
                for sid, name, initials, role, pin_hash, away_from, away_until, reason, active, _made, edits
                in connection.execute(TEAM_SQL, (1,)).fetchall()]
        return FirstLook(str(path), rows, team)
    except sqlite3.Error:  # busy, damaged, a table missing: the store says what it is
        return None
    finally:
        connection.close()


def _plainly_readable(path: Path) -> bool:
    """A Rapport-looking file the store would open without a word: there, not empty, a SQLite file, writable in a
    writable folder, in no cloud folder."""
    if not path.is_file() or path.stat().st_size == 0 or cloud_service(str(path.resolve())):
        return False
    with open(path, "rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return False
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _now_us() -> int:
    now = utcnow() - _EPOCH
    return (now.days * 86_400 + now.seconds) * 1_000_000 + now.microseconds


def _when(micros: int | None) -> datetime | None:
    return None if micros is None else _EPOCH + timedelta(microseconds=int(micros))
