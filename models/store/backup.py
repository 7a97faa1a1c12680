"""Local backups of a SQLite office: online copies in this desk's data folder, checked, kept in generations, restored.

Backups are a desk-local matter: taking one never writes to the office database or its change log.
A restore is different: it replaces the office for every desk, so it is admin-only, refused while
another desk is live, and leaves one change-log row behind (see restore_backup).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee as pw

from models import db as dbmod
from models import migrations, paths
from models import tables as t
from models.errors import DatabaseError, ValidationError
from models.store import _base as b
from models.store.erasure import erasure_list, reapply
from models.store.records import ChangeKind, Changes

log = logging.getLogger(__name__)

KEEP = 10  # generations kept per office, newest first
ALL_KINDS = frozenset(ChangeKind)  # a restore changes everything
PG_SENTENCE = ("Backups of a PostgreSQL office are made on the server (pg_dump), not at a desk. "
               "Ask whoever looks after the server to schedule them.")
UPGRADE_REFUSED = ("Another desk ({who}) has the office open. Close Rapport there, then start it here again "
                   "to finish the update.")
SQLITE_HEADER = b"SQLite format 3\x00"
_STAMP = "%Y%m%dT%H%M%S.%fZ"
# <office stem>_<UTC time>_<reason>_<8 hex digits of the office's full path>.db
_NAME = re.compile(r"^(?P<stem>.+)_(?P<at>\d{8}T\d{6}\.\d{6}Z)_(?P<reason>[a-z0-9-]+)_(?P<key>[0-9a-f]{8})\.db$")
_PARTIAL_MAX_AGE_S = 24 * 3600  # a ".partial" copy older than this was left by a crash


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file: where, when (aware UTC), how big, whether it passed its check, and why it was taken."""

    path: Path
    taken_at: datetime
    size_bytes: int
    ok: bool
    reason: str
    problem: str = ""  # the sentence for a person when ok is False


# --- taking backups -----------------------------------------------------------------------------

def backup_now(*, reason: str = "scheduled", keep: int = KEEP) -> BackupInfo:
    """Copy the open SQLite office to the backups folder while desks keep working, check the copy, prune old ones.

    A copy that fails its integrity check is deleted and returned with ok=False and a sentence.
    """
    reason = b.clean(reason, "reason", "The reason for the backup", limit=100)
    keep = b.check_count(keep, "keep", "The number of backups to keep", low=1, high=1000)
    return _backup(_open_sqlite(), reason=reason, keep=keep)


def backups_folder() -> Path:
    """Where this desk keeps its backups (in its own data folder, never on the share)."""
    return paths.backups_dir()


def list_backups() -> list[BackupInfo]:
    """This desk's backups of the open office, newest first (none for a PostgreSQL office)."""
    db = t.database.obj
    if db is None:
        raise DatabaseError("No office database is open.")
    if not isinstance(db, pw.SqliteDatabase):
        return []
    return _scan(Path(db.database))


def _open_sqlite() -> pw.SqliteDatabase:
    db = t.database.obj
    if db is None:
        raise DatabaseError("No office database is open.")
    if not isinstance(db, pw.SqliteDatabase):
        raise ValidationError("", PG_SENTENCE)
    return db


def _backup(db: pw.SqliteDatabase, *, reason: str, keep: int) -> BackupInfo:
    office = Path(db.database)
    dbmod.check_office_file()
    folder = _folder()
    taken_at = datetime.now(UTC)  # the real clock: file names must not collide under a test clock
    target = _free_name(folder, office, taken_at, reason)
    partial = target.with_name(target.name + ".partial")
    try:
        copy_database(office, partial)
    except (sqlite3.Error, OSError) as exc:
        _remove(partial)
        log.error("backup of %s failed", office, exc_info=exc)
        if dbmod.is_locked_error(exc):
            raise DatabaseError(f"Rapport could not make a backup of {office.name} just now: the shared database "
                                "stayed busy at another desk. Please try again in a moment.") from exc
        raise DatabaseError(f"Rapport could not make a backup of {office.name} in {folder}. Check that the disk "
                            "has free space and that you may save files there, then try again.") from exc
    paths.private_file(partial)
    problem = check_file(partial, label=f"The backup just made of {office.name}")
    if problem:
        _remove(partial)
        log.error("backup of %s failed its check: %s", office, problem)
        return BackupInfo(target, taken_at, 0, False, reason,
                          f"A backup of {office.name} was made but failed its check, so it was deleted. "
                          "The office database itself may be damaged: ask for help before working on.")
    os.replace(partial, target)
    _prune(office, keep)
    return BackupInfo(target, taken_at, target.stat().st_size, True, _reason_of(target.name))


