"""The one API the UI and scripts use: reads return frozen dataclasses, writes return Changes.

Every function runs on the caller's thread against the database opened with `open()`; the desk app
calls them on its one database thread (ui/tasks.py). See README.md, "Scripting the store".

The subjects a desk does not need for its first window (scores, promises, sharing) are imported on
first use (PEP 562), which keeps start-up within its budget; to a caller they are ordinary names.
"""
from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from models.errors import (
    BusyError,
    CloudFolderError,
    ConflictError,
    DatabaseError,
    OfficeMissingError,
    PermissionDenied,
    StoreError,
    ValidationError,
)
from models.store.clock import set_clock, utcnow
from models.store.records import ChangeKind, Changes, ClientRow, Office, StaffMember

_LAZY: dict[str, str] = {
    # The database and the ORM load with the first call that needs them: a desk's first window is painted from a
    # first look at the office (models/store/look.py) before they are (issue 10).
    **dict.fromkeys(("add_client", "delete_client", "get_client", "list_clients", "restore_client", "update_client"),
                    "models.store.clients"),
    **dict.fromkeys(("FirstLook", "first_look"), "models.store.look"),
    **dict.fromkeys(("PinWait", "add_staff", "check_pin", "get_staff", "list_staff", "set_away", "update_staff"),
                    "models.store.staff"),
    **dict.fromkeys(("TrashItem", "delete_promise", "describe", "restore", "trash", "undo"), "models.store.recycle"),
    **dict.fromkeys(("redo",), "models.store.recycle"),
    # issue 10: made when first needed
    **dict.fromkeys(("ClientDetails", "InteractionEntry", "NoteEntry", "PromiseEntry", "PromiseRow", "TimelineCursor",
                     "TimelineEntry", "TimelinePage"), "models.store.entry_records"),
    **dict.fromkeys(("add_note", "delete_entry", "edit_interaction", "edit_note", "log_interaction", "restore_entry",
                     "timeline"), "models.store.timelines"),
    **dict.fromkeys(("DeskDay", "cancel_promise", "client_promises", "desk_day", "get_promise", "keep_promise",
                     "make_promise", "reassign_promise", "renegotiate_promise"), "models.store.promises"),
    **dict.fromkeys(("edit_promise",), "models.store.promises"),
    **dict.fromkeys(("HandoffCard", "handoff_card"), "models.store.handoff"),
    **dict.fromkeys(("Badge", "ClientScore", "ScoreHistory", "ScoreReason", "client_score", "refresh_scores",
                     "score_history", "stale_scores"), "models.store.scores"),
    **dict.fromkeys(("Presence", "changes_since", "end_session", "heartbeat", "latest_change_id", "online",
                     "poll", "start_session"), "models.store.sharing"),
    **dict.fromkeys(("BackupInfo", "backup_now", "backups_folder", "list_backups", "restore_backup"),
                    "models.store.backup"),
    **dict.fromkeys(("export_client", "export_office", "import_office"), "models.store.export"),
    **dict.fromkeys(("copy_office",), "models.store.copy"),
    **dict.fromkeys(("OfficeSettings", "office_settings", "setting_names", "update_office_settings"),
                    "models.store.settings"),
    **dict.fromkeys(("HistoryCursor", "HistoryEntry", "HistoryPage", "export_history", "history"),
                    "models.store.changelog"),
    **dict.fromkeys(("erase_client", "erasure_key", "is_erased"), "models.store.erasure"),
    **dict.fromkeys(("ClientRecord", "RecordItem", "client_record"), "models.store.report"),
    **dict.fromkeys(("DuplicatePair", "MergeInfo", "SimilarClient", "different_people", "find_duplicates",
                     "mark_different", "merge_clients", "merges", "similar_clients", "unmerge"), "models.store.duplicates"),
    **dict.fromkeys(("ENCODINGS", "ImportInfo", "ImportPreview", "ImportProblem", "ImportReport", "ImportRow",
                     "PreviewRow", "export_clients_csv", "export_vcards", "import_contacts", "import_steps",
                     "import_targets", "list_imports", "preview_import", "revert_import", "save_import_problems",
                     "touched_since_import"), "models.store.imports"),
    **dict.fromkeys(("export_steps",), "models.store.imports"),
    **dict.fromkeys(("Attention", "BandMoves", "ClientMove", "Figures", "Review", "ReviewEvent", "RiskClient", "Share",
                     "review", "review_clients", "review_events", "review_job", "review_nudge", "review_trend",
                     "trend_bounds"),
                    "models.store.reviews"),
    **dict.fromkeys(("rename_topic", "topic_uses"), "models.store.topics"),
    **dict.fromkeys(("SearchHit", "matching_clients", "rebuild_search_index", "search"), "models.store.searching"),
    **dict.fromkeys(("catch_up_search_index",), "models.store.searching"),
}

