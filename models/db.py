"""Open the office database (a SQLite file or a PostgreSQL URL), check it, and translate its errors."""
from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import NamedTuple, TypeVar
from urllib.parse import unquote, urlparse

import peewee as pw

from models import migrations
from models import tables as t
from models.drivers import load_postgres_driver
from models.errors import BusyError, CloudFolderError, DatabaseError, OfficeMissingError, StoreError
from models.rules.location import cloud_service, is_unc_path

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# SHARING.md: a short busy timeout per attempt inside a jittered retry loop of ~30 s in all.
# The structural check at open reads the whole file: on a file larger than this it is left to the
# background check after the window is up (ui: after start), and the desk is told so.
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024
BUSY_TIMEOUT_S = 2.0
RETRY_BUDGET_S = 30.0
# Fair turns on a shared SQLite file (issue 12). SQLite's busy handler is not a queue: a waiting desk
# sleeps ever longer (up to 100 ms) while the desk that just committed takes the lock again at once.
# So BEGIN IMMEDIATE waits only BEGIN_BUSY_MS inside SQLite, and a desk keeps asking every TURN_POLL_S
# (jittered) itself; once it has the lock, statements and COMMIT wait the usual BUSY_TIMEOUT_S (a commit
# waiting for readers must not give up). After its commit a desk that met other desks lately leaves the
# lock free for YIELD_S before its next write: a person never saves faster than that.
BEGIN_BUSY_MS = 2
TURN_POLL_S = 0.004
YIELD_S = 0.006
AGING_S = 0.4  # a desk waiting this long asks twenty times as often as one that just started
CONTENDED_FOR_S = 1.0  # "lately": a desk that saw the lock taken within this long yields after its commits
BUSY_REPORT_EVERY_S = 0.25
MAX_RECONNECTS = 20  # a connection lost again and again within one write's budget: then say so
# Every PostgreSQL write transaction takes this advisory lock before it writes its change row, so
# change ids become visible in order and no desk's poll skips a slow transaction (SHARING.md).
PG_WRITE_LOCK_KEY = migrations.APPLICATION_ID

SQLITE_PRAGMAS = (
    ("synchronous", 2),  # FULL: a commit is on the disk before Rapport says "saved"
    ("foreign_keys", 1),
    ("mmap_size", 0),  # memory-mapped I/O is unsafe over network filesystems
    ("cache_size", -16000),  # 16 MB page cache
)

T = TypeVar("T")


class DatabaseInfo(NamedTuple):
    """What is open: the engine, where it is, and what the person should know about it (a NamedTuple: a dataclass
    cost start-up ~0.8 ms to make; issue 10)."""

    engine: str  # "sqlite" or "postgresql"
    location: str  # the path or URL as given (with any password removed)
    display: str  # short and readable, for the status bar
    schema_version: int
    created: bool  # True when this open created a new, empty office
    warnings: tuple[str, ...] = ()


_current: DatabaseInfo | None = None
_busy_listener: Callable[[float], None] | None = None
# The open SQLite file as the operating system knew it at open: (path, device, inode). A write or read
# first checks that the path still leads to that very file (it may have been deleted, moved or replaced).
_office_file: tuple[Path, int, int] | None = None
# The sentence about damage, once a check or an error has shown the file is damaged: writes stop.
_damage: str | None = None
DAMAGED = ("{where} is damaged. Stop using it and restore the latest backup (Office > Backups), or ask for help. "
           "Nothing more is saved to it.")


def current() -> DatabaseInfo | None:
    """The database open in this process, if any."""
    return _current


def set_busy_listener(listener: Callable[[float], None] | None) -> None:
    """Called (on the database thread) with the seconds waited so far while a locked database is retried."""
    global _busy_listener
    _busy_listener = listener