def copy_database(source: Path, destination: Path) -> None:
    """An online copy of the database file `source` with SQLite's backup API (never a file copy of a live file).

    The copy reads through a connection of its own, inside a read transaction taken first: that waits for
    a committing desk no longer than the usual busy timeout (the backup API itself would wait forever),
    and it works while this desk's own connection holds a write transaction (an upgrade), which the
    backup API refuses as a source. One step (pages=-1), so a write by another desk cannot make a
    stepwise copy start over and over; the shared file is read-locked only while the pages are copied.
    """
    # mode=rw: a missing source is an error, never a new empty file at the office's path
    reader = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=rw", uri=True, timeout=dbmod.BUSY_TIMEOUT_S,
                             isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # takes the read lock now
        target = sqlite3.connect(str(destination))
        try:
            reader.backup(target, pages=-1)
        finally:
            target.close()
        reader.execute("ROLLBACK")
    finally:
        reader.close()


def check_file(path: Path, *, label: str) -> str | None:
    """A sentence when `path` is not a sound Rapport database file (missing, foreign, damaged, too new)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError:
        return f"{label} could not be read: {path} is missing or out of reach."
    if header != SQLITE_HEADER:
        return f"{label} is not a Rapport backup: it is not a database file at all."
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning("%s could not be checked", path, exc_info=exc)
        return f"{label} could not be checked, so it is probably damaged. Choose another backup."
    if app_id != migrations.APPLICATION_ID:
        return f"{label} is a database, but not a Rapport backup."
    if rows != ["ok"]:
        log.warning("%s failed its integrity check: %s", path, rows[:10])
        return f"{label} is damaged: it failed its check. Choose another backup."
    if version > migrations.SCHEMA_VERSION:
        return f"{label} was made by a newer version of Rapport. Please update Rapport on this computer first."
    return None


# --- names and generations ----------------------------------------------------------------------

def _folder() -> Path:
    folder = paths.backups_dir()
    try:
        paths.private_dir(folder)
    except OSError as exc:
        raise DatabaseError(f"Rapport could not create its backups folder {folder} ({exc.strerror}).") from exc
    return folder


def _office_key(office: Path) -> str:
    """Eight hex digits of the office's full path: two offices both called rapport.db keep separate generations."""
    full = os.path.normcase(os.path.realpath(office))
    return hashlib.sha1(full.encode("utf-8")).hexdigest()[:8]


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "backup"


def _reason_of(name: str) -> str:
    match = _NAME.match(name)
    return match.group("reason").replace("-", " ") if match else ""


def _free_name(folder: Path, office: Path, at: datetime, reason: str) -> Path:
    key = _office_key(office)
    while True:
        path = folder / f"{office.stem}_{at.strftime(_STAMP)}_{_slug(reason)}_{key}.db"
        if not path.exists() and not path.with_name(path.name + ".partial").exists():
            return path
        at = at.replace(microsecond=(at.microsecond + 1) % 1_000_000)