if TYPE_CHECKING:  # the lazy names, for type checkers and readers
    from models.store.backup import (  # noqa: F401
        BackupInfo,
        backup_now,
        backups_folder,
        list_backups,
        restore_backup,
    )
    from models.store.changelog import HistoryCursor, HistoryEntry, HistoryPage, export_history, history  # noqa: F401
    from models.store.clients import (  # noqa: F401
        add_client,
        delete_client,
        get_client,
        list_clients,
        restore_client,
        update_client,
    )
    from models.store.copy import copy_office  # noqa: F401
    from models.store.duplicates import (  # noqa: F401
        DuplicatePair,
        MergeInfo,
        SimilarClient,
        different_people,
        find_duplicates,
        mark_different,
        merge_clients,
        merges,
        similar_clients,
        unmerge,
    )
    from models.store.entry_records import (  # noqa: F401
        ClientDetails,  # noqa: F401
        InteractionEntry,
        NoteEntry,
        PromiseEntry,
        PromiseRow,
        TimelineCursor,
        TimelineEntry,
        TimelinePage,
    )
    from models.store.erasure import erase_client, erasure_key, is_erased  # noqa: F401
    from models.store.export import export_client, export_office, import_office  # noqa: F401
    from models.store.look import FirstLook, first_look  # noqa: F401
    from models.store.handoff import HandoffCard, handoff_card  # noqa: F401
    from models.store.imports import (  # noqa: F401
        ENCODINGS,
        ImportInfo,
        ImportPreview,
        ImportProblem,
        ImportReport,
        ImportRow,
        PreviewRow,
        export_clients_csv,
        export_steps,
        export_vcards,
        import_contacts,
        import_steps,
        import_targets,
        list_imports,
        preview_import,
        revert_import,
        save_import_problems,
        touched_since_import,
    )
    from models.store.promises import (  # noqa: F401
        DeskDay,
        cancel_promise,
        client_promises,
        desk_day,
        edit_promise,
        get_promise,
        keep_promise,
        make_promise,
        reassign_promise,
        renegotiate_promise,
    )
    from models.store.recycle import TrashItem, delete_promise, describe, redo, restore, trash, undo  # noqa: F401
    from models.store.report import ClientRecord, RecordItem, client_record  # noqa: F401
    from models.store.reviews import (  # noqa: F401
        Attention,
        BandMoves,
        ClientMove,
        Figures,
        Review,
        ReviewEvent,
        RiskClient,
        Share,
        review,
        review_clients,
        review_events,
        review_job,
        review_nudge,
        review_trend,
        trend_bounds,
    )
    from models.store.scores import (  # noqa: F401
        Badge,
        ClientScore,
        ScoreHistory,
        ScoreReason,
        client_score,
        refresh_scores,
        score_history,
        stale_scores,
    )
    from models.store.searching import (  # noqa: F401
        SearchHit,
        catch_up_search_index,  # noqa: F401
        matching_clients,
        rebuild_search_index,
        search,
    )
    from models.store.settings import (  # noqa: F401
        OfficeSettings,
        office_settings,
        setting_names,
        update_office_settings,
    )
    from models.store.sharing import (  # noqa: F401
        Presence,
        changes_since,
        end_session,
        heartbeat,
        latest_change_id,
        online,
        poll,
        start_session,
    )
    from models.store.staff import PinWait, add_staff, check_pin, get_staff, list_staff, set_away, update_staff  # noqa
    from models.store.timelines import (  # noqa: F401
        add_note,
        delete_entry,
        edit_interaction,
        edit_note,
        log_interaction,
        restore_entry,
        timeline,
    )
    from models.store.topics import rename_topic, topic_uses  # noqa: F401