def is_postgres_url(location: str | os.PathLike[str]) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def open_database(location: str | os.PathLike[str], *, allow_cloud: bool = False,
                  quick_check: bool = True, create: bool = True) -> DatabaseInfo:
    """Open (creating when missing) the office database at `location`: a file path or a postgresql:// URL.

    With create=False a missing file is not created: OfficeMissingError says where it was expected (a
    desk that remembers an office asks before it starts a new, empty one there). The quick structural
    check runs at open on files up to QUICK_CHECK_MAX_BYTES; a larger file's check is left for later (the desk
    runs it just after start-up and speaks only if it finds damage). Raises DatabaseError with a sentence that
    names the file or server when it cannot be used.
    """
    global _current, _office_file, _damage
    close_database()
    _seen_data_versions.clear()
    _damage = None
    warnings: list[str] = []
    if is_postgres_url(location):
        db, info = _open_postgres(str(location))
    else:
        path = Path(location).expanduser()
        if not create and not (path.is_file() and path.stat().st_size > 0):
            raise OfficeMissingError(
                f"The office file is no longer at {path} (it was moved, renamed or deleted). Rapport did not start "
                "a new, empty office there. Choose where the file is now, or create a new office with "
                "File > Office database.")
        db, info = _open_sqlite(path, allow_cloud=allow_cloud)
        _office_file = _identity(path)
    t.database.initialize(db)
    try:
        version, created = _ensure_schema(db, info)
        if quick_check and info.engine == "sqlite" and not info.created:
            size = Path(location).expanduser().stat().st_size
            if size <= QUICK_CHECK_MAX_BYTES:
                problem = check_integrity(full=False)
                if problem:
                    raise DatabaseError(problem)
            else:  # checked just after start-up (ui/session.py), which speaks only if it finds damage
                log.info("office file of %.0f MB: its check for damage runs after start-up", size / 2**20)
    except StoreError:
        _close_quietly(db)
        t.database.initialize(None)
        raise
    except (pw.PeeweeException, sqlite3.Error) as exc:
        _close_quietly(db)
        t.database.initialize(None)
        raise translate(exc, info.display) from exc
    if allow_cloud and info.engine == "sqlite" and cloud_service(str(Path(location).resolve())):
        _record_cloud_override(db)
    _current = DatabaseInfo(info.engine, info.location, info.display, version, created,
                            info.warnings + tuple(warnings))
    return _current