def _scan(office: Path) -> list[BackupInfo]:
    """The finished backups of `office` in the backups folder, newest first."""
    folder = paths.backups_dir()
    if not folder.is_dir():
        return []
    key, found = _office_key(office), []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or match.group("stem") != office.stem or match.group("key") != key:
            continue
        taken_at = datetime.strptime(match.group("at"), _STAMP).replace(tzinfo=UTC)
        try:
            size = entry.stat().st_size
        except OSError:
            continue
        found.append(BackupInfo(entry, taken_at, size, True, match.group("reason").replace("-", " ")))
    found.sort(key=lambda info: info.taken_at, reverse=True)
    return found


def _prune(office: Path, keep: int) -> None:
    for old in _scan(office)[max(1, keep):]:
        _remove(old.path)
    cutoff = time.time() - _PARTIAL_MAX_AGE_S
    for leftover in paths.backups_dir().glob(f"{office.stem}_*_{_office_key(office)}.db.partial"):
        try:
            if leftover.stat().st_mtime < cutoff:
                _remove(leftover)
        except OSError:
            continue


def _remove(path: Path) -> None:
    for victim in (path, path.with_name(path.name + "-journal")):
        try:
            victim.unlink(missing_ok=True)
        except OSError:
            log.warning("could not delete %s", victim)


# --- the schedule ----------------------------------------------------------------------------------

BACKUP_EVERY = timedelta(hours=4)
"""A desk backs up a SQLite office at start, unless its newest backup is younger than this, and then this often."""


def backup_due(backups: list[BackupInfo], now: datetime, every: timedelta = BACKUP_EVERY) -> bool:
    """True when this desk has no backup of the office younger than `every` (newest first, as list_backups)."""
    return not backups or now - backups[0].taken_at >= every


def back_up_if_due(reason: str, every: timedelta = BACKUP_EVERY) -> BackupInfo | None:
    """Take a backup when none is recent enough; None when it was not due."""
    if not backup_due(list_backups(), b.utcnow(), every):
        return None
    return backup_now(reason=reason)


# --- guards for whole-office operations ---------------------------------------------------------

def other_live_desks(db: pw.Database, exclude: str | None = None) -> list[str]:
    """'NAME on HOST' for every other desk seen within LIVE_WITHIN, newest first.

    Plain SQL on the few columns every schema version has, so it also works on a database that is
    about to be upgraded.
    """
    from models.store.sharing import LIVE_WITHIN, process_gone

    if "session" not in db.get_tables():
        return []
    since = t.to_micros(b.utcnow() - LIVE_WITHIN)
    mark = db.param
    rows = db.execute_sql(
        'SELECT s."id", s."host", st."name", s."pid" FROM "session" s LEFT JOIN "staff" st ON st."id" = s."staff" '
        f'WHERE s."last_seen" >= {mark} ORDER BY s."last_seen" DESC', (since,)).fetchall()
    return [f"{name} on {host}" if name else str(host) for sid, host, name, pid in rows
            if sid != exclude and not process_gone(host, pid)]  # a crashed desk of this computer blocks nothing


def prepare_upgrade(db: pw.Database) -> BackupInfo | None:
    """SHARING.md: no other live desk, then (on SQLite) a verified backup, before any upgrade step runs.

    Called by models.db inside the upgrade transaction, so nobody writes between the backup and the steps.
    """
    others = other_live_desks(db, exclude=_this_desk())
    if others:
        raise DatabaseError(UPGRADE_REFUSED.format(who=others[0]))
    if not isinstance(db, pw.SqliteDatabase):
        return None  # PostgreSQL is backed up on the server (pg_dump)
    info = _backup(db, reason="before upgrade", keep=KEEP)
    if not info.ok:
        raise DatabaseError(info.problem + " Rapport did not start the update.")
    return info


# --- restoring ----------------------------------------------------------------------------------

