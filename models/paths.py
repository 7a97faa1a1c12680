"""Where Rapport keeps its own files on this computer: the one module that asks appdirs."""
from __future__ import annotations

import os
from pathlib import Path

import appdirs

APP_NAME = "Rapport"
DATA_DIR_ENV = "RAPPORT_DATA_DIR"
DEFAULT_DB_NAME = "rapport.db"


def data_dir() -> Path:
    """The desk's own data folder (database, backups, drafts, logs); `RAPPORT_DATA_DIR` overrides it."""
    override = os.environ.get(DATA_DIR_ENV)
    # appauthor=False: no "author" folder level on Windows (DESIGN.md, "Data folder").
    path = Path(override) if override else Path(appdirs.user_data_dir(APP_NAME, False))
    return path


# On macOS and Linux this desk's own folder (drafts, backups, logs, the default office) is its owner's
# alone: what a receptionist typed is not for every account on a shared computer. An office file or
# folder on a share is never touched: the other desks must open it.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (inside the data folder) if needed; owner-only, with the data folder itself, on POSIX."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if os.name == "posix":
        root = data_dir()
        for folder in {root, path} if path == root or root in path.parents else set():
            try:
                if folder.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
                    folder.chmod(PRIVATE_DIR_MODE)
            except OSError:  # not ours to change (another account's folder): leave it as it is
                pass
    return path


def private_file(path: Path) -> None:
    """Make one of this desk's own files (a backup, a log, a draft, an export) owner-only on POSIX."""
    if os.name == "posix":
        try:
            path.chmod(PRIVATE_FILE_MODE)
        except OSError:
            pass


def default_database() -> Path:
    """The embedded default: a SQLite file in the data folder."""
    return data_dir() / DEFAULT_DB_NAME


def backups_dir() -> Path:
    """Local backups of the office database, kept on this desk."""
    return data_dir() / "backups"


def drafts_dir() -> Path:
    """Text typed but not yet saved, so that it survives a crash."""
    return data_dir() / "drafts"


def logs_dir() -> Path:
    """Technical logs for support (never shown to a receptionist)."""
    return data_dir() / "logs"