def _identity(path: Path) -> tuple[Path, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return path.resolve(), st.st_dev, st.st_ino


def check_office_file() -> None:
    """Refuse to read or write when the open SQLite file was deleted, moved or replaced under this desk.

    SQLite keeps working on the file it opened even after it is deleted or renamed: a desk would save
    to a ghost nobody else sees, or read a past that is gone. One stat per call (no I/O on the file).
    """
    if _office_file is None or not isinstance(t.database.obj, pw.SqliteDatabase):
        return
    path, device, inode = _office_file
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise DatabaseError(f"The office file is gone from {path.parent}: that folder cannot be reached or no "
                                "longer exists. Nothing was saved; what you typed is kept. Check the connection "
                                "to the shared folder, then open the office again.") from None
        raise DatabaseError(f"The office file is gone from {path.parent} (it was moved, renamed or deleted while "
                            "Rapport was open). Nothing was saved; what you typed is kept. Put it back, or open "
                            "it where it is now with File > Office database.") from None
    except OSError:
        return  # the share did not answer: SQLite's own error will say so
    if inode and (st.st_dev, st.st_ino) != (device, inode):
        raise DatabaseError(f"The office file in {path.parent} was replaced by another file while Rapport was open. "
                            "Nothing was saved; what you typed is kept. Open the office again with "
                            "File > Office database to work on the file that is there now.")


def damage_known() -> str | None:
    """The damage sentence once the open file is known to be damaged (then nothing more is written)."""
    return _damage


def _note_damage(where: str) -> str:
    global _damage
    _damage = DAMAGED.format(where=where)
    return _damage


def _record_cloud_override(db: pw.Database) -> None:
    """Keep a record, in the office file itself, of every desk that chose to use it in a cloud folder."""
    import json
    import socket
    from datetime import datetime

    def work() -> None:
        with db.atomic():
            row = t.Meta.get_or_none(t.Meta.key == "cloud_override")
            entries = json.loads(row.value) if row else []
            entries.append({"host": socket.gethostname(), "at": datetime.now(UTC).isoformat()})
            t.Meta.insert(key="cloud_override", value=json.dumps(entries[-50:])).on_conflict(
                conflict_target=[t.Meta.key], update={t.Meta.value: json.dumps(entries[-50:])}).execute()
    with_retry(work)


def probe(location: str | os.PathLike[str], *, allow_cloud: bool = False) -> str:
    """Check a database location without switching to it; a sentence saying what Rapport would find there.

    Raises DatabaseError (with its sentence) when it could not be used.
    """
    existed = not is_postgres_url(location) and Path(location).exists()
    if is_postgres_url(location):
        db, info = _open_postgres(str(location))
    else:
        db, info = _open_sqlite(Path(location), allow_cloud=allow_cloud)
    try:
        if info.created:
            if info.engine == "sqlite" and not existed:
                _close_quietly(db)
                empty = Path(location)
                if empty.exists() and empty.stat().st_size == 0:
                    empty.unlink()  # a probe leaves nothing behind (and never removes a file it found)
            return f"{info.display}: a new, empty office will be created there."
        row = db.execute_sql("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > migrations.SCHEMA_VERSION:
            raise DatabaseError(f"{info.display} was made by a newer version of Rapport. "
                                "Please update Rapport on this computer.")
        clients = db.execute_sql("SELECT COUNT(*) FROM client WHERE deleted_at IS NULL").fetchone()[0]
        return f"{info.display}: a Rapport office with {clients:,} client{'s' if clients != 1 else ''}."
    except pw.PeeweeException as exc:
        raise translate(exc, info.display) from exc
    finally:
        _close_quietly(db)


def close_database() -> None:
    """Close this thread's connection and forget the open database."""
    global _current, _office_file
    _office_file = None
    db = t.database.obj
    if db is not None:
        _close_quietly(db)
    t.database.initialize(None)
    _current = None


def _close_quietly(db: pw.Database) -> None:
    try:
        if not db.is_closed():
            db.close()
    except Exception:  # closing is best effort: the process may be exiting after an I/O error
        log.debug("closing the database failed", exc_info=True)


# --- SQLite -------------------------------------------------------------------------------------

def _open_sqlite(path: Path, *, allow_cloud: bool) -> tuple[pw.SqliteDatabase, DatabaseInfo]:
    path = path.expanduser()
    shown = str(path)
    if path.is_dir():
        raise DatabaseError(f"{shown} is a folder. Choose a database file inside it, such as {path / 'rapport.db'}.")
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseError(f"The folder {folder} does not exist. Create it first or choose another place.")
    service = cloud_service(str(path.resolve()))
    warnings: list[str] = []
    if service and not allow_cloud:
        raise CloudFolderError(
            f"{shown} is in a {service} folder. {service} copies files while they are in use and can damage "
            "a shared database. Put the database in an ordinary shared folder, or use PostgreSQL.", service
        )
    if service:
        warnings.append(f"The database is in a {service} folder; you chose to use it anyway.")
    if is_unc_path(str(path)):
        warnings.append("The database is on a network share: keep it to a few desks on a wired network.")
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise DatabaseError(f"{shown} is not a Rapport database: it is not a database file at all.")
        if not os.access(path, os.W_OK):
            raise DatabaseError(f"{shown} is read-only for you. Rapport needs to save to it; ask for write access.")
    if not os.access(folder, os.W_OK):
        verb = "create a database in" if not exists else "work in"
        raise DatabaseError(
            f"Rapport cannot {verb} {folder}: the folder is read-only for you. "
            "Every desk needs the right to create and delete files there."
        )
    db = pw.SqliteDatabase(
        str(path), pragmas=list(SQLITE_PRAGMAS), timeout=BUSY_TIMEOUT_S, lock_type="IMMEDIATE",
        check_same_thread=False,
    )
    try:
        db.connect()
        app_id = db.execute_sql("PRAGMA application_id").fetchone()[0]
        has_tables = bool(db.get_tables())
        if has_tables and app_id != migrations.APPLICATION_ID:
            raise DatabaseError(f"{shown} is a database, but not a Rapport database.")
        _ensure_rollback_journal(db, shown)
    except sqlite3.DatabaseError as exc:  # e.g. "file is not a database", "malformed"
        _close_quietly(db)
        log.warning("%s could not be opened", shown, exc_info=exc)
        raise DatabaseError(f"{shown} could not be opened as a Rapport database: the file is damaged, or it is not "
                            "a database. Choose another file, or ask for help to restore a backup.") from exc
    except pw.PeeweeException as exc:
        _close_quietly(db)
        raise translate(exc, shown) from exc
    except StoreError:
        _close_quietly(db)
        raise
    return db, DatabaseInfo("sqlite", shown, path.name, 0, not exists, tuple(warnings))


def _ensure_rollback_journal(db: pw.SqliteDatabase, shown: str) -> None:
    """WAL does not work on a network filesystem and is sticky in the file: switch it back, or refuse."""
    mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0].lower()
    if mode == "wal":
        try:
            mode = db.execute_sql("PRAGMA journal_mode=DELETE").fetchone()[0].lower()
        except (sqlite3.OperationalError, pw.OperationalError):
            mode = "wal"
        if mode == "wal":
            log.warning("%s is in WAL journal mode and could not be switched back (another connection is open)", shown)
            raise DatabaseError(
                f"{shown} is set up in a way that is unsafe in a shared folder, and another desk has it open. "
                "Close Rapport on the other desks, then open it here once to repair the file."
            )
    elif mode != "delete":
        db.execute_sql("PRAGMA journal_mode=DELETE")


def check_integrity(*, full: bool = False) -> str | None:
    """Run SQLite's quick (or full) integrity check; a sentence when the file is damaged, else None."""
    db = t.database.obj
    if not isinstance(db, pw.SqliteDatabase):
        return None
    pragma = "integrity_check" if full else "quick_check"
    where = _current.display if _current else "The database file"
    try:
        rows = [r[0] for r in db.execute_sql(f"PRAGMA {pragma}").fetchall()]
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        if is_locked_error(exc):
            raise  # busy, not damaged: with_retry() tries again
        log.error("integrity check could not run: %s", type(exc).__name__)
        return _note_damage(where)
    if rows == ["ok"]:
        return None
    log.error("integrity check failed: %d problem(s) reported", len(rows))  # never the rows: they quote data
    return _note_damage(where)


# --- PostgreSQL ---------------------------------------------------------------------------------

def _open_postgres(url: str) -> tuple[pw.PostgresqlDatabase, DatabaseInfo]:
    load_postgres_driver()
    parts = urlparse(url)
    name = unquote(parts.path.lstrip("/"))
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    if not name:
        raise DatabaseError("The PostgreSQL address needs a database name at the end, like postgresql://user@host/rapport.")
    kwargs: dict[str, object] = {"host": host, "port": port}
    if parts.username:
        kwargs["user"] = unquote(parts.username)
    if parts.password:
        kwargs["password"] = unquote(parts.password)
    kwargs["connect_timeout"] = 5
    db = pw.PostgresqlDatabase(name, prefer_psycopg3=True, **kwargs)
    shown = f"postgresql://{parts.username + '@' if parts.username else ''}{host}:{port}/{name}"
    try:
        db.connect()
        tables = db.get_tables()
        if tables and "meta" not in tables:
            raise DatabaseError(
                f"The PostgreSQL database {name} on {host} already holds other tables. "
                "Give Rapport an empty database of its own."
            )
    except pw.PeeweeException as exc:
        _close_quietly(db)
        log.warning("could not connect to %s", shown, exc_info=exc)
        raise DatabaseError(_postgres_refusal(exc, host, port, name)) from exc
    return db, DatabaseInfo("postgresql", shown, f"{name} on {host}", 0, not tables)


def _postgres_refusal(exc: BaseException, host: str, port: int, name: str) -> str:
    """Why a PostgreSQL server could not be used, as a sentence (the server's own words go to the log)."""
    text = str(exc).lower()
    if "authentication failed" in text or "no password supplied" in text or (
            "role" in text and "does not exist" in text):
        return (f"The PostgreSQL server at {host}:{port} did not accept the user name or password in the address. "
                "Check them, or ask whoever looks after the server.")
    if "database" in text and "does not exist" in text:
        return (f"The PostgreSQL server at {host}:{port} has no database called {name}. Check the name at the end "
                "of the address, or ask whoever looks after the server to create it.")
    return (f"Rapport could not reach the PostgreSQL server at {host}:{port} (database {name}). "
            "Check that the server is running and the address is right.")


# --- schema -------------------------------------------------------------------------------------

def _ensure_schema(db: pw.Database, info: DatabaseInfo) -> tuple[int, bool]:
    """Create the schema in a new database or upgrade an old one; exactly one desk does it at a time."""
    def work() -> tuple[int, bool]:
        with _foreign_keys_off(db), db.atomic():  # BEGIN IMMEDIATE on SQLite: a second desk waits here
            if isinstance(db, pw.PostgresqlDatabase):
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (PG_WRITE_LOCK_KEY + 1,))
            version = migrations.read_version(db)
            if version is None:
                migrations.create_schema(db)
                return migrations.SCHEMA_VERSION, True
            if version > migrations.SCHEMA_VERSION:
                log.warning("%s has schema version %s; this Rapport knows up to %s",
                            info.display, version, migrations.SCHEMA_VERSION)
                raise DatabaseError(
                    f"{info.display} was made by a newer version of Rapport. Please update Rapport on this computer."
                )
            if version < migrations.SCHEMA_VERSION:
                # Inside the transaction: the version was re-read under the lock, and nobody can write
                # between the backup and the steps. A desk that waited here finds the new version above.
                _before_upgrade(db)
                migrations.upgrade(db, version)
                _check_foreign_keys(db, info)
            return migrations.SCHEMA_VERSION, False
    return with_retry(work, info.display)