def restore_backup(path: str | os.PathLike[str], *, by: int) -> Changes:
    """Put a backup back in place of the open SQLite office (admin only, with no other desk live).

    The current office is backed up first ("before restore"); the backup is copied in with SQLite's
    backup API, so other connections see a consistent file; then the office is reopened (and upgraded
    if the backup is older). One change-log row, with an id above every id desks have seen, tells any
    desk that wakes up to reload everything.
    """
    backup = b.check_path(path, "path", "The backup")
    db = _open_sqlite()
    office = Path(db.database)
    _check_restorer(by)
    _check_nobody_else()
    if backup.exists() and os.path.samefile(backup, office):
        raise ValidationError("path", "That is the office database itself, not a backup of it.")
    problem = check_file(backup, label=backup.name)
    if problem:
        raise ValidationError("path", problem)
    safety = _backup(db, reason="before restore", keep=KEEP)
    if not safety.ok:  # the office is probably the damaged thing the restore is meant to fix
        log.warning("restoring %s over an office that failed its own backup check", backup)
    sessions, last_change = dbmod.with_retry(_presence_and_last_change)
    erased = dbmod.with_retry(erasure_list)  # erasures since the backup was made are applied again
    current = dbmod.current()
    location = current.location if current is not None else str(office)
    dbmod.close_database()
    try:
        _copy_into(backup, office)
    except (sqlite3.Error, OSError) as exc:
        log.error("restoring %s over %s failed", backup, office, exc_info=exc)
        dbmod.open_database(location, allow_cloud=True)
        raise DatabaseError("The backup could not be restored, so the office is as it was. Check that the disk has "
                            "free space and try again, or ask for help.") from exc
    # allow_cloud: this location was accepted when the office was first opened
    dbmod.open_database(location, allow_cloud=True)
    dbmod.with_retry(lambda: _after_restore(sessions, last_change, b.as_id(by, "by"), backup, erased))
    from models.store.searching import rebuild_search_index  # bulk work: the index follows the restored rows

    rebuild_search_index()
    return Changes(frozenset(), ALL_KINDS)


def _check_restorer(by: object) -> None:
    b.read(lambda: b.require_admin(b.as_id(by, "by"), "restore a backup"))


def _check_nobody_else() -> None:
    from models.store.sharing import online

    others = online(exclude=_this_desk())
    if others:
        names = [f"{p.staff_name} on {p.host}" if p.staff_name else p.host for p in others]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        raise ValidationError("", f"Rapport is open at another desk ({who}). Close Rapport there first: "
                              "a backup can only be restored while nobody else is working.")


def _presence_and_last_change() -> tuple[list[tuple[object, ...]], int]:
    fields = t.Session._meta.sorted_fields
    sessions = list(t.Session.select(*fields).tuples())
    return sessions, t.Change.select(pw.fn.MAX(t.Change.id)).scalar() or 0


def _copy_into(backup: Path, office: Path) -> None:
    """Write the backup's pages into the live file through SQLite (locks and journal), never a file copy."""
    source = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(str(office), timeout=dbmod.BUSY_TIMEOUT_S)
    try:
        target.execute("PRAGMA synchronous = FULL")
        source.backup(target, pages=-1)
    finally:
        source.close()
        target.close()


def _after_restore(sessions: list[tuple[object, ...]], last_change: int, by: int, backup: Path,
                   erased: list[tuple[int, str, object, int | None]]) -> None:
    """Keep who is online as it was, erase again whom the office had erased, and log the restore with an id
    above any id a desk has already seen."""
    with dbmod.write_transaction():
        again = reapply(erased)
        t.Session.delete().execute()
        fields = t.Session._meta.sorted_fields
        for batch in range(0, len(sessions), 200):
            t.Session.insert_many(sessions[batch:batch + 200], fields=fields).execute()
        restored_max = t.Change.select(pw.fn.MAX(t.Change.id)).scalar() or 0
        t.Change.insert(id=max(last_change, restored_max) + 1, at=b.utcnow(), staff=by, entity="office",
                        entity_id=None, client=None, action="restore", kinds=",".join(sorted(ALL_KINDS)),
                        origin=_this_desk() or "", before=None,
                        after=json.dumps({"backup": backup.name, "erased_again": again}, ensure_ascii=False)).execute()


def _this_desk() -> str | None:
    """This desk's session id (models/store/sharing.py), so guards never count the desk asking."""
    return b._origin or None