def prepare_upgrade(db: Any) -> object:
    """Before an upgrade: models/store/backup.py checks for live desks and takes the verified backup."""
    return importlib.import_module("models.store.backup").prepare_upgrade(db)


def _db() -> Any:
    """models.db, loaded on first use (with the ORM and the store's machinery, which has it take a backup before an
    upgrade: models/store/_base.py)."""
    from models import db  # noqa: PLC0415
    from models.store import _base  # noqa: F401, PLC0415

    return db


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'models.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def open(location: str | os.PathLike[str], *, allow_cloud: bool = False, create: bool = True) -> Office:  # noqa: A001
    """Open (or create) the office database: a SQLite file path or a postgresql:// URL.

    create=False: a missing file raises OfficeMissingError instead of becoming a new, empty office
    (a desk opening the office it remembers asks first).
    """
    info = _db().open_database(location, allow_cloud=allow_cloud, create=create)
    return Office(info.engine, info.location, info.display, info.schema_version, info.created, info.warnings)


def probe(location: str | os.PathLike[str], *, allow_cloud: bool = False) -> str:
    """Check a database location without switching to it: a sentence, or a DatabaseError with one."""
    from models.store._base import check_flag, check_path

    if not (isinstance(location, str) and _db().is_postgres_url(location)):
        location = check_path(location, "location", "The database file")
    return _db().probe(location, allow_cloud=check_flag(allow_cloud, "allow_cloud", "Use it anyway"))


def close() -> None:
    """Close this thread's connection to the office database."""
    if "models.db" in sys.modules:  # (nothing was ever opened otherwise)
        _db().close_database()


def set_busy_listener(listener: Callable[[float], None] | None) -> None:
    """Called on the database thread with the seconds waited so far while a locked shared database is retried.

    (Kept here until the database module is loaded, by the first call that needs it: models/store/_base.py.)"""
    global busy_listener
    busy_listener = listener
    if "models.db" in sys.modules:
        _db().set_busy_listener(listener)


busy_listener: Callable[[float], None] | None = None


def check_integrity(full: bool = False) -> str | None:
    """A sentence when the database file is damaged, else None (SQLite; PostgreSQL checks itself).

    A damaged search index (the file itself being fine) is rebuilt on the spot and said only if that fails.
    """
    from models.store._base import check_flag

    full = check_flag(full, "full", "A full check")
    db = _db()
    problem = db.with_retry(lambda: db.check_integrity(full=full))
    if problem is None:
        problem = importlib.import_module("models.store.searching").check_search_index()
    return problem


__all__ = [
    "BusyError", "CloudFolderError", "ChangeKind", "Changes", "ClientDetails", "ClientRow", "ConflictError",
    "DatabaseError", "InteractionEntry", "PermissionDenied", "PinWait",
    "NoteEntry", "Office", "OfficeMissingError", "PromiseEntry", "PromiseRow", "StaffMember", "StoreError", "TimelineCursor",
    "TimelineEntry", "TimelinePage", "ValidationError",
    "add_client", "add_staff", "check_integrity", "check_pin", "close", "delete_client", "get_client", "get_staff",
    "list_clients", "list_staff", "open", "probe", "restore_client", "set_away", "set_busy_listener", "set_clock",
    "update_client", "update_staff", "utcnow", *_LAZY,
]