@contextmanager
def _foreign_keys_off(db: pw.Database) -> Iterator[None]:
    """SQLite: enforce no foreign keys while the schema is created or upgraded (set outside the transaction).

    A step that rebuilds a table (create, copy, drop, rename: what playhouse.migrate does to add a
    NOT NULL column or change one) would otherwise make the DROP cascade-delete every child row
    (ON DELETE CASCADE): a client table rebuilt would empty the timeline. sqlite.org/lang_altertable.html
    prescribes this, with a foreign_key_check before COMMIT (_check_foreign_keys).
    """
    if not isinstance(db, pw.SqliteDatabase):
        yield
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def _check_foreign_keys(db: pw.Database, info: DatabaseInfo) -> None:
    """After the steps, inside their transaction: every reference must still hold, or nothing is kept."""
    if isinstance(db, pw.SqliteDatabase) and db.execute_sql("PRAGMA foreign_key_check").fetchall():
        raise DatabaseError(f"Updating {info.display} would have broken links between its records, so Rapport "
                            "left it as it was. Keep using the earlier version of Rapport and ask for help.")


# What runs before any upgrade step (models/store/backup.py registers it: no other live desk, and on
# SQLite a verified backup). A callback, so that this module never imports the store (which imports it).
_before_upgrade_hook: Callable[[pw.Database], object] | None = None


