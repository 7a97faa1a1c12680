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