def set_before_upgrade(hook: Callable[[pw.Database], object] | None) -> None:
    """Register what must happen before the schema of an office is upgraded (models.store does it)."""
    global _before_upgrade_hook
    _before_upgrade_hook = hook


def _before_upgrade(db: pw.Database) -> None:
    """SHARING.md: no other live desk, and on SQLite a verified backup, before any upgrade step runs."""
    if _before_upgrade_hook is None:  # never upgrade an office without its backup
        raise DatabaseError("This office needs an update, and Rapport cannot back it up first here. "
                            "Open it with the Rapport app.")
    _before_upgrade_hook(db)


# --- errors and retries -------------------------------------------------------------------------

def is_locked_error(exc: BaseException) -> bool:
    """True when the database said it is locked or busy (worth retrying).

    SQLite: locked or busy. PostgreSQL: a lock wait that hit `lock_timeout`, a deadlock the server broke
    up, a serialization failure; each rolled the transaction back, so the write can simply run again.
    An error that SQLite answered by rolling back on its own hides behind peewee's failed ROLLBACK
    ("cannot rollback - no transaction is active"): look at the error underneath.
    """
    text = str(_real_error(exc)).lower()
    return any(s in text for s in ("database is locked", "database is busy", "database table is locked",
                                   "lock timeout", "could not obtain lock", "deadlock detected",
                                   "could not serialize access"))


def _real_error(exc: BaseException) -> BaseException:
    """The error behind peewee's failed ROLLBACK: SQLite rolls a transaction back by itself on a full disk
    or an I/O error, and peewee's ROLLBACK then fails with "cannot rollback - no transaction is active",
    raised while handling the real error."""
    for _ in range(20):
        underneath = exc.__cause__ or exc.__context__
        if "no transaction is active" not in str(exc).lower() or underneath is None:
            break
        exc = underneath
    return exc


def is_disconnect_error(exc: BaseException) -> bool:
    """True when a PostgreSQL connection was lost (worth one reconnect)."""
    text = str(exc).lower()
    return any(s in text for s in _LOST_CONNECTION)


def _server_unavailable(exc: BaseException) -> bool:
    """The server itself is not taking connections (restarting, recovering, not listening yet)."""
    text = str(exc).lower()
    return any(s in text for s in ("shutting down", "starting up", "recovery mode", "not yet accepting",
                                   "connection refused"))


# What psycopg and the server say when a connection is gone. A server shutting down, starting up or
# recovering refuses work the same way: the write was not done, and a new connection (soon) will do.
_LOST_CONNECTION = ("connection is closed", "server closed the connection", "terminating connection",
                    "connection already closed", "consuming input failed", "the connection is lost",
                    "no connection to the server", "could not receive data from server",
                    "could not send data to server", "ssl connection has been closed unexpectedly",
                    "the database system is shutting down", "the database system is starting up",
                    "the database system is in recovery mode", "the database system is not yet accepting",
                    "connection to server at", "connection has been lost", "eof detected",
                    # psycopg's executemany runs in pipeline mode; a connection cut in the middle of it leaves
                    # the connection stuck in that mode, refusing every later query: it is as good as lost
                    "pipeline mode", "sending query failed")


def translate(exc: BaseException, where: str | None = None) -> StoreError:
    """Turn a driver or peewee error into a StoreError with a sentence a receptionist understands."""
    if isinstance(exc, StoreError):
        return exc
    exc = _real_error(exc)
    text = str(exc).lower()
    where = where or (_current.display if _current else "the database")
    if is_locked_error(exc):
        return BusyError()
    if "disk i/o error" in text:
        return DatabaseError(f"Rapport could not read or write {where} (a disk or network problem). "
                             "Nothing was half-saved; check the connection to the shared folder and try again.")
    if ("malformed" in text or "not a database" in text or "corrupt" in text
            or "could not decode to utf-8" in text):  # text that is not text: damage, not "try again"
        log.error("the database is damaged (%s)", type(exc).__name__)  # its message may quote client text
        return DatabaseError(_note_damage(where))
    folder = _read_only_folder()
    if folder is not None and ("readonly" in text or "read-only" in text or "unable to open" in text):
        return DatabaseError(f"The folder {folder} has become read-only for you, so Rapport cannot save there "
                             "(it needs to create a small journal file beside the office file). Nothing was saved; "
                             "what you typed is kept. Ask for write access to the folder.")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"{where} is read-only for you, so nothing can be saved. Ask for write access.")
    if "disk is full" in text or "database or disk is full" in text or "no space" in text:
        return DatabaseError(f"The disk holding {where} is full. Free some space; what you typed is kept.")
    if "unable to open" in text:
        return DatabaseError(f"Rapport could not open {where} or the journal file it needs beside it. Check that "
                             "the file or shared folder is reachable and that you may create files in that folder.")
    if is_disconnect_error(exc) or "could not connect" in text or "connection refused" in text:
        return DatabaseError(f"The connection to {where} was lost. Rapport will try again; what you typed is kept.")
    if isinstance(exc, pw.IntegrityError):
        return DatabaseError("That change does not fit with what is already saved (a record it refers to is gone).")
    log.error("unexpected database error: %s: %s", type(exc).__name__, scrubbed(exc))
    return DatabaseError(f"Something went wrong with {where}, so Rapport could not finish this. Please try again; "
                         "if it keeps happening, ask whoever looks after Rapport for help.")


def scrubbed(exc: BaseException) -> str:
    """A driver's message for the log, with whatever it quotes (values, client text) taken out."""
    import re

    return re.sub(r"'[^']*'|\"[^\"]*\"", "'...'", str(exc))[:300]


def with_retry(work: Callable[[], T], where: str | None = None, *, budget_s: float | None = None) -> T:
    """Run `work` (one short transaction), retrying a locked database with jitter until the budget is spent.

    A failed attempt has already been rolled back by peewee's atomic(); `work` must be safe to rerun.
    """
    budget = RETRY_BUDGET_S if budget_s is None else budget_s
    start = time.monotonic()
    delay = 0.02
    reconnects = 0
    reported = 0.0
    while True:
        try:
            return work()
        except StoreError:
            raise
        except (pw.PeeweeException, sqlite3.Error) as exc:
            elapsed = time.monotonic() - start
            if is_locked_error(exc) and elapsed < budget:
                if _busy_listener is not None and elapsed - reported >= BUSY_REPORT_EVERY_S:
                    reported = elapsed
                    _busy_listener(elapsed)
                if isinstance(t.database.obj, pw.SqliteDatabase):
                    _contention.noted = time.monotonic()
                    # short, jittered turns; a desk that has waited longer asks more and more often, so the
                    # longest waiter is the likeliest to get the next turn (an approximate queue)
                    time.sleep(TURN_POLL_S * random.uniform(0.5, 1.5) * max(0.05, 1.0 - elapsed / AGING_S))
                    continue
                time.sleep(min(delay, max(0.0, budget - elapsed)) * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 1.0)
                continue
            if is_disconnect_error(exc) and reconnects < MAX_RECONNECTS and elapsed < budget:
                # A write can be run again safely: models/store/_base.write() looks for its receipt first.
                reconnects += 1
                db = t.database.obj
                if db is not None:
                    _close_quietly(db)
                if _server_unavailable(exc):  # a server restarting needs a moment; a killed connection does not
                    time.sleep(min(0.05 * reconnects, 1.0) * random.uniform(0.5, 1.5))
                continue
            raise translate(exc, where) from exc


def _read_only_folder() -> Path | None:
    """The open SQLite file's folder when this desk may no longer create files in it."""
    if _office_file is None:
        return None
    folder = _office_file[0].parent
    return folder if folder.is_dir() and not os.access(folder, os.W_OK) else None


@contextmanager
def write_transaction() -> Iterator[pw.Database]:
    """One write transaction: BEGIN IMMEDIATE on SQLite; the change-log lock on PostgreSQL.

    Refused before it starts when the office file is gone or replaced, or known to be damaged.
    """
    db = t.database.obj
    if db is None:
        raise DatabaseError("No office database is open.")
    check_office_file()
    if _damage is not None:
        raise DatabaseError(_damage)
    if isinstance(db, pw.SqliteDatabase):
        with _sqlite_turn(db):
            yield db
        return
    with db.atomic():
        if isinstance(db, pw.PostgresqlDatabase):
            # A desk stuck inside a write (a laptop asleep mid-save) must not hold the others forever:
            # waiting longer than a retry attempt is a lock timeout, which with_retry() retries and
            # finally turns into BusyError, as SQLite's busy timeout does.
            db.execute_sql(f"SET LOCAL lock_timeout = '{int(BUSY_TIMEOUT_S * 1000)}ms'")
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (PG_WRITE_LOCK_KEY,))
        yield db


class _Contention(threading.local):
    noted = -1e9  # time.monotonic() when this thread last found the lock taken
    yield_until = 0.0  # a desk that just committed under contention waits for this before its next BEGIN


_contention = _Contention()


@contextmanager
def _sqlite_turn(db: pw.SqliteDatabase) -> Iterator[None]:
    """One SQLite write transaction taken in a fair turn (see BEGIN_BUSY_MS and YIELD_S)."""
    wait = _contention.yield_until - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    db.execute_sql(f"PRAGMA busy_timeout = {BEGIN_BUSY_MS}")
    try:
        with db.atomic():  # BEGIN IMMEDIATE: "database is locked" after BEGIN_BUSY_MS, retried by with_retry
            db.execute_sql(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            yield
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        if is_locked_error(exc):
            _contention.noted = time.monotonic()
        raise
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    if time.monotonic() - _contention.noted < CONTENDED_FOR_S:
        _contention.yield_until = time.monotonic() + YIELD_S * random.uniform(0.5, 1.5)


# PRAGMA data_version last seen by the change-feed poll, per database thread. Cleared whenever a
# database is opened, so a reopened connection never inherits a value from the one before.
_seen_data_versions: dict[int, int] = {}


def data_version_changed(current: int) -> bool:
    """True when `current` differs from what this thread's poll saw last (then the feed must be read)."""
    return _seen_data_versions.get(threading.get_ident()) != current


def note_data_version(current: int) -> None:
    """The feed was read up to this data_version (call only after the read succeeded)."""
    _seen_data_versions[threading.get_ident()] = current
